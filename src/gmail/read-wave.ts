/**
 * How many metadata gets one summary sends at once. Pure, so the quota arithmetic is unit-tested.
 *
 * Gmail's per-user limit is 250 quota units per second as a moving average that allows short
 * bursts (15,000 per user per minute in today's table), and `messages.get` costs 5 units: 50 gets
 * per second per person (../shared/reference/gmail.md §5, developers.google.com/gmail/api/reference/quota).
 * The largest summary the app allows (25 messages) is one list plus 25 gets, 130 units: half of
 * one second's budget. So every get of a summary goes out in one wave, and the wait is one round
 * trip however many messages are shown, not ⌈count / 10⌉ of them. Gmail's separate "too many
 * concurrent requests for user" limit has no published number; when it answers 429 (or 403
 * rateLimitExceeded) for some of the gets, those alone are retried under the same Retry-After
 * rules (retry-policy.ts), and the others are kept.
 */

/** Quota units Gmail allows one user per second (moving average). */
export const GMAIL_USER_UNITS_PER_SECOND = 250;
/** Quota units of one `messages.get` (and of one `messages.list`). */
export const GMAIL_GET_UNITS = 5;
/** Gets one summary may have in flight: a second's budget for one person, less the list's units. */
export const MAX_GETS_IN_FLIGHT = Math.floor(
  (GMAIL_USER_UNITS_PER_SECOND - GMAIL_GET_UNITS) / GMAIL_GET_UNITS,
);

/** Gets to send at once for `messages` listed ids: all of them, within one second's quota, or `cap`. */
export function getsInFlight(messages: number, cap: number = MAX_GETS_IN_FLIGHT): number {
  const limit = Math.max(1, Math.min(Math.floor(cap) || 1, MAX_GETS_IN_FLIGHT));
  return Math.max(1, Math.min(messages, limit));
}
