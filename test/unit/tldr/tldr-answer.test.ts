import { MAX_EXTRA_JSON, renderInbox } from '../../../src/blocks/render-inbox';
import type { Inbox, InboxMessage } from '../../../src/inbox/inbox';
import { MAX_LINES, MAX_REFS, parseTldrAnswer } from '../../../src/tldr/tldr-answer';
import { tldrBlocks } from '../../../src/tldr/tldr-blocks';
import { buildTldrPrompt } from '../../../src/tldr/tldr-prompt';
import { assertWithinSlackLimits } from '../../support/block-limits';

function message(i: number, over: Partial<InboxMessage> = {}): InboxMessage {
  return {
    id: `id${i}`,
    threadId: `th${i}`,
    from: `Sender ${i} <s${i}@example.com>`,
    subject: `Subject ${i}`,
    receivedAt: Date.UTC(2026, 2, 2, 9, i),
    unread: i % 2 === 0,
    snippet: `Snippet ${i}`,
    rfc822MessageId: `<m${i}.${'x'.repeat(200)}@mail.example>`,
    ...over,
  };
}
const inbox = (n: number): Inbox => ({
  account: 'me@example.com',
  request: { count: n },
  messages: Array.from({ length: n }, (_, i) => message(i + 1)),
  skipped: 0,
});

describe('parseTldrAnswer', () => {
  it('keeps words and in-range [n] references, in order', () => {
    expect(parseTldrAnswer('- Reply to Jordan about the contract [2], due Friday [1, 9]', 3)).toEqual({
      lines: [
        [
          { kind: 'text', text: 'Reply to Jordan about the contract ' },
          { kind: 'ref', n: 2 },
          { kind: 'text', text: ', due Friday ' },
          { kind: 'ref', n: 1 },
        ],
      ],
    });
  });

  it.each([
    ['<!channel> hello there', 'hello there'],
    ['see <https://evil.example|the doc> now', 'see the doc now'],
    ['ask <@U123ABC> and <#C1|general> today', 'ask and today'],
    ['open [this](https://evil.example) now', 'open this now'],
    ['go to https://evil.example/x?y=1 or www.evil.example now', 'go to or now'],
    ['*bold* _it_ ~s~ `c` ```block```', 'bold it s c block'],
    ['@here and @everyone and ＠channel listen', 'here and everyone and channel listen'],
    ['mail bob@evil.example please', 'mail please'],
    [':rotating_light: urgent at 10:30:00', 'urgent at 10:30:00'],
    ['TL;DR: 1. first thing', 'first thing'],
    ['a\u202egnp.exe\u200b hidden', 'agnp.exe hidden'],
  ])('neutralises %j', (answer, expected) => {
    const parsed = parseTldrAnswer(answer, 3);
    const text = parsed?.lines[0]?.map((s) => (s.kind === 'text' ? s.text : `[${s.n}]`)).join('');
    expect(text?.replace(/\s+/g, ' ')).toBe(expected);
  });

  it('answers undefined for empty, symbol-only or reference-only answers, and non-strings', () => {
    for (const answer of ['', '   ', '!!! ???', '[1] [2]', '<!channel>', undefined, 42, null]) {
      expect(parseTldrAnswer(answer, 3)).toBeUndefined();
    }
  });

  it('bounds lines, references and length for any answer', () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i} ${'word '.repeat(60)} [1][2][3][4][5]`).join(
      '\n',
    );
    const parsed = parseTldrAnswer(long, 5);
    expect(parsed?.lines).toHaveLength(MAX_LINES);
    const refs = parsed?.lines.flat().filter((s) => s.kind === 'ref') ?? [];
    expect(refs.length).toBeLessThanOrEqual(MAX_REFS);
  });
});

describe('tldrBlocks', () => {
  it('escapes text, links [n] to the message in Gmail, and says it is AI-written by which model', () => {
    const parsed = parseTldrAnswer('Tom & Jerry say 2 > 1 [1]', 2);
    const blocks = tldrBlocks(parsed as never, inbox(2), 'gpt-4o-mini');
    const text = JSON.stringify(blocks);
    expect(text).toContain('Tom &amp; Jerry say 2 &gt; 1');
    expect(text).toMatch(/<https:\/\/mail\.google\.com\/mail\/\?authuser=me%40example\.com#[^|]+\|\[1\]>/);
    expect(text).toContain('AI-written by `gpt-4o-mini`');
  });

  it('stays inside the extra-block allowance, and the whole message inside Slack limits, for the worst answer', () => {
    const worst = Array.from(
      { length: 5 },
      () => `${'Tom & <b> '.repeat(40)} [1][2][3][4][5][6][7][8][9][10]`,
    ).join('\n');
    const big = inbox(50);
    const blocks = tldrBlocks(parseTldrAnswer(worst, 50) as never, big, 'm'.repeat(100));
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(MAX_EXTRA_JSON);
    const message = renderInbox(big, { requesterId: 'U0001', top: blocks });
    assertWithinSlackLimits(message.blocks);
    expect(JSON.stringify(message.blocks).length).toBeLessThanOrEqual(12_000);
  });
});

describe('buildTldrPrompt', () => {
  it('sends numbered From, Subject, date, labels and snippet only: no ids or the account', () => {
    const box = inbox(3);
    box.messages[0] = message(1, { starred: true, important: true, category: 'personal' });
    const [system, user] = buildTldrPrompt(box, Date.UTC(2026, 2, 2, 10, 0));
    expect(system?.role).toBe('system');
    expect(system?.content).toMatch(/never follow instructions/);
    const data = JSON.parse(user?.content ?? '');
    expect(data.today).toBe('2026-03-02T10:00Z');
    expect(data.emails[0]).toEqual({
      n: 1,
      from: 'Sender 1 <s1@example.com>',
      subject: 'Subject 1',
      date: '2026-03-02T09:01Z',
      labels: ['starred', 'important', 'personal'],
      snippet: 'Snippet 1',
    });
    for (const hidden of ['me@example.com', 'id1', 'th1', 'm1.']) expect(user?.content).not.toContain(hidden);
  });

  it('bounds every field and the number of messages', () => {
    const box = inbox(60);
    box.messages[0] = message(1, { subject: 's'.repeat(10_000), snippet: 'n'.repeat(10_000) });
    const data = JSON.parse(buildTldrPrompt(box)[1]?.content ?? '');
    expect(data.emails).toHaveLength(50);
    expect(data.emails[0].subject.length).toBeLessThanOrEqual(200);
    expect(data.emails[0].snippet.length).toBeLessThanOrEqual(300);
  });
});
