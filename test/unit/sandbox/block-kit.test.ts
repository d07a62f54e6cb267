import {
  connectPrompt,
  disconnectConfirmMessage,
  helpMessage,
  privateSummary,
} from '../../../src/blocks/notices';
import { homeView } from '../../../src/connection/home-view';
import { elements, fakeDocument, loadPageScripts } from './page-scripts';

/** The page's Block Kit renderer (src/sandbox/assets/block-kit.js over mrkdwn.js), as the browser runs it. */
const { SlackBlockKit: blockKit } = loadPageScripts('mrkdwn.js', 'block-kit.js');

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sends it
const renderBlocks = (blocks: any[], context = {}) =>
  blockKit.renderBlocks(blocks, { timeZone: 'UTC', ...context }, fakeDocument);

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sends it
const render = (message: { text?: string; blocks?: any[] }, context = {}) =>
  blockKit.renderMessage(message, { timeZone: 'UTC', ...context }, fakeDocument);

describe('Block Kit in the sandbox page', () => {
  it('draws the Connect prompt: text, a primary link button that reports its click, and the context line', () => {
    const clicked: unknown[] = [];
    const root = render(connectPrompt('https://arcade.example/consent/ac_1', 'first_time', 600_000), {
      onAction: (path: unknown) => clicked.push(path),
    });
    const all = elements(root);
    const button = all.find((el) => el.tag === 'a' && el.className.includes('sk-button'));
    expect(button?.className).toBe('sk-button primary');
    expect(button?.attributes.href).toBe('https://arcade.example/consent/ac_1');
    expect(button?.textContent).toBe('Connect Gmail');
    expect(button?.dataset.actionId).toBe('connect_gmail');
    for (const listener of button?.listeners.click ?? []) listener();
    // The page names the element by where it is; the sandbox builds the payload from the app's blocks.
    expect(clicked).toEqual([{ blockIndex: 1, element: 0 }]);
    expect(all.find((el) => el.className === 'block context')?.textContent).toMatch(/10 minutes/);
  });

  it('draws every block type the app sends, and says so for one it does not know', () => {
    const root = render({
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Head :tada:' } },
        { type: 'divider' },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*hi*' },
          fields: [{ type: 'mrkdwn', text: 'a' }],
          accessory: { type: 'button', text: { type: 'plain_text', text: 'Go' }, url: 'https://x.example/' },
        },
        {
          type: 'context',
          elements: [{ type: 'image', image_url: 'https://x.example/i.png', alt_text: 'logo' }],
        },
        { type: 'video' },
      ],
    });
    const all = elements(root);
    expect(all.find((el) => el.tag === 'h3')?.textContent).toBe('Head \u{1F389}');
    expect(all.some((el) => el.tag === 'hr')).toBe(true);
    expect(all.find((el) => el.tag === 'strong')?.textContent).toBe('hi');
    expect(all.find((el) => el.className === 'section-accessory')?.textContent).toBe('Go');
    // Images are never loaded: nothing leaves the machine.
    expect(all.some((el) => el.tag === 'img')).toBe(false);
    expect(root.textContent).toContain('[image: logo]');
    expect(root.textContent).toContain('[unsupported block: video]');
    expect(root.textContent).not.toContain('fallback');
  });

  it('shows plain_text as typed: no formatting, no entity decoding', () => {
    const root = render({
      blocks: [{ type: 'header', text: { type: 'plain_text', text: '*a* &amp; <b>' } }],
    });
    expect(root.textContent).toBe('*a* &amp; <b>');
  });

  it('falls back to the text when there are no blocks', () => {
    expect(render({ text: 'only *text*' }).textContent).toBe('only text');
  });

  it('never makes a link of a button whose URL is not http(s)', () => {
    const root = render({
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'X' }, url: 'javascript:alert(1)' }],
        },
      ],
    });
    const all = elements(root);
    expect(all.some((el) => el.tag === 'a')).toBe(false);
    expect(all.find((el) => el.tag === 'button')?.attributes.disabled).toBe('true');
  });

  it('draws the help message the app acks with', () => {
    const root = render(helpMessage());
    expect(elements(root).filter((el) => el.tag === 'code').length).toBeGreaterThan(3);
  });

  it("makes the app's buttons work: Share to channel reports its position at once", async () => {
    const clicked: unknown[] = [];
    const root = render(privateSummary({ text: 's', blocks: [] }, '{"r":"x"}'), {
      onAction: (path: unknown) => clicked.push(path),
    });
    const share = elements(root).find((el) => el.tag === 'button' && el.textContent === 'Share to channel');
    expect(share?.attributes.disabled).toBeUndefined();
    for (const listener of share?.listeners.click ?? []) await listener();
    expect(clicked).toEqual([{ blockIndex: 0, element: 0 }]);
  });

  it("asks Slack's confirm dialog first: Disconnect is sent only when confirmed, Cancel at once", async () => {
    const clicked: unknown[] = [];
    const asked: unknown[] = [];
    let answer = false;
    const root = render(disconnectConfirmMessage(), {
      onAction: (path: unknown) => clicked.push(path),
      confirm: (dialog: unknown) => {
        asked.push(dialog);
        return Promise.resolve(answer);
      },
    });
    const byText = (text: string) =>
      elements(root).find((el) => el.tag === 'button' && el.textContent === text);
    const click = async (text: string) => {
      for (const listener of byText(text)?.listeners.click ?? []) await listener();
    };
    expect(byText('Disconnect')?.className).toBe('sk-button danger');

    await click('Disconnect');
    expect(asked).toEqual([
      expect.objectContaining({ title: { type: 'plain_text', text: 'Disconnect Gmail?' } }),
    ]);
    // "Keep it": Slack sends nothing to the app.
    expect(clicked).toEqual([]);
    answer = true;
    await click('Disconnect');
    expect(clicked).toEqual([{ blockIndex: 1, element: 0 }]);
    await click('Cancel');
    expect(asked).toHaveLength(2);
    expect(clicked).toEqual([
      { blockIndex: 1, element: 0 },
      { blockIndex: 1, element: 1 },
    ]);
  });

  it('draws the Home tab the app publishes, with its Disconnect button and heavy_minus_sign emoji', () => {
    const connected = renderBlocks(
      homeView({ state: { kind: 'connected', account: 'a@x.example' }, visibility: 'channel' }).blocks,
    );
    expect(elements(connected).find((el) => el.tag === 'h3')?.textContent).toBe('Inbox');
    expect(
      elements(connected).some((el) => el.tag === 'button' && el.textContent === 'Disconnect Gmail'),
    ).toBe(true);
    const notConnected = renderBlocks(
      homeView({ state: { kind: 'not_connected', connectUrl: 'https://c.example/x' }, visibility: 'channel' })
        .blocks,
    );
    expect(notConnected.textContent).toContain('\u2796 Gmail not connected.');
    expect(elements(notConnected).find((el) => el.tag === 'a')?.attributes.href).toBe('https://c.example/x');
  });

  it('shows emoji by name where the machine has no emoji font', () => {
    const root = render(
      { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':large_blue_circle: _Unread_ · hi' } }] },
      { emojiAsText: true },
    );
    expect(root.textContent).toBe(':large_blue_circle: Unread · hi');
  });

  it('draws overflow menus, selects, fields with an accessory, and rich_text generically', async () => {
    const clicked: unknown[] = [];
    const root = render(
      {
        blocks: [
          {
            type: 'section',
            fields: [
              { type: 'mrkdwn', text: '*When*' },
              { type: 'plain_text', text: 'Weekdays 8:30' },
            ],
            accessory: {
              type: 'overflow',
              action_id: 'more',
              options: [
                { text: { type: 'plain_text', text: 'Send now' }, value: 'now' },
                { text: { type: 'plain_text', text: 'Remove' }, value: 'rm' },
              ],
            },
          },
          {
            type: 'actions',
            elements: [
              {
                type: 'static_select',
                placeholder: { type: 'plain_text', text: 'Pick' },
                options: [{ text: { type: 'plain_text', text: 'One' }, value: '1' }],
              },
            ],
          },
          {
            type: 'rich_text',
            elements: [
              {
                type: 'rich_text_section',
                elements: [
                  { type: 'text', text: 'TL;DR ', style: { bold: true } },
                  { type: 'link', url: 'javascript:alert(1)', text: 'bad' },
                  { type: 'emoji', name: 'robot_face' },
                ],
              },
              {
                type: 'rich_text_list',
                style: 'ordered',
                elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'first' }] }],
              },
            ],
          },
        ],
      },
      { onAction: (path: unknown) => clicked.push(path) },
    );
    const all = elements(root);
    expect(all.filter((el) => el.className === 'section-field').map((el) => el.textContent)).toEqual([
      'When',
      'Weekdays 8:30',
    ]);
    const remove = all.find((el) => el.className === 'sk-menu-item' && el.textContent === 'Remove');
    for (const listener of remove?.listeners.click ?? []) await listener();
    expect(clicked).toEqual([{ blockIndex: 0, element: 'accessory', optionIndex: 1 }]);
    expect(all.some((el) => el.tag === 'select')).toBe(true);
    expect(all.filter((el) => el.tag === 'strong').map((el) => el.textContent)).toEqual(['When', 'TL;DR ']);
    expect(all.some((el) => el.tag === 'a')).toBe(false);
    expect(all.find((el) => el.tag === 'ol')?.textContent).toBe('first');
    expect(root.textContent).toContain('\u{1F916}');
  });
});
