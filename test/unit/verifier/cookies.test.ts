import { expiredCookie, readCookies, serializeCookie } from '../../../src/verifier/cookies';

describe('verifier cookies', () => {
  it('are HttpOnly and SameSite=Lax, scoped to a path, with a lifetime', () => {
    expect(serializeCookie('v', 'a.b', { path: '/verify', maxAgeSeconds: 600, secure: false })).toBe(
      'v=a.b; Path=/verify; Max-Age=600; HttpOnly; SameSite=Lax',
    );
  });

  it('are Secure when asked (an https public URL)', () => {
    expect(serializeCookie('v', 'a', { path: '/', maxAgeSeconds: 1, secure: true })).toMatch(/; Secure$/);
  });

  it('expire at once when cleared', () => {
    expect(expiredCookie('v', { path: '/verify', secure: true })).toBe(
      'v=; Path=/verify; Max-Age=0; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('are read by exact name, every value of it', () => {
    expect(readCookies('a=1; inbox_verify=x.y; b=2; inbox_verify=z', 'inbox_verify')).toEqual(['x.y', 'z']);
    expect(readCookies('my_inbox_verify=1; inbox_verifyx=2', 'inbox_verify')).toEqual([]);
    expect(readCookies(undefined, 'inbox_verify')).toEqual([]);
    expect(readCookies('garbage', 'inbox_verify')).toEqual([]);
  });
});
