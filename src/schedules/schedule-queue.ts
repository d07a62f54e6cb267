import type { Logger } from '@slack/bolt';
import { type Job, Queue, Worker } from 'bullmq';
import { describeError } from '../core/log';
import { within } from '../core/within';
import type { RedisClient } from './redis-schedule-store';
import type { ScheduleRunner } from './schedule-runner';
import type { Schedule, ScheduleStore } from './schedule-store';

/**
 * The digest queue on BullMQ: one delayed job per slot, named by the schedule and the slot, so an
 * instance that queues a slot another already queued adds nothing. Every instance runs a worker;
 * BullMQ hands each job to one of them and holds a lock on it while it runs. When the holder dies
 * (`kill -9`), the lock lapses and another instance's worker runs the job again; the runner then
 * skips the post if the digest went out already (store.wasDelivered).
 *
 * Why delayed jobs rather than BullMQ's job schedulers (cron patterns with a `tz`): the slot rules
 * are the app's own and tested with a fixed clock (next-run.ts: a 9:00 that the clocks skip moves
 * on by the gap, a time that happens twice is sent once), the person's time zone is read again at
 * each run, and catch-up after downtime is one slot within an hour (catch-up.ts). Each run
 * computes the next slot and queues it; BullMQ keeps it durable and shared.
 */

const QUEUE_NAME = 'digests';
/** The queue holds no work of its own: closing it only says goodbye to Redis. */
const QUEUE_CLOSE_MS = 1000;

interface DigestJob {
  id: string;
  slot: number;
}

export interface DigestQueueOptions {
  client: RedisClient;
  /** The app's Redis prefix (`inbox:`); BullMQ's keys go under `<prefix>bull:digests:`. */
  prefix: string;
  store: ScheduleStore;
  runner: Pick<ScheduleRunner, 'runSlot'>;
  now: () => number;
  logger: Logger;
  /** Digests in flight at once on this instance. */
  concurrency: number;
  /** How long a job is held without renewal before another instance may take it over. */
  lockMs: number;
  /**
   * Runs a job's digest when the event loop has room for it (schedules-part.ts), so 10,000 due
   * at once do not slow the acks; by default at once.
   */
  admit?: (run: () => Promise<void>) => Promise<void>;
}

export interface DigestQueue {
  /** Queues the schedule's next slot (idempotent). */
  enqueue(schedule: Schedule): Promise<void>;
  /** Stops taking jobs; waits up to `graceMs` for those running, then abandons them to a takeover. */
  close(graceMs: number): Promise<void>;
}

export async function startDigestQueue(options: DigestQueueOptions): Promise<DigestQueue> {
  const { client, store, runner, logger } = options;
  const prefix = `${options.prefix}bull`;
  const queue = new Queue<DigestJob>(QUEUE_NAME, { connection: client, prefix });
  // While Redis is away both retry every few hundred ms: one line per new error, not per retry.
  let lastError = '';
  const warnOnce = (what: string) => (error: unknown) => {
    const text = describeError(error);
    if (text !== lastError) logger.warn(`${what}: ${text}`);
    lastError = text;
  };
  queue.on('error', warnOnce('digest queue'));

  const enqueue = async (schedule: Schedule) => {
    await queue.add(
      'digest',
      { id: schedule.id, slot: schedule.nextRun },
      {
        // BullMQ refuses ':' in ids.
        jobId: `${schedule.id}-${schedule.nextRun}`,
        delay: Math.max(0, schedule.nextRun - options.now()),
        // Kept a day, so that the same slot queued again (a takeover, a restart) stays one job.
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  };

  const runJob = async (job: Job<DigestJob>) => {
    const schedule = await store.get(job.data.id);
    // Removed since (Remove, disconnect, left the workspace): its queued slot just ends.
    if (!schedule) return;
    const run = () => runner.runSlot(schedule, job.data.slot);
    await (options.admit ? options.admit(run) : run());
  };
  const worker = new Worker<DigestJob>(QUEUE_NAME, runJob, {
    connection: client,
    prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: Math.max(500, Math.floor(options.lockMs / 2)),
    // Taken over at most twice: a digest that kills every process running it is given up.
    maxStalledCount: 2,
  });
  // BullMQ's worker does not take node-redis's errors for connection errors: with Redis gone it
  // retries its fetch at once, forever, in promise callbacks alone, and the event loop (acks
  // included) never runs again (reproduced: killing redis-server froze the process). The error
  // is emitted from inside that loop, so pausing here, synchronously, ends it; the worker
  // resumes when the connection is ready again.
  let pausedForOutage = false;
  let resumeTimer: NodeJS.Timeout | undefined;
  const resumeWhenReady = () => {
    resumeTimer = setTimeout(() => {
      if (!client.isReady) return resumeWhenReady();
      pausedForOutage = false;
      logger.info('digest worker: Redis is back, taking digests again');
      worker.resume();
    }, 1000);
    resumeTimer.unref();
  };
  const warnWorker = warnOnce('digest worker');
  worker.on('error', (error) => {
    warnWorker(error);
    // Paused on any error, since its own connection may fail before ours notices; looked at again
    // each second until Redis answers.
    if (pausedForOutage || worker.closing) return;
    pausedForOutage = true;
    worker.pause(true).catch(() => undefined);
    resumeWhenReady();
  });
  worker.on('failed', (job, error) =>
    logger.error(`digest job ${job?.id ?? '?'} failed:`, describeError(error)),
  );

  // Every schedule's next slot, queued again: a job lost with a flushed queue (or a schedule
  // written by an older version) is recreated; an existing one is left as it is.
  const schedules = await store.all();
  for (let start = 0; start < schedules.length; start += 200)
    await Promise.all(schedules.slice(start, start + 200).map(enqueue));
  logger.info(`scheduled digests are kept in Redis (REDIS_URL): ${schedules.length} schedule(s)`);

  return {
    enqueue,
    async close(graceMs) {
      clearTimeout(resumeTimer);
      // With Redis away nothing running can record its delivery, and BullMQ's gentle close waits
      // on a blocking connection that never answers (its close is memoised, so a forced close
      // asked for later changes nothing): forced at once.
      const force = pausedForOutage || !client.isReady;
      if (!(await within(graceMs, worker.close(force)))) {
        logger.warn('shutdown: digests still running are left for another instance to take over');
        // Its connections dropped, so nothing of the worker's keeps the process up.
        void worker.disconnect().catch(() => undefined);
      }
      if (!(await within(QUEUE_CLOSE_MS, queue.close()))) void queue.disconnect().catch(() => undefined);
    },
  };
}
