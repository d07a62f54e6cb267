import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { appHomeOpenedEvent } from '../../src/stand-ins/slack-stand-in';
import { assertWithinSlackLimits } from '../support/block-limits';
import { bootApp, type Harness } from '../support/boot-app';
import { messageLinks } from '../support/summary-reader';
import { waitFor } from '../support/wait-for';

/**
 * Behaviour the real Arcade and Slack APIs allow by their specs (Arcade's OpenAPI and SDK types,
 * `@slack/types`, Slack's Web API errors and Block Kit limits), which the stand-ins once did not
 * produce: each one ends in a message Slack accepts and that tells the person what to do.
 */

const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.alice';

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as captured off the wire
type Json = any;

function repliesTo(h: Harness, responseUrl: string) {
  return h.slack.responseUrlPosts.filter((post) => responseUrl.endsWith(post.id));
}
const buttons = (blocks: Json[] | undefined): Json[] =>
  (blocks ?? []).flatMap((block: Json) => (block.type === 'actions' ? block.elements : []));
const warnings = (h: Harness, pattern: RegExp) => h.logs.filter((line) => pattern.test(line));

describe('Arcade status long-poll answers outside 200', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('400 for a flow Arcade no longer knows: "the link expired, run /inbox again", never an admin problem', async () => {
    h = await bootApp();
    const { responseUrl } = await h.command();
    await waitFor(() => repliesTo(h, responseUrl).length === 1);
    const flow = h.arcade.pendingFlow(ALICE);
    await waitFor(() => h.arcade.statusPolls(flow?.id) > 0);

    h.arcade.forgetFlow(ALICE);

    const told = await waitFor(() => repliesTo(h, responseUrl)[1]);
    expect(told.body.text).toMatch(/link expired/i);
    expect(told.body.text).toContain('/inbox');
    expect(told.body.text).not.toMatch(/misconfigured|admin/i);
    expect(told.body.replace_original).toBe(true);
    await waitFor(() => h.app.pendingConsents === 0);
    expect(h.logs.some((line) => /consent for slack:T0001:U0001 ended: expired/.test(line))).toBe(true);
  });

  it('408 when the wait runs out: still pending, no warning, no growing backoff', async () => {
    h = await bootApp({
      arcade: { statusMaxWaitSeconds: 0.2, statusWaitExpiry: 408 },
      // A backoff this long would show at once: three polls could not fit in the wait below.
      tuning: { consentRetryDelayMs: { first: 5000, max: 30_000 } },
    });
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(3) });
    const { responseUrl } = await h.command();
    await waitFor(() => repliesTo(h, responseUrl).length === 1);

    await waitFor(() => h.arcade.statusPolls() >= 3, { timeoutMs: 4500 });
    expect(warnings(h, /consent status check failed/)).toEqual([]);
    expect(warnings(h, /WARN/).filter((line) => /408|status/i.test(line))).toEqual([]);

    h.arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });
    const posted = await waitFor(() => h.slack.messages[0]);
    expect(messageLinks(posted.blocks)).toHaveLength(3);
  });
});

describe('authorize answering status "failed"', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('says Arcade could not start the connection, with no Connect button and no wait', async () => {
    h = await bootApp();
    h.arcade.failNextAuthorizations();
    const { responseUrl } = await h.command();

    const told = await waitFor(() => repliesTo(h, responseUrl)[0]);
    expect(buttons(told.body.blocks)).toEqual([]);
    expect(told.body.text).toMatch(/could not start connecting your Gmail/i);
    expect(told.body.text).not.toMatch(/declined/i);
    expect(told.body.text).toContain('/inbox');
    expect(told.body.text).toMatch(/reference `[0-9a-f]+`/);
    expect(h.app.pendingConsents).toBe(0);
    expect(h.arcade.statusPolls()).toBe(0);
  });

  it('shows the same on the Home tab instead of a Connect button', async () => {
    h = await bootApp();
    h.arcade.failNextAuthorizations();
    await h.event(appHomeOpenedEvent({}));
    const home = await waitFor(() => h.slack.homeView('U0001'));
    expect(buttons(home.view.blocks)).toEqual([]);
    expect(JSON.stringify(home.view.blocks)).toMatch(/could not start connecting your Gmail/i);
    expect(h.app.pendingConsents).toBe(0);
  });
});

describe('chat.postMessage refusals in a channel the bot is in', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(2) });
  });
  afterEach(() => h.stop());

  const refusals: [string, RegExp][] = [
    ['restricted_action', /workspace settings/i],
    ['restricted_action_read_only_channel', /read-only/i],
    ['restricted_action_thread_only_channel', /threads/i],
    ['is_archived', /archived/i],
    ['no_permission', /permission/i],
    ['ekm_access_denied', /Enterprise Key Management/i],
  ];

  it.each(refusals)('%s: posts through the reply link, in the channel', async (error) => {
    h.slack.channelRefusals.set('C0001', error);
    const { responseUrl } = await h.command();
    const post = await waitFor(() => repliesTo(h, responseUrl)[0]);
    expect(post.body.response_type).toBe('in_channel');
    expect(messageLinks(post.body.blocks)).toHaveLength(2);
    expect(h.slack.messages).toHaveLength(0);
  });

  it.each(refusals)('%s: by direct message when the reply link fails too, saying why', async (error, why) => {
    h.slack.channelRefusals.set('C0001', error);
    h.slack.failNext('response_url', { status: 404, body: { ok: false, error: 'expired_url' } });
    await h.command();
    await waitFor(() => h.slack.messages.length === 2);
    const [note, summary] = h.slack.messages;
    expect(note?.channel).toBe('U0001');
    expect(note?.text).toContain('<#C0001>');
    expect(note?.text).toMatch(why);
    expect(note?.text).not.toMatch(/isn't in that conversation/);
    expect(summary?.channel).toBe('U0001');
    expect(messageLinks(summary?.blocks)).toHaveLength(2);
    expect(h.logs.some((line) => /something went wrong/i.test(line))).toBe(false);
  });
});

describe('a response_url answering 200 {"ok":false}', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('is a failure: the summary goes by direct message', async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(2) });
    h.slack.botNotInChannels.add('C0001');
    h.slack.failNext('response_url', { status: 200, body: { ok: false, error: 'expired_url' } });
    await h.command();
    await waitFor(() => h.slack.messages.length === 2);
    const [note, summary] = h.slack.messages;
    expect(note?.channel).toBe('U0001');
    expect(note?.text).toContain('<#C0001>');
    expect(messageLinks(summary?.blocks)).toHaveLength(2);
  });

  it('is a failure for a stored request too: the Connect outcome goes by direct message', async () => {
    h = await bootApp();
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(2) });
    h.slack.botNotInChannels.add('C0001');
    const { responseUrl } = await h.command();
    await waitFor(() => repliesTo(h, responseUrl).length === 1);
    await waitFor(() => h.arcade.statusPolls() > 0);
    // "Connected" (replace) and the in-channel summary both get 200 {"ok":false}.
    h.slack.failNext('response_url', { status: 200, body: { ok: false, error: 'used_url' } }, 2);
    h.arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });
    // The DMs may come in any order (the Connected note, the why-a-DM note, the summary): wait for the summary.
    const dms = () => h.slack.messages.filter((m) => m.channel === 'U0001');
    await waitFor(() => dms().some((m) => messageLinks(m.blocks).length === 2));
    expect(dms().some((m) => m.text?.includes('<#C0001>'))).toBe(true);
  });
});

describe('values Arcade returns, within Block Kit limits', () => {
  let h: Harness;
  afterEach(() => h.stop());

  const LONG_PAD = 'x'.repeat(3600);
  const longConsentUrl = (url: string) => `${url}?state=${LONG_PAD}`;

  it('a consent url over 3,000 characters: a link Slack accepts, whole, in place of the button', async () => {
    h = await bootApp({ arcade: { consentUrl: longConsentUrl } });
    const { responseUrl } = await h.command();
    const prompt = await waitFor(() => repliesTo(h, responseUrl)[0]);
    const flow = h.arcade.pendingFlow(ALICE);
    expect(flow?.url.length).toBeGreaterThan(3000);
    expect(prompt.status).toBe(200);
    expect(JSON.stringify(prompt.body)).toContain(`<${flow?.url}|`);
    for (const button of buttons(prompt.body.blocks)) expect(button.url ?? '').not.toBe(flow?.url);
    expect(h.app.pendingConsents).toBe(1);
  });

  it('a consent url over 3,000 characters on the Home tab: a view Slack accepts that says where to get the link', async () => {
    h = await bootApp({ arcade: { consentUrl: longConsentUrl } });
    await h.event(appHomeOpenedEvent({}));
    const home = await waitFor(() => h.slack.homeView('U0001'));
    expect(buttons(home.view.blocks).filter((b) => b.url)).toEqual([]);
    expect(JSON.stringify(home.view.blocks)).toContain('/inbox');
  });

  it('a consent url that is not a web address: no button, no link, and the person is told to try again', async () => {
    h = await bootApp({ arcade: { consentUrl: () => 'javascript:alert(document.cookie)' } });
    const { responseUrl } = await h.command();
    const told = await waitFor(() => repliesTo(h, responseUrl)[0]);
    expect(JSON.stringify(told.body)).not.toContain('javascript:');
    expect(buttons(told.body.blocks)).toEqual([]);
    expect(told.body.text).toMatch(/Arcade isn't answering.*\/inbox/);
    expect(h.app.pendingConsents).toBe(0);
  });

  const longEmail = `${'a'.repeat(3990)}@example.com`;

  it('an account email of 4,000 characters in /inbox status', async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: longEmail });
    const { responseUrl } = await h.command({ text: 'status' });
    const reply = await waitFor(() => repliesTo(h, responseUrl)[0]);
    expect(reply.status).toBe(200);
    expect(reply.body.text).toMatch(/connected/);
    assertWithinSlackLimits(reply.body.blocks);
  });

  it('an account email of 4,000 characters on the Home tab', async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: longEmail });
    await h.event(appHomeOpenedEvent({}));
    const home = await waitFor(() => h.slack.homeView('U0001'));
    expect(JSON.stringify(home.view.blocks)).toMatch(/Gmail connected/);
    expect(h.slack.calls.filter((call) => call.method === 'views.publish')).toHaveLength(1);
  });
});

describe('app_home_opened without `tab`', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('draws the Home tab (tab is optional in @slack/types)', async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    await h.event(appHomeOpenedEvent({ tab: null }));
    const home = await waitFor(() => h.slack.homeView('U0001'));
    expect(JSON.stringify(home.view.blocks)).toContain('alice@example.com');
  });
});
