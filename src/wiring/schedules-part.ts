import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { GmailAccess } from '../auth/gmail-access';
import { createBackgroundTasks } from '../core/background';
import type { Config } from '../core/config';
import { describeError } from '../core/log';
import { deriveKey } from '../core/sealing';
import type { GmailReader } from '../gmail/gmail-reader';
import type { ArcadeUserIdResolver } from '../identity/identity';
import { createDigestDelivery } from '../schedules/digest-delivery';
import { createScheduleCommands, type ScheduleCommands } from '../schedules/schedule-commands';
import { createMemoryScheduleEngine, type ScheduleEngine } from '../schedules/schedule-engine';
import { digestFailedMessage } from '../schedules/schedule-notices';
import { createScheduleRunner, type ScheduleRunner } from '../schedules/schedule-runner';
import { StartupError } from './startup-error';
import type { InboxAppTuning } from './tuning';

/** Scheduled digests: what the listeners use, and what start and stop run. */
export interface SchedulesPart {
  commands: ScheduleCommands;
  runner: ScheduleRunner;
  /** Starts whatever runs digests on time: the minute clock, or the Redis queue's worker. */
  start(): Promise<void>;
  /** Stops starting digests; waits up to `graceMs` for those running (with Redis, the rest are taken over). */
  stop(graceMs: number): Promise<void>;
}

/**
 * Digests in flight at once per instance: 10,000 due in one minute go out in minutes, not all at
 * once. 25 rather than 50: on one core it delivered 10,000 no slower (150–159 s in two runs,
 * against 159 s), with less CPU a digest and an ack p99 of 34–36 ms against 41 (BENCHMARKS.md).
 */
export const DIGEST_CONCURRENCY = 25;

/** Event-loop utilisation above which no more digests start (summaries use 0.5). */
const DIGEST_BUSY_ABOVE = 0.3;

/** Redis-kept schedules on BullMQ, loaded only with REDIS_URL (BullMQ costs about 200 ms to load). */
function loadDurableSchedules(): typeof import('../schedules/durable-schedules') {
  return require('../schedules/durable-schedules');
}

/** In memory they last until the app restarts; with REDIS_URL they are shared and durable (docs/schedules.md). */
function scheduleEngine(
  config: Config,
  tuning: InboxAppTuning,
  logger: Logger,
  now: () => number,
): ScheduleEngine {
  if (!config.redisUrl) return createMemoryScheduleEngine({ logger, timer: tuning.scheduleTimer !== false });
  return loadDurableSchedules().createDurableSchedules({
    url: config.redisUrl,
    logger,
    prefix: tuning.redisPrefix ?? 'inbox:',
    // loadConfig requires RECORD_SECRET with REDIS_URL.
    recordKey: deriveKey(config.recordSecret ?? '', 'redis-schedule'),
    now,
    concurrency: DIGEST_CONCURRENCY,
    lockMs: tuning.digestLockMs ?? 30_000,
    admit: digestAdmission(logger),
  });
}

/**
 * Digests start only while the event loop has idle time to spare, like summaries
 * (core/background.ts) but with a gate of their own and a lower bar: a person waiting on `/inbox`
 * or an ack must never queue behind a morning's digests, which can be a few seconds late instead.
 */
function digestAdmission(logger: Logger): (run: () => Promise<void>) => Promise<void> {
  const gate = createBackgroundTasks(logger, {
    minConcurrent: 2,
    maxConcurrent: DIGEST_CONCURRENCY,
    busyAbove: DIGEST_BUSY_ABOVE,
    maxQueued: Number.POSITIVE_INFINITY,
  });
  return (run) =>
    new Promise<void>((resolve, reject) => gate.run('digest', () => run().then(resolve, reject)));
}

/** Everything scheduled digests need, in one place: the engine (store and timing), the commands, the runner. */
export function buildSchedules(
  config: Config,
  tuning: InboxAppTuning,
  deps: {
    client: WebClient;
    resolveUserId: ArcadeUserIdResolver;
    access: GmailAccess;
    reader: GmailReader;
    logger: Logger;
  },
): SchedulesPart {
  const { client, logger } = deps;
  const now = tuning.scheduleNow ?? Date.now;
  const engine = scheduleEngine(config, tuning, logger, now);
  const { store } = engine;
  const timeZoneOf = async (userId: string) => {
    const answer = await client.users.info({ user: userId });
    return (answer.user as { tz?: string } | undefined)?.tz;
  };
  const commands = createScheduleCommands({ store, now, timeZoneOf, logger, durable: engine.durable });
  const runner = createScheduleRunner({
    store,
    now,
    timeZoneOf: (schedule) => timeZoneOf(schedule.identity.userId),
    deliver: createDigestDelivery({
      resolveUserId: deps.resolveUserId,
      access: deps.access,
      reader: deps.reader,
      client,
      logger,
    }),
    concurrency: DIGEST_CONCURRENCY,
    ...(engine.onNextSlot ? { onNextSlot: engine.onNextSlot } : {}),
    onError: (schedule, error) => {
      logger.error(`digest ${schedule.id} for ${schedule.identity.userId} failed:`, describeError(error));
      // Only the person: a channel need not hear about one person's Gmail.
      client.chat
        .postMessage({ channel: schedule.identity.userId, ...digestFailedMessage(schedule) })
        .catch((notice: unknown) =>
          logger.warn('could not tell about a failed digest:', describeError(notice)),
        );
    },
  });
  let started = false;
  return {
    commands,
    runner,
    async start() {
      try {
        await engine.start(runner);
      } catch (error) {
        throw new StartupError(`cannot start the scheduled digests on Redis: ${describeError(error)}`);
      }
      started = true;
    },
    async stop(graceMs) {
      if (!started) return;
      started = false;
      await engine.stop(graceMs).catch((error: unknown) => {
        logger.error('stopping the scheduled digests failed:', describeError(error));
      });
    },
  };
}
