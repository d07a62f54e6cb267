import type { Logger } from '@slack/bolt';
import { type ConsentOutcome, type ConsentWatcher, createConsentWatcher } from '../auth/consent-watcher';
import type { GmailAccess } from '../auth/gmail-access';
import type { Config } from '../core/config';
import { deriveKey } from '../core/sealing';
import { createMemoryPendingStore } from '../pending/memory-store';
import { createPendingConsents, type PendingConsents } from '../pending/pending-consents';
import type { PendingRequest, PendingStore } from '../pending/pending-store';
import type { ResponseUrlCheck } from '../slack/response-url';
import type { InboxAppTuning } from './tuning';

/**
 * The Redis store, loaded only when REDIS_URL is set: the `redis` client alone is about a third of
 * the start-up time of an app that never uses it. A plain require, so that Jest runs it too.
 */
function loadRedisStore(): typeof import('../pending/redis-store') {
  return require('../pending/redis-store');
}

/** Consents being waited on: the watcher, where they are kept (Redis with REDIS_URL, else memory), the coordinator. */
export interface PendingPart {
  watcher: ConsentWatcher;
  store: PendingStore;
  pending: PendingConsents;
}

export function buildPending(
  config: Config,
  tuning: InboxAppTuning,
  deps: {
    access: GmailAccess;
    logger: Logger;
    isSlackUrl: ResponseUrlCheck;
    /** Answers a request once its consent ends (the inbox flow); owns its errors. */
    deliver(request: PendingRequest, outcome: ConsentOutcome): Promise<void>;
  },
): PendingPart {
  const { logger } = deps;
  const watcher = createConsentWatcher({
    access: deps.access,
    logger,
    timeoutMs: config.consentTimeoutMs,
    maxLongPolls: config.consents.longPolls,
    checksPerSecond: config.consents.checksPerSecond,
    ...(tuning.consentRetryDelayMs ? { retryDelayMs: tuning.consentRetryDelayMs } : {}),
    ...(tuning.consentCheckIntervalMs !== undefined
      ? { minCheckIntervalMs: tuning.consentCheckIntervalMs }
      : {}),
  });
  const store: PendingStore = config.redisUrl
    ? loadRedisStore().createRedisPendingStore({
        url: config.redisUrl,
        logger,
        // loadConfig requires RECORD_SECRET with REDIS_URL.
        recordKey: deriveKey(config.recordSecret ?? '', 'redis-record'),
        isSlackUrl: deps.isSlackUrl,
        ...(tuning.redisPrefix ? { prefix: tuning.redisPrefix } : {}),
      })
    : createMemoryPendingStore();
  const pending = createPendingConsents({
    store,
    watcher,
    logger,
    timeoutMs: config.consentTimeoutMs,
    deliver: deps.deliver,
    ...(tuning.leaseTtlMs ? { leaseTtlMs: tuning.leaseTtlMs } : {}),
    ...(tuning.leaseScanIntervalMs ? { scanIntervalMs: tuning.leaseScanIntervalMs } : {}),
  });
  return { watcher, store, pending };
}
