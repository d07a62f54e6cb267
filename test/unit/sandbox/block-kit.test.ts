import { connectPrompt, helpMessage } from '../../../src/blocks/notices';
import { elements, fakeDocument, loadPageScripts } from './page-scripts';

/** The page's Block Kit renderer (src/sandbox/assets/block-kit.js over mrkdwn.js), as the browser runs it. */
const { SlackBlockKit: blockKit } = loadPageScripts('mrkdwn.js', 'block-kit.js');

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sends it
const render = (message: { text?: string; blocks?: any[] }, context = {}) =>
  blockKit.renderMessage(message, { timeZone: 'UTC', ...context }, fakeDocument);

describe('Block Kit in the sandbox page', () => {
  it('draws the Connect prompt: text, a primary link button that reports its click, and the context line', () => {
    const clicked: unknown[] = [];
    const root = render(connectPrompt('https://arcade.example/consent/ac_1', 'first_time', 600_000), {
      onButton: (spec: unknown) => clicked.push(spec),
    });
    const all = elements(root);
    const button = all.find((el) => el.tag === 'a' && el.className.includes('sk-button'));
    expect(button?.className).toBe('sk-button primary');
    expect(button?.attributes.href).toBe('https://arcade.example/consent/ac_1');
    expect(button?.textContent).toBe('Connect Gmail');
    expect(button?.dataset.actionId).toBe('connect_gmail');
    for (const listener of button?.listeners.click ?? []) listener();
    expect(clicked).toEqual([expect.objectContaining({ action_id: 'connect_gmail' })]);
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
});
