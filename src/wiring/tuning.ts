import type { Logger } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import type { RetryBudget } from '../gmail/retry-policy';
import type { Metrics } from '../metrics/metrics';

/** Knobs for tests and benchmarks; production uses the defaults. */
export interface InboxAppTuning {
  logger?: Logger;
  /** Slack Web API retries for 5xx/network failures; with retries, the SDK waits out a 429's Retry-After first. */
  slackRetry?: RetryOptions;
  arcadeMaxRetries?: number;
  /** Deadlines for one Arcade call and for a summary's Gmail reads (default 30 s each). */
  arcadeTimeoutMs?: number;
  gmailTimeoutMs?: number;
  gmailRetry?: RetryBudget;
  gmailConcurrency?: number;
  /** false: a summary's work runs on the app's thread, not in its own (default true; src/summary-thread/). */
  summaryThread?: boolean;
  /** The summary thread's nice value on Linux (default 19). */
  summaryThreadNice?: number;
  consentRetryDelayMs?: { first: number; max: number };
  /** Least time between two quick status checks of one consent without a long-poll (default 5 s). */
  consentCheckIntervalMs?: number;
  /** How long shutdown waits for summaries already being built (default SHUTDOWN_GRACE_SECONDS). */
  shutdownGraceMs?: number;
  /** Pending-consent leases (Redis): lifetime, and how often they are renewed and orphans looked for. */
  leaseTtlMs?: number;
  leaseScanIntervalMs?: number;
  /** How long a digest's queue lock lasts unrenewed (default 30 s): a takeover after kill -9 waits this. */
  digestLockMs?: number;
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
