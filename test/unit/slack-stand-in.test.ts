/**
 * The Slack stand-in and request helpers, checked against the real SDKs: if these pass, a test that drives the
 * real app through them sees Slack's wire formats (reference/slack.md §1, 3, 4, 6).
 */
import { App, verifySlackRequest } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import {
  ErrorCode,
  type Logger,
  LogLevel,
  WebClient,
  WebClientEvent,
  type WebClientOptions,
} from '@slack/web-api';
import WebSocket from 'ws';
import {
  blockActionsPayload,
  formEncode,
  postInteraction,
  postSlashCommand,
  signSlackRequest,
  slashCommandPayload,
} from '../../src/stand-ins/slack-requests';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';
import { waitFor } from '../support/wait-for';

const noop = (): void => undefined;
/** The SDKs' own logs are noise here: every failure they log also reaches the test as an error. */
const quietLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  setLevel: noop,
  setName: noop,
  getLevel: () => LogLevel.ERROR,
};

let slack: SlackStandIn;

beforeEach(async () => {
  slack = await startSlackStandIn({ users: { U0001: { name: 'alice', email: 'alice@example.com' } } });
});

afterEach(() => slack.close());

function webClient(token = slack.botToken, options: WebClientOptions = {}): WebClient {
  return new WebClient(token, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logger: quietLogger,
    ...options,
  });
}

function slackError(error: string): object {
  return { code: ErrorCode.PlatformError, data: expect.objectContaining({ ok: false, error }) };
}

async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; json: unknown; type: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json(), type: response.headers.get('content-type') };
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, url = 'https://example.com/') => ({
  type: 'actions',
  elements: [{ type: 'button', action_id: 'connect', text: { type: 'plain_text', text }, url }],
});

describe('Web API', () => {
  it('answers auth.test with the identity Bolt reads, as JSON', async () => {
    await expect(webClient().auth.test()).resolves.toMatchObject({
      ok: true,
      team_id: 'T0001',
      user_id: slack.botUserId,
      bot_id: slack.botId,
    });
    expect(slack.calls).toEqual([
      expect.objectContaining({
        method: 'auth.test',
        headers: expect.objectContaining({ authorization: 'Bearer xoxb-test-token' }),
      }),
    ]);

    const raw = await fetch(`${slack.apiUrl}auth.test`, { method: 'POST', body: `token=${slack.botToken}` });
    expect(raw.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('refuses a wrong token, and the app-level token outside apps.connections.open', async () => {
    await expect(webClient('xoxb-wrong').auth.test()).rejects.toMatchObject(slackError('invalid_auth'));
    await expect(
      webClient(slack.appToken).chat.postMessage({ channel: 'C0001', text: 'hi' }),
    ).rejects.toMatchObject(slackError('invalid_auth'));
    expect(slack.messages).toEqual([]);
  });

  it('round-trips chat.postMessage with blocks: form body decoded, message recorded, Slack-shaped answer', async () => {
    const blocks = [section('*Inbox*'), button('Open')];
    const first = await webClient().chat.postMessage({ channel: 'C0001', text: 'Inbox', blocks });
    const second = await webClient().chat.postMessage({ channel: 'C0001', text: 'again' });

    expect(first).toMatchObject({
      ok: true,
      channel: 'C0001',
      message: { type: 'message', subtype: 'bot_message', text: 'Inbox', bot_id: slack.botId, blocks },
    });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(slack.messages[0]).toEqual({
      channel: 'C0001',
      ts: first.ts,
      text: 'Inbox',
      blocks,
      via: 'chat.postMessage',
    });
    expect(slack.calls[0]?.params).toEqual({ channel: 'C0001', text: 'Inbox', blocks });
    expect(slack.calls[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('accepts JSON bodies too', async () => {
    const answer = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${slack.botToken}`,
        'Content-Type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: 'C0001', blocks: [section('hi')] }),
    });
    expect(await answer.json()).toMatchObject({ ok: true, channel: 'C0001' });
    expect(slack.messages).toEqual([expect.objectContaining({ channel: 'C0001', blocks: [section('hi')] })]);
  });

  it('refuses channels the bot cannot post in, and lets it DM a user by id', async () => {
    slack.botNotInChannels.add('C0OUT');
    slack.missingChannels.add('G0PRIVATE');
    const client = webClient();

    await expect(client.chat.postMessage({ channel: 'C0OUT', text: 'x' })).rejects.toMatchObject(
      slackError('not_in_channel'),
    );
    await expect(client.chat.postMessage({ channel: 'G0PRIVATE', text: 'x' })).rejects.toMatchObject(
      slackError('channel_not_found'),
    );
    await client.chat.postMessage({ channel: 'U0001', text: 'just for you' });

    expect(slack.messages).toEqual([expect.objectContaining({ channel: 'U0001', text: 'just for you' })]);
  });

  it.each([
    ['neither text nor blocks', {}, 'no_text'],
    ['51 blocks', { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }, 'invalid_blocks'],
    ['a section text of 3001', { blocks: [section('x'.repeat(3001))] }, 'invalid_blocks'],
    ['an empty section text', { blocks: [section('')] }, 'invalid_blocks'],
    [
      'a field of 2001',
      { blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'x'.repeat(2001) }] }] },
      'invalid_blocks',
    ],
    [
      'a header of 151',
      { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] },
      'invalid_blocks',
    ],
    ['a button text of 76', { blocks: [button('x'.repeat(76))] }, 'invalid_blocks'],
    [
      'a button url of 3001',
      { blocks: [button('Open', `https://e.com/${'x'.repeat(2987)}`)] },
      'invalid_blocks',
    ],
    [
      'blocks over 13000 characters in all',
      { blocks: Array.from({ length: 5 }, () => section('x'.repeat(2900))) },
      'msg_blocks_too_long',
    ],
    ['a text of 40001', { text: 'x'.repeat(40001) }, 'msg_too_long'],
  ])('refuses %s the way Slack does', async (_what, args, error) => {
    await expect(
      webClient().apiCall('chat.postMessage', { channel: 'C0001', ...args }),
    ).rejects.toMatchObject(slackError(error));
    expect(slack.messages).toEqual([]);
  });

  it('accepts messages right at the Block Kit limits', async () => {
    const client = webClient();
    await client.apiCall('chat.postMessage', {
      channel: 'C0001',
      text: 'x'.repeat(40000),
      blocks: Array.from({ length: 50 }, () => section('x'.repeat(200))),
    });
    await client.apiCall('chat.postMessage', {
      channel: 'C0001',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(150) } },
        section('x'.repeat(3000)),
        { type: 'section', fields: [{ type: 'mrkdwn', text: 'x'.repeat(2000) }] },
        button('x'.repeat(75), `https://e.com/${'x'.repeat(2986)}`),
      ],
    });
    expect(slack.messages).toHaveLength(2);
  });

  it('chat.update changes the recorded message in place; an unknown ts is message_not_found', async () => {
    const client = webClient();
    const posted = await client.chat.postMessage({
      channel: 'C0001',
      text: 'working',
      blocks: [section('working')],
    });
    const ts = posted.ts ?? '';

    await expect(client.chat.update({ channel: 'C0001', ts, text: 'done' })).resolves.toMatchObject({
      ts,
      text: 'done',
    });
    expect(slack.messages).toEqual([
      { channel: 'C0001', ts, text: 'done', blocks: [section('working')], via: 'chat.update' },
    ]);
    await expect(client.chat.update({ channel: 'C0001', ts: '1.000000', text: 'x' })).rejects.toMatchObject(
      slackError('message_not_found'),
    );
  });

  it('chat.delete answers {ok, channel, ts} and marks the message gone; a second delete is message_not_found', async () => {
    const client = webClient();
    const posted = await client.chat.postMessage({ channel: 'C0001', text: 'bye' });
    const ts = posted.ts ?? '';
    await expect(client.chat.delete({ channel: 'C0001', ts })).resolves.toMatchObject({
      ok: true,
      channel: 'C0001',
      ts,
    });
    // Kept in the list so that indexes into it stay put; flagged as gone from Slack.
    expect(slack.messages).toEqual([
      { channel: 'C0001', ts, text: 'bye', via: 'chat.postMessage', deleted: true },
    ]);
    await expect(client.chat.delete({ channel: 'C0001', ts })).rejects.toMatchObject(
      slackError('message_not_found'),
    );
    await expect(client.chat.update({ channel: 'C0001', ts, text: 'x' })).rejects.toMatchObject(
      slackError('message_not_found'),
    );
  });

  it('chat.postEphemeral answers message_ts and records the message for that user', async () => {
    const answer = await webClient().chat.postEphemeral({ channel: 'C0001', user: 'U0001', text: 'psst' });
    expect(answer.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(slack.ephemeralMessages).toEqual([
      { channel: 'C0001', user: 'U0001', ts: answer.message_ts, text: 'psst' },
    ]);
    expect(slack.messages).toEqual([]);
  });

  it('users.info returns the email only while users:read.email is granted', async () => {
    const client = webClient();
    const granted = await client.users.info({ user: 'U0001' });
    expect(granted.user).toMatchObject({ id: 'U0001', name: 'alice', deleted: false, is_bot: false });
    expect(granted.user?.profile?.email).toBe('alice@example.com');

    slack.emailScopeGranted = false;
    const withheld = await client.users.info({ user: 'U0001' });
    expect(withheld.user?.profile).not.toHaveProperty('email');
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject(slackError('user_not_found'));
  });

  it('opens DMs with conversations.open and answers unknown_method for the rest', async () => {
    await expect(webClient().conversations.open({ users: 'U0001' })).resolves.toMatchObject({
      channel: { id: 'DU0001' },
    });
    await expect(webClient().apiCall('pins.add')).rejects.toMatchObject(slackError('unknown_method'));
  });

  it('failNext: a 429 with Retry-After reaches WebClient as a rate limit', async () => {
    slack.failNext('chat.postMessage', { status: 429, headers: { 'Retry-After': '1' } });
    const client = webClient(slack.botToken, { rejectRateLimitedCalls: true });

    await expect(client.chat.postMessage({ channel: 'C0001', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 1,
    });
    await client.chat.postMessage({ channel: 'C0001', text: 'later' });
    expect(slack.messages).toEqual([expect.objectContaining({ text: 'later' })]);
  });

  it('failNext: WebClient waits out Retry-After and retries the call', async () => {
    slack.failNext('chat.postMessage', { status: 429, headers: { 'Retry-After': '0' } });
    const client = webClient(slack.botToken, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    const rateLimited = jest.fn();
    client.on(WebClientEvent.RATE_LIMITED, rateLimited);

    await client.chat.postMessage({ channel: 'C0001', text: 'x' });

    expect(rateLimited).toHaveBeenCalledWith(0, expect.anything());
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(slack.messages).toHaveLength(1);
  });

  it('failNext: HTTP errors and platform errors, for as many answers as asked', async () => {
    const client = webClient();
    slack.failNext('auth.test', { status: 500 });
    await expect(client.auth.test()).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });

    slack.failNext('auth.test', { body: { ok: false, error: 'account_inactive' } }, 2);
    await expect(client.auth.test()).rejects.toMatchObject(slackError('account_inactive'));
    await expect(client.auth.test()).rejects.toMatchObject(slackError('account_inactive'));
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('delayMs slows every answer', async () => {
    const client = webClient();
    slack.delayMs = 100;
    const started = performance.now();
    await client.auth.test();
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('counts TCP connections: keep-alive clients reuse theirs', async () => {
    const client = webClient();
    for (let i = 0; i < 4; i += 1) await client.auth.test();
    // undici opens a second socket for the second request, then reuses both.
    expect(slack.tcpConnections).toBeGreaterThanOrEqual(1);
    expect(slack.tcpConnections).toBeLessThan(4);
  });
});

describe('response_url', () => {
  it('takes 5 posts, then answers 404 used_url; every post is recorded with its status', async () => {
    const url = slack.newResponseUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/commands\/[\w-]+$/);
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i += 1) statuses.push((await postJson(url, { text: `#${i}` })).status);

    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(slack.responseUrlPosts.map((p) => [p.body.text, p.status])).toEqual([
      ['#1', 200],
      ['#2', 200],
      ['#3', 200],
      ['#4', 200],
      ['#5', 200],
      ['#6', 404],
    ]);
    await expect(postJson(url, { text: 'x' })).resolves.toEqual({
      status: 404,
      json: { ok: false, error: 'used_url' },
      type: 'application/json; charset=utf-8',
    });
  });

  it('answers 404 expired_url after expireResponseUrls, and 404 for URLs it never minted', async () => {
    const url = slack.newResponseUrl();
    await expect(postJson(url, { text: 'x' })).resolves.toMatchObject({ status: 200, json: { ok: true } });
    slack.expireResponseUrls();
    await expect(postJson(url, { text: 'x' })).resolves.toMatchObject({
      status: 404,
      json: { error: 'expired_url' },
    });
    await expect(postJson(url.replace(/[\w-]+$/, 'nope'), {})).resolves.toMatchObject({ status: 404 });
  });

  it('failNext(response_url) answers the fault without using up the URL; over-limit blocks get 400', async () => {
    const url = slack.newResponseUrl();
    slack.failNext('response_url', { status: 500 });
    await expect(postJson(url, { text: 'a' })).resolves.toMatchObject({ status: 500 });
    await expect(postJson(url, { blocks: [section('x'.repeat(3001))] })).resolves.toMatchObject({
      status: 400,
      json: { error: 'invalid_blocks' },
    });
    for (let i = 0; i < 5; i += 1)
      await expect(postJson(url, { text: 'b' })).resolves.toMatchObject({ status: 200 });
    expect(slack.responseUrlPosts.map((p) => p.status)).toEqual([500, 400, 200, 200, 200, 200, 200]);
  });
});

describe('Socket Mode', () => {
  function socketModeClient(appToken = slack.appToken): SocketModeClient {
    return new SocketModeClient({
      appToken,
      logger: quietLogger,
      autoReconnectEnabled: false,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
  }

  it('connects the real SocketModeClient and returns its acks, payload included', async () => {
    const client = socketModeClient();
    const seen: { type: string; accepts: boolean; body: unknown }[] = [];
    client.on('slack_event', async ({ ack, type, body, accepts_response_payload }) => {
      seen.push({ type, accepts: accepts_response_payload, body });
      await (type === 'slash_commands' ? ack({ text: 'got it' }) : ack());
    });
    try {
      await client.start();
      await slack.socketConnected();
      expect(slack.calls[0]).toMatchObject({
        method: 'apps.connections.open',
        headers: { authorization: `Bearer ${slack.appToken}` },
      });

      const command = slashCommandPayload({ text: 'is:unread' });
      await expect(slack.sendEnvelope('slash_commands', command)).resolves.toEqual({ text: 'got it' });
      await expect(slack.sendEnvelope('events_api', { event: { type: 'app_mention' } })).resolves.toEqual({});
      expect(seen).toEqual([
        { type: 'slash_commands', accepts: true, body: command },
        { type: 'events_api', accepts: false, body: { event: { type: 'app_mention' } } },
      ]);
      expect(slack.socketConnections).toBe(1);
    } finally {
      await client.disconnect();
    }
  });

  it('speaks the raw protocol: hello first, envelopes to the newest connection, acks with or without payload', async () => {
    const open = await webClient(slack.appToken).apps.connections.open();
    expect(open.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket$/);
    const older = await rawSocket(open.url ?? '');
    const newer = await rawSocket(open.url ?? '');
    try {
      expect(newer.received[0]).toEqual({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'standin', approximate_connection_time: 3600 },
        connection_info: { app_id: 'A0STANDIN' },
      });
      await waitFor(() => slack.socketConnections === 2);

      const acked = slack.sendEnvelope('interactive', { type: 'block_actions' });
      const envelope = await waitFor(() => newer.received[1], {
        message: 'envelope on the newest connection',
      });
      expect(envelope).toEqual({
        envelope_id: expect.any(String),
        type: 'interactive',
        payload: { type: 'block_actions' },
        accepts_response_payload: true,
      });
      newer.ws.send(JSON.stringify({ envelope_id: envelope.envelope_id }));
      await expect(acked).resolves.toBeUndefined();
      expect(older.received).toHaveLength(1);

      await expect(slack.sendEnvelope('events_api', {}, { timeoutMs: 30 })).rejects.toThrow(/no ack/);
    } finally {
      older.ws.terminate();
      newer.ws.terminate();
    }
  });

  it('refuses the bot token on apps.connections.open', async () => {
    await expect(socketModeClient(slack.botToken).start()).rejects.toMatchObject(slackError('invalid_auth'));
    expect(slack.socketConnections).toBe(0);
  });

  it('rejects waits still pending at close()', async () => {
    const waiting = slack.socketConnected();
    await slack.close();
    await expect(waiting).rejects.toThrow(/closed/);
  });
});

describe('requests to the app', () => {
  const signingSecret = 'test-signing-secret';

  it('signs bodies so that Bolt verifies them, and form-encodes as Slack does', () => {
    const body = formEncode(
      slashCommandPayload({ text: 'from:bob is:unread', response_url: 'http://x/commands/1' }),
    );
    expect(body).toMatch(/^token=\w+&team_id=T0001&team_domain=example&channel_id=C0001&/);
    expect(body).toContain('&command=%2Finbox&text=from%3Abob+is%3Aunread&');
    const headers = signSlackRequest(signingSecret, body);
    const verify = (secret: string) =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': headers['X-Slack-Signature'],
          'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
        },
      });
    expect(() => verify(signingSecret)).not.toThrow();
    expect(() => verify('other-secret')).toThrow(/signature mismatch/);
  });

  it('drives a real Bolt HTTP app: command ack and respond(), button click, bad signature', async () => {
    const app = new App({
      token: slack.botToken,
      signingSecret,
      logger: quietLogger,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/inbox', async ({ ack, respond, command }) => {
      await ack({ text: 'on it' });
      await respond({ response_type: 'in_channel', text: `echo ${command.text}` });
    });
    app.action('connect', async ({ ack }) => ack());
    const server = await app.start(0);
    const address = server.address();
    const eventsUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/slack/events`;
    try {
      const responseUrl = slack.newResponseUrl();
      const acked = await postSlashCommand(eventsUrl, signingSecret, {
        text: 'hi there',
        response_url: responseUrl,
      });
      expect(acked).toMatchObject({ status: 200, json: { text: 'on it' } });
      const post = await waitFor(() => slack.responseUrlPosts[0], {
        message: 'respond() reached the response_url',
      });
      expect(post).toMatchObject({
        status: 200,
        body: { response_type: 'in_channel', text: 'echo hi there' },
      });

      const click = blockActionsPayload({
        actionId: 'connect',
        url: 'https://example.com/consent',
        responseUrl,
      });
      await expect(postInteraction(eventsUrl, signingSecret, click)).resolves.toMatchObject({ status: 200 });
      await expect(
        postSlashCommand(eventsUrl, signingSecret, {}, { signature: 'v0=00' }),
      ).resolves.toMatchObject({
        status: 401,
      });
      expect(slack.calls.map((c) => c.method)).toEqual(['auth.test']);
    } finally {
      await app.stop();
    }
  });
});

describe('waitFor', () => {
  it('resolves with the first truthy value and names what it waited for on timeout', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : undefined), { intervalMs: 1 })).resolves.toBe(3);
    await expect(waitFor(() => false, { timeoutMs: 20, message: 'the summary' })).rejects.toThrow(
      'waitFor timed out after 20 ms: the summary',
    );
  });
});

/** A bare WebSocket client that keeps every JSON frame it receives; resolves once hello has arrived. */
async function rawSocket(url: string): Promise<{ ws: WebSocket; received: Record<string, unknown>[] }> {
  const ws = new WebSocket(url);
  const received: Record<string, unknown>[] = [];
  ws.on('message', (data) => received.push(JSON.parse(String(data))));
  await waitFor(() => received.length > 0, { message: `hello on ${url}` });
  return { ws, received };
}
