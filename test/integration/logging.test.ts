import { type ArcadeStandIn, startArcadeStandIn } from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { postSlashCommand, slashCommandPayload } from '../../src/stand-ins/slack-requests';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';
import { bootApp, type Harness, SIGNING_SECRET } from '../support/boot-app';
import { startEntryProcess } from '../support/process-entry';
import { waitFor } from '../support/wait-for';

/**
 * What the app writes to its log, over the wire: the configured level for the app's, Bolt's and the
 * SDKs' lines; at debug still no token, key, response_url, Socket Mode payload, mail content or query
 * string; LOG_FORMAT=json one object per line.
 */
const ALICE = 'slack:T0001:U0001';
const GOOGLE_TOKEN = 'ya29.log-test-google-token';
const SUBJECT = 'Zebra-quarterly-figures-7731';
const SNIPPET = 'the vault code is 4417-okapi';

function mailbox(h: Harness): void {
  h.arcade.grant(ALICE, { token: GOOGLE_TOKEN, email: 'alice@example.com' });
  h.gmail.addMailbox(GOOGLE_TOKEN, {
    email: 'alice@example.com',
    messages: makeMessages(3, { snippet: SNIPPET, headers: [{ name: 'Subject', value: SUBJECT }] }),
  });
}

function expectNothingPrivate(logs: string, h: Harness, responseUrl: string): void {
  for (const leak of [
    h.slack.botToken,
    h.slack.appToken,
    SIGNING_SECRET,
    h.arcade.apiKey,
    GOOGLE_TOKEN,
    responseUrl,
    responseUrl.slice(responseUrl.lastIndexOf('/') + 1),
    SUBJECT,
    SNIPPET,
  ]) {
    expect(logs).not.toContain(leak);
  }
}

describe('log level', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('LOG_LEVEL=debug writes debug lines from the app, Bolt and the Slack SDK, and nothing private', async () => {
    h = await bootApp({ env: { LOG_LEVEL: 'debug' } });
    mailbox(h);
    const { responseUrl } = await h.command({ text: '3' });
    await waitFor(() => h.slack.messages.length === 1);
    const logs = h.logs.join('\n');
    expect(logs).toMatch(/ DEBUG \[bolt\] /);
    // The Web API client's request bodies (blocks made of mail) keep only their label.
    expect(logs).toContain('http request body [payload omitted]');
    expectNothingPrivate(logs, h, responseUrl);
  });

  it('LOG_LEVEL=error writes no info or debug line, Bolt included', async () => {
    h = await bootApp({ env: { LOG_LEVEL: 'error' } });
    mailbox(h);
    await h.command({ text: '3' });
    await h.command({ text: 'not-a-count 99999' });
    // Counted in the same step as the "summary delivered" info line: once both are counted, both
    // lines would have been written.
    await waitFor(async () => /reason="channel"} 2$/m.test(await h.app.metrics.render()));
    expect(h.logs.filter((line) => / (INFO|DEBUG|WARN) /.test(line))).toEqual([]);
  });

  it('in Socket Mode at debug, envelopes and acks are not written', async () => {
    h = await bootApp({ socketMode: true, env: { LOG_LEVEL: 'debug' } });
    await h.slack.socketConnected();
    mailbox(h);
    const responseUrl = h.slack.newResponseUrl();
    await h.slack.sendEnvelope(
      'slash_commands',
      slashCommandPayload({ text: '3', response_url: responseUrl }),
    );
    await waitFor(() => h.slack.messages.length === 1);
    const logs = h.logs.join('\n');
    expect(logs).toContain('Received a message on the WebSocket [payload omitted]');
    expectNothingPrivate(logs, h, responseUrl);
  });

  it.each(['HEAD', 'POST', 'PUT'])(
    'an unhandled %s request is logged without its query string',
    async (method) => {
      h = await bootApp({ env: { LOG_LEVEL: 'info' } });
      const response = await fetch(`http://127.0.0.1:${h.port}/verify/slack?code=c0de-9911&state=st4te-1`, {
        method,
      });
      await response.text();
      const line = await waitFor(() => h.logs.find((entry) => entry.includes('made to')));
      expect(line).toContain('/verify/slack?[query omitted]');
      expect(h.logs.join('\n')).not.toMatch(/c0de-9911|st4te-1/);
    },
  );
});

describe('LOG_FORMAT=json', () => {
  let slack: SlackStandIn;
  let arcade: ArcadeStandIn;
  let gmail: GmailStandIn;
  beforeEach(async () => {
    [slack, arcade, gmail] = await Promise.all([
      startSlackStandIn(),
      startArcadeStandIn(),
      startGmailStandIn(),
    ]);
  });
  afterEach(async () => {
    await Promise.all([slack.close(), arcade.close(), gmail.close()]);
  });

  it('the process writes one JSON object per line (time, level, name, message), redacted alike', async () => {
    const { child, output, exited } = startEntryProcess({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ARCADE_API_KEY: arcade.apiKey,
      ARCADE_BASE_URL: arcade.baseUrl,
      GMAIL_API_URL: gmail.rootUrl,
      PORT: '0',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
    });
    const port = await waitFor(() => output().match(/localhost:(\d+)\/slack\/events/)?.[1], {
      timeoutMs: 15_000,
    });
    arcade.grant(ALICE, { token: GOOGLE_TOKEN, email: 'alice@example.com' });
    gmail.addMailbox(GOOGLE_TOKEN, {
      email: 'alice@example.com',
      messages: makeMessages(2, { snippet: SNIPPET }),
    });
    const responseUrl = slack.newResponseUrl();
    await postSlashCommand(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, {
      response_url: responseUrl,
    });
    await waitFor(() => slack.messages.length === 1, { timeoutMs: 10_000 });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const lines = output().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries) {
      expect(entry).toEqual(
        expect.objectContaining({
          time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          level: expect.stringMatching(/^(debug|info|warn|error)$/),
          name: expect.any(String),
          message: expect.any(String),
        }),
      );
    }
    expect(entries.some((entry) => entry.level === 'debug' && entry.name === 'bolt')).toBe(true);
    for (const leak of [slack.botToken, arcade.apiKey, SIGNING_SECRET, GOOGLE_TOKEN, responseUrl, SNIPPET]) {
      expect(output()).not.toContain(leak);
    }
  });
});
