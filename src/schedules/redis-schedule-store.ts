import type { Logger } from '@slack/bolt';
import { createClient } from 'redis';
import { describeError } from '../core/log';
import { macMatches, macOf } from '../core/sealing';
import { MAX_SCHEDULES_PER_PERSON, type Schedule, type ScheduleStore } from './schedule-store';

/** The schedules' own connection: BullMQ's blocking reads must not wait behind the consent store's. */
export function createScheduleRedisClient(url: string, logger: Logger) {
  const client = createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  let lastError = '';
  // Without an error listener node-redis errors would end the process.
  client.on('error', (error: unknown) => {
    const text = describeError(error);
    if (text !== lastError) logger.warn('Redis connection (schedules):', text);
    lastError = text;
  });
  client.on('ready', () => {
    lastError = '';
  });
  return client;
}

export type RedisClient = ReturnType<typeof createScheduleRedisClient>;

/**
 * Schedules in Redis (REDIS_URL), shared by every instance. Keys (after the prefix, `inbox:`):
 *
 *   schedule:<id>              the schedule, JSON with an HMAC (RECORD_SECRET)
 *   schedules-of:<owner key>   set of that person's schedule ids (the per-person limit)
 *   schedules                  sorted set of every schedule id by its next slot
 *   digest-sent:<id>:<slot>    set right after a slot's digest was posted; expires after 2 days
 *
 * Each change is one script, so two instances adding or removing at once keep the limit and the
 * index consistent. When the slots run is the queue's business (schedule-queue.ts).
 */

const SENT_TTL_SECONDS = 2 * 24 * 3600;

const ADD = `
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return 1`;

/** Only a schedule that still exists is saved: a run finishing after Remove must not bring it back. */
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1`;

const REMOVE = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1`;

export interface RedisScheduleStoreOptions {
  client: RedisClient;
  logger: Logger;
  prefix: string;
  /** Keys the HMAC over each stored schedule: a write to Redis cannot send a digest elsewhere. */
  recordKey: Buffer;
}

export function createRedisScheduleStore(options: RedisScheduleStoreOptions): ScheduleStore {
  const { client, prefix, logger } = options;
  const key = {
    schedule: (id: string) => `${prefix}schedule:${id}`,
    owned: (ownerKey: string) => `${prefix}schedules-of:${ownerKey}`,
    all: `${prefix}schedules`,
    sent: (id: string, slot: number) => `${prefix}digest-sent:${id}:${slot}`,
  };
  const run = (script: string, keys: string[], args: (string | number)[]) =>
    client.eval(script, { keys, arguments: args.map(String) });

  function seal(schedule: Schedule): string {
    const record = JSON.stringify(schedule);
    return JSON.stringify({ record, mac: macOf(options.recordKey, record) });
  }

  /** A schedule this app wrote, unaltered; anything else is dropped with a warning, never shown. */
  function unseal(id: string, value: unknown): Schedule | undefined {
    if (typeof value !== 'string') return undefined;
    try {
      const { record, mac } = JSON.parse(value) as { record?: unknown; mac?: unknown };
      if (typeof record === 'string' && macMatches(options.recordKey, record, mac)) {
        const schedule = JSON.parse(record) as Schedule;
        if (schedule.id === id) return schedule;
      }
      logger.warn(
        `ignoring schedule ${id} in Redis: its HMAC does not match (altered, or written with another RECORD_SECRET)`,
      );
    } catch (error) {
      logger.error(`ignoring an unreadable schedule ${id} in Redis:`, describeError(error));
    }
    return undefined;
  }

  async function read(ids: string[]): Promise<Schedule[]> {
    const found: Schedule[] = [];
    // MGET in slices, so 10,000 schedules are not one huge reply.
    for (let start = 0; start < ids.length; start += 500) {
      const slice = ids.slice(start, start + 500);
      const values = await client.mGet(slice.map(key.schedule));
      slice.forEach((id, index) => {
        const schedule = unseal(id, values[index]);
        if (schedule) found.push(schedule);
      });
    }
    return found;
  }

  async function removeOne(ownerKey: string, id: string): Promise<boolean> {
    return Number(await run(REMOVE, [key.owned(ownerKey), key.schedule(id), key.all], [id])) === 1;
  }

  return {
    async add(schedule) {
      const added = await run(
        ADD,
        [key.owned(schedule.ownerKey), key.schedule(schedule.id), key.all],
        [schedule.id, seal(schedule), MAX_SCHEDULES_PER_PERSON, schedule.nextRun],
      );
      return Number(added) === 1 ? 'added' : 'limit';
    },
    async list(ownerKey) {
      const mine = await read(await client.sMembers(key.owned(ownerKey)));
      return mine
        .filter((schedule) => schedule.ownerKey === ownerKey)
        .sort((a, b) => a.createdAt - b.createdAt);
    },
    remove: removeOne,
    async removeAll(ownerKey) {
      let removed = 0;
      for (const id of await client.sMembers(key.owned(ownerKey)))
        if (await removeOne(ownerKey, id)) removed++;
      return removed;
    },
    async due(nowMs) {
      return read(await client.zRangeByScore(key.all, '-inf', nowMs));
    },
    async update(schedule) {
      await run(
        UPDATE,
        [key.schedule(schedule.id), key.all],
        [seal(schedule), schedule.nextRun, schedule.id],
      );
    },
    async get(id) {
      return unseal(id, await client.get(key.schedule(id)));
    },
    async all() {
      return read(await client.zRange(key.all, 0, -1));
    },
    async wasDelivered(id, slot) {
      return (await client.exists(key.sent(id, slot))) === 1;
    },
    async markDelivered(id, slot) {
      await client.set(key.sent(id, slot), '1', { expiration: { type: 'EX', value: SENT_TTL_SECONDS } });
    },
  };
}
