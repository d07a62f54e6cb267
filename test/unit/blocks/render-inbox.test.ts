import type { types } from '@slack/bolt';
import { gmailMessageUrl } from '../../../src/blocks/gmail-link';
import { MAX_BLOCKS_JSON, MAX_SECTION_TEXT } from '../../../src/blocks/limits';
import { escapeMrkdwn } from '../../../src/blocks/mrkdwn';
import { renderInbox } from '../../../src/blocks/render-inbox';
import { toInboxMessage } from '../../../src/gmail/to-inbox-message';
import type { Inbox, InboxMessage } from '../../../src/inbox';
import { makeMessages } from '../../../src/stand-ins/mail-fixtures';
import { assertWithinSlackLimits } from '../../support/block-limits';

const REQUESTER = 'U0123ABCD';
const ACCOUNT = 'alice@example.com';
const RECEIVED = Date.UTC(2026, 10, 23, 14, 5);

function message(i: number, overrides: Partial<InboxMessage> = {}): InboxMessage {
  const hex = (0x18c0000000000000n + BigInt(i)).toString(16);
  return {
    id: hex,
    threadId: hex,
    from: `"Sender ${i}" <sender${i}@example.com>`,
    subject: `Subject ${i}`,
    receivedAt: RECEIVED - i * 60_000,
    unread: i % 3 === 0,
    snippet: `Snippet ${i}`,
    rfc822MessageId: `CAK${i}@mail.gmail.com`,
    ...overrides,
  };
}

function inbox(messages: InboxMessage[], overrides: Partial<Inbox> = {}): Inbox {
  return { account: ACCOUNT, request: { count: messages.length || 10 }, messages, skipped: 0, ...overrides };
}

const render = (value: Inbox) => renderInbox(value, { requesterId: REQUESTER });

type Section = types.SectionBlock & { text: types.MrkdwnElement };
type Context = types.ContextBlock & { elements: types.MrkdwnElement[] };

const sectionAt = (blocks: types.KnownBlock[], i: number): Section => {
  const block = blocks[i];
  if (block?.type !== 'section') throw new Error(`blocks[${i}] is ${block?.type}, not a section`);
  return block as Section;
};
/** The sections holding messages: every section after the intro. */
const messageSections = (blocks: types.KnownBlock[]) =>
  blocks.slice(1).filter((b): b is Section => b.type === 'section');
/** Each shown message's mrkdwn, in order: messages share sections, a blank line apart. */
const messageTexts = (blocks: types.KnownBlock[]) =>
  messageSections(blocks).flatMap((s) => s.text.text.split('\n\n'));
const footerOf = (blocks: types.KnownBlock[]): Context | undefined =>
  blocks.find((b): b is Context => b.type === 'context');

/** A `<url|label>` link into Gmail, as the renderer writes them. */
const GMAIL_LINK = /<(https:\/\/mail\.google\.com\/mail\/[^\s<>|]*)\|([^<>]*)>/g;
const linksIn = (text: string) =>
  [...text.matchAll(GMAIL_LINK)].map(([, url = '', label = '']) => ({ url, label }));

/**
 * Every `<…>` token in mrkdwn, read the way Slack does: the target runs to the first `|`. (A parser
 * that split at the last `|` reads the same, as long as no label holds one.)
 */
const tokensIn = (text: string) =>
  [...text.matchAll(/<([^<>]*)>/g)].map(([, body = '']) => {
    const bar = body.indexOf('|');
    return bar < 0 ? { target: body, label: '' } : { target: body.slice(0, bar), label: body.slice(bar + 1) };
  });

/** The summary of 25 ordinary messages, as they come out of Gmail. */
const typicalMessages = (n: number) =>
  makeMessages(n).map((m) => toInboxMessage({ ...m, payload: { headers: m.headers } }));

/** Every mrkdwn text a reader sees. */
function texts(blocks: types.KnownBlock[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'section') return b.text ? [b.text.text] : [];
    if (b.type === 'context') return (b.elements as types.MrkdwnElement[]).map((e) => e.text);
    return [];
  });
}

/**
 * The only `<…>` tokens the renderer may write: the requester, date tokens and links into Gmail
 * (the footer's "Open Gmail" and each message's subject, whose label holds no `<`, `>` or `|`).
 */
const RENDERER_TOKENS = new RegExp(
  [
    `<@${REQUESTER}>`,
    '<!date\\^\\d+\\^\\{date_short_pretty\\} at \\{time\\}\\|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC>',
    '<https://mail\\.google\\.com/mail/[^\\s<>|&]*\\|[^<>|]+>',
  ].join('|'),
  'g',
);

/** Text with the renderer's own tokens removed: any `<` or `>` left came from email text. */
const foreign = (text: string) => text.replace(RENDERER_TOKENS, '');

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0123ABCD>',
  '<#C1|general>',
  '<https://evil.example|Click>',
  '<!date^1^{date}|x>',
  '&lt;',
  '&amp;',
  '&',
  '<',
  '>',
  '|',
  '`',
  '*',
  '_',
  '~',
  '"',
  '\\',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u202E',
  '\u200B',
  '\uFEFF',
  '\uD83D',
  '\uDE00',
  '😀',
  '👨‍👩‍👧',
  'é',
  '日本',
  'Z̷̢̛a̸l̵g̴o̶',
  ' ',
  '@channel',
];

function randomText(random: () => number, maxLength: number): string {
  const pick = (n: number) => Math.floor(random() * n);
  const target = pick(maxLength + 1);
  let text = '';
  while (text.length < target) {
    const roll = random();
    if (roll < 0.4) text += HOSTILE[pick(HOSTILE.length)];
    else if (roll < 0.6) text += String.fromCharCode(pick(0x80));
    else if (roll < 0.8) text += String.fromCharCode(0x80 + pick(0xd800 - 0x80));
    else if (roll < 0.9) text += String.fromCodePoint(0x10000 + pick(0x10ffff - 0x10000));
    else text += 'x'.repeat(pick(200));
  }
  return text;
}

function randomInbox(random: () => number): Inbox {
  const pick = (n: number) => Math.floor(random() * n);
  const long = () => (random() < 0.2 ? 6000 : 60);
  const maybe = <T>(value: () => T): T | undefined => (random() < 0.5 ? value() : undefined);
  const count = [0, 1, 3, 10, 25, 48, 50, 60][pick(8)] ?? 10;
  const messages = Array.from({ length: count }, (_, i): InboxMessage => {
    const from = [
      () => `"${randomText(random, long())}" <${randomText(random, 80)}>`,
      () => `${randomText(random, long())} <${randomText(random, 40)}@x>`,
      () => randomText(random, long()),
      () => '',
    ][pick(4)]?.() as string;
    return {
      id: random() < 0.9 ? (0x18c0000000000000 + i).toString(16) : randomText(random, 3000),
      threadId: random() < 0.9 ? (0x18c0000000000000 + i).toString(16) : randomText(random, 4000),
      from,
      subject: randomText(random, long()),
      receivedAt: [Date.now(), 0, Number.NaN, -1, 1e20, random() * 2e12][pick(6)] ?? 0,
      unread: random() < 0.5,
      snippet: randomText(random, long()),
      rfc822MessageId: maybe(() => randomText(random, random() < 0.1 ? 4000 : 80)),
    };
  });
  return {
    account: maybe(() => randomText(random, random() < 0.1 ? 5000 : 40)),
    request: {
      count: Math.max(count, 1),
      query: maybe(() => randomText(random, random() < 0.1 ? 3000 : 60)),
    },
    messages,
    skipped: [0, 0, 1, 7, -3, Number.NaN][pick(6)] ?? 0,
  };
}

describe('renderInbox', () => {
  describe('ten messages', () => {
    const messages = Array.from({ length: 10 }, (_, i) => message(i));
    const result = render(inbox(messages));
    const expectedText = (i: number) => {
      const seconds = Math.floor((RECEIVED - i * 60_000) / 1000);
      const utc = new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
      return [
        `${i % 3 === 0 ? ':large_blue_circle: ' : ''}*<${gmailMessageUrl(messages[i] as InboxMessage, ACCOUNT)}|Subject ${i}>*`,
        `Sender ${i} &lt;sender${i}@example.com&gt; · <!date^${seconds}^{date_short_pretty} at {time}|${utc} UTC>`,
        `Snippet ${i}`,
      ].join('\n');
    };

    it('opens with whose messages they are, the account and the unread count', () => {
      expect(sectionAt(result.blocks, 0).text.text).toBe(
        `:inbox_tray: *<@${REQUESTER}>'s 10 newest Gmail messages* (${ACCOUNT}) · 4 unread`,
      );
    });

    it('shows each message as a linked subject, sender, date and snippet, a blank line apart in one section', () => {
      expect(result.blocks).toHaveLength(2);
      const section = sectionAt(result.blocks, 1);
      expect(section.text.text).toBe(messages.map((_, i) => expectedText(i)).join('\n\n'));
      expect(section.text.verbatim).toBe(true);
      expect(section.accessory).toBeUndefined();
    });

    it('links each subject, and nothing else in it, to the message in the right Gmail account', () => {
      const texts = messageTexts(result.blocks);
      expect(texts).toHaveLength(10);
      texts.forEach((text, i) => {
        const links = linksIn(text);
        expect(links).toEqual([
          { url: gmailMessageUrl(messages[i] as InboxMessage, ACCOUNT), label: `Subject ${i}` },
        ]);
        expect(links[0]?.url).toContain('authuser=alice%40example.com#search/rfc822msgid%3A');
      });
    });

    it('has no buttons, so nothing asks for an interaction', () => {
      expect(JSON.stringify(result.blocks)).not.toMatch(/"button"|action_id|accessory/);
    });

    it('has a plain fallback text with counts and no email text', () => {
      expect(result.text).toBe(`<@${REQUESTER}>'s 10 newest Gmail messages (4 unread)`);
      expect(result.text).not.toMatch(/Subject|Sender|Snippet|example\.com/);
    });

    it('has no footer when everything is shown', () => {
      expect(footerOf(result.blocks)).toBeUndefined();
      assertWithinSlackLimits(result.blocks);
    });
  });

  it('marks unread messages and only those', () => {
    const result = render(inbox([message(0, { unread: true }), message(1, { unread: false })]));
    const [unread, read] = messageTexts(result.blocks);
    expect(unread?.startsWith(':large_blue_circle: *<https://mail.google.com/')).toBe(true);
    expect(read?.startsWith('*<https://mail.google.com/')).toBe(true);
    expect(read).not.toContain(':large_blue_circle:');
    expect(sectionAt(result.blocks, 0).text.text).toContain('· 1 unread');
  });

  it('says "none unread" and uses the singular for one read message', () => {
    const result = render(inbox([message(1)]));
    expect(sectionAt(result.blocks, 0).text.text).toBe(
      `:inbox_tray: *<@${REQUESTER}>'s newest Gmail message* (${ACCOUNT}) · none unread`,
    );
    expect(result.text).toBe(`<@${REQUESTER}>'s newest Gmail message (none unread)`);
  });

  it('names the search, in a code span that email text cannot break', () => {
    const result = render(
      inbox([message(0)], { request: { count: 5, query: 'is:unread `x` <!channel> & co' } }),
    );
    expect(sectionAt(result.blocks, 0).text.text).toBe(
      `:inbox_tray: *<@${REQUESTER}>'s newest Gmail message* matching \`is:unread 'x' &lt;!channel&gt; &amp; co\` (${ACCOUNT}) · 1 unread`,
    );
    expect(result.text).toBe(`<@${REQUESTER}>'s newest Gmail message matching a search (1 unread)`);
  });

  it('leaves out the account when unknown and links the first signed-in account', () => {
    const result = render(inbox([message(0)], { account: undefined }));
    expect(sectionAt(result.blocks, 0).text.text).toBe(
      `:inbox_tray: *<@${REQUESTER}>'s newest Gmail message* · 1 unread`,
    );
    expect(linksIn(messageTexts(result.blocks)[0] ?? '')[0]?.url).toBe(
      'https://mail.google.com/mail/u/0/#search/rfc822msgid%3ACAK0%40mail.gmail.com',
    );
  });

  it('links the thread when the message has no Message-ID', () => {
    const m = message(2, { rfc822MessageId: undefined });
    expect(linksIn(messageTexts(render(inbox([m])).blocks)[0] ?? '')[0]?.url).toBe(
      `https://mail.google.com/mail/?authuser=alice%40example.com#all/${m.threadId}`,
    );
  });

  describe('empty results', () => {
    it('says the inbox is empty', () => {
      const result = render(inbox([]));
      expect(result.blocks).toHaveLength(1);
      expect(sectionAt(result.blocks, 0).text.text).toBe(
        `:sparkles: <@${REQUESTER}>'s Gmail inbox is empty (${ACCOUNT}).`,
      );
      expect(result.text).toBe(`<@${REQUESTER}>'s Gmail inbox is empty`);
    });

    it('says no message matches the search, escaped', () => {
      const result = render(inbox([], { request: { count: 10, query: 'from:<@U999> `rm`' } }));
      expect(sectionAt(result.blocks, 0).text.text).toBe(
        `:mag: No messages match \`from:&lt;@U999&gt; 'rm'\` in <@${REQUESTER}>'s Gmail (${ACCOUNT}).`,
      );
      expect(result.text).toBe(`No Gmail messages match <@${REQUESTER}>'s search`);
    });

    it('still reports messages that vanished', () => {
      const result = render(inbox([], { skipped: 3 }));
      expect(footerOf(result.blocks)?.elements[0]?.text).toBe(
        '3 messages were deleted or moved before they could be read. ' +
          '<https://mail.google.com/mail/?authuser=alice%40example.com#inbox|Open Gmail>',
      );
    });
  });

  it('says how many messages vanished, in the singular for one', () => {
    const result = render(inbox([message(0)], { skipped: 1 }));
    expect(footerOf(result.blocks)?.elements[0]?.text).toBe(
      '1 message was deleted or moved before it could be read. ' +
        '<https://mail.google.com/mail/?authuser=alice%40example.com#inbox|Open Gmail>',
    );
  });

  it('links the search results from the footer of a search', () => {
    const result = render(inbox([message(0)], { skipped: 2, request: { count: 3, query: 'from:bob' } }));
    expect(footerOf(result.blocks)?.elements[0]?.text).toContain(
      '<https://mail.google.com/mail/?authuser=alice%40example.com#search/from%3Abob|Open Gmail>',
    );
  });

  it('shows email text as text: mentions, links and entities are escaped', () => {
    const hostile = message(0, {
      subject: '<!channel> Reset <https://evil.example|your password> &lt;now&gt;',
      from: '"<@U0ADMIN> IT Desk" <it@evil.example>',
      snippet: '<!here> & <#C123|general>',
    });
    const text = messageTexts(render(inbox([hostile])).blocks)[0] ?? '';
    expect(linksIn(text)).toEqual([
      {
        url: gmailMessageUrl(hostile, ACCOUNT),
        label: '&lt;!channel&gt; Reset &lt;https://evil.example¦your password&gt; &amp;lt;now&amp;gt;',
      },
    ]);
    expect(text).toContain('&lt;@U0ADMIN&gt; IT Desk &lt;it@evil.example&gt;');
    expect(text).toContain('&lt;!here&gt; &amp; &lt;#C123|general&gt;');
    expect(foreign(text)).not.toMatch(/[<>]/);
  });

  describe('a subject that tries to become a link of its own', () => {
    const attacks = [
      'x|<https://evil|y>',
      'x|https://evil.example',
      '|https://evil.example|',
      'a>|<https://evil.example|b',
      '&gt;|&lt;https://evil|y&gt;',
      '> <https://evil.example>',
      '||||',
    ];

    it.each(attacks)('%j cannot add a link or change where the subject points', (subject) => {
      const m = message(0, { subject, snippet: subject, from: `"${subject}" <a@b.example>` });
      const text = messageTexts(render(inbox([m])).blocks)[0] ?? '';
      const tokens = tokensIn(text);
      // Exactly two tokens, both ours: the subject link and the date.
      expect(tokens).toHaveLength(2);
      expect(tokens[0]?.target).toBe(gmailMessageUrl(m, ACCOUNT));
      expect(tokens[0]?.label).not.toContain('|');
      expect(tokens[0]?.label).toBe(escapeMrkdwn(subject.replace(/\|/g, '¦')));
      expect(tokens[1]?.target).toMatch(/^!date\^\d+\^/);
      expect(text.match(/</g)).toHaveLength(2);
      expect(text).not.toMatch(/<https:\/\/evil/);
    });
  });

  it('keeps a subject on one line and names what is missing', () => {
    const m = message(1, { subject: 'line one\r\n\u202Eline two', from: '', snippet: '' });
    const lines = (messageTexts(render(inbox([m])).blocks)[0] ?? '').split('\n');
    expect(lines[0]).toBe(`*<${gmailMessageUrl(m, ACCOUNT)}|line one line two>*`);
    expect(lines[1]).toMatch(/^_\(unknown sender\)_ · <!date\^/);
    expect(lines).toHaveLength(2);
    const untitled = message(1, { subject: ' \n ' });
    const text = messageTexts(render(inbox([untitled])).blocks)[0] ?? '';
    expect(text.startsWith(`_<${gmailMessageUrl(untitled, ACCOUNT)}|(no subject)>_\n`)).toBe(true);
  });

  it('keeps a code fence in one email from reaching into the next message', () => {
    const result = render(
      inbox([
        message(0, { subject: '```start', snippet: 'a ```` b' }),
        message(1),
        message(2, { snippet: '``` end' }),
      ]),
    );
    const [section] = messageSections(result.blocks);
    expect(messageSections(result.blocks)).toHaveLength(1);
    expect(section?.text.text).not.toContain('```');
    expect(section?.text.text).toContain('ˋˋˋstart');
    expect(section?.text.text).toContain('a ˋˋˋˋ b');
  });

  it('shows an address once when it is also the display name', () => {
    const text = messageTexts(
      render(inbox([message(1, { from: '"bob@x.example" <Bob@x.example>' })])).blocks,
    )[0];
    expect(text?.split('\n')[1]).toMatch(/^Bob@x\.example · /);
  });

  it('keeps full snippets while they fit and shortens text before dropping messages', () => {
    const snippet = 's'.repeat(180);
    const few = render(inbox(Array.from({ length: 5 }, (_, i) => message(i, { snippet }))));
    expect(messageTexts(few.blocks)[0]?.endsWith(`\n${snippet}`)).toBe(true);

    const many = render(inbox(Array.from({ length: 20 }, (_, i) => message(i, { snippet }))));
    expect(messageTexts(many.blocks)).toHaveLength(20);
    expect(footerOf(many.blocks)).toBeUndefined();
    assertWithinSlackLimits(many.blocks);
  });

  describe('25 ordinary messages, the most a person can ask for', () => {
    const messages = typicalMessages(25);
    const result = render(inbox(messages, { request: { count: 25 } }));
    const texts = messageTexts(result.blocks);

    it('shows every one, each with its link and its snippet', () => {
      assertWithinSlackLimits(result.blocks);
      expect(texts).toHaveLength(25);
      expect(footerOf(result.blocks)).toBeUndefined();
      texts.forEach((text, i) => {
        const source = messages[i] as InboxMessage;
        expect(linksIn(text)).toEqual([
          { url: gmailMessageUrl(source, ACCOUNT), label: escapeMrkdwn(source.subject) },
        ]);
        const snippet = text.split('\n')[2] ?? '';
        const full = escapeMrkdwn(source.snippet);
        expect(snippet.length).toBeGreaterThanOrEqual(Math.min(80, full.length));
        expect(full.startsWith(snippet.replace(/…$/, ''))).toBe(true);
      });
    });

    it('packs them into a few sections, well under the size Slack refuses', () => {
      expect(result.blocks.length).toBeLessThanOrEqual(6);
      expect(JSON.stringify(result.blocks).length).toBeLessThanOrEqual(MAX_BLOCKS_JSON);
    });
  });

  it('still shows 25 ordinary messages with snippets of at least 80 characters when snippets are long', () => {
    const long =
      'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut '.repeat(
        3,
      );
    const messages = typicalMessages(25).map((m) => ({ ...m, snippet: long }));
    const texts = messageTexts(render(inbox(messages)).blocks);
    expect(texts).toHaveLength(25);
    for (const text of texts) expect(text.split('\n')[2]?.length).toBeGreaterThanOrEqual(80);
  });

  describe('packing messages into sections', () => {
    it.each([0, 37, 90, 150, 199, 200, 400, 1000])(
      'never exceeds the section cap and starts a section only when the next message would not fit (snippets of %i)',
      (length) => {
        let split = 0;
        for (const count of [1, 2, 3, 7, 12, 25]) {
          const messages = Array.from({ length: count }, (_, i) =>
            message(i, { snippet: 'x'.repeat(length + i), subject: 's'.repeat(20 + 7 * i) }),
          );
          const result = render(inbox(messages));
          assertWithinSlackLimits(result.blocks);
          const sections = messageSections(result.blocks);
          if (sections.length > 1) split += 1;
          for (const [j, section] of sections.entries()) {
            expect(section.text.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
            const next = sections[j + 1]?.text.text.split('\n\n')[0];
            if (next !== undefined) {
              expect(section.text.text.length + 2 + next.length).toBeGreaterThan(MAX_SECTION_TEXT);
            }
          }
          const hidden = Number(
            /…and (\d+) more/.exec(footerOf(result.blocks)?.elements[0]?.text ?? '')?.[1] ?? 0,
          );
          expect(messageTexts(result.blocks).length + hidden).toBe(count);
        }
        expect(split).toBeGreaterThan(0);
      },
    );
  });

  const worst = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      message(i, {
        subject: `${i} ${'S&<"\\'.repeat(1250)}`,
        snippet: '"\\'.repeat(500),
        from: `"${'N"\\'.repeat(170)}" <${'a'.repeat(400)}@example.com>`,
        rfc822MessageId: `${'m'.repeat(300)}@example.com`,
      }),
    );

  describe('25 messages with 5,000-character subjects, 1,000-character snippets and hostile quoting', () => {
    const result = render(inbox(worst(25), { skipped: 4, request: { count: 25, query: 'x'.repeat(500) } }));

    it('shows them all inside every Slack limit, shortened', () => {
      assertWithinSlackLimits(result.blocks);
      const texts = messageTexts(result.blocks);
      expect(texts).toHaveLength(25);
      texts.forEach((text, i) => {
        const [link, ...others] = linksIn(text);
        expect(others).toHaveLength(0);
        expect(link?.label).toMatch(new RegExp(`^${i} .*…$`));
      });
      const footer = footerOf(result.blocks)?.elements[0]?.text ?? '';
      expect(footer).not.toContain('more not shown');
      expect(footer).toContain('4 messages were deleted or moved');
    });
  });

  describe('50 messages with 5,000-character subjects and 1,000-character snippets', () => {
    const result = render(inbox(worst(50), { skipped: 4, request: { count: 50, query: 'x'.repeat(500) } }));

    it('stays inside every Slack limit', () => {
      assertWithinSlackLimits(result.blocks);
      expect(JSON.stringify(result.blocks).length).toBeLessThanOrEqual(MAX_BLOCKS_JSON);
    });

    it('drops messages from the end and counts them in the footer', () => {
      const shown = messageTexts(result.blocks);
      expect(shown.length).toBeGreaterThanOrEqual(25);
      expect(shown.length).toBeLessThan(50);
      shown.forEach((text, i) => {
        expect(linksIn(text)[0]?.label).toMatch(new RegExp(`^${i} .*…$`));
      });
      const footer = footerOf(result.blocks)?.elements[0]?.text ?? '';
      expect(footer).toContain(`…and ${50 - shown.length} more not shown.`);
      expect(footer).toContain('4 messages were deleted or moved');
      expect(result.blocks.at(-1)?.type).toBe('context');
      expect(sectionAt(result.blocks, 0).text.text).toContain(`${shown.length} newest Gmail messages`);
    });
  });

  it.each([50, 120])('keeps %i ordinary messages inside every limit, counting those not shown', (count) => {
    const result = render(inbox(typicalMessages(count), { request: { count } }));
    assertWithinSlackLimits(result.blocks);
    const shown = messageTexts(result.blocks).length;
    expect(shown).toBeGreaterThanOrEqual(25);
    expect(footerOf(result.blocks)?.elements[0]?.text).toContain(`…and ${count - shown} more not shown.`);
  });

  it('keeps to 50 blocks however many messages arrive', () => {
    const result = render(inbox(Array.from({ length: 120 }, (_, i) => message(i, { snippet: '' }))));
    assertWithinSlackLimits(result.blocks);
    const shown = messageTexts(result.blocks).length;
    expect(footerOf(result.blocks)?.elements[0]?.text).toContain(`…and ${120 - shown} more not shown.`);
  });

  it('refuses a requester that is not a Slack user id', () => {
    expect(() => renderInbox(inbox([]), { requesterId: 'U1> <!channel' })).toThrow(TypeError);
  });

  describe('for any input', () => {
    const random = seeded(2026);
    const cases = Array.from({ length: 300 }, () => randomInbox(random));
    let results: ReturnType<typeof render>[] = [];
    beforeAll(() => {
      results = cases.map(render);
    });

    it('stays inside every limit, and no < or > from email text survives', () => {
      for (const result of results) {
        assertWithinSlackLimits(result.blocks);
        expect(result.blocks[0]?.type).toBe('section');
        for (const text of [...texts(result.blocks), result.text]) {
          expect(foreign(text)).not.toMatch(/[<>]/);
          expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
          expect(text).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
        }
        expect(result.text).toMatch(new RegExp(`^(No Gmail messages match )?<@${REQUESTER}>'s [^<>&]*$`));
      }
    });

    it('gives each shown message exactly one link, into Gmail, that email text cannot redirect', () => {
      for (const result of results) {
        for (const text of messageTexts(result.blocks)) {
          const links = tokensIn(text).filter((t) => !t.target.startsWith('!date^'));
          expect(links).toHaveLength(1);
          expect(links[0]?.target).toMatch(/^https:\/\/mail\.google\.com\/mail\/[^\s"<>|&]*$/);
          expect(links[0]?.label).not.toMatch(/[|<>]/);
          expect(text.split('\n').length).toBeLessThanOrEqual(3);
        }
      }
    });

    it('accounts for every message: shown plus "more not shown" is the total', () => {
      for (const [i, result] of results.entries()) {
        const value = cases[i] as Inbox;
        const shown = messageTexts(result.blocks).length;
        const footer = footerOf(result.blocks)?.elements[0]?.text ?? '';
        const hidden = Number(/…and (\d+) more not shown/.exec(footer)?.[1] ?? 0);
        expect(shown + hidden).toBe(value.messages.length);
        if (value.messages.length > 0) expect(shown).toBeGreaterThan(0);
      }
    });
  });
});
