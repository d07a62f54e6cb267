/**
 * When to retry a Gmail call, and after how long. Pure, so every branch is unit-tested.
 *
 * Gmail reports per-user limits as 429 *or* as 403 with reason rateLimitExceeded /
 * userRateLimitExceeded, and sometimes says when to come back (`Retry-After`, or "Retry after
 * <ISO date>" in the message). The Gmail client's own retry ignores all of that, so it is off and
 * this policy decides. https://developers.google.com/gmail/api/guides/handle-errors
 */

/** What a failed call looked like, in plain values. */
export interface FailedCall {
  /** HTTP status; undefined when no response arrived (connection refused, reset, timeout). */
  status?: number;
  /** `error.errors[0].reason` or `details[].reason` from Google's error envelope. */
  reasons: string[];
  /** The `Retry-After` header, if any. */
  retryAfter?: string | null;
  /** Google's error message, which may embed "Retry after <ISO-8601>". */
  message?: string;
}

export type Classification =
  | { kind: 'rate_limited' }
  | { kind: 'transient' }
  | { kind: 'not_found' }
  | { kind: 'refused'; reason: 'invalid_token' | 'insufficient_scope' }
  | { kind: 'unusable'; reason: string }
  | { kind: 'permanent' };

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED']);
const SCOPE_REASONS = new Set(['insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT']);
/** Problems with the account itself (Workspace policy, no Gmail, daily quota gone): retrying won't help. */
const UNUSABLE_REASONS = new Set([
  'domainPolicy',
  'failedPrecondition',
  'dailyLimitExceeded',
  'quotaExceeded',
]);

/** Sorts a failed Gmail call into what the app does about it. */
export function classifyGmailFailure(call: FailedCall): Classification {
  const { status, reasons } = call;
  const has = (set: Set<string>) => reasons.some((reason) => set.has(reason));
  if (status === undefined) return { kind: 'transient' };
  if (status === 429 || (status === 403 && has(RATE_REASONS))) return { kind: 'rate_limited' };
  if (status === 401) return { kind: 'refused', reason: 'invalid_token' };
  if (status === 403 && has(SCOPE_REASONS)) return { kind: 'refused', reason: 'insufficient_scope' };
  if ((status === 403 || status === 400) && has(UNUSABLE_REASONS)) {
    return { kind: 'unusable', reason: reasons.find((reason) => UNUSABLE_REASONS.has(reason)) ?? 'unknown' };
  }
  if (status === 404) return { kind: 'not_found' };
  if (status === 408 || status >= 500) return { kind: 'transient' };
  return { kind: 'permanent' };
}

export interface RetryBudget {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff without a server hint: first delay, doubled each time. */
  baseDelayMs: number;
  /** A server asking for a longer wait than this is not waited for: the person is told instead. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudget = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 8000 };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; retryAfterSeconds?: number };

/**
 * Decides whether attempt number `attempt` (1-based) that just failed gets another try. A server's
 * requested delay wins over backoff; a delay over budget stops retrying and is passed on so the
 * person can be told when to try again.
 */
export function decideRetry(
  call: FailedCall,
  attempt: number,
  budget: RetryBudget = DEFAULT_RETRY_BUDGET,
  now: number = Date.now(),
): RetryDecision {
  const kind = classifyGmailFailure(call).kind;
  if (kind !== 'rate_limited' && kind !== 'transient') return { retry: false };
  const requestedMs = requestedDelayMs(call, now);
  if (requestedMs !== undefined && requestedMs > budget.maxDelayMs) {
    return { retry: false, retryAfterSeconds: Math.ceil(requestedMs / 1000) };
  }
  if (attempt >= budget.maxAttempts) {
    return requestedMs === undefined
      ? { retry: false }
      : { retry: false, retryAfterSeconds: Math.ceil(requestedMs / 1000) };
  }
  const backoffMs = Math.min(budget.maxDelayMs, budget.baseDelayMs * 2 ** (attempt - 1));
  return { retry: true, delayMs: requestedMs ?? backoffMs };
}

/** The wait the server asked for, from `Retry-After` (seconds or HTTP date) or "Retry after <ISO>". */
export function requestedDelayMs(call: FailedCall, now: number = Date.now()): number | undefined {
  const header = call.retryAfter?.trim();
  if (header) {
    if (/^\d+(\.\d+)?$/.test(header)) return Number(header) * 1000;
    // An HTTP date has a weekday and month name; anything else (e.g. "-1") is not a hint.
    const at = /[a-z]{3}/i.test(header) ? Date.parse(header) : Number.NaN;
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const match = call.message?.match(/Retry after (\d{4}-\d{2}-\d{2}T[\d:.]+Z)/i);
  if (match?.[1]) {
    const at = Date.parse(match[1]);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return undefined;
}
