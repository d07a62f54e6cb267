import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { blockActionsPayload, postInteraction } from '../../src/stand-ins/slack-requests';
import { bootApp, type Harness, SIGNING_SECRET } from '../support/boot-app';
import { messageLinks } from '../support/summary-reader';
import { waitFor } from '../support/wait-for';

const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.fresh-after-consent';

/** The private messages Slack received for one command's response_url, oldest first. */
function privateReplies(h: Harness, responseUrl: string) {
  const id = responseUrl.split('/').pop();
  return h.slack.responseUrlPosts.filter((post) => post.id === id);
}

function connectButtonUrl(body: { blocks?: { elements?: { action_id?: string; url?: string }[] }[] }) {
  for (const block of body.blocks ?? []) {
    for (const element of block.elements ?? []) if (element.action_id === 'connect_gmail') return element.url;
  }
  return undefined;
}

describe('first-time consent', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('shows only the invoker a Connect Gmail button, waits in the background, then posts the summary', async () => {
    h = await bootApp();
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(12) });

    const { status, responseUrl } = await h.command({ text: '5' });
    expect(status).toBe(200);

    const [prompt] = await waitFor(() => {
      const replies = privateReplies(h, responseUrl);
      return replies.length > 0 && replies;
    });
    const flow = h.arcade.pendingFlow(ALICE);
    expect(flow).toBeDefined();
    expect(prompt?.body.response_type).toBe('ephemeral');
    expect(connectButtonUrl(prompt?.body ?? {})).toBe(flow?.url);
    expect(JSON.stringify(prompt?.body)).toMatch(/read-only/);
    // The bearer link must never reach the channel.
    expect(h.slack.messages).toHaveLength(0);

    // The person consents in the browser.
    await waitFor(() => h.arcade.statusPolls(flow?.id) > 0);
    h.arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });

    const summary = await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
    expect(messageLinks(summary.blocks)).toHaveLength(5);
    const replies = privateReplies(h, responseUrl);
    expect(replies[1]?.body).toMatchObject({ replace_original: true });
    expect(replies[1]?.body.text).toMatch(/connected/i);
    for (const message of h.slack.messages) expect(JSON.stringify(message)).not.toContain(flow?.url);
    // Long-polls, not a spin: a handful of status calls at most.
    expect(h.arcade.statusPolls(flow?.id)).toBeLessThanOrEqual(3);
    expect(h.app.pendingConsents).toBe(0);
  });

  it('acknowledges a click on the Connect Gmail link button', async () => {
    h = await bootApp();
    const response = await postInteraction(
      h.eventsUrl,
      SIGNING_SECRET,
      blockActionsPayload({ actionId: 'connect_gmail', url: 'https://arcade.example/consent' }),
    );
    // Without a listener Bolt would answer 404 only after 3 s.
    expect(response.status).toBe(200);
    expect(response.elapsedMs).toBeLessThan(1000);
  });

  it('serves three commands during one pending consent with one watcher, and answers each of them', async () => {
    h = await bootApp();
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(20) });

    const first = await h.command({ text: '2', channel_id: 'C0001' });
    const second = await h.command({ text: '3', channel_id: 'C0002' });
    const third = await h.command({ text: '4 is:unread', channel_id: 'C0003' });
    for (const command of [first, second, third]) {
      await waitFor(() => privateReplies(h, command.responseUrl).length === 1);
    }
    // Arcade reuses the flow for the same user and scopes: one flow, one watcher.
    expect(h.arcade.flows).toHaveLength(1);
    expect(h.app.pendingConsents).toBe(1);
    const flow = h.arcade.flows[0];
    await waitFor(() => h.arcade.statusPolls(flow?.id) > 0);

    h.arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });

    await waitFor(() => h.slack.messages.length === 3);
    const buttonsIn = (channel: string) =>
      messageLinks(h.slack.messages.find((m) => m.channel === channel)?.blocks).length;
    expect(buttonsIn('C0001')).toBe(2);
    expect(buttonsIn('C0002')).toBe(3);
    expect(buttonsIn('C0003')).toBeLessThanOrEqual(4);
    expect(h.slack.messages.find((m) => m.channel === 'C0003')).toBeDefined();
    // Only one long-poll was ever in flight for the flow, however many were waiting on it.
    expect(h.arcade.statusPolls(flow?.id)).toBeLessThanOrEqual(3);
    for (const command of [first, second, third]) {
      expect(privateReplies(h, command.responseUrl)[1]?.body.text).toMatch(/connected/i);
    }
  });

  it('tells the person privately when the consent fails, and stops watching', async () => {
    h = await bootApp();
    const { responseUrl } = await h.command();
    await waitFor(() => privateReplies(h, responseUrl).length === 1);
    const flow = h.arcade.pendingFlow(ALICE);
    await waitFor(() => h.arcade.statusPolls(flow?.id) > 0);

    h.arcade.failFlow(ALICE);

    const told = await waitFor(() => privateReplies(h, responseUrl)[1]);
    expect(told.body.text).toMatch(/not connected/i);
    expect(told.body.text).toContain('/inbox');
    expect(told.body.replace_original).toBe(true);
    const polls = h.arcade.statusPolls(flow?.id);
    expect(h.app.pendingConsents).toBe(0);
    expect(h.slack.messages).toHaveLength(0);
    // No spinning on `failed`: the count stays where it was.
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.arcade.statusPolls(flow?.id)).toBe(polls);
  });

  it('gives up on an abandoned consent at the deadline and says how to get a fresh link', async () => {
    h = await bootApp({ consentTimeoutMs: 1500 });
    const { responseUrl } = await h.command();

    const told = await waitFor(() => privateReplies(h, responseUrl)[1], { timeoutMs: 5000 });
    expect(told.body.text).toMatch(/expired/i);
    expect(told.body.text).toContain('/inbox');
    expect(h.app.pendingConsents).toBe(0);
  });

  it('keeps watching through a transient Arcade outage during the wait', async () => {
    h = await bootApp();
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(3) });
    h.arcade.failNext('status', { status: 503 }, 2);
    await h.command();
    await waitFor(() => h.arcade.statusPolls() >= 3);
    h.arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });
    await waitFor(() => h.slack.messages[0]);
  });

  it('on shutdown, stops the wait at once and tells the person to run /inbox again', async () => {
    h = await bootApp();
    const { responseUrl } = await h.command();
    await waitFor(() => privateReplies(h, responseUrl).length === 1);
    await waitFor(() => h.arcade.statusPolls() > 0);

    const started = Date.now();
    await h.app.stop();

    expect(Date.now() - started).toBeLessThan(2000);
    const told = privateReplies(h, responseUrl)[1];
    expect(told?.body.text).toMatch(/restarted/i);
    expect(told?.body.text).toContain('/inbox');
  });
});

describe('more pending consents than long-polls (CONSENT_LONG_POLLS=1)', () => {
  const BOB = 'slack:T0001:U0002';
  let h: Harness;
  afterEach(() => h.stop());

  /** Status calls Arcade received for a flow, split into long-polls (`wait`) and quick checks. */
  const statusCalls = (flowId: string | undefined) => {
    const calls = h.arcade.calls.filter((c) => c.path === '/v1/auth/status' && c.query.id === flowId);
    return {
      long: calls.filter((c) => c.query.wait !== undefined).length,
      quick: calls.filter((c) => c.query.wait === undefined).length,
    };
  };

  it('long-polls the person who opened the link at once, checks the other quickly, and answers both', async () => {
    h = await bootApp({ env: { CONSENT_LONG_POLLS: '1' }, tuning: { consentCheckIntervalMs: 100 } });
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(4) });
    h.gmail.addMailbox('ya29.bob', { email: 'bob@example.com', messages: makeMessages(4) });
    const alice = await h.command({ text: '2', channel_id: 'C0001' });
    await waitFor(() => privateReplies(h, alice.responseUrl).length === 1);
    const bob = await h.command({ text: '2', channel_id: 'C0002', user_id: 'U0002' });
    await waitFor(() => privateReplies(h, bob.responseUrl).length === 1);
    const aliceFlow = h.arcade.pendingFlow(ALICE);
    const bobFlow = h.arcade.pendingFlow(BOB);
    expect(h.app.pendingConsents).toBe(2);

    // Alice's consent came first and keeps the one long-poll; Bob's is asked without `wait`.
    await waitFor(() => statusCalls(aliceFlow?.id).long === 1 && statusCalls(bobFlow?.id).quick >= 2);
    expect(statusCalls(aliceFlow?.id).quick).toBe(0);
    expect(statusCalls(bobFlow?.id).long).toBe(0);

    // Bob opens his Connect link: his consent takes the long-poll, Alice's is checked quickly.
    const click = await h.interact(
      blockActionsPayload({ actionId: 'connect_gmail', userId: 'U0002', url: bobFlow?.url ?? '' }),
    );
    expect(click.status).toBe(200);
    await waitFor(() => statusCalls(bobFlow?.id).long === 1 && statusCalls(aliceFlow?.id).quick >= 1);
    const bobCalls = statusCalls(bobFlow?.id);

    // His consent is noticed by the held long-poll the moment it completes, with no further call.
    h.arcade.completeFlow(BOB, { token: 'ya29.bob', email: 'bob@example.com' });
    await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0002'));
    expect(statusCalls(bobFlow?.id)).toEqual(bobCalls);

    h.arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });
    await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
    await waitFor(() => h.app.pendingConsents === 0);
    expect(h.slack.messages).toHaveLength(2);
  });
});

describe('a token Gmail refuses', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it.each([
    [
      'revoked (401)',
      (hh: Harness) => hh.gmail.addMailbox('ya29.other', { email: 'x@example.com', messages: [] }),
    ],
    ['missing the scope (403)', (hh: Harness) => hh.gmail.insufficientScope.add('ya29.stale')],
  ])('%s leads to a fresh private Connect link, not an error dump', async (_case, arrange) => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: 'ya29.stale', email: 'alice@example.com' });
    arrange(h);

    const { responseUrl } = await h.command();

    const prompt = await waitFor(() => privateReplies(h, responseUrl)[0]);
    expect(prompt.body.text).toMatch(/connect/i);
    expect(JSON.stringify(prompt.body)).toMatch(/no longer accepts/);
    expect(connectButtonUrl(prompt.body)).toBe(h.arcade.pendingFlow(ALICE)?.url);
    // The dead grant was removed in Arcade so that consent starts afresh.
    expect(
      h.arcade.calls.some((c) => c.method === 'DELETE' && c.path.startsWith('/v1/admin/user_connections/')),
    ).toBe(true);
    expect(h.slack.messages).toHaveLength(0);
    expect(JSON.stringify(prompt.body)).not.toMatch(/Invalid Credentials|Insufficient Permission|ya29/);
  });
});
