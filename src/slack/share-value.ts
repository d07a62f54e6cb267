import { MAX_BUTTON_VALUE } from '../blocks/limits';
import { MAX_COUNT, MAX_QUERY_LENGTH } from '../command-args';
import type { InboxRequest } from '../inbox';

/**
 * The "Share to channel" button's value: a reference to the summary kept in memory, plus what is
 * needed to read it again after a restart (the count, the person's own search, and the channel it
 * was asked in). Never email content, never a token. Who shares is taken from the signed click,
 * not from here.
 */
export interface ShareReference {
  reference: string;
  request: InboxRequest;
  channelId: string;
}

/** Encodes the value; always within Slack's 2,000 characters (a search is at most 500). */
export function encodeShareValue(share: ShareReference): string {
  const value = JSON.stringify({
    r: share.reference,
    c: share.request.count,
    ...(share.request.query ? { q: share.request.query } : {}),
    ch: share.channelId,
  });
  if (value.length > MAX_BUTTON_VALUE) throw new Error('share value too long');
  return value;
}

/** Decodes a value; undefined when it is not one this app wrote. */
export function decodeShareValue(value: string | undefined): ShareReference | undefined {
  if (!value || value.length > MAX_BUTTON_VALUE) return undefined;
  let parsed: { r?: unknown; c?: unknown; q?: unknown; ch?: unknown };
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const { r, c, q, ch } = parsed ?? {};
  if (typeof r !== 'string' || typeof ch !== 'string' || !/^[A-Z0-9]{2,}$/.test(ch)) return undefined;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 1 || c > MAX_COUNT) return undefined;
  if (q !== undefined && (typeof q !== 'string' || q.length > MAX_QUERY_LENGTH)) return undefined;
  return { reference: r, request: q ? { count: c, query: q } : { count: c }, channelId: ch };
}
