import type { App } from '@slack/bolt';
import { createBackgroundTasks } from './core/background';
import { type Config, configSecrets } from './core/config';
import { createLogger } from './core/log';
import { deriveKey } from './core/sealing';
import type { GuardStats } from './core/slack-events-guard';
import { createEmailLookup } from './identity/email-lookup';
import { createArcadeUserIdResolver } from './identity/identity';
import type { InboxFlow } from './inbox/inbox-flow';
import { registerListeners } from './listeners/register-listeners';
import { createMetrics, type Metrics } from './metrics/metrics';
import type { PendingConsents } from './pending/pending-consents';
import type { ScheduleRunner } from './schedules/schedule-runner';
import { responseUrlCheck } from './slack/response-url';
import { createAppLifecycle } from './wiring/app-lifecycle';
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

export { StartupError } from './wiring/app-lifecycle';
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
  const { access, reader } = clients;
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
  const { client } = slack.bolt;
  const resolveUserId = createArcadeUserIdResolver(config.arcade.userIdSource, createEmailLookup(client));
  const { tldr, summaryNote } = buildTldr(config, tuning, logger, metrics);
  const shareKey = shareButtonKey(config);
  flow = buildInboxFlow(config, {
    resolveUserId,
    access,
    reader,
    summaryThread: clients.summaryThread,
    pending,
    shareKey,
    client,
    slackFetch: clients.slackFetch,
    isSlackUrl,
    tldr,
    metrics,
    logger,
  });
  const schedules = buildSchedules(config, tuning, { client, resolveUserId, access, reader, logger });
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
  registerListeners(slack.bolt, {
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
    consentOpened: async (identity) => pending.opened(await resolveUserId(identity)),
  });
  const lifecycle = createAppLifecycle({
    config,
    slack,
    store,
    pending,
    tasks,
    reader,
    tldr,
    schedules,
    metrics,
    transports: clients.transports,
    logger,
    shutdownGraceMs: tuning.shutdownGraceMs ?? config.shutdownGraceMs,
    listenHost: tuning.listenHost,
  });

  return {
    bolt: slack.bolt,
    schedules: schedules.runner,
    pending,
    metrics,
    requestGuard: slack.receiver.guardStats,
    get metricsPort() {
      return lifecycle.metricsPort;
    },
    get pendingConsents() {
      return watcher.pending;
    },
    start: () => lifecycle.start(),
    stop: () => lifecycle.stop(),
  };
}
