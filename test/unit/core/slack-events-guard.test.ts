import { headerRefusal, LONG_BODY_LIMIT, UNSIGNED_BODY_LIMIT } from '../../../src/slack-events-guard';

const NOW = 1_800_000_000;
const signed = (timestamp: string | number, extra: Record<string, string> = {}) => ({
  'x-slack-signature': `v0=${'a'.repeat(64)}`,
  'x-slack-request-timestamp': String(timestamp),
  ...extra,
});

describe('headerRefusal (issue 10, items 3 and 4)', () => {
  it('accepts a timestamp within five minutes either way', () => {
    for (const offset of [0, 300, -300, 299])
      expect(headerRefusal(signed(NOW + offset), NOW)).toBeUndefined();
  });

  it.each([301, -301, 3600, 10 * 365 * 86400])('refuses a timestamp %i s away with 401', (offset) => {
    expect(headerRefusal(signed(NOW + offset), NOW)?.status).toBe(401);
  });

  it.each(['', 'abc', '1e9', '-5', '1800000000.5'])('refuses the malformed timestamp %j', (timestamp) => {
    expect(headerRefusal(signed(timestamp), NOW)?.status).toBe(401);
  });

  it('refuses a declared body over the limit before reading it', () => {
    expect(headerRefusal(signed(NOW, { 'content-length': String(LONG_BODY_LIMIT + 1) }), NOW)?.status).toBe(
      413,
    );
    expect(headerRefusal(signed(NOW, { 'content-length': String(LONG_BODY_LIMIT) }), NOW)).toBeUndefined();
    expect(headerRefusal({ 'content-length': String(UNSIGNED_BODY_LIMIT + 1) }, NOW)?.status).toBe(413);
    // An unsigned ssl_check is left to Bolt, which answers it without a signature.
    expect(headerRefusal({ 'content-length': '40' }, NOW)).toBeUndefined();
  });
});
