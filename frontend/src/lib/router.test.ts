// Unit tests of the route matcher.
import { describe, expect, it, vi } from 'vitest';

vi.stubGlobal('location', new URL('http://127.0.0.1/'));
const { match } = await import('./router.svelte');

describe('match', () => {
  it('matches the root only against /', () => {
    expect(match('/', '/')).toEqual({});
    expect(match('/', '/agents')).toBeNull();
  });

  it('extracts and decodes parameters', () => {
    expect(match('/c/:slug/edit', '/c/atelier-textile/edit')).toEqual({ slug: 'atelier-textile' });
    expect(match('/invitations/:token', '/invitations/a%2Bb')).toEqual({ token: 'a+b' });
  });

  it('ignores a trailing slash and refuses other shapes', () => {
    expect(match('/agents', '/agents/')).toEqual({});
    expect(match('/c/:slug', '/c/x/members')).toBeNull();
    expect(match('/commons/new', '/c/new')).toBeNull();
  });
});
