import type { types } from '@slack/bolt';
import { gmailMessageUrl } from '../../../src/blocks/gmail-link';
import { MAX_BLOCKS_JSON, MAX_SECTION_TEXT } from '../../../src/blocks/limits';
import { escapeMrkdwn } from '../../../src/blocks/mrkdwn';
import { shareBlocks } from '../../../src/blocks/notices';
import { renderInbox } from '../../../src/blocks/render-inbox';
import { toInboxMessage } from '../../../src/gmail/to-inbox-message';
import type { Inbox, InboxMessage } from '../../../src/inbox';
import { deriveKey } from '../../../src/sealing';
import { encodeShareValue } from '../../../src/slack/share-value';
import { newSummaryReference } from '../../../src/slack/summary-store';
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
    unread: true,
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
/** The sections holding entries: every section after the header. */
const messageSections = (blocks: types.KnownBlock[]) =>
  blocks.slice(1).filter((b): b is Section => b.type === 'section');

type PartName = 'needs' | 'people' | 'bulk';
const HEADINGS: Record<string, PartName> = {
  '*Needs you*': 'needs',
  '*Also from people*': 'people',
  '*Newsletters and notifications*': 'bulk',
};

/**
 * Each entry's mrkdwn with its part, in order: a part opens with its heading line; what needs the
 * person is a blank line apart, the other parts one line each.
 */
function entriesOf(blocks: types.KnownBlock[]): { part: PartName; text: string }[] {
  const entries: { part: PartName; text: string }[] = [];
  let part: PartName = 'needs';
  for (const section of messageSections(blocks)) {
    let text = section.text.text;
    const [first = '', ...rest] = text.split('\n');
    const heading = HEADINGS[first];
    if (heading) {
      part = heading;
      text = rest.join('\n');
    }
    for (const entry of text.split(part === 'needs' ? '\n\n' : '\n')) entries.push({ part, text: entry });
  }
  return entries;
}
/** Each shown conversation's mrkdwn (bulk group lines left out), in order. */
const messageTexts = (blocks: types.KnownBlock[]) =>
  entriesOf(blocks)
    .filter((e) => e.part !== 'bulk')
    .map((e) => e.text);
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

/** How many inbox messages the shown entries stand for: conversations count theirs, groups theirs. */
function representedCount(blocks: types.KnownBlock[]): number {
  return entriesOf(blocks).reduce((sum, { part, text }) => {
    if (part === 'bulk') return sum + Number(/^\S+ <[^<>|]*\|[^<>]*>: (\d+)/.exec(text)?.[1] ?? Number.NaN);
    // The count sits right before the date, which ends the line.
    const byline = text.split('\n')[part === 'needs' ? 1 : 0] ?? '';
    return sum + Number(/ · (\d+) messages · (<!date\^[^<>]*>|unknown date)$/.exec(byline)?.[1] ?? 1);
  }, 0);
}

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
      threadId:
        random() < 0.3
          ? `thread${pick(4)}`
          : random() < 0.9
            ? (0x18c0000000000000 + i).toString(16)
            : randomText(random, 4000),
      from,
      subject: randomText(random, long()),
      receivedAt: [Date.now(), 0, Number.NaN, -1, 1e20, random() * 2e12][pick(6)] ?? 0,
      unread: random() < 0.5,
      snippet: randomText(random, long()),
      rfc822MessageId: maybe(() => randomText(random, random() < 0.1 ? 4000 : 80)),
      starred: random() < 0.15,
      important: random() < 0.25,
      category: (['personal', 'updates', 'promotions', 'social', 'forums', undefined] as const)[pick(6)],
      bulkHeaders: [
        {},
        { listId: randomText(random, 40) || 'x' },
        { autoSubmitted: random() < 0.5 ? 'auto-replied' : 'auto-generated' },
        { precedence: 'bulk', listUnsubscribe: randomText(random, 100) || 'x' },
      ][pick(4)],
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

const worst = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    message(i, {
      subject: `${i} ${'S&<"\\'.repeat(1250)}`,
      snippet: '"\\'.repeat(500),
      from: `"${'N"\\'.repeat(170)}" <${'a'.repeat(400)}@example.com>`,
      rfc822MessageId: `${'m'.repeat(300)}@example.com`,
    }),
  );

describe('renderInbox', () => {
  describe('ten messages from people, four unread', () => {
    const messages = Array.from({ length: 10 }, (_, i) => message(i, { unread: i % 3 === 0 }));
    const result = render(inbox(messages));
    const date = (i: number) => {
      const seconds = Math.floor((RECEIVED - i * 60_000) / 1000);
      const utc = new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
      return `<!date^${seconds}^{date_short_pretty} at {time}|${utc} UTC>`;
    };
    const url = (i: number) => gmailMessageUrl(messages[i] as InboxMessage, ACCOUNT);
    const full = (i: number) =>
      [
        `:large_blue_circle: _Unread_ · *<${url(i)}|Subject ${i}>*`,
        `Sender ${i} &lt;sender${i}@example.com&gt; · ${date(i)}`,
        `Snippet ${i}`,
      ].join('\n');
    const line = (i: number) =>
      `• <${url(i)}|Subject ${i}> · Sender ${i} &lt;sender${i}@example.com&gt; · ${date(i)}`;

    it('opens with whose messages they are, the account, the unread count and how many need them', () => {
      expect(sectionAt(result.blocks, 0).text.text).toBe(
        `:inbox_tray: *<@${REQUESTER}>'s 10 newest Gmail messages* (${ACCOUNT})\n4 unread · *4 need you*`,
      );
    });

    it('shows the unread ones first in full, then the read ones one line each', () => {
      expect(result.blocks).toHaveLength(3);
      expect(sectionAt(result.blocks, 1).text.text).toBe(
        ['*Needs you*', [0, 3, 6, 9].map(full).join('\n\n')].join('\n'),
      );
      expect(sectionAt(result.blocks, 2).text.text).toBe(
        ['*Also from people*', ...[1, 2, 4, 5, 7, 8].map(line)].join('\n'),
      );
      expect(sectionAt(result.blocks, 1).text.verbatim).toBe(true);
      expect(sectionAt(result.blocks, 1).accessory).toBeUndefined();
    });

    it('links each subject, and nothing else in it, to the message in the right Gmail account', () => {
      const texts = messageTexts(result.blocks);
      expect(texts).toHaveLength(10);
      const order = [0, 3, 6, 9, 1, 2, 4, 5, 7, 8];
      texts.forEach((text, n) => {
        const i = order[n] as number;
        expect(linksIn(text)).toEqual([{ url: url(i), label: `Subject ${i}` }]);
        expect(linksIn(text)[0]?.url).toContain('authuser=alice%40example.com#search/rfc822msgid%3A');
      });
    });

    it('has no buttons, so nothing asks for an interaction', () => {
      expect(JSON.stringify(result.blocks)).not.toMatch(/"button"|action_id|accessory/);
    });

    it('has a plain fallback text with counts and no email text', () => {
      expect(result.text).toBe(`<@${REQUESTER}>'s 10 newest Gmail messages (4 unread, 4 need you)`);
      expect(result.text).not.toMatch(/Subject|Sender|Snippet|example\.com/);
    });

    it('has no footer when everything is shown', () => {
      expect(footerOf(result.blocks)).toBeUndefined();
      assertWithinSlackLimits(result.blocks);
    });
  });

  it('marks starred and important mail, read or not, and puts it first', () => {
    const result = render(
      inbox([
        message(0, { unread: false }),
        message(1, { unread: false, starred: true }),
        message(2, { unread: true, important: true }),
        message(3, { unread: false, important: true, starred: true, category: 'promotions' }),
      ]),
    );
    const entries = entriesOf(result.blocks);
    expect(entries.map((e) => [e.part, linksIn(e.text)[0]?.label])).toEqual([
      ['needs', 'Subject 1'],
      ['needs', 'Subject 2'],
      ['needs', 'Subject 3'],
      ['people', 'Subject 0'],
    ]);
    expect(entries[0]?.text.startsWith(':star: *<')).toBe(true);
    expect(entries[1]?.text.startsWith(':large_blue_circle: _Unread_ · :exclamation: *<')).toBe(true);
    expect(entries[2]?.text.startsWith(':star: :exclamation: *<')).toBe(true);
    expect(sectionAt(result.blocks, 0).text.text).toContain('1 unread · *3 need you*');
  });

  it('shows a conversation once: its message count, latest sender and newest snippet, linked to the newest message', () => {
    const newest = message(0, {
      threadId: 't',
      from: 'Bob <bob@x.example>',
      subject: 'Re: Plan',
      snippet: 'Latest',
    });
    const result = render(
      inbox([
        newest,
        message(1, { threadId: 't', unread: false, subject: 'Re: Plan' }),
        message(2, { unread: false }),
        message(3, { threadId: 't', unread: false, subject: 'Plan' }),
      ]),
    );
    const entries = entriesOf(result.blocks);
    expect(entries).toHaveLength(2);
    const [thread] = entries;
    expect(linksIn(thread?.text ?? '')).toEqual([{ url: gmailMessageUrl(newest, ACCOUNT), label: 'Plan' }]);
    expect(thread?.text.split('\n')[1]).toMatch(/^Bob &lt;bob@x\.example&gt; · 3 messages · <!date\^/);
    expect(thread?.text.split('\n')[2]).toBe('Latest');
    // Header counts messages; "need you" counts conversations.
    expect(sectionAt(result.blocks, 0).text.text).toContain('4 newest Gmail messages');
    expect(sectionAt(result.blocks, 0).text.text).toContain('1 unread · *1 needs you*');
  });

  describe('bulk mail', () => {
    const gh = (i: number, extra: Partial<InboxMessage> = {}) =>
      message(i, { from: 'GitHub <notifications@github.com>', category: 'updates', ...extra });
    const result = render(
      inbox([
        message(0),
        gh(1),
        message(2, { from: '"Weekly" <news@weekly.example>', category: 'promotions', unread: false }),
        gh(3, { unread: false }),
        message(4, { from: '"Calendar" <calendar-notification@google.com>', category: 'updates' }),
        message(5, { from: 'Ops <ops@x.example>', bulkHeaders: { listId: 'ops <ops.x.example>' } }),
        message(6, { from: '<ooo@x.example>', bulkHeaders: { autoSubmitted: 'auto-replied' } }),
      ]),
    );
    const bulk = entriesOf(result.blocks).filter((e) => e.part === 'bulk');

    it('folds each group into one line with its count, unread count and top senders', () => {
      expect(bulk.map((e) => e.text.replace(/<[^|]*\|/g, '<…|'))).toEqual([
        ':bell: <…|Updates>: 3, 2 unread · GitHub (github.com) ×2, Calendar (google.com)',
        ':label: <…|Promotions>: 1 · Weekly (weekly.example)',
        ':newspaper: <…|Newsletters and lists>: 1, 1 unread · Ops (x.example)',
        ':robot_face: <…|Automatic replies>: 1, 1 unread · ooo@x.example',
      ]);
      expect(messageTexts(result.blocks)).toHaveLength(1);
      expect(sectionAt(result.blocks, 0).text.text).toContain('5 unread · *1 needs you*');
    });

    it('links each group to its Gmail tab within the inbox, or to a search for its senders', () => {
      const urls = bulk.map((e) => linksIn(e.text)[0]?.url);
      const root = 'https://mail.google.com/mail/?authuser=alice%40example.com#search/';
      expect(urls).toEqual([
        `${root}in%3Ainbox%20category%3Aupdates`,
        `${root}in%3Ainbox%20category%3Apromotions`,
        `${root}in%3Ainbox%20from%3A(ops%40x.example)`,
        `${root}in%3Ainbox%20from%3A(ooo%40x.example)`,
      ]);
    });

    it('within a search, links the group within that search', () => {
      const searched = render(inbox([gh(1)], { request: { count: 5, query: 'is:unread OR from:bob' } }));
      const [entry] = entriesOf(searched.blocks);
      expect(linksIn(entry?.text ?? '')[0]?.url).toBe(
        'https://mail.google.com/mail/?authuser=alice%40example.com#search/(is%3Aunread%20OR%20from%3Abob)%20category%3Aupdates',
      );
    });

    it('says in one line when there is nothing but bulk mail', () => {
      const only = render(inbox([gh(1), gh(2, { unread: false })]));
      expect(sectionAt(only.blocks, 0).text.text).toBe(
        `:inbox_tray: *<@${REQUESTER}>'s 2 newest Gmail messages* (${ACCOUNT})\n1 unread · nothing needs you\n` +
          '_Only newsletters and notifications: nothing from people._',
      );
      expect(only.blocks).toHaveLength(2);
      expect(only.text).toBe(`<@${REQUESTER}>'s 2 newest Gmail messages (1 unread, nothing needs you)`);
    });
  });

  it('says "none unread" and uses the singular for one read message', () => {
    const result = render(inbox([message(1, { unread: false })]));
    expect(sectionAt(result.blocks, 0).text.text).toBe(
      `:inbox_tray: *<@${REQUESTER}>'s newest Gmail message* (${ACCOUNT})\nnone unread · nothing needs you`,
    );
    expect(result.text).toBe(`<@${REQUESTER}>'s newest Gmail message (none unread, nothing needs you)`);
  });

  it('names the search, in a code span that email text cannot break', () => {
    const result = render(
      inbox([message(0)], { request: { count: 5, query: 'is:unread `x` <!channel> & co' } }),
    );
    expect(sectionAt(result.blocks, 0).text.text).toBe(
      `:mag: *<@${REQUESTER}>'s newest Gmail message* matching \`is:unread 'x' &lt;!channel&gt; &amp; co\` (${ACCOUNT})\n1 unread · *1 needs you*`,
    );
    expect(result.text).toBe(
      `<@${REQUESTER}>'s newest Gmail message matching a search (1 unread, 1 needs you)`,
    );
  });

  it('leaves out the account when unknown and links the first signed-in account', () => {
    const result = render(inbox([message(0)], { account: undefined }));
    expect(sectionAt(result.blocks, 0).text.text).toBe(
      `:inbox_tray: *<@${REQUESTER}>'s newest Gmail message*\n1 unread · *1 needs you*`,
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

  describe('extra blocks from the caller', () => {
    const top: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: '*TL;DR* all calm' } }];
    const bottom: types.KnownBlock[] = [
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'share',
            text: { type: 'plain_text', text: 'Share' },
            value: 'v'.repeat(2000),
          },
        ],
      },
    ];

    it('puts them first and last, and keeps the whole message inside the budget', () => {
      const result = renderInbox(inbox(worst(50)), { requesterId: REQUESTER, top, bottom });
      expect(result.blocks[0]).toBe(top[0]);
      expect(result.blocks.at(-1)).toBe(bottom[0]);
      assertWithinSlackLimits(result.blocks);
      const without = render(inbox(worst(50)));
      expect(messageTexts(result.blocks.slice(1, -1)).length).toBeLessThan(
        messageTexts(without.blocks).length,
      );
    });

    it('refuses extras that would leave the summary no room', () => {
      const huge: types.KnownBlock[] = [
        { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(2900) } },
      ];
      expect(() =>
        renderInbox(inbox([message(0)]), { requesterId: REQUESTER, top: [...huge, ...huge] }),
      ).toThrow(RangeError);
      expect(() =>
        renderInbox(inbox([message(0)]), {
          requesterId: REQUESTER,
          top: Array.from({ length: 11 }, () => ({ type: 'divider' })),
        }),
      ).toThrow(RangeError);
    });
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
    expect(lines[0]).toBe(
      `:large_blue_circle: _Unread_ · *<${gmailMessageUrl(m, ACCOUNT)}|line one line two>*`,
    );
    expect(lines[1]).toMatch(/^_\(unknown sender\)_ · <!date\^/);
    expect(lines).toHaveLength(2);
    const untitled = message(1, { subject: ' \n ' });
    const text = messageTexts(render(inbox([untitled])).blocks)[0] ?? '';
    expect(
      text.startsWith(
        `:large_blue_circle: _Unread_ · _<${gmailMessageUrl(untitled, ACCOUNT)}|(no subject)>_\n`,
      ),
    ).toBe(true);
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

    it('shows every one, each with its link, and a snippet for each that needs the person', () => {
      assertWithinSlackLimits(result.blocks);
      expect(texts).toHaveLength(25);
      expect(footerOf(result.blocks)).toBeUndefined();
      const byUrl = new Map(messages.map((m) => [gmailMessageUrl(m, ACCOUNT), m]));
      const entries = entriesOf(result.blocks);
      expect(entries.filter((e) => e.part === 'needs')).toHaveLength(messages.filter((m) => m.unread).length);
      for (const { part, text } of entries) {
        const [link, ...others] = linksIn(text);
        expect(others).toHaveLength(0);
        const source = byUrl.get(link?.url ?? '') as InboxMessage;
        expect(link?.label).toBe(escapeMrkdwn(source.subject));
        byUrl.delete(link?.url ?? '');
        if (part !== 'needs') continue;
        const snippet = text.split('\n')[2] ?? '';
        const full = escapeMrkdwn(source.snippet);
        expect(snippet.length).toBeGreaterThanOrEqual(Math.min(80, full.length));
        expect(full.startsWith(snippet.replace(/…$/, ''))).toBe(true);
      }
      expect(byUrl.size).toBe(0);
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
    const messages = typicalMessages(25).map((m) => ({ ...m, snippet: long, unread: true }));
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
      // The header counts what the inbox holds; the footer, what the summary could not show.
      expect(sectionAt(result.blocks, 0).text.text).toContain('50 newest Gmail messages');
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

    it('keeps a private summary, Share button included, inside every limit (issue 10, item 18)', () => {
      const share = shareBlocks(
        encodeShareValue(deriveKey('render-test-secret-0123456789abcdef', 'share-button'), {
          reference: newSummaryReference(),
          request: { count: 25, query: '"\\'.repeat(250) },
          channelId: 'C0123456789',
        }),
      );
      for (const value of cases) {
        const shown = renderInbox(value, { requesterId: REQUESTER, bottom: share });
        assertWithinSlackLimits(shown.blocks);
        expect(shown.blocks.slice(-share.length)).toEqual(share);
      }
    });

    it('accounts for every message: shown plus "more not shown" is the total', () => {
      for (const [i, result] of results.entries()) {
        const value = cases[i] as Inbox;
        const shown = representedCount(result.blocks);
        const footer = footerOf(result.blocks)?.elements[0]?.text ?? '';
        const hidden = Number(/…and (\d+) more not shown/.exec(footer)?.[1] ?? 0);
        expect(shown + hidden).toBe(value.messages.length);
        if (value.messages.length > 0) expect(shown).toBeGreaterThan(0);
      }
    });
  });
});
