import { createInboxApp, type InboxApp, type InboxAppTuning } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { type ArcadeStandIn, startArcadeStandIn } from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import {
  type AppResponse,
  postSlashCommand,
  type SlashCommandFields,
} from '../../src/stand-ins/slack-requests';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';

/**
 * Boots the real app (real Bolt, Arcade SDK and Gmail client) against fresh stand-ins of Slack,
 * Arcade and Gmail on loopback, configured through the same environment variables operators use.
 */

export const SIGNING_SECRET = 'test-signing-secret-8f2c1d';

export interface Harness {
  slack: SlackStandIn;
  arcade: ArcadeStandIn;
  gmail: GmailStandIn;
  app: InboxApp;
  /** HTTP port: Slack events in HTTP mode, /healthz in both. */
  port: number;
  eventsUrl: string;
  /** Every log line the app wrote, already redacted. */
  logs: string[];
  /** Sends a signed `/inbox` with a fresh response_url (HTTP mode). */
  command(fields?: SlashCommandFields): Promise<AppResponse & { responseUrl: string }>;
  stop(): Promise<void>;
}

export interface BootOptions {
  socketMode?: boolean;
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  tuning?: InboxAppTuning;
  /** Overrides CONSENT_TIMEOUT_SECONDS (whose minimum, 30 s, is too long for a test). */
  consentTimeoutMs?: number;
}

/** Test-speed tuning: no Slack/Arcade SDK retries, millisecond backoffs. Tests override as needed. */
export const FAST_TUNING: InboxAppTuning = {
  slackRetry: { retries: 0 },
  arcadeMaxRetries: 0,
  gmailRetry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 2000 },
  consentRetryDelayMs: { first: 10, max: 50 },
  shutdownGraceMs: 2000,
};

/** Starts stand-ins and the app; call `stop()` in afterEach. */
export async function bootApp(options: BootOptions = {}): Promise<Harness> {
  const [slack, arcade, gmail] = await Promise.all([
    startSlackStandIn(),
    startArcadeStandIn(),
    startGmailStandIn(),
  ]);
  const logs: string[] = [];
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_API_URL: slack.apiUrl,
    ARCADE_API_KEY: arcade.apiKey,
    ARCADE_BASE_URL: arcade.baseUrl,
    GMAIL_API_URL: gmail.rootUrl,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...(options.socketMode ? { SLACK_APP_TOKEN: slack.appToken } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    ...options.env,
  };
  const config = loadConfig(env);
  if (options.consentTimeoutMs !== undefined) config.consentTimeoutMs = options.consentTimeoutMs;
  const logger = createLogger({
    level: config.logLevel,
    secrets: [slack.botToken, slack.appToken, arcade.apiKey, SIGNING_SECRET],
    write: (line) => {
      logs.push(line);
      if (process.env.TEST_LOGS) process.stderr.write(`${line}\n`);
    },
  });
  const app = createInboxApp(config, { ...FAST_TUNING, ...options.tuning, logger });
  let port: number;
  try {
    ({ port } = await app.start());
  } catch (error) {
    await Promise.all([slack.close(), arcade.close(), gmail.close()]);
    throw error;
  }
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
  return {
    slack,
    arcade,
    gmail,
    app,
    port,
    eventsUrl,
    logs,
    async command(fields = {}) {
      const responseUrl = fields.response_url ?? slack.newResponseUrl();
      const response = await postSlashCommand(eventsUrl, SIGNING_SECRET, {
        ...fields,
        response_url: responseUrl,
      });
      return { ...response, responseUrl };
    },
    async stop() {
      await app.stop();
      await Promise.all([slack.close(), arcade.close(), gmail.close()]);
    },
  };
}
