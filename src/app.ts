import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  type CustomRoute,
  HTTPReceiver,
  type Logger,
  type LogLevel,
  SocketModeReceiver,
} from '@slack/bolt';
import type { RetryOptions, WebClientOptions } from '@slack/web-api';
import { createUserConfirmer } from './auth/confirm-user';
import { createConsentWatcher } from './auth/consent-watcher';
import { createArcadeClient, createGmailAccess } from './auth/gmail-access';
import { createBackgroundTasks } from './background';
import { type Config, configSecrets } from './config';
import { createAppHome } from './connection/app-home';
import { createConnectionFlow } from './connection/connection-flow';
import { createGmailReader } from './gmail/gmail-reader';
import type { RetryBudget } from './gmail/retry-policy';
import { createArcadeUserIdResolver } from './identity';
import { createInboxFlow } from './inbox-flow';
import { registerAppHome } from './listeners/app-home';
import { registerConnectionButtons } from './listeners/connection-buttons';
import { INBOX_COMMAND, registerInboxCommand } from './listeners/inbox-command';
import { registerLinkButtons } from './listeners/link-buttons';
import { createLogger, describeError, namedLogger } from './log';
import { createCommandMetrics } from './metrics/command-metrics';
import { createMeteredFetch } from './metrics/metered-fetch';
import { createMetrics, type Metrics } from './metrics/metrics';
import { type MetricsServer, startMetricsServer } from './metrics/metrics-server';
import { createMemoryPendingStore } from './pending/memory-store';
import { createPendingConsents, type PendingConsents } from './pending/pending-consents';
import type { PendingStore } from './pending/pending-store';
import { deriveKey } from './sealing';
import { createEmailLookup } from './slack/email-lookup';
import { createStoredReplies } from './slack/replies';
import { responseUrlCheck } from './slack/response-url';
import {
  type GuardStats,
  guardSlackEvents,
  HTTP_SERVER_OPTIONS,
  MAX_CONNECTIONS,
} from './slack-events-guard';
import { slackStartupProblem } from './slack-startup-error';
import { aiSummaryInfo, aiSummaryNote } from './tldr/ai-summary-note';
import { createTransports } from './transport';
import { createSlackSignIn } from './verifier/slack-sign-in';
import { createVerifierRoutes, SIGN_IN_CALLBACK_PATH, VERIFY_PATH } from './verifier/verifier-routes';

/**
 * The composition root: builds Bolt (HTTP or Socket Mode), the SDK clients and the services, and
 * wires them together. Nothing else constructs an SDK client.
 */

/** Knobs for tests and benchmarks; production uses the defaults. */
export interface InboxAppTuning {
  logger?: Logger;
  /** Slack Web API retries for 5xx/network failures; with retries, the SDK waits out a 429's Retry-After first. */
  slackRetry?: RetryOptions;
  arcadeMaxRetries?: number;
  gmailRetry?: RetryBudget;
  gmailConcurrency?: number;
  consentRetryDelayMs?: { first: number; max: number };
  /** How long shutdown waits for summaries already being built (default SHUTDOWN_GRACE_SECONDS). */
  shutdownGraceMs?: number;
  /** Pending-consent leases (Redis): lifetime, and how often they are renewed and orphans looked for. */
  leaseTtlMs?: number;
  leaseScanIntervalMs?: number;
  /** Redis key prefix (default `inbox:`); tests give each app world its own. */
  redisPrefix?: string;
  /** The custom verifier's clock and state lifetime (tests move time instead of waiting). */
  verifierClock?: () => number;
  verifierStateTtlMs?: number;
  /** Where the app records its metrics (default: a registry of its own). */
  metrics?: Metrics;
  /** Model SDK retries for the TL;DR (default 1). */
  modelMaxRetries?: number;
  /** The interface the HTTP port listens on (default: all, for Slack to reach it); the sandbox uses loopback. */
  listenHost?: string;
}

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
  /** HTTP mode: what the /slack/events guard refused (src/slack-events-guard.ts). */
  readonly requestGuard: GuardStats | undefined;
}

/** Thrown by start() when Slack refuses the bot token or cannot be reached: reported like a config error. */
export class StartupError extends Error {
  readonly code = 'startup_failed';
}

const HEALTH_ROUTE: CustomRoute = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  },
};

/**
 * The Redis store, loaded only when REDIS_URL is set: the `redis` client alone is about a third of
 * the start-up time of an app that never uses it. A plain require, so that Jest runs it too.
 */
function loadRedisStore(): typeof import('./pending/redis-store') {
  return require('./pending/redis-store');
}

/** The TL;DR writer, loaded only when SUMMARY_MODEL is set: `openai` costs about 70 ms to load. */
function loadTldr(): typeof import('./tldr/start-tldr') {
  return require('./tldr/start-tldr');
}

/** Builds the app from validated config. */
export function createInboxApp(config: Config, tuning: InboxAppTuning = {}): InboxApp {
  const logger =
    tuning.logger ??
    createLogger({
      level: config.logLevel,
      format: config.logFormat,
      secrets: configSecrets(config),
    });
  // Same level, output and redaction; the name says which library wrote the line.
  const boltLogger = namedLogger(logger, 'bolt');
  const slackSdkLogger = namedLogger(logger, 'slack-web-api');
  // Slack's default is ten retries over about 30 minutes: far too long for someone waiting.
  const slackRetry = tuning.slackRetry ?? { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 };
  const metrics = tuning.metrics ?? createMetrics();
  const transports = createTransports();
  // Every outside call is counted by service and status; the URL is never recorded.
  const slackFetch = createMeteredFetch(transports.slackFetch, 'slack', metrics);
  const arcadeFetch = createMeteredFetch(transports.arcadeFetch, 'arcade', metrics);
  const gmailFetch = createMeteredFetch(transports.gmailFetch, 'gmail', metrics);
  const clientOptions = (): WebClientOptions => ({
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { ...slackRetry },
    logger: slackSdkLogger,
    // Also carries Bolt's respond() to response_url.
    fetch: slackFetch,
  });

  const arcade = createArcadeClient({
    apiKey: config.arcade.apiKey,
    baseUrl: config.arcade.baseUrl,
    logger,
    fetch: arcadeFetch,
    ...(tuning.arcadeMaxRetries !== undefined ? { maxRetries: tuning.arcadeMaxRetries } : {}),
  });
  const access = createGmailAccess(arcade, transports.arcadeLongPoll);
  const watcher = createConsentWatcher({
    access,
    logger,
    timeoutMs: config.consentTimeoutMs,
    ...(tuning.consentRetryDelayMs ? { retryDelayMs: tuning.consentRetryDelayMs } : {}),
  });

  const routes: CustomRoute[] = [HEALTH_ROUTE];
  if (config.verifier) {
    routes.push(
      ...createVerifierRoutes({
        config: config.verifier,
        userIdSource: config.arcade.userIdSource,
        signIn: createSlackSignIn({
          apiUrl: config.slack.apiUrl,
          clientId: config.verifier.slackClientId,
          clientSecret: config.verifier.slackClientSecret,
          logger,
          retry: { ...slackRetry },
          ...(tuning.verifierClock ? { now: tuning.verifierClock } : {}),
        }),
        confirmer: createUserConfirmer(arcade),
        pendingAuthId: (arcadeUserId) => pending.pendingAuthId(arcadeUserId),
        logger,
        ...(tuning.verifierClock ? { now: tuning.verifierClock } : {}),
        ...(tuning.verifierStateTtlMs ? { stateTtlMs: tuning.verifierStateTtlMs } : {}),
      }),
    );
  }

  const { transport } = config.slack;
  // Share buttons stay valid across restarts and instances: the key comes from the settings.
  const shareKey = deriveKey(
    config.recordSecret ?? (transport.mode === 'http' ? transport.signingSecret : transport.appToken),
    'share-button',
  );
  /** Resolves once a Socket Mode connection has finished closing (at most 2 s); at once over HTTP. */
  let socketClosed: () => Promise<void> = async () => undefined;
  let healthServer: () => Server | undefined;
  let receiver: HTTPReceiver | SocketModeReceiver;
  let guardStats: GuardStats | undefined;
  if (transport.mode === 'http') {
    const http = new HTTPReceiver({
      signingSecret: transport.signingSecret,
      endpoints: '/slack/events',
      customRoutes: routes,
      logger: boltLogger,
    });
    guardStats = guardSlackEvents(http, { path: '/slack/events' });
    receiver = http;
    healthServer = () => undefined;
  } else {
    // Socket Mode needs no public URL for Slack, but the health check and the verifier are served
    // by a small HTTP server of their own on PORT.
    const socket = new SocketModeReceiver({
      appToken: transport.appToken,
      logger: namedLogger(logger, 'slack-socket-mode'),
      customRoutes: routes,
      // The socket-mode client mutates its options, so it gets its own copy.
      installerOptions: { port: transport.port, clientOptions: clientOptions() },
    });
    receiver = socket;
    healthServer = () => (socket as unknown as { httpServer?: Server }).httpServer;
    // Bolt's stop() returns before the WebSocket close handshake ends, leaving its timer running.
    socketClosed = () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        timer.unref();
        socket.client.once('disconnected', () => {
          clearTimeout(timer);
          resolve();
        });
      });
  }

  const bolt = new App({
    receiver,
    token: config.slack.botToken,
    clientOptions: clientOptions(),
    logger: boltLogger,
    // Without it Bolt resets the shared logger to INFO, whatever LOG_LEVEL says.
    logLevel: config.logLevel as LogLevel,
    // auth.test runs in start(), where a refused token becomes a clear error instead of a crash.
    deferInitialization: true,
  });

  const isSlackUrl = responseUrlCheck(config.slack.apiUrl);
  const store: PendingStore = config.redisUrl
    ? loadRedisStore().createRedisPendingStore({
        url: config.redisUrl,
        logger,
        // loadConfig requires RECORD_SECRET with REDIS_URL.
        recordKey: deriveKey(config.recordSecret ?? '', 'redis-record'),
        isSlackUrl,
        ...(tuning.redisPrefix ? { prefix: tuning.redisPrefix } : {}),
      })
    : createMemoryPendingStore();
  // The flow answers what the coordinator hands back; built just below.
  let flow: ReturnType<typeof createInboxFlow> | undefined;
  const pending = createPendingConsents({
    store,
    watcher,
    logger,
    timeoutMs: config.consentTimeoutMs,
    deliver: async (request, outcome) => flow?.resume(request, outcome),
    ...(tuning.leaseTtlMs ? { leaseTtlMs: tuning.leaseTtlMs } : {}),
    ...(tuning.leaseScanIntervalMs ? { scanIntervalMs: tuning.leaseScanIntervalMs } : {}),
  });

  const reader = createGmailReader({
    rootUrl: config.gmail.apiUrl,
    logger,
    fetch: gmailFetch,
    ...(tuning.gmailRetry ? { retry: tuning.gmailRetry } : {}),
    ...(tuning.gmailConcurrency ? { concurrency: tuning.gmailConcurrency } : {}),
  });
  const tldr = config.summaryModel
    ? loadTldr().createTldr(config.summaryModel, logger, metrics, {
        ...(tuning.modelMaxRetries !== undefined ? { maxRetries: tuning.modelMaxRetries } : {}),
      })
    : undefined;
  const ai = aiSummaryInfo(config.summaryModel);
  const summaryNote = ai ? aiSummaryNote(ai) : undefined;
  const resolveUserId = createArcadeUserIdResolver(
    config.arcade.userIdSource,
    createEmailLookup(bolt.client),
  );
  flow = createInboxFlow({
    resolveUserId,
    access,
    reader,
    pending,
    repliesFor: (request) =>
      createStoredReplies({
        client: bolt.client,
        fetch: slackFetch,
        responseUrl: request.responseUrl,
        channelId: request.channelId,
        userId: request.identity.userId,
        isSlackUrl,
      }),
    logger,
    consentTimeoutMs: config.consentTimeoutMs,
    verifier: config.verifier !== undefined,
    metrics,
    ...(tldr ? { tldr: tldr.writer } : {}),
    shareKey,
  });
  metrics.pendingConsents(() => watcher.pending);
  const connection = createConnectionFlow({ resolveUserId, access, logger });
  const home = createAppHome({
    resolveUserId,
    access,
    watcher,
    logger,
    visibility: config.visibility,
    ...(summaryNote ? { summaryNote } : {}),
    publish: async (userId, view) => {
      await bolt.client.views.publish({ user_id: userId, view });
    },
  });
  const tasks = createBackgroundTasks(logger);
  bolt.use(createCommandMetrics(metrics, INBOX_COMMAND) as Parameters<App['use']>[0]);
  registerInboxCommand(bolt, {
    flow,
    connection,
    tasks,
    visibility: config.visibility,
    ...(summaryNote ? { summaryNote } : {}),
  });
  registerConnectionButtons(bolt, { flow, connection, home, tasks, shareKey });
  registerAppHome(bolt, { home, tasks });
  registerLinkButtons(bolt);
  bolt.error(async (error) => {
    logger.error('unhandled error in a listener:', describeError(error));
  });

  const shutdownGraceMs = tuning.shutdownGraceMs ?? config.shutdownGraceMs;
  let started = false;
  let storeOpen = false;
  let metricsServer: MetricsServer | undefined;
  return {
    bolt,
    pending,
    metrics,
    requestGuard: guardStats,
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
      const server = healthServer();
      if (!server) return { port: transport.port };
      if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      if (started) {
        started = false;
        const closed = socketClosed();
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
