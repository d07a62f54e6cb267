import type { Logger } from '@slack/bolt';
import { within } from '../core/within';
import { createRedisScheduleStore, createScheduleRedisClient } from './redis-schedule-store';
import type { ScheduleEngine } from './schedule-engine';
import { type DigestQueue, startDigestQueue } from './schedule-queue';
import type { ScheduleStore } from './schedule-store';

export interface DurableSchedulesOptions {
  url: string;
  logger: Logger;
  prefix: string;
  recordKey: Buffer;
  now: () => number;
  /** Digests in flight at once on this instance. */
  concurrency: number;
  /** BullMQ's job lock: how soon after `kill -9` another instance takes a digest over. */
  lockMs: number;
  /** Runs one digest when the event loop has room (schedule-queue.ts). */
  admit?: (run: () => Promise<void>) => Promise<void>;
}

/**
 * Schedules in Redis with their slots on a BullMQ queue (REDIS_URL): they survive restarts, every
 * instance runs them, and each slot is posted once (schedule-queue.ts says how). Loaded only with
 * REDIS_URL, so the memory mode never loads BullMQ.
 */
export function createDurableSchedules(options: DurableSchedulesOptions): ScheduleEngine {
  const { logger } = options;
  const client = createScheduleRedisClient(options.url, logger);
  const base = createRedisScheduleStore({
    client,
    logger,
    prefix: options.prefix,
    recordKey: options.recordKey,
  });
  let queue: DigestQueue | undefined;
  // A new schedule's first slot is queued as it is added; one added before start is queued by
  // start's sweep over every schedule.
  const store: ScheduleStore = {
    ...base,
    async add(schedule) {
      const added = await base.add(schedule);
      if (added === 'added') await queue?.enqueue(schedule);
      return added;
    },
  };
  return {
    store,
    durable: true,
    onNextSlot: async (schedule) => queue?.enqueue(schedule),
    async start(runner) {
      if (!client.isOpen) await client.connect();
      queue = await startDigestQueue({
        client,
        prefix: options.prefix,
        store,
        runner,
        now: options.now,
        logger,
        concurrency: options.concurrency,
        lockMs: options.lockMs,
        ...(options.admit ? { admit: options.admit } : {}),
      });
    },
    async stop(graceMs) {
      await queue?.close(graceMs);
      queue = undefined;
      if (!client.isOpen) return;
      // A close waits for Redis to answer; with Redis away (or slow) the socket is just dropped.
      if (!client.isReady || !(await within(1000, client.close()))) client.destroy();
    },
  };
}
