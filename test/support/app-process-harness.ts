import { randomBytes } from 'node:crypto';
import { type AppProcess, startAppProcess } from '../../bench/app-process';
import { type ArcadeStandIn, startArcadeStandIn } from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import {
  type AppResponse,
  postSlashCommand,
  type SlashCommandFields,
} from '../../src/stand-ins/slack-requests';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';

/**
 * The real app in a process of its own (`node --import tsx src/index.ts`, bench/app-process.ts),
 * configured through the environment like production, against stand-ins of Slack, Arcade and Gmail
 * running in the test's process. For load and fuzz tests, where the app must be measured (ack
 * latency, resident memory, survival) apart from the driver.
 */

export interface ProcessHarness {
  slack: SlackStandIn;
  arcade: ArcadeStandIn;
  gmail: GmailStandIn;
  app: AppProcess;
  eventsUrl: string;
  signingSecret: string;
  /** Sends a signed `/inbox` with a fresh response_url. */
  command(fields?: SlashCommandFields): Promise<AppResponse & { responseUrl: string }>;
  /** GET /healthz status, or 0 when the process does not answer. */
  health(): Promise<number>;
  /** Stops the app (SIGTERM) and the stand-ins; resolves with the app's exit code. */
  stop(): Promise<number | null>;
}

/** Starts stand-ins and the app process; call `stop()` in afterAll. */
export async function startProcessHarness(env: Record<string, string> = {}): Promise<ProcessHarness> {
  const [slack, arcade, gmail] = await Promise.all([
    startSlackStandIn(),
    startArcadeStandIn(),
    startGmailStandIn(),
  ]);
  const signingSecret = randomBytes(16).toString('hex');
  let app: AppProcess;
  try {
    app = await startAppProcess(
      {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: slack.apiUrl,
        ARCADE_API_KEY: arcade.apiKey,
        ARCADE_BASE_URL: arcade.baseUrl,
        GMAIL_API_URL: gmail.rootUrl,
        PORT: '0',
        // Every setting that changes behaviour is explicit, so a developer's .env cannot change the test
        // (real environment variables win over .env). info: the app announces its port at start-up.
        LOG_LEVEL: 'info',
        INBOX_VISIBILITY: 'channel',
        ARCADE_USER_ID_SOURCE: 'slack',
        VERIFIER_ENABLED: 'false',
        ...env,
      },
      'src',
    );
  } catch (error) {
    await Promise.all([slack.close(), arcade.close(), gmail.close()]);
    throw error;
  }
  const eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
  let stopped: Promise<number | null> | undefined;
  return {
    slack,
    arcade,
    gmail,
    app,
    eventsUrl,
    signingSecret,
    async command(fields = {}) {
      const responseUrl = fields.response_url ?? slack.newResponseUrl();
      const response = await postSlashCommand(eventsUrl, signingSecret, {
        ...fields,
        response_url: responseUrl,
      });
      return { ...response, responseUrl };
    },
    async health() {
      const response = await fetch(`http://127.0.0.1:${app.port}/healthz`).catch(() => undefined);
      await response?.text();
      return response?.status ?? 0;
    },
    stop() {
      stopped ??= (async () => {
        try {
          return await app.stop();
        } finally {
          await Promise.all([slack.close(), arcade.close(), gmail.close()]);
        }
      })();
      return stopped;
    },
  };
}

/** The id at the end of a stand-in response_url, as `responseUrlPosts[].id` records it. */
export function responseUrlId(responseUrl: string): string {
  return responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
}

/** The value at percentile `p` (nearest rank) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
