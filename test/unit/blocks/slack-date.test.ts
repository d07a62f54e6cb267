import { slackDate, utcDateText } from '../../../src/blocks/slack-date';

describe('slackDate', () => {
  const at = Date.UTC(2026, 10, 23, 14, 5, 59, 999);

  it('renders a date token in whole seconds with a UTC fallback', () => {
    expect(slackDate(at)).toBe(
      `<!date^${Math.floor(at / 1000)}^{date_short_pretty} at {time}|2026-11-23 14:05 UTC>`,
    );
    expect(slackDate(1999)).toBe('<!date^1^{date_short_pretty} at {time}|1970-01-01 00:00 UTC>');
  });

  it('escapes and flattens a caller-given fallback', () => {
    expect(slackDate(at, 'on <b>\nMonday & co')).toBe(
      `<!date^${Math.floor(at / 1000)}^{date_short_pretty} at {time}|on &lt;b&gt; Monday &amp; co>`,
    );
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -1, 1e20])('falls back to plain text for %p', (epochMs) => {
    expect(slackDate(epochMs)).toBe('unknown date');
    expect(slackDate(epochMs, 'yesterday')).toBe('yesterday');
  });
});

describe('utcDateText', () => {
  it('formats minutes in UTC', () => {
    expect(utcDateText(Date.UTC(2026, 0, 2, 3, 4))).toBe('2026-01-02 03:04 UTC');
    expect(utcDateText(Number.NaN)).toBe('unknown date');
  });
});
