import {
  type Classification,
  classifyGmailFailure,
  DEFAULT_RETRY_BUDGET,
  decideRetry,
  type FailedCall,
  type RetryBudget,
  requestedDelayMs,
} from '../../../src/gmail/retry-policy';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const BUDGET: RetryBudget = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
const call = (
  status: number | undefined,
  reasons: string[] = [],
  extra: Partial<FailedCall> = {},
): FailedCall => ({
  ...(status === undefined ? {} : { status }),
  reasons,
  ...extra,
});

describe('classifyGmailFailure', () => {
  it.each<[number | undefined, string[], Classification]>([
    [401, [], { kind: 'refused', reason: 'invalid_token' }],
    [401, ['authError'], { kind: 'refused', reason: 'invalid_token' }],
    [403, ['insufficientPermissions'], { kind: 'refused', reason: 'insufficient_scope' }],
    [403, ['ACCESS_TOKEN_SCOPE_INSUFFICIENT'], { kind: 'refused', reason: 'insufficient_scope' }],
    [403, ['rateLimitExceeded'], { kind: 'rate_limited' }],
    [403, ['userRateLimitExceeded'], { kind: 'rate_limited' }],
    [403, ['RATE_LIMIT_EXCEEDED'], { kind: 'rate_limited' }],
    [403, ['somethingElse', 'userRateLimitExceeded'], { kind: 'rate_limited' }],
    [429, [], { kind: 'rate_limited' }],
    [429, ['rateLimitExceeded'], { kind: 'rate_limited' }],
    [404, [], { kind: 'not_found' }],
    [404, ['notFound'], { kind: 'not_found' }],
    [500, [], { kind: 'transient' }],
    [502, [], { kind: 'transient' }],
    [503, ['backendError'], { kind: 'transient' }],
    [408, [], { kind: 'transient' }],
    [undefined, [], { kind: 'transient' }],
    [403, ['domainPolicy'], { kind: 'unusable', reason: 'domainPolicy' }],
    [400, ['failedPrecondition'], { kind: 'unusable', reason: 'failedPrecondition' }],
    [403, ['dailyLimitExceeded'], { kind: 'unusable', reason: 'dailyLimitExceeded' }],
    [400, ['invalidArgument'], { kind: 'permanent' }],
    [400, [], { kind: 'permanent' }],
    [403, [], { kind: 'permanent' }],
    [403, ['forbidden'], { kind: 'permanent' }],
    [409, [], { kind: 'permanent' }],
  ])('classifies HTTP %s %j', (status, reasons, expected) => {
    expect(classifyGmailFailure(call(status, reasons))).toEqual(expected);
  });

  it('counts a 403 carrying a rate-limit reason as a rate limit, whatever else it carries', () => {
    expect(classifyGmailFailure(call(403, ['insufficientPermissions', 'rateLimitExceeded']))).toEqual({
      kind: 'rate_limited',
    });
  });
});

describe('decideRetry', () => {
  it('doubles the backoff from the base delay on each attempt, then stops at maxAttempts', () => {
    const failed = call(503);
    expect([1, 2, 3, 4].map((attempt) => decideRetry(failed, attempt, BUDGET, NOW))).toEqual([
      { retry: true, delayMs: 100 },
      { retry: true, delayMs: 200 },
      { retry: true, delayMs: 400 },
      { retry: true, delayMs: 800 },
    ]);
    expect(decideRetry(failed, 5, BUDGET, NOW)).toStrictEqual({ retry: false });
    expect(decideRetry(failed, 6, BUDGET, NOW)).toStrictEqual({ retry: false });
  });

  it('caps the backoff at maxDelayMs', () => {
    const budget = { maxAttempts: 10, baseDelayMs: 300, maxDelayMs: 1000 };
    expect(decideRetry(call(undefined), 3, budget, NOW)).toEqual({ retry: true, delayMs: 1000 });
    expect(decideRetry(call(undefined), 8, budget, NOW)).toEqual({ retry: true, delayMs: 1000 });
  });

  it('uses the default budget: 250 ms first, four attempts in all', () => {
    expect(DEFAULT_RETRY_BUDGET).toEqual({ maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 8000 });
    expect(decideRetry(call(500), 1)).toEqual({ retry: true, delayMs: 250 });
    expect(decideRetry(call(500), 3)).toEqual({ retry: true, delayMs: 1000 });
    expect(decideRetry(call(500), 4)).toStrictEqual({ retry: false });
  });

  it.each([
    [429, []],
    [403, ['rateLimitExceeded']],
    [403, ['userRateLimitExceeded']],
  ])('retries a rate limit (HTTP %s %j)', (status, reasons) => {
    expect(decideRetry(call(status, reasons), 1, BUDGET, NOW)).toEqual({ retry: true, delayMs: 100 });
  });

  it.each([
    [401, []],
    [403, ['insufficientPermissions']],
    [403, ['domainPolicy']],
    [404, []],
    [400, []],
  ])('never retries HTTP %s %j, even with a Retry-After', (status, reasons) => {
    expect(decideRetry(call(status, reasons, { retryAfter: '1' }), 1, BUDGET, NOW)).toStrictEqual({
      retry: false,
    });
  });

  it('honours Retry-After in seconds over the backoff', () => {
    expect(decideRetry(call(429, [], { retryAfter: '3' }), 1, DEFAULT_RETRY_BUDGET, NOW)).toEqual({
      retry: true,
      delayMs: 3000,
    });
    expect(decideRetry(call(503, [], { retryAfter: '0' }), 2, BUDGET, NOW)).toEqual({
      retry: true,
      delayMs: 0,
    });
  });

  it('honours Retry-After as an HTTP date', () => {
    const retryAfter = new Date(NOW + 5000).toUTCString();
    expect(decideRetry(call(429, [], { retryAfter }), 1, DEFAULT_RETRY_BUDGET, NOW)).toEqual({
      retry: true,
      delayMs: 5000,
    });
  });

  it('honours "Retry after <ISO date>" in a 403 rate-limit message', () => {
    const failed = call(403, ['userRateLimitExceeded'], {
      message: 'User-rate limit exceeded.  Retry after 2026-03-01T12:00:04.250Z',
    });
    expect(decideRetry(failed, 1, DEFAULT_RETRY_BUDGET, NOW)).toEqual({ retry: true, delayMs: 4250 });
  });

  it('retries after exactly maxDelayMs when that is what the server asks', () => {
    expect(decideRetry(call(429, [], { retryAfter: '1' }), 1, BUDGET, NOW)).toEqual({
      retry: true,
      delayMs: 1000,
    });
  });

  it('does not wait longer than maxDelayMs: no retry, and the wait is passed on in whole seconds', () => {
    expect(decideRetry(call(429, [], { retryAfter: '60' }), 1, DEFAULT_RETRY_BUDGET, NOW)).toStrictEqual({
      retry: false,
      retryAfterSeconds: 60,
    });
    const failed = call(403, ['rateLimitExceeded'], { message: 'Retry after 2026-03-01T12:01:30.500Z' });
    expect(decideRetry(failed, 1, DEFAULT_RETRY_BUDGET, NOW)).toStrictEqual({
      retry: false,
      retryAfterSeconds: 91,
    });
    expect(decideRetry(call(503, [], { retryAfter: '1.001' }), 1, BUDGET, NOW)).toStrictEqual({
      retry: false,
      retryAfterSeconds: 2,
    });
  });

  it('passes a requested wait on when attempts run out', () => {
    expect(decideRetry(call(429, [], { retryAfter: '2' }), 4, DEFAULT_RETRY_BUDGET, NOW)).toStrictEqual({
      retry: false,
      retryAfterSeconds: 2,
    });
  });
});

describe('requestedDelayMs', () => {
  it('is undefined without a hint', () => {
    expect(requestedDelayMs(call(429), NOW)).toBeUndefined();
    expect(
      requestedDelayMs(call(429, [], { retryAfter: null, message: 'Rate limit exceeded' }), NOW),
    ).toBeUndefined();
    expect(requestedDelayMs(call(429, [], { retryAfter: '' }), NOW)).toBeUndefined();
  });

  it('reads whole and fractional seconds, ignoring surrounding whitespace', () => {
    expect(requestedDelayMs(call(429, [], { retryAfter: ' 7 ' }), NOW)).toBe(7000);
    expect(requestedDelayMs(call(429, [], { retryAfter: '1.5' }), NOW)).toBe(1500);
  });

  it('reads an HTTP date relative to now, and a date in the past as no wait', () => {
    expect(requestedDelayMs(call(429, [], { retryAfter: 'Sun, 01 Mar 2026 12:00:10 GMT' }), NOW)).toBe(
      10_000,
    );
    expect(requestedDelayMs(call(429, [], { retryAfter: 'Sun, 01 Mar 2026 11:00:00 GMT' }), NOW)).toBe(0);
  });

  it('reads "Retry after <ISO date>" from the message, in any case', () => {
    expect(
      requestedDelayMs(call(403, [], { message: 'Quota hit. Retry after 2026-03-01T12:00:02Z' }), NOW),
    ).toBe(2000);
    expect(requestedDelayMs(call(403, [], { message: 'RETRY AFTER 2026-03-01T12:00:03.5Z' }), NOW)).toBe(
      3500,
    );
  });

  it('prefers the header to the message, and falls back to the message when the header is unreadable', () => {
    const message = 'Retry after 2026-03-01T12:00:09Z';
    expect(requestedDelayMs(call(429, [], { retryAfter: '4', message }), NOW)).toBe(4000);
    expect(requestedDelayMs(call(429, [], { retryAfter: 'soon', message }), NOW)).toBe(9000);
    expect(requestedDelayMs(call(429, [], { retryAfter: 'soon' }), NOW)).toBeUndefined();
  });
});
