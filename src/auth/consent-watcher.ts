import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@slack/bolt';
import { describeError } from '../core/log';
import type { GmailAccess, Grant } from './gmail-access';

/**
 * Waits in the background for people to finish Arcade's consent, with one watcher per Arcade user:
 * several `/inbox` during one pending consent share it, and every one of them hears the outcome.
 *
 * The SDK's `waitForCompletion` is not used: it has no deadline, no abort, and spins on `failed`.
 * This loop long-polls `auth.status`, stops on `failed`, gives up at a deadline, backs off on
 * transient errors, and stops at once on shutdown.
 */

export type ConsentOutcome =
  | { kind: 'granted'; grant: Grant }
  | { kind: 'failed' }
  | { kind: 'expired' }
  /** The app is shutting down; the person has to ask again. */
  | { kind: 'aborted' }
  /** This instance no longer watches the consent (shutdown or a lost lease); another one answers. */
  | { kind: 'handed_over' }
  | { kind: 'error'; error: unknown };

/** Called once with the outcome; owns its own errors (they are logged, never thrown further). */
export type ConsentWaiter = (outcome: ConsentOutcome) => Promise<void>;

export interface ConsentWatcher {
  /**
   * Adds a waiter for `arcadeUserId`'s consent flow `authId`, starting a watch if none runs. A new
   * watch gives up at `deadline` (epoch ms; default now + the timeout), e.g. one taken over from
   * another instance keeps the deadline the person was promised.
   */
  watch(arcadeUserId: string, authId: string, waiter: ConsentWaiter, options?: { deadline?: number }): void;
  /** Stops watching one person's consent; its waiters hear `handed_over`. */
  handOver(arcadeUserId: string): void;
  /** How many people have a consent being watched. */
  readonly pending: number;
  /**
   * The authorization id of the consent this app is waiting on for `arcadeUserId`, if any: the
   * custom verifier confirms only people who have a Connect link outstanding from this app.
   */
  pendingAuthId(arcadeUserId: string): string | undefined;
  /** Aborts every watch; waiters hear `aborted`. Resolves when they have all been told. */
  stop(): Promise<void>;
}

export interface ConsentWatcherOptions {
  access: GmailAccess;
  logger: Logger;
  timeoutMs: number;
  /** Backoff after a failed status call: first delay, doubled up to the cap. */
  retryDelayMs?: { first: number; max: number };
  /** Least time between two status calls, whatever the server does with `wait`. */
  minPollIntervalMs?: number;
  now?: () => number;
}

interface Watch {
  authId: string;
  deadline: number;
  handedOver: boolean;
  waiters: ConsentWaiter[];
  controller: AbortController;
  done: Promise<void>;
}

/** Creates the watcher; see the module comment for the rules it keeps. */
export function createConsentWatcher(options: ConsentWatcherOptions): ConsentWatcher {
  const { access, logger, timeoutMs } = options;
  const retryDelay = options.retryDelayMs ?? { first: 1000, max: 30_000 };
  const minPollIntervalMs = options.minPollIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  const watches = new Map<string, Watch>();
  let stopping = false;

  async function poll(authId: string, deadline: number, signal: AbortSignal): Promise<ConsentOutcome> {
    let failures = 0;
    while (!signal.aborted) {
      const remainingMs = deadline - now();
      if (remainingMs <= 0) return { kind: 'expired' };
      const polledAt = now();
      let pauseMs: number;
      try {
        const status = await access.checkConsent(authId, {
          waitSeconds: Math.ceil(remainingMs / 1000),
          signal,
        });
        failures = 0;
        if (status.kind === 'granted') return status;
        if (status.kind === 'failed') return { kind: 'failed' };
        if (status.kind === 'unknown') return { kind: 'expired' };
        // A server that answers `pending` without holding the long-poll must not turn this into a hot loop.
        pauseMs = minPollIntervalMs - (now() - polledAt);
      } catch (error) {
        if (signal.aborted) break;
        if (isPermanent(error)) return { kind: 'error', error };
        failures += 1;
        const requested = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
        pauseMs = Math.max(
          typeof requested === 'number' ? requested * 1000 : 0,
          Math.min(retryDelay.max, retryDelay.first * 2 ** (failures - 1)),
        );
        logger.warn(
          `consent status check failed (attempt ${failures}); retrying in ${pauseMs} ms:`,
          describeError(error),
        );
      }
      pauseMs = Math.min(pauseMs, Math.max(0, deadline - now()));
      if (pauseMs > 0) {
        try {
          await sleep(pauseMs, undefined, { signal });
        } catch {
          break;
        }
      }
    }
    return { kind: 'aborted' };
  }

  async function run(arcadeUserId: string, watch: Watch): Promise<void> {
    let outcome: ConsentOutcome;
    try {
      outcome = await poll(watch.authId, watch.deadline, watch.controller.signal);
    } catch (error) {
      outcome = { kind: 'error', error };
    }
    if (watch.handedOver) outcome = { kind: 'handed_over' };
    // A watch superseded by a newer flow hands its waiters over and says nothing.
    if (watches.get(arcadeUserId) !== watch) return;
    watches.delete(arcadeUserId);
    logger.info(`consent for ${arcadeUserId} ended: ${outcome.kind} (${watch.waiters.length} waiting)`);
    await Promise.all(
      watch.waiters.map(async (waiter) => {
        try {
          await waiter(outcome);
        } catch (error) {
          logger.error('a request waiting on consent failed to finish:', describeError(error));
        }
      }),
    );
  }

  return {
    watch(arcadeUserId, authId, waiter, watchOptions) {
      if (stopping) {
        void waiter({ kind: 'aborted' }).catch((error) => logger.error(describeError(error)));
        return;
      }
      const existing = watches.get(arcadeUserId);
      if (existing && existing.authId === authId) {
        existing.waiters.push(waiter);
        return;
      }
      // Arcade issued a new flow (the old one expired or was replaced): watch that one instead, for everyone.
      const waiters = existing ? [...existing.waiters, waiter] : [waiter];
      existing?.controller.abort();
      const watch: Watch = {
        authId,
        deadline: watchOptions?.deadline ?? now() + timeoutMs,
        handedOver: false,
        waiters,
        controller: new AbortController(),
        done: Promise.resolve(),
      };
      watches.set(arcadeUserId, watch);
      watch.done = run(arcadeUserId, watch);
    },
    handOver(arcadeUserId) {
      const watch = watches.get(arcadeUserId);
      if (!watch) return;
      watch.handedOver = true;
      watch.controller.abort();
    },
    get pending() {
      return watches.size;
    },
    pendingAuthId(arcadeUserId) {
      return watches.get(arcadeUserId)?.authId;
    },
    async stop() {
      stopping = true;
      const running = [...watches.values()];
      for (const watch of running) watch.controller.abort();
      await Promise.all(running.map((watch) => watch.done));
    },
  };
}

/** Errors that another poll cannot fix: a rejected key or a misconfiguration. */
function isPermanent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'arcade_key_rejected' || code === 'misconfigured';
}
