import { createInboxApp, StartupError } from '../../src/app';
import { loadConfig } from '../../src/core/config';
import { createLogger } from '../../src/core/log';
import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { postSlashCommand, slashCommandPayload } from '../../src/stand-ins/slack-requests';
import { startSlackStandIn } from '../../src/stand-ins/slack-stand-in';
import { bootApp, FAST_TUNING, type Harness, SIGNING_SECRET } from '../support/boot-app';
import { waitFor } from '../support/wait-for';

const ALICE = 'slack:T0001:U0001';

describe('HTTP mode', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootApp();
  });
  afterEach(() => h.stop());

  it('answers GET /healthz', async () => {
    const response = await fetch(`http://127.0.0.1:${h.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it.each([
    ['a forged signature', { signature: `v0=${'0'.repeat(64)}` }],
    ['a stale timestamp', { timestampSeconds: Math.floor(Date.now() / 1000) - 600 }],
  ])('refuses %s with 401 and calls nothing outside', async (_case, opts) => {
    const response = await postSlashCommand(
      h.eventsUrl,
      SIGNING_SECRET,
      { text: '', response_url: h.slack.newResponseUrl() },
      opts,
    );
    expect(response.status).toBe(401);
    expect(h.arcade.calls).toHaveLength(0);
    expect(h.gmail.calls).toHaveLength(0);
    expect(h.slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('answers `/inbox help` privately in the ack and calls nothing outside', async () => {
    const response = await h.command({ text: 'help' });
    expect(response.status).toBe(200);
    expect(response.json?.response_type ?? 'ephemeral').toBe('ephemeral');
    expect(JSON.stringify(response.json)).toMatch(/\/inbox 25/);
    expect(JSON.stringify(response.json)).toMatch(/is:unread/);
    expect(h.arcade.calls).toHaveLength(0);
    expect(h.gmail.calls).toHaveLength(0);
  });

  it('answers a bad count privately, echoing what was typed', async () => {
    const response = await h.command({ text: '26 from:bob' });
    expect(response.status).toBe(200);
    const text = JSON.stringify(response.json);
    expect(text).toMatch(/1 to 25/);
    expect(text).toContain('26 from:bob');
    expect(h.arcade.calls).toHaveLength(0);
  });

  it('acks before calling Arcade, even when Arcade is slow', async () => {
    h.arcade.delayMs = 1500;
    h.arcade.grant(ALICE, { token: 'ya29.a' });
    const response = await h.command();
    expect(response.status).toBe(200);
    expect(response.elapsedMs).toBeLessThan(1000);
  });
});

describe('Socket Mode', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('runs the same listeners over the WebSocket: ack, then the summary in the channel', async () => {
    h = await bootApp({ socketMode: true });
    await h.slack.socketConnected();
    h.arcade.grant(ALICE, { token: 'ya29.socket', email: 'alice@example.com' });
    h.gmail.addMailbox('ya29.socket', { email: 'alice@example.com', messages: makeMessages(3) });

    const ack = await h.slack.sendEnvelope(
      'slash_commands',
      slashCommandPayload({ text: '', response_url: h.slack.newResponseUrl() }),
    );

    expect(ack ?? {}).toEqual({});
    const posted = await waitFor(() => h.slack.messages[0]);
    expect(posted.channel).toBe('C0001');
    const health = await fetch(`http://127.0.0.1:${h.port}/healthz`);
    expect(health.status).toBe(200);
  });

  it('answers help in the socket ack payload', async () => {
    h = await bootApp({ socketMode: true });
    await h.slack.socketConnected();
    const ack = await h.slack.sendEnvelope('slash_commands', slashCommandPayload({ text: 'help' }));
    expect(JSON.stringify(ack)).toMatch(/Gmail search/);
  });
});

describe('start-up', () => {
  it('fails with a clear error, not a crash, when Slack refuses the bot token', async () => {
    const slack = await startSlackStandIn({ botToken: 'xoxb-the-right-one' });
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-a-revoked-one',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ARCADE_API_KEY: 'arc_unused',
      PORT: '0',
    });
    const lines: string[] = [];
    const app = createInboxApp(config, {
      ...FAST_TUNING,
      logger: createLogger({ level: 'debug', secrets: [], write: (l) => lines.push(l) }),
    });
    try {
      await expect(app.start()).rejects.toThrow(StartupError);
      await expect(app.start()).rejects.toThrow(/SLACK_BOT_TOKEN.*invalid_auth/);
      expect(lines.join('\n')).not.toContain('xoxb-a-revoked-one');
    } finally {
      await app.stop();
      await slack.close();
    }
  });
});
