import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { createBackgroundTasks } from './core/background';
import { type Config, configSecrets } from './core/config';
import { createLogger, describeError } from './core/log';
import { deriveKey } from './core/sealing';
import { type GuardStats, HTTP_SERVER_OPTIONS, MAX_CONNECTIONS } from './core/slack-events-guard';
import { slackStartupProblem } from './core/slack-startup-error';
import { createEmailLookup } from './identity/email-lookup';
import { createArcadeUserIdResolver } from './identity/identity';
import type { InboxFlow } from './inbox/inbox-flow';
import { registerListeners } from './listeners/register-listeners';
import { createMetrics, type Metrics } from './metrics/metrics';
import { type MetricsServer, startMetricsServer } from './metrics/metrics-server';
import type { PendingConsents } from './pending/pending-consents';
import type { ScheduleRunner } from './schedules/schedule-runner';
import { responseUrlCheck } from './slack/response-url';
import { aiSummaryInfo } from './tldr/ai-summary-note';
import { SIGN_IN_CALLBACK_PATH, VERIFY_PATH } from './verifier/verifier-routes';
import { buildConnection } from './wiring/connection-part';
import { buildInboxFlow } from './wiring/inbox-part';
import { buildPending } from './wiring/pending-part';
import { buildSchedules } from './wiring/schedules-part';
import { buildSdkClients } from './wiring/sdk-clients';
import { buildSlackApp } from './wiring/slack-app';
import { buildTldr } from './wiring/tldr-part';
import type { InboxAppTuning } from './wiring/tuning';
import { buildVerifierRoutes } from './wiring/verifier-part';

/**
 * The composition root: builds Bolt (HTTP or Socket Mode), the SDK clients and the services, and
 * wires them together. Nothing outside it and its parts in src/wiring/ constructs an SDK client.
 */

export type { InboxAppTuning } from './wiring/tuning';

export interface InboxApp {
  readonly bolt: App;
  /** Starts serving; resolves with the HTTP port (Slack events in HTTP mode, /healthz in both). */
  start(): Promise<{ port: number; address?: string }>;
  /**
   * Stops taking commands, lets running summaries finish (bounded by the grace period), hands
   * pending consents back to Redis or, in memory, tells the people still connecting; then closes.
   */
  stop(): Promise<void>;
  /** Consents watched by this instance. */
  readonly pendingConsents: number;
  /** Where requests wait on consent (for tests: the store's view across instances). */
  readonly pending: PendingConsents;
  readonly metrics: Metrics;
  /** The port GET /metrics is served on once started (METRICS_PORT), else undefined. */
  readonly metricsPort: number | undefined;
  /** HTTP mode: what the /slack/events guard refused (src/core/slack-events-guard.ts). */
  readonly requestGuard: GuardStats | undefined;
  /** Scheduled digests: `tick()` runs every due one (the minute timer calls it too). */
  readonly schedules: ScheduleRunner;
}

/** Thrown by start() when Slack refuses the bot token or cannot be reached: reported like a config error. */
export class StartupError extends Error {
  readonly code = 'startup_failed';
}

/** Share buttons stay valid across restarts and instances: the key comes from the settings. */
function shareButtonKey(config: Config): Buffer {
  const { transport } = config.slack;
  return deriveKey(
    config.recordSecret ?? (transport.mode === 'http' ? transport.signingSecret : transport.appToken),
    'share-button',
  );
}

/** Builds the app from validated config. */
export function createInboxApp(config: Config, tuning: InboxAppTuning = {}): InboxApp {
  const logger =
    tuning.logger ??
    createLogger({ level: config.logLevel, format: config.logFormat, secrets: configSecrets(config) });
  const metrics = tuning.metrics ?? createMetrics();
  const clients = buildSdkClients(config, tuning, logger, metrics);
  const { access, reader, transports } = clients;
  const isSlackUrl = responseUrlCheck(config.slack.apiUrl);
  // Consents end after the flow exists, but the flow needs the pending consents: bound below.
  let flow: InboxFlow | undefined;
  const { watcher, store, pending } = buildPending(config, tuning, {
    access,
    logger,
    isSlackUrl,
    deliver: async (request, outcome) => flow?.resume(request, outcome),
  });
  metrics.pendingConsents(() => watcher.pending);
  const routes = buildVerifierRoutes(config, tuning, { clients, store, pending, logger });
  const slack = buildSlackApp(config, { routes, logger, clients });
  const { bolt } = slack;
  const { client } = bolt;
  const resolveUserId = createArcadeUserIdResolver(config.arcade.userIdSource, createEmailLookup(client));
  const { tldr, summaryNote } = buildTldr(config, tuning, logger, metrics);
  const shareKey = shareButtonKey(config);
  flow = buildInboxFlow(config, {
    resolveUserId,
    access,
    reader,
    pending,
    shareKey,
    client,
    slackFetch: clients.slackFetch,
    isSlackUrl,
    tldr,
    metrics,
    logger,
  });
  const schedules = buildSchedules(tuning, { client, resolveUserId, access, reader, logger });
  const { connection, home } = buildConnection(config, {
    client,
    resolveUserId,
    access,
    watcher,
    store,
    schedules: schedules.commands,
    summaryNote,
    logger,
  });
  const tasks = createBackgroundTasks(logger, {
    maxConcurrent: config.summaries.concurrency,
    maxQueued: config.summaries.queueLimit,
  });
  registerListeners(bolt, {
    flow,
    connection,
    home,
    schedules: schedules.commands,
    runner: schedules.runner,
    tasks,
    visibility: config.visibility,
    summaryNote,
    shareKey,
    metrics,
    logger,
  });

  const ai = aiSummaryInfo(config.summaryModel);
  const { transport } = config.slack;
  const shutdownGraceMs = tuning.shutdownGraceMs ?? config.shutdownGraceMs;
  let started = false;
  let storeOpen = false;
  let metricsServer: MetricsServer | undefined;
  let warmUpTimer: NodeJS.Timeout | undefined;
  return {
    bolt,
    schedules: schedules.runner,
    pending,
    metrics,
    requestGuard: slack.receiver.guardStats,
    get metricsPort() {
      return metricsServer?.port;
    },
    get pendingConsents() {
      return watcher.pending;
    },
    async start() {
      try {
        await bolt.init();
      } catch (error) {
        throw new StartupError(slackStartupProblem(error, config.slack.apiUrl));
      }
      try {
        await store.open();
        storeOpen = true;
      } catch (error) {
        await transports.close();
        throw new StartupError(`cannot reach Redis at REDIS_URL: ${describeError(error)}`);
      }
      if (store.durable) {
        // Consents left by a stopped or crashed instance are watched again, and their summaries delivered.
        await pending.start();
        logger.info('pending consents are kept in Redis (REDIS_URL)');
      }
      if (config.metrics) {
        try {
          metricsServer = await startMetricsServer(metrics, config.metrics);
        } catch (error) {
          throw new StartupError(
            `cannot serve metrics on ${config.metrics.host}:${config.metrics.port} (METRICS_PORT, METRICS_HOST): ${describeError(error)}`,
          );
        }
        logger.info(`metrics: GET http://${config.metrics.host}:${metricsServer.port}/metrics`);
      }
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
      // Google's client loads once the app is serving, in the first idle moment (gmail-reader.ts).
      warmUpTimer = setTimeout(() => {
        try {
          reader.warmUp?.();
        } catch (error) {
          // Loaded again at the first summary, which reports any problem to the person.
          logger.warn('loading the Gmail client failed:', describeError(error));
        }
      }, 1000);
      warmUpTimer.unref();
      await schedules.start();
      if (transport.mode === 'http') {
        const server = (await bolt.start(
          tuning.listenHost ? { port: transport.port, host: tuning.listenHost } : transport.port,
          HTTP_SERVER_OPTIONS,
        )) as Server;
        server.maxConnections = MAX_CONNECTIONS;
        started = true;
        const { port, address } = server.address() as AddressInfo;
        return { port, address };
      }
      await bolt.start();
      started = true;
      const server = slack.receiver.healthServer();
      if (!server) return { port: transport.port };
      if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
      // Bolt creates this server itself: the same limits, set after the fact.
      server.headersTimeout = HTTP_SERVER_OPTIONS.headersTimeout ?? server.headersTimeout;
      server.requestTimeout = HTTP_SERVER_OPTIONS.requestTimeout ?? server.requestTimeout;
      server.maxConnections = MAX_CONNECTIONS;
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      clearTimeout(warmUpTimer);
      await schedules.stop();
      if (started) {
        started = false;
        const closed = slack.receiver.socketClosed();
        await bolt
          .stop()
          .catch((error: unknown) => logger.warn('stopping the Slack receiver:', describeError(error)));
        await closed;
      }
      // Summaries being built finish (within the grace period) while pending consents are handed
      // back to Redis, or, in memory, their waiters told to run /inbox again.
      const [finished] = await Promise.all([
        tasks.drain(shutdownGraceMs),
        pending.stop(shutdownGraceMs).catch((error: unknown) => {
          logger.error('handing back pending consents failed:', describeError(error));
        }),
      ]);
      if (!finished) logger.warn(`shutdown: ${tasks.size} summary task(s) still running were abandoned`);
      // Summaries are out; TL;DRs still being written are dropped (each summary stays as posted).
      await tldr?.stop();
      if (storeOpen) {
        storeOpen = false;
        await store.close();
      }
      // Last, so that a scrape during the drain still sees it.
      await metricsServer?.close();
      metricsServer = undefined;
      await transports.close();
    },
  };
}
