import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Small signed JSON tokens, `<base64url(json)>.<base64url(HMAC-SHA256)>`, for the verifier's OAuth
 * `state` and cookie. The purpose is part of what is signed, so a token minted for one use (the
 * state Slack echoes back) never passes as another (the browser's cookie). Signed, not encrypted:
 * nothing secret goes in them.
 */

/** Longest token accepted; anything longer is refused before any work. */
const MAX_TOKEN_LENGTH = 4096;

/** What a token carries: a small JSON object. */
export type TokenPayload = Record<string, unknown>;

/** Signs and checks tokens with one secret. */
export interface Signer {
  sign(purpose: string, payload: TokenPayload): string;
  /** The payload when `token` was signed for `purpose` with this secret; undefined otherwise. */
  verify(purpose: string, token: string): TokenPayload | undefined;
}

/** Creates a signer; `secret` should be at least 32 random characters (config enforces it). */
export function createSigner(secret: string): Signer {
  const mac = (purpose: string, body: string): string =>
    createHmac('sha256', secret).update(`${purpose}.${body}`).digest('base64url');
  return {
    sign(purpose, payload) {
      const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
      return `${body}.${mac(purpose, body)}`;
    },
    verify(purpose, token) {
      if (token.length > MAX_TOKEN_LENGTH) return undefined;
      const parts = token.split('.');
      if (parts.length !== 2) return undefined;
      const [body = '', signature = ''] = parts;
      // Compared as the exact base64url text, so no second spelling of one signature is accepted.
      const expected = Buffer.from(mac(purpose, body), 'utf8');
      const given = Buffer.from(signature, 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
        return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
          ? (payload as TokenPayload)
          : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
