import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInboxApp, type InboxApp, type InboxAppTuning } from '../../src/app';
import { configSecrets, loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import {
  type ArcadeStandIn,
  type ArcadeStandInOptions,
  startArcadeStandIn,
} from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import {
  type AppResponse,
  postInteraction,
  postSlashCommand,
  type SlashCommandFields,
  signSlackRequest,
} from '../../src/stand-ins/slack-requests';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';

/**
 * Boots the real app (real Bolt, Arcade SDK and Gmail client) against fresh stand-ins of Slack,
 * Arcade and Gmail on loopback, configured through the same environment variables operators use.
 */

export const SIGNING_SECRET = 'test-signing-secret-8f2c1d';
/** RECORD_SECRET for tests with REDIS_URL (required with it). */
export const RECORD_SECRET = 'test-record-secret-fedcba9876543210-77aa';
/** VERIFIER_SECRET for tests with the custom user verifier on. */
export const VERIFIER_SECRET = 'test-verifier-secret-0123456789abcdef-4d1e';

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
  /** Sends a signed interaction payload (`block_actions`, …) (HTTP mode). */
  interact(payload: Record<string, unknown>): Promise<AppResponse>;
  /** Delivers an Events API body: signed JSON over HTTP, or an envelope in Socket Mode. */
  event(body: Record<string, unknown>): Promise<void>;
  /** With the verifier on: the `PUBLIC_URL` the app was given (its own port on 127.0.0.1). */
  publicUrl?: string;
  /** Moves the verifier's clock forward (it starts at real time). */
  advanceVerifierClock(ms: number): void;
  stop(): Promise<void>;
}

export interface BootOptions {
  socketMode?: boolean;
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  tuning?: InboxAppTuning;
  /** Overrides CONSENT_TIMEOUT_SECONDS (whose minimum, 30 s, is too long for a test). */
  consentTimeoutMs?: number;
  /**
   * Turns the custom user verifier on (VERIFIER_ENABLED=true with the Slack stand-in's OIDC
   * client). By default PUBLIC_URL is the app's own address on 127.0.0.1, registered as the Slack
   * redirect URL and as Arcade's verifier URL; `publicUrl` overrides it (nothing is registered then).
   */
  verifier?: boolean | { publicUrl: string };
  /** Options for the Arcade stand-in (e.g. `consentGrant`, the token an "allow" hands out). */
  arcade?: ArcadeStandInOptions;
  /**
   * Runs the app against these stand-ins instead of fresh ones (a second instance, or the app
   * after a restart); `stop()` then leaves them running for their owner to close.
   */
  standIns?: { slack: SlackStandIn; arcade: ArcadeStandIn; gmail: GmailStandIn };
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
  const shared = options.standIns;
  const [slack, arcade, gmail] = shared
    ? [shared.slack, shared.arcade, shared.gmail]
    : await Promise.all([startSlackStandIn(), startArcadeStandIn(options.arcade), startGmailStandIn()]);
  const closeStandIns = async () => {
    if (!shared) await Promise.all([slack.close(), arcade.close(), gmail.close()]);
  };
  const logs: string[] = [];
  let verifierEnv: Record<string, string> = {};
  let publicUrl: string | undefined;
  if (options.verifier) {
    const given = typeof options.verifier === 'object' ? options.verifier.publicUrl : undefined;
    // The app's address must be known before it starts (it is in the redirect URL), so a free port is picked first.
    const port = given ? 0 : await freePort();
    publicUrl = given ?? `http://127.0.0.1:${port}`;
    verifierEnv = {
      VERIFIER_ENABLED: 'true',
      PUBLIC_URL: publicUrl,
      SLACK_CLIENT_ID: slack.oidcClientId,
      SLACK_CLIENT_SECRET: slack.oidcClientSecret,
      VERIFIER_SECRET,
      PORT: String(port),
    };
    if (!given) {
      slack.oidcRedirectUrls.add(`${publicUrl}/verify/slack`);
      arcade.verifierUrl = `${publicUrl}/verify`;
    }
  }
  let clockOffsetMs = 0;
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_API_URL: slack.apiUrl,
    ARCADE_API_KEY: arcade.apiKey,
    ARCADE_BASE_URL: arcade.baseUrl,
    GMAIL_API_URL: gmail.rootUrl,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...(options.socketMode ? { SLACK_APP_TOKEN: slack.appToken } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    ...verifierEnv,
    ...(options.env?.REDIS_URL ? { RECORD_SECRET } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  if (options.consentTimeoutMs !== undefined) config.consentTimeoutMs = options.consentTimeoutMs;
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    // The app's own list, plus the app token that only the Socket Mode tests put in the settings.
    secrets: [...configSecrets(config), slack.appToken],
    write: (line) => {
      logs.push(line);
      if (process.env.TEST_LOGS) process.stderr.write(`${line}\n`);
    },
  });
  const app = createInboxApp(config, {
    ...FAST_TUNING,
    verifierClock: () => Date.now() + clockOffsetMs,
    ...options.tuning,
    logger,
  });
  let port: number;
  try {
    ({ port } = await app.start());
  } catch (error) {
    await closeStandIns();
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
    interact: (payload) => postInteraction(eventsUrl, SIGNING_SECRET, payload),
    async event(body) {
      if (options.socketMode) {
        await slack.sendEnvelope('events_api', body);
        return;
      }
      const text = JSON.stringify(body);
      const response = await fetch(eventsUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...signSlackRequest(SIGNING_SECRET, text) },
        body: text,
      });
      await response.text();
      if (response.status !== 200) throw new Error(`event answered ${response.status}`);
    },
    ...(publicUrl ? { publicUrl } : {}),
    advanceVerifierClock(ms) {
      clockOffsetMs += ms;
    },
    async stop() {
      await app.stop();
      await closeStandIns();
    },
  };
}

/** A port free right now on 127.0.0.1 (for an app whose public URL must name its port in advance). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
