import type { gmail_v1 } from '@googleapis/gmail';
import { decodeSnippet, METADATA_HEADERS, toInboxMessage } from '../../../src/gmail/to-inbox-message';

describe('decodeSnippet', () => {
  it.each([
    ['It&#39;s done', "It's done"],
    ['&quot;quoted&quot;', '"quoted"'],
    ['Tom &amp; Jerry', 'Tom & Jerry'],
    ['a &lt;b&gt; c', 'a <b> c'],
    ['caf&eacute; &#x1F600;', 'café 😀'],
  ])('decodes the entities in %j', (snippet, expected) => {
    expect(decodeSnippet(snippet)).toBe(expected);
  });

  it('decodes once only: a double-escaped entity stays an entity', () => {
    expect(decodeSnippet('&amp;lt;script&amp;gt;')).toBe('&lt;script&gt;');
    expect(decodeSnippet('&amp;amp;')).toBe('&amp;');
  });

  it('turns &nbsp; into an ordinary space', () => {
    expect(decodeSnippet('a&nbsp;b&nbsp;&nbsp;c')).toBe('a b c');
  });

  it('removes preheader padding (zero-width characters, U+034F, soft hyphens, BOM)', () => {
    expect(decodeSnippet('Hi\u200b\u200c\u034f\u00ad\u2060\ufeff there')).toBe('Hi there');
    expect(decodeSnippet('Sale ends today &#847;&zwnj;&nbsp;&#847;&zwnj;&nbsp;&#847;&zwnj;&nbsp;')).toBe(
      'Sale ends today',
    );
    expect(decodeSnippet('\u200b\u034f')).toBe('');
  });

  it('keeps emoji that are joined with U+200D (ZWJ sequences) intact', () => {
    // 👩‍💻 and 🏳️‍🌈 are single pictures only while the joiner stays between their parts.
    expect(decodeSnippet('Nice work \u{1F469}\u200d\u{1F4BB} \u{1F3F3}\ufe0f\u200d\u{1F308}')).toBe(
      'Nice work \u{1F469}\u200d\u{1F4BB} \u{1F3F3}\ufe0f\u200d\u{1F308}',
    );
  });

  it('collapses runs of whitespace and trims', () => {
    expect(decodeSnippet('  line one\r\n\tline   two \u2007 ')).toBe('line one line two');
  });

  it.each([null, undefined, ''])('gives an empty string for %j', (snippet) => {
    expect(decodeSnippet(snippet)).toBe('');
  });
});

describe('toInboxMessage', () => {
  const base: gmail_v1.Schema$Message = {
    id: 'm1',
    threadId: 't1',
    labelIds: ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'],
    snippet: 'See you at 5 &amp; bring the &quot;slides&quot;',
    internalDate: '1767225600000',
    payload: {
      headers: [
        { name: 'from', value: '"Alice Example" <alice@example.com>' },
        { name: 'SUBJECT', value: 'Q1 plan' },
        { name: 'Message-Id', value: '<CAF+abc123@mail.gmail.com>' },
      ],
    },
  };

  it('asks Gmail for the headers it reads', () => {
    expect(METADATA_HEADERS).toEqual(expect.arrayContaining(['From', 'Subject', 'Message-ID']));
  });

  it('maps a metadata message, reading headers in any case', () => {
    expect(toInboxMessage(base)).toStrictEqual({
      id: 'm1',
      threadId: 't1',
      from: '"Alice Example" <alice@example.com>',
      subject: 'Q1 plan',
      receivedAt: 1767225600000,
      unread: true,
      snippet: 'See you at 5 & bring the "slides"',
      rfc822MessageId: 'CAF+abc123@mail.gmail.com',
      important: false,
      starred: false,
      category: 'personal',
      bulkHeaders: {},
    });
  });

  it('asks for the bulk-mail headers in the same metadata get', () => {
    expect(METADATA_HEADERS).toEqual(
      expect.arrayContaining(['List-Id', 'List-Unsubscribe', 'Precedence', 'Auto-Submitted']),
    );
  });

  it('reads Gmail triage from the labels: important, starred and the inbox tab', () => {
    const message = toInboxMessage({
      ...base,
      labelIds: ['INBOX', 'STARRED', 'IMPORTANT', 'CATEGORY_FORUMS'],
    });
    expect(message).toMatchObject({ important: true, starred: true, category: 'forums', unread: false });
    for (const [label, category] of [
      ['CATEGORY_UPDATES', 'updates'],
      ['CATEGORY_PROMOTIONS', 'promotions'],
      ['CATEGORY_SOCIAL', 'social'],
      ['CATEGORY_PERSONAL', 'personal'],
    ]) {
      expect(toInboxMessage({ ...base, labelIds: ['INBOX', label as string] }).category).toBe(category);
    }
    expect(Object.keys(toInboxMessage({ ...base, labelIds: ['INBOX', 'Label_12'] }))).not.toContain(
      'category',
    );
  });

  it('keeps the bulk headers it finds, in any case, trimmed and bounded', () => {
    const message = toInboxMessage({
      ...base,
      payload: {
        headers: [
          { name: 'list-id', value: ' acme/api <api.acme.github.com> ' },
          { name: 'LIST-UNSUBSCRIBE', value: `<https://x.example/u?${'a'.repeat(5000)}>` },
          { name: 'Precedence', value: 'bulk' },
          { name: 'Auto-Submitted', value: 'auto-replied' },
          { name: 'X-Other', value: 'ignored' },
        ],
      },
    });
    expect(message.bulkHeaders?.listId).toBe('acme/api <api.acme.github.com>');
    expect(message.bulkHeaders?.listUnsubscribe?.length).toBe(500);
    expect(message.bulkHeaders?.precedence).toBe('bulk');
    expect(message.bulkHeaders?.autoSubmitted).toBe('auto-replied');
    expect(Object.keys(message.bulkHeaders ?? {})).toHaveLength(4);
  });

  it('marks a message without the UNREAD label, or without labels, as read', () => {
    expect(toInboxMessage({ ...base, labelIds: ['INBOX'] }).unread).toBe(false);
    expect(toInboxMessage({ ...base, labelIds: null }).unread).toBe(false);
    const { labelIds: _labels, ...unlabelled } = base;
    expect(toInboxMessage(unlabelled).unread).toBe(false);
  });

  it('gives empty strings for missing headers and leaves out rfc822MessageId', () => {
    const message = toInboxMessage({ id: 'm2', threadId: 't2', internalDate: '5', payload: { headers: [] } });
    expect(message).toStrictEqual({
      id: 'm2',
      threadId: 't2',
      from: '',
      subject: '',
      receivedAt: 5,
      unread: false,
      snippet: '',
      important: false,
      starred: false,
      bulkHeaders: {},
    });
    expect(Object.keys(message)).not.toContain('rfc822MessageId');
  });

  it('copes with a message without a payload or with null header values', () => {
    expect(toInboxMessage({ id: 'm3' })).toMatchObject({ id: 'm3', threadId: 'm3', from: '', subject: '' });
    const nullValues = toInboxMessage({
      id: 'm4',
      payload: {
        headers: [
          { name: 'From', value: null },
          { name: 'Message-ID', value: null },
        ],
      },
    });
    expect(nullValues.from).toBe('');
    expect(Object.keys(nullValues)).not.toContain('rfc822MessageId');
  });

  it('converts internalDate from a string of epoch milliseconds, and an unreadable one to 0', () => {
    expect(toInboxMessage({ ...base, internalDate: '1700000000123' }).receivedAt).toBe(1700000000123);
    expect(toInboxMessage({ ...base, internalDate: 'yesterday' }).receivedAt).toBe(0);
    expect(toInboxMessage({ ...base, internalDate: null }).receivedAt).toBe(0);
  });

  it.each([
    ['<abc@x.example>', 'abc@x.example'],
    ['  <abc@x.example>  ', 'abc@x.example'],
    ['abc@x.example', 'abc@x.example'],
  ])('strips the angle brackets from Message-ID %j', (value, expected) => {
    const message = toInboxMessage({ ...base, payload: { headers: [{ name: 'Message-ID', value }] } });
    expect(message.rfc822MessageId).toBe(expected);
  });

  it('leaves out an empty Message-ID', () => {
    const message = toInboxMessage({ ...base, payload: { headers: [{ name: 'Message-ID', value: '<>' }] } });
    expect(Object.keys(message)).not.toContain('rfc822MessageId');
  });
});
