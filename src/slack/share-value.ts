import { MAX_BUTTON_VALUE } from '../blocks/limits';
import { MAX_COUNT, MAX_QUERY_LENGTH } from '../command-args';
import type { InboxRequest } from '../inbox';
import { macMatches, macOf } from '../sealing';

/**
 * The "Share to channel" button's value: a reference to the summary kept in memory, plus what is
 * needed to read it again after a restart (the count, the person's own search, and the channel it
 * was asked in), sealed with an HMAC so that an edited value (another channel, another search) is
 * refused. Never email content, never a token. Who shares is taken from the signed click, and the
 * channel must match the signed click's channel.
 */
export interface ShareReference {
  reference: string;
  request: InboxRequest;
  channelId: string;
}

/** What the MAC covers: every field, in a fixed order. */
function sealedText(r: string, c: number, q: string | undefined, ch: string): string {
  return JSON.stringify(['share', r, c, q ?? null, ch]);
}

/** Encodes and seals the value; always within Slack's 2,000 characters (a search is at most 500). */
export function encodeShareValue(key: Buffer, share: ShareReference): string {
  const { reference: r, request, channelId: ch } = share;
  const value = JSON.stringify({
    r,
    c: request.count,
    ...(request.query ? { q: request.query } : {}),
    ch,
    m: macOf(key, sealedText(r, request.count, request.query || undefined, ch)),
  });
  if (value.length > MAX_BUTTON_VALUE) throw new Error('share value too long');
  return value;
}

/** Decodes a value; undefined when it is not one this app wrote, or was altered. */
export function decodeShareValue(key: Buffer, value: string | undefined): ShareReference | undefined {
  if (!value || value.length > MAX_BUTTON_VALUE) return undefined;
  let parsed: { r?: unknown; c?: unknown; q?: unknown; ch?: unknown; m?: unknown };
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const { r, c, q, ch, m } = parsed ?? {};
  if (typeof r !== 'string' || typeof ch !== 'string' || !/^[A-Z0-9]{2,}$/.test(ch)) return undefined;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 1 || c > MAX_COUNT) return undefined;
  if (q !== undefined && (typeof q !== 'string' || q.length > MAX_QUERY_LENGTH)) return undefined;
  if (!macMatches(key, sealedText(r, c, q || undefined, ch), m)) return undefined;
  return { reference: r, request: q ? { count: c, query: q } : { count: c }, channelId: ch };
}
