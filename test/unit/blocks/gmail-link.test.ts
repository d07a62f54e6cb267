import { gmailInboxUrl, gmailMessageUrl, gmailSearchUrl } from '../../../src/blocks/gmail-link';
import { MAX_BUTTON_URL } from '../../../src/blocks/limits';
import type { InboxMessage } from '../../../src/inbox/inbox';

const message = (overrides: Partial<InboxMessage> = {}): InboxMessage => ({
  id: '18c1f0a2b3c4d5e6',
  threadId: '18c1f0a2b3c4d5e0',
  from: 'a@x',
  subject: 's',
  receivedAt: 0,
  unread: false,
  snippet: '',
  ...overrides,
});

describe('gmailMessageUrl', () => {
  const withMsgid = message({ rfc822MessageId: 'CAK+x7n9@mail.gmail.com' });

  it('searches by Message-ID in the given account', () => {
    expect(gmailMessageUrl(withMsgid, 'alice@example.com')).toBe(
      'https://mail.google.com/mail/?authuser=alice%40example.com#search/rfc822msgid%3ACAK%2Bx7n9%40mail.gmail.com',
    );
  });

  it('uses the first signed-in account when the account is unknown', () => {
    expect(gmailMessageUrl(withMsgid)).toBe(
      'https://mail.google.com/mail/u/0/#search/rfc822msgid%3ACAK%2Bx7n9%40mail.gmail.com',
    );
    expect(gmailMessageUrl(withMsgid, '  ')).toBe(gmailMessageUrl(withMsgid));
  });

  it('drops the angle brackets around a Message-ID', () => {
    expect(gmailMessageUrl(message({ rfc822MessageId: ' <abc@x> ' }))).toBe(
      'https://mail.google.com/mail/u/0/#search/rfc822msgid%3Aabc%40x',
    );
  });

  it('links the thread when there is no Message-ID', () => {
    expect(gmailMessageUrl(message(), 'alice@example.com')).toBe(
      'https://mail.google.com/mail/?authuser=alice%40example.com#all/18c1f0a2b3c4d5e0',
    );
    expect(gmailMessageUrl(message({ rfc822MessageId: '<>' }))).toBe(
      'https://mail.google.com/mail/u/0/#all/18c1f0a2b3c4d5e0',
    );
  });

  it('encodes every character that could end a URL or a Slack link', () => {
    const url = gmailMessageUrl(message({ rfc822MessageId: 'a b|c>d<e#f&g"h@x' }), 'o|dd>@x');
    expect(url).toBe(
      'https://mail.google.com/mail/?authuser=o%7Cdd%3E%40x#search/rfc822msgid%3Aa%20b%7Cc%3Ed%3Ce%23f%26g%22h%40x',
    );
  });

  it('falls back to the thread link when the Message-ID link would be too long', () => {
    const url = gmailMessageUrl(message({ rfc822MessageId: `${'m'.repeat(5000)}@x` }), 'alice@example.com');
    expect(url).toBe('https://mail.google.com/mail/?authuser=alice%40example.com#all/18c1f0a2b3c4d5e0');
  });

  it('drops an account too long to fit, keeping the Message-ID search', () => {
    const url = gmailMessageUrl(withMsgid, `${'a'.repeat(4000)}@x`);
    expect(url).toBe('https://mail.google.com/mail/u/0/#search/rfc822msgid%3ACAK%2Bx7n9%40mail.gmail.com');
  });

  it('ends at the inbox when nothing else fits', () => {
    const huge = message({ threadId: 't'.repeat(4000), rfc822MessageId: 'm'.repeat(4000) });
    expect(gmailMessageUrl(huge, 'a'.repeat(4000))).toBe('https://mail.google.com/mail/u/0/#inbox');
    expect(gmailMessageUrl(message({ threadId: '' }))).toBe('https://mail.google.com/mail/u/0/#inbox');
  });

  it('respects a tighter maxLength', () => {
    const url = gmailMessageUrl(message({ rfc822MessageId: 'x'.repeat(100) }), 'alice@example.com', 100);
    expect(url).toBe('https://mail.google.com/mail/?authuser=alice%40example.com#all/18c1f0a2b3c4d5e0');
    expect(url.length).toBeLessThanOrEqual(100);
  });

  it('never exceeds a button url cap and never throws on broken Unicode', () => {
    for (const size of [0, 1, 100, 2900, 2990, 3000, 3100, 10_000]) {
      const m = message({
        threadId: '\uD800'.repeat(size % 97),
        rfc822MessageId: `${'\uDC00'.repeat(size)}@x`,
      });
      const url = gmailMessageUrl(m, `${'é'.repeat(size % 1500)}\uD83D@x`);
      expect(url.length).toBeLessThanOrEqual(MAX_BUTTON_URL);
      expect(url.startsWith('https://mail.google.com/mail/')).toBe(true);
    }
  });
});

describe('gmailInboxUrl', () => {
  it('opens the inbox of the account, or of the first signed-in one', () => {
    expect(gmailInboxUrl('alice@example.com')).toBe(
      'https://mail.google.com/mail/?authuser=alice%40example.com#inbox',
    );
    expect(gmailInboxUrl()).toBe('https://mail.google.com/mail/u/0/#inbox');
    expect(gmailInboxUrl('a'.repeat(5000))).toBe('https://mail.google.com/mail/u/0/#inbox');
  });
});

describe('gmailSearchUrl', () => {
  it('opens the search results, encoded', () => {
    expect(gmailSearchUrl('is:unread from:alice', 'alice@example.com')).toBe(
      'https://mail.google.com/mail/?authuser=alice%40example.com#search/is%3Aunread%20from%3Aalice',
    );
  });

  it('falls back to the inbox for an empty or overlong search', () => {
    expect(gmailSearchUrl('  ')).toBe('https://mail.google.com/mail/u/0/#inbox');
    expect(gmailSearchUrl('x'.repeat(200), undefined, 100)).toBe('https://mail.google.com/mail/u/0/#inbox');
  });
});
