import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Integrity for values the app writes and later reads back from places others can touch: a button
 * value (a person can edit the interaction payload's source message in their client) and records in
 * Redis (anyone with write access to it). HMAC-SHA256 with a key derived per purpose, so one value
 * can never be replayed as another kind.
 */

/** A key for one purpose, derived with HKDF-SHA256 from a configured secret. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'slack-inbox', purpose, 32));
}

/** The MAC of `text`, base64url (43 characters). */
export function macOf(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

/** True when `given` is the MAC of `text` under `key`; constant time. */
export function macMatches(key: Buffer, text: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(macOf(key, text));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
