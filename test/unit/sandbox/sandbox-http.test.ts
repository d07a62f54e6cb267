import { request as httpRequest } from 'node:http';
import { createLogger } from '../../../src/core/log';
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
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app published it
  home: { blocks: any[] } | null;
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

  /** Where the button with `actionId` is in an entry's blocks, as the page names it. */
  function buttonPath(
    blocks: unknown,
    actionId: string,
  ): { blockIndex: number; element: number | 'accessory' } {
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sent it
    const list = (blocks ?? []) as any[];
    for (const [blockIndex, block] of list.entries()) {
      if (block.accessory?.action_id === actionId) return { blockIndex, element: 'accessory' };
      // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sent it
      const element = (block.elements ?? []).findIndex((e: any) => e.action_id === actionId);
      if (element >= 0) return { blockIndex, element };
    }
    throw new Error(`no ${actionId} button in ${JSON.stringify(blocks)}`);
  }

  const click = (viewer: string, entry: Entry, actionId: string, channel = GENERAL) =>
    post('action', {
      viewer,
      surface: 'message',
      channel,
      entryKey: entry.key,
      ...buttonPath(entry.kind === 'command' ? [] : entry.blocks, actionId),
    });

  const entriesOf = async (viewer: string, channel = GENERAL) => (await state(viewer)).entries[channel] ?? [];
  const textOf = (entry: Entry) => (entry.kind === 'command' ? entry.typed : (entry.text ?? ''));
  const texts = (entries: Entry[]) =>
    entries.map((entry) => (entry.kind === 'command' ? entry.typed : entry.text));

  // issue 10, item 9: nothing of the sandbox is reachable from elsewhere, or from a rebound DNS name.
  it("binds the app's port to loopback and refuses a Host header that is not the sandbox's", async () => {
    expect(sandbox.appAddress).toBe('127.0.0.1');
    const { port } = new URL(sandbox.url);
    const get = (host: string, path = '/api/state') =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get('attacker.example')).toBe(421);
    expect(await get(`attacker.example:${port}`)).toBe(421);
    expect(await get(`127.0.0.1:${Number(port) + 1}`)).toBe(421);
    expect(await get(`attacker.example:${port}`, '/')).toBe(421);
    expect(await get(`127.0.0.1:${port}`)).toBe(200);
    expect(await get(`localhost:${port}`)).toBe(200);
  });

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

  it('the built-in stand-in model adds a TL;DR to the summary a moment later, vetted like any answer', async () => {
    await command(GRACE, '/inbox');
    const withTldr = await waitFor(async () =>
      (await entriesOf(ADA)).find(
        (entry) => entry.kind === 'message' && JSON.stringify(entry.blocks ?? []).includes('TL;DR'),
      ),
    );
    if (withTldr.kind !== 'message') throw new Error('expected a channel message');
    const blocks = withTldr.blocks;
    const text = JSON.stringify(blocks);
    expect(text).toContain('AI-written by `sandbox-model`');
    // Grace's sample mailbox holds the phishing message; its tokens never reach the TL;DR.
    const tldr = (blocks as { text?: { text?: string } }[] | undefined)?.[0]?.text?.text ?? '';
    expect(tldr).not.toMatch(/<!channel>|<@U123>|evil\.example/);
    expect(sandbox.model?.calls.length).toBe(1);
    // Still one message in the channel: the summary was updated in place.
    expect((await entriesOf(ADA)).filter((entry) => entry.kind === 'message')).toHaveLength(1);
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
    expect((await click(ADA, prompt, 'connect_gmail')).status).toBe(200);
    expect(await (await fetch(url)).text()).toContain('Ada Lovelace');
    expect(await (await fetch(`${url}?decision=allow`)).text()).toContain('Gmail connected');

    // The "Fetching your inbox…" note says it is done once the summary is in.
    await waitFor(async () =>
      texts(await entriesOf(ADA)).some((text) => /Your summary is posted below/.test(text ?? '')),
    );
    expect(texts(await entriesOf(ADA))).toEqual([
      '/inbox 2',
      expect.stringMatching(/^:white_check_mark: Gmail connected\. Your summary is posted below\.$/),
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

  it('a schedule can be made in the sandbox and seen working at once with Send now', async () => {
    await command(GRACE, '/inbox every weekday at 8:30');
    const confirmation = await waitFor(async () =>
      (await entriesOf(GRACE)).find(
        (entry) => entry.kind === 'private' && /America\/New_York/.test(entry.text ?? ''),
      ),
    );
    expect(confirmation.kind).toBe('private');
    await command(GRACE, '/inbox schedules');
    const list = await waitFor(async () =>
      (await entriesOf(GRACE)).find((entry) => JSON.stringify(entry).includes('send_schedule_now')),
    );
    expect((await click(GRACE, list, 'send_schedule_now')).status).toBe(200);
    // The digest lands in the channel for everyone, without waiting for 8:30. It lists what arrived
    // since the schedule was made a moment ago: nothing, said in one line.
    const digest = await waitFor(async () =>
      (await entriesOf(ADA)).find((entry) => entry.kind === 'message'),
    );
    expect(textOf(digest)).toMatch(/^Nothing new since <!date\^\d+\^/);
    await waitFor(async () =>
      texts(await entriesOf(GRACE)).some((text) => /^Sent: this digest/.test(text ?? '')),
    );
  });

  it('Share to channel on a private summary posts it for everyone and replaces the private copy', async () => {
    await command(GRACE, '/inbox private 2');
    // Clicked once the built-in model's TL;DR is in: the click names the button by its place in
    // the message, which the TL;DR shifts (the sandbox then answers "that message has changed").
    const summary = await waitFor(async () =>
      (await entriesOf(GRACE)).find((entry) => {
        const json = JSON.stringify(entry);
        return json.includes('share_summary') && json.includes('AI-written');
      }),
    );
    expect(await entriesOf(ADA)).toEqual([]);
    expect((await click(GRACE, summary, 'share_summary')).status).toBe(200);

    const shared = await waitFor(async () =>
      (await entriesOf(ADA)).find((entry) => entry.kind === 'message'),
    );
    expect(shared.text).toMatch(/2 newest Gmail messages/);
    // The very message clicked is replaced in place (the click's own response_url, replace_original).
    await waitFor(async () =>
      (await entriesOf(GRACE)).some((entry) => entry.key === summary.key && /You shared/.test(textOf(entry))),
    );
  });

  it('/inbox disconnect: Disconnect removes the connection through the app; Cancel changes nothing', async () => {
    await command(GRACE, '/inbox disconnect');
    const [question] = (await entriesOf(GRACE)).filter((entry) => entry.kind === 'private');
    if (!question) throw new Error('no disconnect question');
    expect((await click(GRACE, question, 'disconnect_cancel')).status).toBe(200);
    await waitFor(async () =>
      (await entriesOf(GRACE)).some(
        (entry) => entry.key === question.key && /Nothing changed/.test(textOf(entry)),
      ),
    );
    expect((await state(GRACE)).people.find((p) => p.id === GRACE)?.connected).toBe(true);

    await command(GRACE, '/inbox disconnect');
    const again = (await entriesOf(GRACE)).filter((entry) => entry.kind === 'private').at(-1);
    if (!again) throw new Error('no disconnect question');
    expect((await click(GRACE, again, 'disconnect_gmail')).status).toBe(200);
    await waitFor(async () =>
      (await entriesOf(GRACE)).some(
        (entry) => entry.key === again.key && /Gmail disconnected/.test(textOf(entry)),
      ),
    );
    expect((await state(GRACE)).people.find((p) => p.id === GRACE)?.connected).toBe(false);
  });

  it('the Home tab: opening it sends app_home_opened, and its Disconnect button works through the app', async () => {
    expect((await state(GRACE)).home).toBeNull();
    expect((await post('home-opened', { viewer: GRACE })).status).toBe(200);
    const home = await waitFor(async () => (await state(GRACE)).home);
    expect(JSON.stringify(home.blocks)).toContain('Gmail connected');
    const path = buttonPath(home.blocks, 'home_disconnect_gmail');
    expect((await post('action', { viewer: GRACE, surface: 'home', ...path })).status).toBe(200);
    await waitFor(async () =>
      JSON.stringify((await state(GRACE)).home?.blocks).includes('Gmail disconnected'),
    );
    expect((await state(GRACE)).people.find((p) => p.id === GRACE)?.connected).toBe(false);
    // Others' Home tabs are their own.
    expect((await state(ADA)).home).toBeNull();
  });

  it('refuses a click on a message that is not there, or an element that is not interactive', async () => {
    await command(GRACE, '/inbox help');
    const [help] = (await entriesOf(GRACE)).filter((entry) => entry.kind === 'private');
    const body = { viewer: GRACE, surface: 'message', channel: GENERAL, blockIndex: 0, element: 0 };
    expect((await post('action', { ...body, entryKey: 'nope' })).status).toBe(409);
    expect((await post('action', { ...body, entryKey: help?.key })).status).toBe(409);
    expect((await post('action', { ...body, entryKey: help?.key, blockIndex: -1 })).status).toBe(400);
  });
});
