import type { Logger } from '@slack/bolt';
import { createClient } from 'redis';
import { describeError } from '../core/log';
import { macMatches, macOf } from '../core/sealing';
import type { ResponseUrlCheck } from '../slack/response-url';
import {
  DELIVERY_CLAIM_TTL_MS,
  type PendingConsent,
  type PendingRequest,
  type PendingStore,
  RECORD_GRACE_MS,
} from './pending-store';

/**
 * The shared store (REDIS_URL), on the official client (node-redis). Every decision two instances
 * could race on is one atomic step on the server: a lease is `SET NX PX`, renewed and released by
 * compare-and-set scripts, and a delivery claim is `SET NX`. Keys (after the prefix, `inbox:`):
 *
 *   consent:<arcade user>    hash {authId, deadline, opened?}   expires deadline + 1 min
 *   requests:<arcade user>   hash requestId → request   expires with the consent (holds response_url)
 *   consents                 sorted set of arcade users by deadline (what is pending, for takeover)
 *   lease:<arcade user>      the watching instance's id, expires after the lease TTL unless renewed
 *   delivered:<request id>   set once by whoever answers the request, expires after 30 min
 *
 * Scripts name other keys than those they are given, so this needs one Redis (or one shard), not
 * a cluster spread over slots.
 */

export interface RedisStoreOptions {
  url: string;
  logger: Logger;
  /** Key prefix; tests give each app its own namespace. */
  prefix?: string;
  /** Give up connecting at start-up after this long. */
  connectTimeoutMs?: number;
  /** Keys the HMAC over each stored request (from RECORD_SECRET). */
  recordKey: Buffer;
  /** A stored request whose reply link is not Slack's is dropped (src/slack/response-url.ts). */
  isSlackUrl: ResponseUrlCheck;
}

const ADD = `
local deadline = ARGV[2]
if redis.call('HGET', KEYS[1], 'authId') == ARGV[1] then
  deadline = redis.call('HGET', KEYS[1], 'deadline')
else
  redis.call('HDEL', KEYS[1], 'opened')
  redis.call('HSET', KEYS[1], 'authId', ARGV[1], 'deadline', deadline)
end
local expireAt = tonumber(deadline) + tonumber(ARGV[3])
redis.call('PEXPIREAT', KEYS[1], expireAt)
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
redis.call('PEXPIREAT', KEYS[2], expireAt)
redis.call('ZADD', KEYS[3], deadline, ARGV[6])
return deadline`;

/** Only on a consent still stored: a mark must not create a record that nothing expires. */
const MARK_OPENED = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'opened', '1') end
return 0`;

/** Takes a free lease, or extends one this owner already holds. */
const LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const FINISH = `
for i = 4, #ARGV do redis.call('HDEL', KEYS[2], ARGV[i]) end
if redis.call('HGET', KEYS[1], 'authId') ~= ARGV[1] then return {} end
local rest = redis.call('HVALS', KEYS[2])
if #rest > 0 then return rest end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[3])
if redis.call('GET', KEYS[4]) == ARGV[2] then redis.call('DEL', KEYS[4]) end
return {}`;

/** Creates the Redis store; `open()` connects. */
export function createRedisPendingStore(options: RedisStoreOptions): PendingStore {
  const { logger } = options;
  const prefix = options.prefix ?? 'inbox:';
  const key = {
    consent: (user: string) => `${prefix}consent:${user}`,
    requests: (user: string) => `${prefix}requests:${user}`,
    consents: `${prefix}consents`,
    lease: (user: string) => `${prefix}lease:${user}`,
    delivered: (requestId: string) => `${prefix}delivered:${requestId}`,
    spentFlow: (flowKey: string) => `${prefix}spent-flow:${flowKey}`,
    notedConsent: (user: string) => `${prefix}home-consent:${user}`,
  };
  const client = createClient({
    url: options.url,
    // Fail fast while Redis is away instead of queueing: callers log and retry on their next round.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });
  let lastError = '';
  // Without an error listener node-redis errors would end the process.
  client.on('error', (error: unknown) => {
    const text = describeError(error);
    if (text !== lastError) logger.warn('Redis connection:', text);
    lastError = text;
  });
  client.on('ready', () => {
    if (lastError) logger.info('Redis connection is back');
    lastError = '';
  });

  const evalScript = async (script: string, keys: string[], args: (string | number)[]) =>
    client.eval(script, { keys, arguments: args.map(String) });

  return {
    durable: true,
    async open() {
      const timeoutMs = options.connectTimeoutMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([client.connect(), timedOut]);
        await client.ping();
      } catch (error) {
        client.destroy();
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    async add(request, deadline) {
      const { arcadeUserId, authId } = request;
      const stored = await evalScript(
        ADD,
        [key.consent(arcadeUserId), key.requests(arcadeUserId), key.consents],
        [authId, deadline, RECORD_GRACE_MS, request.requestId, seal(request), arcadeUserId],
      );
      return { arcadeUserId, authId, deadline: Number(stored) };
    },
    async consents() {
      await client.zRemRangeByScore(key.consents, '-inf', Date.now() - RECORD_GRACE_MS);
      const users = await client.zRange(key.consents, 0, -1);
      const found = await Promise.all(users.map((user) => readConsent(user)));
      return found.filter((consent): consent is PendingConsent => consent !== undefined);
    },
    consent: readConsent,
    async requests(arcadeUserId) {
      return parseRequests(arcadeUserId, await client.hVals(key.requests(arcadeUserId)));
    },
    async markOpened(arcadeUserId) {
      await evalScript(MARK_OPENED, [key.consent(arcadeUserId)], []);
    },
    async lease(arcadeUserId, owner, ttlMs) {
      return Number(await evalScript(LEASE, [key.lease(arcadeUserId)], [owner, ttlMs])) === 1;
    },
    async renew(arcadeUserId, owner, ttlMs) {
      return Number(await evalScript(RENEW, [key.lease(arcadeUserId)], [owner, ttlMs])) === 1;
    },
    async release(arcadeUserId, owner) {
      await evalScript(RELEASE, [key.lease(arcadeUserId)], [owner]);
    },
    async claimDelivery(requestId) {
      const set = await client.set(key.delivered(requestId), '1', {
        condition: 'NX',
        expiration: { type: 'PX', value: DELIVERY_CLAIM_TTL_MS },
      });
      return set === 'OK';
    },
    async noteConsent(arcadeUserId, authId, ttlMs) {
      await client.set(key.notedConsent(arcadeUserId), authId, { expiration: { type: 'PX', value: ttlMs } });
    },
    async notedConsent(arcadeUserId) {
      return (await client.get(key.notedConsent(arcadeUserId))) ?? undefined;
    },
    async claimFlow(flowKey, holder, ttlMs) {
      const set = await client.set(key.spentFlow(flowKey), holder, {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      if (set === 'OK') return holder;
      // Someone holds it; a holder that vanished in between (expired) counts as nobody's: claim again.
      return (await client.get(key.spentFlow(flowKey))) ?? holder;
    },
    async markFlow(flowKey, holder, ttlMs) {
      await client.set(key.spentFlow(flowKey), holder, { expiration: { type: 'PX', value: ttlMs } });
    },
    async flowHolder(flowKey) {
      return (await client.get(key.spentFlow(flowKey))) ?? undefined;
    },
    async finish(arcadeUserId, authId, answered, owner) {
      const rest = await evalScript(
        FINISH,
        [key.consent(arcadeUserId), key.requests(arcadeUserId), key.consents, key.lease(arcadeUserId)],
        [authId, owner, arcadeUserId, ...answered],
      );
      return parseRequests(arcadeUserId, rest as string[]);
    },
    async close() {
      if (!client.isOpen) return;
      await client.close().catch((error: unknown) => {
        logger.warn('closing the Redis connection:', describeError(error));
        client.destroy();
      });
    },
  };

  async function readConsent(arcadeUserId: string): Promise<PendingConsent | undefined> {
    const [authId, deadline, opened] = await client.hmGet(key.consent(arcadeUserId), [
      'authId',
      'deadline',
      'opened',
    ]);
    if (!authId || !deadline) return undefined;
    const consent: PendingConsent = { arcadeUserId, authId: String(authId), deadline: Number(deadline) };
    if (opened) consent.opened = true;
    return consent;
  }

  /** A request as stored: its JSON and an HMAC over it, so that a write to Redis cannot redirect a summary. */
  function seal(request: PendingRequest): string {
    const record = JSON.stringify(request);
    return JSON.stringify({ record, mac: macOf(options.recordKey, record) });
  }

  /**
   * The requests that this app wrote for this person, unaltered and answering only to Slack's own
   * hosts; any other is dropped with a warning (never the value itself: it may hold a reply link).
   */
  function parseRequests(arcadeUserId: string, values: unknown[]): PendingRequest[] {
    const requests: PendingRequest[] = [];
    for (const value of values) {
      let request: PendingRequest;
      try {
        const { record, mac } = JSON.parse(String(value)) as { record?: unknown; mac?: unknown };
        if (typeof record !== 'string' || !macMatches(options.recordKey, record, mac)) {
          logger.warn(
            `dropping a pending request for ${arcadeUserId} from Redis: its HMAC does not match (altered, or written with another RECORD_SECRET)`,
          );
          continue;
        }
        request = JSON.parse(record) as PendingRequest;
      } catch (error) {
        logger.error('dropping an unreadable pending request from Redis:', describeError(error));
        continue;
      }
      if (request.arcadeUserId !== arcadeUserId || !options.isSlackUrl(request.responseUrl)) {
        logger.warn(
          `dropping a pending request for ${arcadeUserId} from Redis: it names another person or a reply link that is not Slack's`,
        );
        continue;
      }
      requests.push(request);
    }
    return requests;
  }
}
