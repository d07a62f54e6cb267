/**
 * The verifier's cookie: `HttpOnly` (no script reads it), `SameSite=Lax` (sent on Slack's top-level
 * redirect back, not on cross-site subrequests), `Secure` whenever the public URL is https, and
 * scoped to the verifier's path. https://httpwg.org/specs/rfc6265.html
 */

export interface CookieOptions {
  path: string;
  maxAgeSeconds: number;
  secure: boolean;
}

/** A `Set-Cookie` value. `value` must be cookie-safe (the signed tokens are base64url and '.'). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** A `Set-Cookie` value that makes the browser drop the cookie. */
export function expiredCookie(name: string, options: Omit<CookieOptions, 'maxAgeSeconds'>): string {
  return serializeCookie(name, '', { ...options, maxAgeSeconds: 0 });
}

/**
 * Every value of cookie `name` in a `Cookie` header. There can be several (same name, other paths
 * or a sibling domain); the caller accepts only one that verifies.
 */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=');
    if (index < 0) continue;
    if (pair.slice(0, index).trim() === name) values.push(pair.slice(index + 1).trim());
  }
  return values;
}
