import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, type Logger, type LogLevel } from '@slack/bolt';
import type { RetryOptions, WebClientOptions } from '@slack/web-api';
import { createUserConfirmer } from './auth/confirm-user';
import { createConsentWatcher } from './auth/consent-watcher';
import { createArcadeClient, createGmailAccess } from './auth/gmail-access';
import { createAppHome } from './connection/app-home';
import { createConnectionFlow } from './connection/connection-flow';
import { createBackgroundTasks } from './core/background';
import { type Config, configSecrets } from './core/config';
import { createLogger, describeError, namedLogger } from './core/log';
import { deriveKey } from './core/sealing';
import { type GuardStats, HTTP_SERVER_OPTIONS, MAX_CONNECTIONS } from './core/slack-events-guard';
import { createSlackReceiver } from './core/slack-receiver';
import { slackStartupProblem } from './core/slack-startup-error';
import { createTransports } from './core/transport';
import { createGmailReader } from './gmail/gmail-reader';
import type { RetryBudget } from './gmail/retry-policy';
import { createEmailLookup } from './identity/email-lookup';
import { createArcadeUserIdResolver } from './identity/identity';
import { createInboxFlow } from './inbox/inbox-flow';
import { registerAppHome } from './listeners/app-home';
import { registerConnectionButtons } from './listeners/connection-buttons';
import { INBOX_COMMAND, registerInboxCommand } from './listeners/inbox-command';
import { registerLinkButtons } from './listeners/link-buttons';
import { registerScheduleButtons } from './listeners/schedule-buttons';
import { registerUserLeft } from './listeners/user-left';
import { createCommandMetrics } from './metrics/command-metrics';
import { createMeteredFetch } from './metrics/metered-fetch';
import { createMetrics, type Metrics } from './metrics/metrics';
import { type MetricsServer, startMetricsServer } from './metrics/metrics-server';
import { createMemoryPendingStore } from './pending/memory-store';
import { createPendingConsents, type PendingConsents } from './pending/pending-consents';
import type { PendingStore } from './pending/pending-store';
import { createDigestDelivery } from './schedules/digest-delivery';
import { startScheduleClock } from './schedules/schedule-clock';
import { createScheduleCommands } from './schedules/schedule-commands';
import { digestFailedMessage } from './schedules/schedule-notices';
import { createScheduleRunner, type ScheduleRunner } from './schedules/schedule-runner';
import { createMemoryScheduleStore } from './schedules/schedule-store';
import { createStoredReplies } from './slack/replies';
import { responseUrlCheck } from './slack/response-url';
import { aiSummaryInfo, aiSummaryNote } from './tldr/ai-summary-note';
import { createFlowOwners } from './verifier/flow-owners';
import { createOneTimeIds } from './verifier/one-time-ids';
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
  /** Least time between two quick status checks of one consent without a long-poll (default 5 s). */
  consentCheckIntervalMs?: number;
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
  /** Sign-ins in progress the verifier has room for (default 10,000); tests fill it quickly. */
  verifierSignInCapacity?: number;
  /** Where the app records its metrics (default: a registry of its own). */
  metrics?: Metrics;
  /** Model SDK retries for the TL;DR (default 1). */
  modelMaxRetries?: number;
  /** The interface the HTTP port listens on (default: all, for Slack to reach it); the sandbox uses loopback. */
  listenHost?: string;
  /** The schedules' clock (default Date.now); tests move it and call `schedules.tick()`. */
  scheduleNow?: () => number;
  /** false: no minute timer (tests tick by hand). */
  scheduleTimer?: boolean;
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
  /** HTTP mode: what the /slack/events guard refused (src/core/slack-events-guard.ts). */
  readonly requestGuard: GuardStats | undefined;
  /** Scheduled digests: `tick()` runs every due one (the minute timer calls it too). */
  readonly schedules: ScheduleRunner;
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
    maxLongPolls: config.consents.longPolls,
    checksPerSecond: config.consents.checksPerSecond,
    ...(tuning.consentRetryDelayMs ? { retryDelayMs: tuning.consentRetryDelayMs } : {}),
    ...(tuning.consentCheckIntervalMs !== undefined
      ? { minCheckIntervalMs: tuning.consentCheckIntervalMs }
      : {}),
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
        // Through the pending store, so a flow bound on one instance is bound on all (REDIS_URL).
        flowOwners: createFlowOwners({
          claimFlow: (key, holder, ttlMs) => store.claimFlow(key, holder, ttlMs),
          markFlow: (key, holder, ttlMs) => store.markFlow(key, holder, ttlMs),
          flowHolder: (key) => store.flowHolder(key),
        }),
        logger,
        ...(tuning.verifierClock ? { now: tuning.verifierClock } : {}),
        ...(tuning.verifierStateTtlMs ? { stateTtlMs: tuning.verifierStateTtlMs } : {}),
        ...(tuning.verifierSignInCapacity
          ? { oneTimeIds: createOneTimeIds({ max: tuning.verifierSignInCapacity }) }
          : {}),
      }),
    );
  }

  const { transport } = config.slack;
  // Share buttons stay valid across restarts and instances: the key comes from the settings.
  const shareKey = deriveKey(
    config.recordSecret ?? (transport.mode === 'http' ? transport.signingSecret : transport.appToken),
    'share-button',
  );
  const { receiver, healthServer, socketClosed, guardStats } = createSlackReceiver({
    transport,
    routes,
    boltLogger,
    socketLogger: namedLogger(logger, 'slack-socket-mode'),
    clientOptions,
  });

  const bolt = new App({
    receiver,
    token: config.slack.botToken,
    clientOptions: clientOptions(),
    logger: boltLogger,
    // Without it Bolt resets the shared logger to INFO, whatever LOG_LEVEL says.
    logLevel: config.logLevel as LogLevel,
    // auth.test runs in start(), where a refused token becomes a clear error instead of a crash.
    deferInitialization: true,
    // The app never reads context.conversation; Bolt's default store builds an Error per event (profiled).
    convoStore: false,
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
  // Memory only in this build: schedules last until the app restarts (docs/schedules.md).
  const scheduleStore = createMemoryScheduleStore();
  const scheduleNow = tuning.scheduleNow ?? Date.now;
  const timeZoneOf = async (userId: string) => {
    const answer = await bolt.client.users.info({ user: userId });
    return (answer.user as { tz?: string } | undefined)?.tz;
  };
  const schedules = createScheduleCommands({
    store: scheduleStore,
    now: scheduleNow,
    timeZoneOf,
    logger,
    durable: false,
  });
  const scheduleRunner = createScheduleRunner({
    store: scheduleStore,
    now: scheduleNow,
    timeZoneOf: (schedule) => timeZoneOf(schedule.identity.userId),
    deliver: createDigestDelivery({ resolveUserId, access, reader, client: bolt.client, logger }),
    onError: (schedule, error) => {
      logger.error(`digest ${schedule.id} for ${schedule.identity.userId} failed:`, describeError(error));
      // Only the person: a channel need not hear about one person's Gmail.
      bolt.client.chat
        .postMessage({ channel: schedule.identity.userId, ...digestFailedMessage(schedule) })
        .catch((notice: unknown) =>
          logger.warn('could not tell about a failed digest:', describeError(notice)),
        );
    },
  });
  const plainConnection = createConnectionFlow({ resolveUserId, access, logger });
  // Disconnecting Gmail stops the person's digests: none could be read any more.
  const connection: typeof plainConnection = {
    ...plainConnection,
    async disconnect(identity) {
      const message = await plainConnection.disconnect(identity);
      const stopped = await schedules.stopAll(identity);
      if (stopped === 0) return message;
      return { ...message, text: `${message.text} Your ${stopped} scheduled digest(s) were stopped too.` };
    },
  };
  const home = createAppHome({
    resolveUserId,
    access,
    watcher,
    logger,
    visibility: config.visibility,
    ...(summaryNote ? { summaryNote } : {}),
    // Like /inbox consents, so the verifier on another instance accepts the tab's Connect link.
    noteConsent: (arcadeUserId, authId) =>
      store.noteConsent(arcadeUserId, authId, config.consentTimeoutMs).catch((error: unknown) => {
        // The tab still shows its link; only another instance's verifier would not know it.
        logger.warn('recording the Home tab consent in the store failed:', describeError(error));
      }),
    publish: async (userId, view) => {
      await bolt.client.views.publish({ user_id: userId, view });
    },
    scheduleBlocks: (identity) => schedules.homeBlocks(identity),
  });
  const tasks = createBackgroundTasks(logger, {
    maxConcurrent: config.summaries.concurrency,
    maxQueued: config.summaries.queueLimit,
  });
  bolt.use(createCommandMetrics(metrics, INBOX_COMMAND) as Parameters<App['use']>[0]);
  registerInboxCommand(bolt, {
    flow,
    connection,
    tasks,
    visibility: config.visibility,
    schedules,
    ...(summaryNote ? { summaryNote } : {}),
  });
  registerScheduleButtons(bolt, { schedules, runner: scheduleRunner, tasks, home });
  registerUserLeft(bolt, { schedules, tasks });
  registerConnectionButtons(bolt, {
    flow,
    connection,
    // Disconnect on the Home tab stops the person's digests too.
    home: {
      ...home,
      disconnect: async (identity) => {
        await home.disconnect(identity);
        await schedules.stopAll(identity);
      },
    },
    tasks,
    shareKey,
  });
  registerAppHome(bolt, { home, tasks });
  registerLinkButtons(bolt, {
    opened: async (identity) => pending.opened(await resolveUserId(identity)),
  });
  bolt.error(async (error) => {
    logger.error('unhandled error in a listener:', describeError(error));
  });

  const shutdownGraceMs = tuning.shutdownGraceMs ?? config.shutdownGraceMs;
  let started = false;
  let storeOpen = false;
  let metricsServer: MetricsServer | undefined;
  let warmUpTimer: NodeJS.Timeout | undefined;
  let stopScheduleClock: (() => void) | undefined;
  return {
    bolt,
    schedules: scheduleRunner,
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
      if (tuning.scheduleTimer !== false) {
        stopScheduleClock = startScheduleClock(scheduleRunner, logger);
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
      // Bolt creates this server itself: the same limits, set after the fact.
      server.headersTimeout = HTTP_SERVER_OPTIONS.headersTimeout ?? server.headersTimeout;
      server.requestTimeout = HTTP_SERVER_OPTIONS.requestTimeout ?? server.requestTimeout;
      server.maxConnections = MAX_CONNECTIONS;
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      clearTimeout(warmUpTimer);
      stopScheduleClock?.();
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
