import { connectPrompt } from '../../../src/blocks/notices';
import { renderInbox } from '../../../src/blocks/render-inbox';
import { HOSTILE } from '../../../src/stand-ins/mail-fixtures';
import { elements, type FakeNode, fakeDocument, loadPageScripts } from './page-scripts';

/** The page's mrkdwn renderer (src/sandbox/assets/mrkdwn.js), run as the browser runs it. */
const { SlackMrkdwn: mrkdwn } = loadPageScripts('mrkdwn.js');

/** A section block's mrkdwn text ('' for other blocks). */
const sectionText = (block: unknown): string => {
  const text = (block as { text?: { text?: unknown } } | undefined)?.text?.text;
  return typeof text === 'string' ? text : '';
};
const parse = (text: string) => JSON.parse(JSON.stringify(mrkdwn.parse(text)));
const render = (text: string, context = {}): FakeNode =>
  mrkdwn.render(mrkdwn.parse(text), { timeZone: 'UTC', ...context }, fakeDocument);

describe('mrkdwn tokens', () => {
  it('reads bold, italic, strike and code, nested where Slack nests them', () => {
    expect(parse('*bold* _it_ ~gone~ `x*y*`')).toEqual([
      { type: 'bold', children: [{ type: 'text', text: 'bold' }] },
      { type: 'text', text: ' ' },
      { type: 'italic', children: [{ type: 'text', text: 'it' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 'gone' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'x*y*' },
    ]);
    expect(parse('*<https://a.example/x|label>*')).toEqual([
      { type: 'bold', children: [{ type: 'link', url: 'https://a.example/x', text: 'label' }] },
    ]);
  });

  it('leaves marks inside words and unclosed marks alone', () => {
    expect(parse('snake_case_name 2*3*4 *open')).toEqual([
      { type: 'text', text: 'snake_case_name 2*3*4 *open' },
    ]);
    expect(parse('* not bold *')).toEqual([{ type: 'text', text: '* not bold *' }]);
  });

  it('does not let a mark inside a link or code span close emphasis early', () => {
    expect(parse('*<https://a.example/a*b|x>*')).toEqual([
      { type: 'bold', children: [{ type: 'link', url: 'https://a.example/a*b', text: 'x' }] },
    ]);
  });

  it('reads mentions, channels, broadcasts, dates and line breaks', () => {
    expect(parse('<@U0SBXADA> in <#C0SBXGENERAL|general>\n<!here>')).toEqual([
      { type: 'user', id: 'U0SBXADA' },
      { type: 'text', text: ' in ' },
      { type: 'channel', id: 'C0SBXGENERAL', label: 'general' },
      { type: 'br' },
      { type: 'broadcast', name: 'here' },
    ]);
    expect(parse('<!date^1772442000^{date_short_pretty} at {time}|2026-03-02 09:00 UTC>')).toEqual([
      {
        type: 'date',
        seconds: 1772442000,
        format: '{date_short_pretty} at {time}',
        fallback: '2026-03-02 09:00 UTC',
      },
    ]);
  });

  it('decodes &amp; &lt; &gt; only after tokenising, so escaped text never becomes a token', () => {
    expect(parse('&lt;!channel&gt; &amp;lt; &lt;https://evil.example|x&gt;')).toEqual([
      { type: 'text', text: '<!channel> &lt; <https://evil.example|x>' },
    ]);
    expect(parse('`&lt;b&gt;`')).toEqual([{ type: 'code', text: '<b>' }]);
  });

  it('turns only http(s) and mailto targets into links', () => {
    expect(parse('<javascript:alert(1)|click>')).toEqual([
      { type: 'text', text: '<javascript:alert(1)|click>' },
    ]);
    expect(parse('<mailto:a@example.com|mail>')).toEqual([
      { type: 'link', url: 'mailto:a@example.com', text: 'mail' },
    ]);
  });

  it('replaces known emoji shortcodes and keeps unknown ones', () => {
    expect(parse(':inbox_tray: :not_an_emoji:')).toEqual([
      { type: 'emoji', name: 'inbox_tray', text: '\u{1F4E5}' },
      { type: 'text', text: ' :not_an_emoji:' },
    ]);
  });
});

describe('Slack date formats', () => {
  const at = Date.UTC(2026, 2, 2, 9, 5, 7);
  const seconds = at / 1000;
  const format = (f: string, now = at) =>
    String(mrkdwn.formatDate(seconds, f, { timeZone: 'UTC', now })).replace(/\u202f/g, ' ');

  it.each([
    ['{date_num}', '2026-03-02'],
    ['{date}', 'March 2nd, 2026'],
    ['{date_short}', 'Mar 2, 2026'],
    ['{date_long}', 'Monday, March 2nd, 2026'],
    ['{time}', '9:05 AM'],
    ['{time_secs}', '9:05:07 AM'],
    ['{date_short_pretty} at {time}', 'Today at 9:05 AM'],
    ['{unknown}', '{unknown}'],
  ])('%s', (pattern, expected) => {
    expect(format(pattern)).toBe(expected);
  });

  it('says Yesterday, Tomorrow, or the date, relative to now', () => {
    expect(format('{date_pretty}', at + 86_400_000)).toBe('Yesterday');
    expect(format('{date_pretty}', at - 86_400_000)).toBe('Tomorrow');
    expect(format('{date_short_pretty}', at + 5 * 86_400_000)).toBe('Mar 2, 2026');
    expect(format('{ago}', at + 3 * 60_000)).toBe('3 minutes ago');
  });

  it('uses the reader time zone', () => {
    expect(
      String(mrkdwn.formatDate(seconds, '{time}', { timeZone: 'Asia/Tokyo' })).replace(/\u202f/g, ' '),
    ).toBe('6:05 PM');
  });
});

describe('mrkdwn to DOM', () => {
  it('builds a link with a new-tab target and no opener', () => {
    const [a] = elements(render('<https://mail.google.com/x|Subject>')).filter((el) => el.tag === 'a');
    expect(a?.attributes).toEqual({
      href: 'https://mail.google.com/x',
      target: '_blank',
      rel: 'noopener noreferrer',
    });
    expect(a?.textContent).toBe('Subject');
  });

  it('names mentions from the directory and dates in the given zone', () => {
    const root = render('<@U1> · <!date^1772442000^{date_short} at {time}|fallback>', {
      userName: (id: string) => (id === 'U1' ? 'Ada Lovelace' : undefined),
    });
    expect(root.textContent.replace(/\u202f/g, ' ')).toBe('@Ada Lovelace · Mar 2, 2026 at 9:00 AM');
    const time = elements(root).find((el) => el.tag === 'time');
    expect(time?.attributes).toMatchObject({ dateTime: '2026-03-02T09:00:00.000Z', title: 'fallback' });
  });

  it('shows a rendered phishing summary as text: no link, mention or broadcast from the email', () => {
    const summary = renderInbox(
      {
        account: 'ada@example.com',
        request: { count: 1 },
        skipped: 0,
        messages: [
          {
            id: 'm1',
            threadId: 't1',
            from: HOSTILE.from,
            subject: HOSTILE.subject,
            snippet: HOSTILE.snippetDecoded,
            receivedAt: Date.UTC(2026, 2, 2),
            unread: true,
            rfc822MessageId: 'x@example.com',
          },
        ],
      },
      { requesterId: 'U0SBXADA' },
    );
    const texts = summary.blocks.map(sectionText);
    const root = render(texts.join('\n'));
    const all = elements(root);
    expect(all.filter((el) => el.tag === 'a').map((el) => el.attributes.href)).toEqual([
      expect.stringMatching(/^https:\/\/mail\.google\.com\//),
    ]);
    expect(all.filter((el) => el.className.includes('mention')).map((el) => el.textContent)).toEqual([
      '@U0SBXADA',
    ]);
    expect(root.textContent).toContain('<!channel> Your mailbox is full & will be closed.');
    expect(root.textContent).toContain('<https://evil.example|Click to verify>');
  });

  it('draws the Connect prompt text as the app sends it', () => {
    const prompt = connectPrompt('https://arcade.example/consent/1', 'first_time', 600_000);
    const root = render(sectionText(prompt.blocks?.[0]));
    expect(elements(root).some((el) => el.tag === 'strong' && el.textContent === 'read-only')).toBe(true);
    expect(elements(root).some((el) => el.tag === 'code' && el.textContent === 'gmail.readonly')).toBe(true);
  });
});
