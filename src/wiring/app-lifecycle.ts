import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import type { BackgroundTasks } from '../core/background';
import type { Config, MetricsConfig, SlackTransport } from '../core/config';
import { describeError } from '../core/log';
import { HTTP_SERVER_OPTIONS, MAX_CONNECTIONS } from '../core/slack-events-guard';
import type { SlackReceiver } from '../core/slack-receiver';
import { slackStartupProblem } from '../core/slack-startup-error';
import type { Transports } from '../core/transport';
import type { GmailReader } from '../gmail/gmail-reader';
import type { Metrics } from '../metrics/metrics';
import { type MetricsServer, startMetricsServer } from '../metrics/metrics-server';
import type { PendingConsents } from '../pending/pending-consents';
import type { PendingStore } from '../pending/pending-store';
import { aiSummaryInfo } from '../tldr/ai-summary-note';
import type { Tldr } from '../tldr/start-tldr';
import { SIGN_IN_CALLBACK_PATH, VERIFY_PATH } from '../verifier/verifier-routes';
import type { SchedulesPart } from './schedules-part';
import type { SlackApp } from './slack-app';
import { StartupError } from './startup-error';

export { StartupError };

/** The wired parts that have something to open at start or to finish at stop. */
export interface LifecycleParts {
  config: Config;
  slack: SlackApp;
  store: PendingStore;
  pending: PendingConsents;
  tasks: BackgroundTasks;
  reader: GmailReader;
  tldr: Tldr | undefined;
  schedules: Pick<SchedulesPart, 'start' | 'stop'>;
  metrics: Metrics;
  transports: Transports;
  logger: Logger;
  shutdownGraceMs: number;
  listenHost: string | undefined;
}

/** The app's start and stop sequences (InboxApp.start and InboxApp.stop in src/app.ts). */
export interface AppLifecycle {
  start(): Promise<{ port: number; address?: string }>;
  stop(): Promise<void>;
  /** Once started with METRICS_PORT. */
  readonly metricsPort: number | undefined;
}

export function createAppLifecycle(parts: LifecycleParts): AppLifecycle {
  const { config, slack, store, pending, transports, logger } = parts;
  let started = false;
  let storeOpen = false;
  let metricsServer: MetricsServer | undefined;
  let warmUpTimer: NodeJS.Timeout | undefined;
  return {
    get metricsPort() {
      return metricsServer?.port;
    },
    async start() {
      await checkSlackToken(slack, config.slack.apiUrl);
      try {
        await store.open();
        storeOpen = true;
      } catch (error) {
        await Promise.all([transports.close(), parts.reader.close?.()]);
        throw new StartupError(`cannot reach Redis at REDIS_URL: ${describeError(error)}`);
      }
      if (store.durable) {
        // Consents left by a stopped or crashed instance are watched again, and their summaries delivered.
        await pending.start();
        logger.info('pending consents are kept in Redis (REDIS_URL)');
      }
      if (config.metrics) metricsServer = await serveMetrics(parts.metrics, config.metrics, logger);
      announceFeatures(config, logger);
      warmUpTimer = warmUpSoon(parts.reader, logger);
      await parts.schedules.start();
      const httpServer = await startReceiving(slack, config.slack.transport, parts.listenHost);
      started = true;
      return listeningOn(httpServer, slack.receiver, config.slack.transport);
    },
    async stop() {
      clearTimeout(warmUpTimer);
      // No digest starts from here; those running finish alongside the summaries (finishWork).
      const schedulesStopped = parts.schedules.stop(parts.shutdownGraceMs);
      if (started) {
        started = false;
        await stopReceiving(slack, logger);
      }
      await Promise.all([finishWork(parts), schedulesStopped]);
      // Summaries are out; TL;DRs still being written are dropped (each summary stays as posted).
      await parts.tldr?.stop();
      if (storeOpen) {
        storeOpen = false;
        await store.close();
      }
      // Last, so that a scrape during the drain still sees it.
      await metricsServer?.close();
      metricsServer = undefined;
      await Promise.all([transports.close(), parts.reader.close?.()]);
    },
  };
}

/** Bolt's `auth.test`, deferred to here so that a refused token is told like a settings problem. */
async function checkSlackToken(slack: SlackApp, apiUrl: string): Promise<void> {
  try {
    await slack.bolt.init();
  } catch (error) {
    throw new StartupError(slackStartupProblem(error, apiUrl));
  }
}

async function serveMetrics(
  metrics: Metrics,
  options: MetricsConfig,
  logger: Logger,
): Promise<MetricsServer> {
  let server: MetricsServer;
  try {
    server = await startMetricsServer(metrics, options);
  } catch (error) {
    throw new StartupError(
      `cannot serve metrics on ${options.host}:${options.port} (METRICS_PORT, METRICS_HOST): ${describeError(error)}`,
    );
  }
  logger.info(`metrics: GET http://${options.host}:${server.port}/metrics`);
  return server;
}

/** What an operator needs to know is on: where mail metadata goes, and what to register where. */
function announceFeatures(config: Config, logger: Logger): void {
  const ai = aiSummaryInfo(config.summaryModel);
  if (config.summaryModel && ai) {
    logger.info(`AI summaries on: ${ai.model} at ${ai.host} writes a TL;DR for each summary`);
    if (new URL(config.summaryModel.baseUrl).protocol === 'http:')
      logger.warn(
        'OPENAI_BASE_URL uses plain http: senders, subjects and previews cross the network unencrypted unless the model server is on this machine',
      );
  }
  if (config.verifier) {
    const base = config.verifier.publicUrl;
    logger.info(
      `custom user verifier on: Arcade verifier URL ${base}${VERIFY_PATH}, Slack redirect URL ${base}${SIGN_IN_CALLBACK_PATH}`,
    );
  }
}

/** Google's client loads once the app is serving, in the first idle moment (gmail-reader.ts). */
function warmUpSoon(reader: GmailReader, logger: Logger): NodeJS.Timeout {
  const timer = setTimeout(() => {
    try {
      reader.warmUp?.();
    } catch (error) {
      // Loaded again at the first summary, which reports any problem to the person.
      logger.warn('loading the Gmail client failed:', describeError(error));
    }
  }, 1000);
  timer.unref();
  return timer;
}

/** Starts Bolt; over HTTP resolves with its server, which is Bolt's own and takes the guard's limits here. */
async function startReceiving(
  slack: SlackApp,
  transport: SlackTransport,
  listenHost: string | undefined,
): Promise<Server | undefined> {
  if (transport.mode === 'http') {
    const server = (await slack.bolt.start(
      listenHost ? { port: transport.port, host: listenHost } : transport.port,
      HTTP_SERVER_OPTIONS,
    )) as Server;
    server.maxConnections = MAX_CONNECTIONS;
    return server;
  }
  await slack.bolt.start();
  return undefined;
}

/** The HTTP port actually bound: Slack's events over HTTP; /healthz and the verifier in Socket Mode. */
async function listeningOn(
  httpServer: Server | undefined,
  receiver: SlackReceiver,
  transport: SlackTransport,
): Promise<{ port: number; address?: string }> {
  if (httpServer) {
    const { port, address } = httpServer.address() as AddressInfo;
    return { port, address };
  }
  const server = receiver.healthServer();
  if (!server) return { port: transport.port };
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  // Bolt creates this server itself: the same limits, set after the fact.
  server.headersTimeout = HTTP_SERVER_OPTIONS.headersTimeout ?? server.headersTimeout;
  server.requestTimeout = HTTP_SERVER_OPTIONS.requestTimeout ?? server.requestTimeout;
  server.maxConnections = MAX_CONNECTIONS;
  return { port: (server.address() as AddressInfo).port };
}

async function stopReceiving(slack: SlackApp, logger: Logger): Promise<void> {
  const closed = slack.receiver.socketClosed();
  await slack.bolt
    .stop()
    .catch((error: unknown) => logger.warn('stopping the Slack receiver:', describeError(error)));
  await closed;
}

/**
 * Summaries being built finish (within the grace period) while pending consents are handed back
 * to Redis, or, in memory, their waiters told to run /inbox again.
 */
async function finishWork(parts: Pick<LifecycleParts, 'tasks' | 'pending' | 'shutdownGraceMs' | 'logger'>) {
  const { tasks, pending, shutdownGraceMs, logger } = parts;
  const [finished] = await Promise.all([
    tasks.drain(shutdownGraceMs),
    pending.stop(shutdownGraceMs).catch((error: unknown) => {
      logger.error('handing back pending consents failed:', describeError(error));
    }),
  ]);
  if (!finished) logger.warn(`shutdown: ${tasks.size} summary task(s) still running were abandoned`);
}
