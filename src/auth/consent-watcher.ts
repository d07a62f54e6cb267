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
 *
 * Held long-polls are bounded (`maxLongPolls`). Each one keeps an HTTP/1.1 connection, its parser
 * and the SDK's request state alive: about 45–50 KB of RSS, 24 KB of it JS heap, and a file
 * descriptor (BENCHMARKS.md), and Arcade has no call that asks about several flows at once. The consents most likely to finish
 * hold them: those whose person opened the Connect link (`opened`) take one at once, from a consent
 * not opened if need be; a long-poll that frees up goes to an opened one, else the newest. The others are
 * asked with quick status calls (no `wait`) from one shared timer, at most `checksPerSecond` in
 * all, so that thousands of pending consents cost neither sockets nor a flood of calls to Arcade
 * (its own CLI hit rate limits polling one flow twice a second). Opening the link comes before
 * consenting, so a consent checked quickly takes a long-poll before it can finish and is still
 * noticed the moment it completes.
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

export interface WatchOptions {
  /** Epoch ms; default now + the timeout. A watch taken over from another instance keeps its deadline. */
  deadline?: number;
  /** The person already opened the Connect link (e.g. before another instance handed the consent over). */
  opened?: boolean;
}

export interface ConsentWatcher {
  /**
   * Adds a waiter for `arcadeUserId`'s consent flow `authId`, starting a watch if none runs. A new
   * watch gives up at `deadline` (epoch ms; default now + the timeout), e.g. one taken over from
   * another instance keeps the deadline the person was promised.
   */
  watch(arcadeUserId: string, authId: string, waiter: ConsentWaiter, options?: WatchOptions): void;
  /** The person opened their Connect link: their consent is long-polled from now on. */
  opened(arcadeUserId: string): void;
  /** Stops watching one person's consent; its waiters hear `handed_over`. */
  handOver(arcadeUserId: string): void;
  /** How many people have a consent being watched. */
  readonly pending: number;
  /** How many of them are long-polled now (at most `maxLongPolls`); the rest are checked quickly. */
  readonly longPolls: number;
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
  /** Long-polls held at once (CONSENT_LONG_POLLS). */
  maxLongPolls?: number;
  /** Quick status calls per second, in all, for the consents without a long-poll (CONSENT_CHECKS_PER_SECOND). */
  checksPerSecond?: number;
  /** Least time between two quick checks of one consent. */
  minCheckIntervalMs?: number;
  now?: () => number;
}

/** 256 long-polls and the three pools of 64 connections (src/core/transport.ts) fit the common limit of 1,024 open files. */
export const DEFAULT_MAX_LONG_POLLS = 256;
export const DEFAULT_CHECKS_PER_SECOND = 25;
const DEFAULT_MIN_CHECK_INTERVAL_MS = 5000;
const SWEEP_TICK_MS = 100;
/** Quick checks answer at once; more than this in flight means Arcade is slow, and waiting is kinder. */
const MAX_CHECKS_IN_FLIGHT = 16;

interface Watch {
  readonly arcadeUserId: string;
  readonly authId: string;
  readonly deadline: number;
  /** Order of arrival: newer consents are long-polled before older ones. */
  readonly serial: number;
  /** Order in which the person opened the link; 0 until then. */
  openedSerial: number;
  waiters: ConsentWaiter[];
  handedOver: boolean;
  ended: boolean;
  held: boolean;
  /** Ends the status call or long-poll loop in flight; replaced when the watch changes hands. */
  controller: AbortController | undefined;
  /** The long-poll loop, while held. */
  loop: Promise<void> | undefined;
  /** Quick checks: not before this time (spacing and backoff). */
  nextCheckAt: number;
  failures: number;
}

/** Creates the watcher; see the module comment for the rules it keeps. */
export function createConsentWatcher(options: ConsentWatcherOptions): ConsentWatcher {
  const { access, logger, timeoutMs } = options;
  const retryDelay = options.retryDelayMs ?? { first: 1000, max: 30_000 };
  const minPollIntervalMs = options.minPollIntervalMs ?? 1000;
  const maxLongPolls = Math.max(1, options.maxLongPolls ?? DEFAULT_MAX_LONG_POLLS);
  const checksPerSecond = Math.max(1, options.checksPerSecond ?? DEFAULT_CHECKS_PER_SECOND);
  const minCheckIntervalMs = options.minCheckIntervalMs ?? DEFAULT_MIN_CHECK_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const watches = new Map<string, Watch>();
  const held = new Set<Watch>();
  const telling = new Set<Promise<void>>();
  let serial = 0;
  let stopping = false;
  let sweepTimer: NodeJS.Timeout | undefined;
  let cursor: Iterator<Watch> | undefined;
  let tokens = 0;
  let lastTick = 0;
  let lastExpiryScan = 0;
  let inFlight = 0;

  function backoffMs(error: unknown, failures: number): number {
    const requested = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return Math.max(
      typeof requested === 'number' ? requested * 1000 : 0,
      Math.min(retryDelay.max, retryDelay.first * 2 ** (failures - 1)),
    );
  }

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
        pauseMs = backoffMs(error, failures);
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

  /**
   * Whether `a` deserves a free long-poll before `b`: opened first (earliest first), then the newest,
   * since a person who has not clicked within minutes is less likely to consent than one just asked.
   */
  function outranks(a: Watch, b: Watch): boolean {
    if (a.openedSerial !== 0 && b.openedSerial !== 0) return a.openedSerial < b.openedSerial;
    if (a.openedSerial !== 0 || b.openedSerial !== 0) return a.openedSerial !== 0;
    return a.serial > b.serial;
  }

  /**
   * Gives `watch` a free long-poll; an opened one may also take the long-poll of an unopened one.
   * Nothing else is taken away: an aborted long-poll costs its connection. When each new consent
   * took the oldest one's, 10,000 of them left ~14,000 sockets in TIME_WAIT, and in a later bench
   * round one long-polled consent went unnoticed for over a minute.
   */
  function place(watch: Watch): void {
    if (held.size < maxLongPolls) {
      hold(watch);
      return;
    }
    let lowest: Watch | undefined;
    if (watch.openedSerial !== 0) {
      for (const candidate of held) {
        if (candidate.handedOver || candidate.openedSerial !== 0) continue;
        if (!lowest || outranks(lowest, candidate)) lowest = candidate;
      }
    }
    // One opened link never takes the long-poll of another: that person may be consenting right now.
    if (lowest) {
      release(lowest);
      hold(watch);
      return;
    }
    watch.nextCheckAt = Math.max(watch.nextCheckAt, now() + minCheckIntervalMs);
    startSweep();
  }

  function hold(watch: Watch): void {
    // A quick check in flight asks what the long-poll asks.
    watch.controller?.abort();
    const controller = new AbortController();
    watch.controller = controller;
    watch.held = true;
    held.add(watch);
    watch.loop = longPoll(watch, controller);
  }

  /** Takes the long-poll away; the consent is checked quickly from now on. */
  function release(watch: Watch): void {
    watch.held = false;
    held.delete(watch);
    watch.controller?.abort();
    watch.controller = undefined;
    watch.loop = undefined;
    // It was just long-polled: the first quick check can wait.
    watch.nextCheckAt = now() + minCheckIntervalMs;
    startSweep();
  }

  async function longPoll(watch: Watch, controller: AbortController): Promise<void> {
    let outcome: ConsentOutcome;
    try {
      outcome = await poll(watch.authId, watch.deadline, controller.signal);
    } catch (error) {
      outcome = { kind: 'error', error };
    }
    // Released, superseded or ended meanwhile: whoever did that owns the watch now.
    if (watch.controller !== controller) return;
    end(watch, outcome);
  }

  /** The watch is over: frees its long-poll for the next consent and tells its waiters. */
  function end(watch: Watch, result: ConsentOutcome): void {
    if (watch.ended) return;
    watch.ended = true;
    watch.controller?.abort();
    watch.controller = undefined;
    const current = watches.get(watch.arcadeUserId) === watch;
    if (current) watches.delete(watch.arcadeUserId);
    if (watch.held) {
      watch.held = false;
      held.delete(watch);
      fillLongPolls();
    }
    // A watch superseded by a newer flow hands its waiters over and says nothing.
    if (!current) return;
    const outcome: ConsentOutcome = watch.handedOver ? { kind: 'handed_over' } : result;
    logger.info(`consent for ${watch.arcadeUserId} ended: ${outcome.kind} (${watch.waiters.length} waiting)`);
    const told = Promise.all(
      watch.waiters.map(async (waiter) => {
        try {
          await waiter(outcome);
        } catch (error) {
          logger.error('a request waiting on consent failed to finish:', describeError(error));
        }
      }),
    ).then(() => {
      telling.delete(told);
    });
    telling.add(told);
  }

  /** Hands free long-polls to the queued consents that deserve them most. */
  function fillLongPolls(): void {
    while (!stopping && held.size < maxLongPolls && watches.size > held.size) {
      let best: Watch | undefined;
      for (const candidate of watches.values()) {
        if (candidate.held || candidate.ended || candidate.handedOver) continue;
        if (!best || outranks(candidate, best)) best = candidate;
      }
      if (!best) return;
      hold(best);
    }
  }

  function startSweep(): void {
    if (sweepTimer || stopping) return;
    lastTick = now();
    tokens = 0;
    sweepTimer = setInterval(sweep, SWEEP_TICK_MS);
    sweepTimer.unref();
  }

  /** One tick of the shared timer: expires what is due and starts the quick checks the rate allows. */
  function sweep(): void {
    if (stopping || watches.size === held.size) {
      clearInterval(sweepTimer);
      sweepTimer = undefined;
      cursor = undefined;
      return;
    }
    const time = now();
    // At most one second's worth saved up, so a stalled timer does not turn into a burst.
    tokens = Math.min(checksPerSecond, tokens + ((time - lastTick) / 1000) * checksPerSecond);
    lastTick = time;
    if (time - lastExpiryScan >= 1000) {
      lastExpiryScan = time;
      for (const watch of watches.values()) {
        if (watch.held) continue;
        if (watch.handedOver) end(watch, { kind: 'handed_over' });
        else if (watch.deadline <= time) end(watch, { kind: 'expired' });
      }
    }
    // Round robin: the cursor carries on where the last tick stopped, so every consent gets its turn.
    for (let visits = watches.size; visits > 0 && tokens >= 1 && inFlight < MAX_CHECKS_IN_FLIGHT; visits--) {
      let next = cursor?.next();
      if (!next || next.done) {
        cursor = watches.values();
        next = cursor.next();
        if (next.done) break;
      }
      const watch = next.value;
      if (watch.held || watch.ended || watch.controller || watch.nextCheckAt > time) continue;
      tokens -= 1;
      void check(watch);
    }
  }

  /** One quick status call for a consent without a long-poll. */
  async function check(watch: Watch): Promise<void> {
    const controller = new AbortController();
    watch.controller = controller;
    inFlight += 1;
    let status: Awaited<ReturnType<GmailAccess['checkConsent']>>;
    try {
      status = await access.checkConsent(watch.authId, { waitSeconds: 0, signal: controller.signal });
    } catch (error) {
      if (watch.controller !== controller) return;
      watch.controller = undefined;
      if (isPermanent(error)) {
        end(watch, { kind: 'error', error });
        return;
      }
      watch.failures += 1;
      const pauseMs = Math.max(minCheckIntervalMs, backoffMs(error, watch.failures));
      logger.warn(
        `consent status check failed (attempt ${watch.failures}); retrying in ${pauseMs} ms:`,
        describeError(error),
      );
      watch.nextCheckAt = now() + pauseMs;
      return;
    } finally {
      inFlight -= 1;
    }
    if (watch.controller !== controller) return;
    watch.controller = undefined;
    watch.failures = 0;
    if (status.kind === 'granted') end(watch, status);
    else if (status.kind === 'failed') end(watch, { kind: 'failed' });
    else if (status.kind === 'unknown') end(watch, { kind: 'expired' });
    else watch.nextCheckAt = now() + minCheckIntervalMs;
  }

  function opened(arcadeUserId: string): void {
    const watch = watches.get(arcadeUserId);
    if (watch?.openedSerial !== 0) return;
    serial += 1;
    watch.openedSerial = serial;
    if (!watch.held && !watch.handedOver) place(watch);
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
        if (watchOptions?.opened) opened(arcadeUserId);
        return;
      }
      // Arcade issued a new flow (the old one expired or was replaced): watch that one instead, for everyone.
      serial += 1;
      const watch: Watch = {
        arcadeUserId,
        authId,
        deadline: watchOptions?.deadline ?? now() + timeoutMs,
        serial,
        openedSerial: watchOptions?.opened ? serial : 0,
        waiters: existing ? [...existing.waiters, waiter] : [waiter],
        handedOver: false,
        ended: false,
        held: false,
        controller: undefined,
        loop: undefined,
        nextCheckAt: 0,
        failures: 0,
      };
      watches.set(arcadeUserId, watch);
      if (existing) {
        // Retired quietly: its waiters are the new watch's now, and it leaves its long-poll to it.
        existing.ended = true;
        existing.controller?.abort();
        existing.controller = undefined;
        if (existing.held) {
          existing.held = false;
          held.delete(existing);
        }
      }
      place(watch);
    },
    opened,
    handOver(arcadeUserId) {
      const watch = watches.get(arcadeUserId);
      if (!watch) return;
      watch.handedOver = true;
      // A long-poll ends through its loop, which then tells the waiters; a queued watch ends here.
      if (watch.held) watch.controller?.abort();
      else end(watch, { kind: 'handed_over' });
    },
    get pending() {
      return watches.size;
    },
    get longPolls() {
      return held.size;
    },
    pendingAuthId(arcadeUserId) {
      return watches.get(arcadeUserId)?.authId;
    },
    async stop() {
      stopping = true;
      clearInterval(sweepTimer);
      sweepTimer = undefined;
      const loops: Promise<void>[] = [];
      for (const watch of watches.values()) {
        if (watch.held) {
          if (watch.loop) loops.push(watch.loop);
          watch.controller?.abort();
        } else {
          end(watch, { kind: 'aborted' });
        }
      }
      await Promise.all(loops);
      await Promise.all([...telling]);
    },
  };
}

/** Errors that another poll cannot fix: a rejected key or a misconfiguration. */
function isPermanent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'arcade_key_rejected' || code === 'misconfigured';
}
