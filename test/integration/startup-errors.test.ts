import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInboxApp, StartupError } from '../../src/app';
import { loadConfig } from '../../src/core/config';
import { createLogger } from '../../src/core/log';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';
import { FAST_TUNING, SIGNING_SECRET } from '../support/boot-app';
import { startEntryProcess } from '../support/process-entry';

/**
 * What an operator reads when the app cannot start: "Slack refused SLACK_BOT_TOKEN" only when Slack
 * answered with a refusal; an unreachable or failing Slack says so, with the URL tried; a placeholder
 * copied from .env.example is named and never sent to Slack.
 */

/** Runs start() against `apiUrl` and returns the StartupError's message (the app is stopped again). */
async function startupMessage(apiUrl: string, botToken = 'xoxb-test-token'): Promise<string> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    ARCADE_API_KEY: 'arc_unused_key',
    PORT: '0',
  });
  const lines: string[] = [];
  const app = createInboxApp(config, {
    ...FAST_TUNING,
    logger: createLogger({ level: 'debug', secrets: [], write: (line) => lines.push(line) }),
  });
  try {
    const error = await app.start().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(StartupError);
    const message = (error as Error).message;
    expect(`${message}\n${lines.join('\n')}`).not.toContain(botToken);
    return message;
  } finally {
    await app.stop();
  }
}

describe('start-up errors', () => {
  let slack: SlackStandIn;
  beforeEach(async () => {
    slack = await startSlackStandIn();
  });
  afterEach(() => slack.close());

  it('a refused token: "Slack refused SLACK_BOT_TOKEN", with the answer and what to do', async () => {
    const message = await startupMessage(slack.apiUrl, 'xoxb-a-revoked-one');
    expect(message).toMatch(/^Slack refused SLACK_BOT_TOKEN .*"invalid_auth".*OAuth & Permissions/);
  });

  it('an unreachable Slack says so, with the URL it tried, and blames no token', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const message = await startupMessage(`http://127.0.0.1:${port}/api/`);
    expect(message).toContain(`Cannot reach Slack at http://127.0.0.1:${port}/api/auth.test`);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toMatch(/refused SLACK_BOT_TOKEN/);
  });

  it('a failing Slack (HTTP 503) is an outage, not a refused token', async () => {
    slack.failNext('auth.test', { status: 503, body: 'upstream down' });
    const message = await startupMessage(slack.apiUrl);
    expect(message).toContain('Slack answered HTTP 503 to auth.test');
    expect(message).not.toMatch(/refused SLACK_BOT_TOKEN/);
  });

  it(".env.example's placeholders are named in the config error and never sent to Slack", async () => {
    const entry = startEntryProcess({
      SLACK_BOT_TOKEN: 'xoxb-...',
      SLACK_APP_TOKEN: 'xapp-...',
      ARCADE_API_KEY: 'arc_...',
      SLACK_API_URL: slack.apiUrl,
    });
    expect(await entry.exited).toBe(1);
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'ARCADE_API_KEY']) {
      expect(entry.output()).toContain(`${name} is still a placeholder`);
    }
    expect(slack.calls).toEqual([]);
  });
});
