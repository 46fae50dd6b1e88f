// Certificate codes typed or scanned, and the public check's three answers.
import { describe, expect, it } from 'vitest';
import { certificateCode, checkCertificate } from './certificate';
import { ApiError } from './errors';

const CODE = 'Zk3_abcdefghijklmnopqrstuvwxyz012';

function answer(status: number, body: unknown): typeof fetch {
  return (async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })) as typeof fetch;
}

describe('certificateCode', () => {
  it('takes the code alone or out of its verification link', () => {
    expect(certificateCode(`  ${CODE} `)).toBe(CODE);
    expect(certificateCode(`https://federage.example/verify/${CODE}`)).toBe(CODE);
    expect(certificateCode(`https://federage.example/verify/${CODE}/?from=qr`)).toBe(CODE);
  });

  it('refuses what cannot be a code', () => {
    expect(certificateCode('short')).toBe('');
    expect(certificateCode(`${CODE}<script>`)).toBe('');
    expect(certificateCode('')).toBe('');
  });
});

describe('checkCertificate', () => {
  it('reads valid, revoked and unknown', async () => {
    expect(await checkCertificate(CODE, 'fr', answer(200, { status: 'valid', units: '10' }))).toMatchObject({
      status: 'valid',
      certificate: { units: '10' },
    });
    expect(await checkCertificate(CODE, 'fr', answer(410, { status: 'revoked', revoked_because: 'x' }))).toMatchObject({
      status: 'revoked',
      certificate: { revoked_because: 'x' },
    });
    expect(await checkCertificate(CODE, 'fr', answer(404, { code: 'not_found' }))).toEqual({ status: 'unknown' });
  });

  it('throws any other refusal by its code', async () => {
    await expect(checkCertificate(CODE, 'fr', answer(429, { code: 'rate_limited', message: 'x' }))).rejects.toBeInstanceOf(ApiError);
  });
});
