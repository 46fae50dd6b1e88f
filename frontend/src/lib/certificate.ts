// Title certificates on the device: reading a typed or scanned code, and asking the public register whether it still holds.
import { ApiError, errorBody } from './errors';
import type { CertificateCheck } from './api/types';

const CODE = /^[A-Za-z0-9_-]{22,64}$/;

/** The verification code in what was typed or pasted (the code, or the whole /verify/<code> link); '' when none. */
export function certificateCode(raw: string): string {
  let text = raw.trim();
  const at = text.lastIndexOf('/verify/');
  if (at >= 0) text = text.slice(at + '/verify/'.length);
  text = text.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return CODE.test(text) ? text : '';
}

export type CheckResult =
  | { status: 'valid' | 'revoked'; certificate: CertificateCheck }
  | { status: 'unknown' };

/** GET /api/v1/public/certificates/<code>, without any login: 200 valid, 410 revoked (with the facts), 404 unknown or altered. */
export async function checkCertificate(code: string, language: string, get: typeof fetch = fetch): Promise<CheckResult> {
  const response = await get(`/api/v1/public/certificates/${encodeURIComponent(code)}`, {
    credentials: 'omit',
    cache: 'no-cache',
    headers: { Accept: 'application/json', 'Accept-Language': language },
  });
  if (response.status === 404) return { status: 'unknown' };
  if (response.status === 200 || response.status === 410) {
    const certificate = (await response.json()) as CertificateCheck;
    return { status: response.status === 200 ? 'valid' : 'revoked', certificate };
  }
  throw new ApiError(response.status, await errorBody(response));
}
