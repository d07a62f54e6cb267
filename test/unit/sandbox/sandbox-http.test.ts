import { createLogger } from '../../../src/log';
import type { Entry } from '../../../src/sandbox/conversations';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox';
import { SANDBOX_CHANNELS, SANDBOX_PEOPLE } from '../../../src/sandbox/workspace';
import { waitFor } from '../../support/wait-for';

/**
 * The sandbox over HTTP, as its page drives it (no browser: this runs everywhere, test/browser adds
 * Chromium): the real app behind it, the Slack, Arcade and Gmail stand-ins under it.
 */

const ADA = 'U0SBXADA';
const GRACE = 'U0SBXGRACE';
const ALAN = 'U0SBXALAN';
const KATHERINE = 'U0SBXKATHERINE';
const GENERAL = 'C0SBXGENERAL';
const PRIVATE_CHANNEL = SANDBOX_CHANNELS.find((channel) => !channel.botIsMember)?.id ?? '';

interface PageState {
  viewer: string;
  version: number;
  directMessageId: string;
  people: { id: string; connected: boolean }[];
  entries: Record<string, Entry[]>;
}

describe('the sandbox over HTTP', () => {
  let sandbox: Sandbox;
  const logs: string[] = [];

  beforeEach(async () => {
    logs.length = 0;
    sandbox = await startSandbox({
      logger: createLogger({ level: 'debug', secrets: [], write: (line) => logs.push(line) }),
    });
  });
  afterEach(() => sandbox.stop());

  async function state(viewer?: string): Promise<PageState> {
    const response = await fetch(`${sandbox.url}api/state${viewer ? `?viewer=${viewer}` : ''}`);
    expect(response.status).toBe(200);
    return (await response.json()) as PageState;
  }

  function post(path: string, body: unknown, contentType = 'application/json') {
    return fetch(`${sandbox.url}api/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body: JSON.stringify(body),
    });
  }

  const command = (viewer: string, text: string, channel = GENERAL) =>
    post('command', { viewer, channel, text }).then((response) => {
      expect(response.status).toBe(200);
    });

  const entriesOf = async (viewer: string, channel = GENERAL) => (await state(viewer)).entries[channel] ?? [];
  const texts = (entries: Entry[]) =>
    entries.map((entry) => (entry.kind === 'command' ? entry.typed : entry.text));

  it('serves the page with a strict CSP, its files, and the state for the first sample person', async () => {
    const page = await fetch(sandbox.url);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('SANDBOX');
    for (const name of ['sandbox.css', 'mrkdwn.js', 'block-kit.js', 'page.js']) {
      expect((await fetch(`${sandbox.url}assets/${name}`)).status).toBe(200);
    }
    expect((await fetch(`${sandbox.url}assets/secret.txt`)).status).toBe(404);
    const first = await state();
    expect(first.viewer).toBe(SANDBOX_PEOPLE[0]?.id);
    expect(first.people.map((p) => [p.id, p.connected])).toEqual([
      [ADA, false],
      [GRACE, true],
      [ALAN, false],
      [KATHERINE, true],
    ]);
  });

  it('answers an unchanged poll with its version only', async () => {
    const { version } = await state(GRACE);
    const again = await fetch(`${sandbox.url}api/state?viewer=${GRACE}&known=${version}`);
    expect(await again.json()).toEqual({ unchanged: true, version });
    await command(GRACE, '/inbox help');
    expect((await state(GRACE)).version).toBeGreaterThan(version);
  });

  it('refuses posts that are not JSON, unknown people and channels, and other commands', async () => {
    expect(
      (await post('command', { viewer: ADA, channel: GENERAL, text: '/inbox' }, 'text/plain')).status,
    ).toBe(415);
    expect((await post('command', { viewer: 'U0NOBODY', channel: GENERAL, text: '/inbox' })).status).toBe(
      400,
    );
    expect((await post('command', { viewer: ADA, channel: 'C0NOPE', text: '/inbox' })).status).toBe(400);
    expect((await post('command', { viewer: ADA, channel: GENERAL, text: '/remind me' })).status).toBe(400);
    expect((await post('command', { viewer: ADA, channel: GENERAL })).status).toBe(400);
    expect(sandbox.slack.responseUrlPosts).toHaveLength(0);
  });

  it('a connected person gets the summary in the channel at once, seen by everyone', async () => {
    await command(GRACE, '/inbox 3');
    const summary = await waitFor(async () =>
      (await entriesOf(ADA)).find((entry) => entry.kind === 'message'),
    );
    expect(summary.text).toMatch(/3 newest Gmail messages/);
    expect(JSON.stringify(summary.blocks)).toContain('<@U0SBXGRACE>');
    // Ada sees the summary but not Grace's command.
    expect((await entriesOf(ADA)).map((entry) => entry.kind)).toEqual(['message']);
    expect((await entriesOf(GRACE)).map((entry) => entry.kind)).toEqual(['command', 'message']);
  });

  it('first time: a private Connect prompt whose link opens the consent page; allowing posts the summary', async () => {
    await command(ADA, '/inbox 2');
    const prompt = await waitFor(async () =>
      (await entriesOf(ADA)).find((entry) => entry.kind === 'private'),
    );
    const url = JSON.stringify(prompt.blocks).match(/"url":"([^"]+)"/)?.[1] ?? '';
    expect(url).toBe(sandbox.arcade.pendingFlow(`slack:T0SANDBOX:${ADA}`)?.url);
    expect(await entriesOf(GRACE)).toEqual([]);

    // The page reports the click to the app, as Slack does; the app acks it.
    expect(
      (await post('click', { viewer: ADA, channel: GENERAL, actionId: 'connect_gmail', url })).status,
    ).toBe(200);
    expect(await (await fetch(url)).text()).toContain('Ada Lovelace');
    expect(await (await fetch(`${url}?decision=allow`)).text()).toContain('Gmail connected');

    await waitFor(async () =>
      texts(await entriesOf(ADA)).some((text) => /2 newest Gmail messages/.test(text ?? '')),
    );
    expect(texts(await entriesOf(ADA))).toEqual([
      '/inbox 2',
      expect.stringMatching(/Gmail connected/),
      expect.stringMatching(/2 newest Gmail messages/),
    ]);
    expect((await state(ADA)).people.find((p) => p.id === ADA)?.connected).toBe(true);
    expect(logs.join('\n')).not.toMatch(/error/i);
  });

  it('a declined consent leaves a private "not connected" message', async () => {
    await command(ALAN, '/inbox');
    const prompt = await waitFor(async () =>
      (await entriesOf(ALAN)).find((entry) => entry.kind === 'private'),
    );
    const url = JSON.stringify(prompt.blocks).match(/"url":"([^"]+)"/)?.[1] ?? '';
    await waitFor(() => sandbox.arcade.statusPolls() > 0);
    await fetch(`${url}?decision=deny`);
    await waitFor(async () => texts(await entriesOf(ALAN)).some((text) => /not connected/.test(text ?? '')));
    expect((await entriesOf(ALAN)).map((entry) => entry.kind)).toEqual(['command', 'private']);
  });

  it('shows the empty mailbox, help in the ack, and a reply-link summary in a channel the app is not in', async () => {
    await command(KATHERINE, '/inbox');
    await waitFor(async () =>
      texts(await entriesOf(KATHERINE)).some((text) => /inbox is empty/.test(text ?? '')),
    );

    await command(KATHERINE, '/inbox help');
    expect(texts(await entriesOf(KATHERINE)).at(-1)).toMatch(/usage/);

    await command(GRACE, '/inbox 1', PRIVATE_CHANNEL);
    const viaReplyLink = await waitFor(async () =>
      (await entriesOf(KATHERINE, PRIVATE_CHANNEL)).find((entry) => entry.kind === 'message'),
    );
    expect(viaReplyLink.key).toMatch(/^r/);
    expect(sandbox.slack.messages.filter((m) => m.channel === PRIVATE_CHANNEL)).toHaveLength(0);
  });

  it('runs /inbox in the direct messages with the app', async () => {
    const dm = (await state(GRACE)).directMessageId;
    await command(GRACE, '/inbox 1', dm);
    await waitFor(async () => (await entriesOf(GRACE, dm)).some((entry) => entry.kind === 'message'));
    expect((await state(ADA)).entries[dm]).toBeUndefined();
  });

  it('disconnecting replays the first-time flow', async () => {
    expect((await post('disconnect', { viewer: GRACE })).status).toBe(200);
    expect((await state(GRACE)).people.find((p) => p.id === GRACE)?.connected).toBe(false);
    await command(GRACE, '/inbox');
    const prompt = await waitFor(async () =>
      (await entriesOf(GRACE)).find((entry) => entry.kind === 'private'),
    );
    expect(prompt.text).toMatch(/Connect Gmail/);
  });
});
