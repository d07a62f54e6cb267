import type { Logger } from '@slack/bolt';
import type { RetryOptions, WebClientOptions } from '@slack/web-api';
import { createArcadeClient, createGmailAccess, type GmailAccess } from '../auth/gmail-access';
import type { Config } from '../core/config';
import { namedLogger } from '../core/log';
import { createTransports, type Transports } from '../core/transport';
import { createGmailReader, type GmailReader } from '../gmail/gmail-reader';
import { createMeteredFetch } from '../metrics/metered-fetch';
import type { Metrics } from '../metrics/metrics';
import { createSummaryThread, type SummaryThread } from '../summary-thread/summary-thread';
import type { InboxAppTuning } from './tuning';

/** The clients of Slack's Web API, Arcade and Gmail, each over its own pool (src/core/transport.ts). */
export interface SdkClients {
  /** Closed last at shutdown. */
  transports: Transports;
  slackFetch: typeof fetch;
  /** A fresh copy each call: the Socket Mode client mutates the options it is given. */
  slackClientOptions(): WebClientOptions;
  slackRetry: RetryOptions;
  /** Arcade's SDK client; only src/auth/ imports the SDK itself. */
  arcade: ReturnType<typeof createArcadeClient>;
  access: GmailAccess;
  reader: GmailReader;
  /** Summaries for people already connected, end to end off the ack thread (unless tuned off). */
  summaryThread?: SummaryThread;
}

/** Builds every SDK client except Bolt's, which needs the receiver (src/wiring/slack-app.ts). */
export function buildSdkClients(
  config: Config,
  tuning: InboxAppTuning,
  logger: Logger,
  metrics: Metrics,
): SdkClients {
  // Slack's default is ten retries over about 30 minutes: far too long for someone waiting.
  const slackRetry = tuning.slackRetry ?? { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 };
  const transports = createTransports();
  // Every outside call is counted by service and status; the URL is never recorded.
  const slackFetch = createMeteredFetch(transports.slackFetch, 'slack', metrics);
  const slackSdkLogger = namedLogger(logger, 'slack-web-api');
  const arcade = createArcadeClient({
    apiKey: config.arcade.apiKey,
    baseUrl: config.arcade.baseUrl,
    logger,
    fetch: createMeteredFetch(transports.arcadeFetch, 'arcade', metrics),
    ...(tuning.arcadeMaxRetries !== undefined ? { maxRetries: tuning.arcadeMaxRetries } : {}),
    ...(tuning.arcadeTimeoutMs !== undefined ? { timeoutMs: tuning.arcadeTimeoutMs } : {}),
  });
  return {
    transports,
    slackFetch,
    slackClientOptions: () => ({
      slackApiUrl: config.slack.apiUrl,
      retryConfig: { ...slackRetry },
      logger: slackSdkLogger,
      // Also carries Bolt's respond() to response_url.
      fetch: slackFetch,
    }),
    slackRetry,
    arcade,
    access: createGmailAccess(arcade, transports.arcadeLongPoll),
    ...buildSummaryWork(config, tuning, logger, metrics, transports, slackRetry),
  };
}

/**
 * A summary's work runs in a thread of its own (src/summary-thread/), so that its CPU never delays
 * an ack; `tuning.summaryThread: false` keeps it all on the app's thread.
 */
function buildSummaryWork(
  config: Config,
  tuning: InboxAppTuning,
  logger: Logger,
  metrics: Metrics,
  transports: Transports,
  slackRetry: RetryOptions,
): { reader: GmailReader; summaryThread?: SummaryThread } {
  const gmail = {
    rootUrl: config.gmail.apiUrl,
    ...(tuning.gmailRetry ? { retry: tuning.gmailRetry } : {}),
    ...(tuning.gmailConcurrency ? { concurrency: tuning.gmailConcurrency } : {}),
    ...(tuning.gmailTimeoutMs !== undefined ? { timeoutMs: tuning.gmailTimeoutMs } : {}),
  };
  if (tuning.summaryThread === false) {
    const fetch = createMeteredFetch(transports.gmailFetch, 'gmail', metrics);
    return { reader: createGmailReader({ ...gmail, logger, fetch }) };
  }
  const summaryThread = createSummaryThread({
    settings: {
      gmail,
      arcade: {
        apiKey: config.arcade.apiKey,
        baseUrl: config.arcade.baseUrl,
        ...(tuning.arcadeMaxRetries !== undefined ? { maxRetries: tuning.arcadeMaxRetries } : {}),
        ...(tuning.arcadeTimeoutMs !== undefined ? { timeoutMs: tuning.arcadeTimeoutMs } : {}),
      },
      slack: { botToken: config.slack.botToken, apiUrl: config.slack.apiUrl, retry: slackRetry },
    },
    logger,
    ...(tuning.summaryThreadNice !== undefined ? { nice: tuning.summaryThreadNice } : {}),
    onCall: (call) => metrics.outsideCall(call.service, call.status, call.seconds),
  });
  return { reader: summaryThread, summaryThread };
}
