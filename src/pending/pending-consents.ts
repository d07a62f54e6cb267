import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@slack/bolt';
import type { ConsentOutcome, ConsentWatcher } from '../auth/consent-watcher';
import { describeError } from '../core/log';
import { within } from '../core/within';
import type { PendingConsent, PendingRequest, PendingStore } from './pending-store';

/**
 * Pending consents across restarts and instances, over a {@link PendingStore} and the local
 * {@link ConsentWatcher}. A request waiting on consent is written to the store; the instance that
 * holds the person's lease watches the consent (one long-poll, as before) and, when it ends,
 * answers every request waiting on it, each after winning its delivery claim.
 *
 * With a durable store (Redis) every instance, every `scanIntervalMs`, renews its leases and takes
 * up consents whose lease has run out: those of an instance that died (even `kill -9`) or shut
 * down. Shutdown hands leases back at once. With the memory store shutdown tells each person still
 * waiting to run `/inbox` again.
 */
export interface PendingConsents {
  /** Stores a request waiting on consent and makes sure some instance watches that consent. */
  add(request: Omit<PendingRequest, 'requestId'>): Promise<void>;
  /** Takes up stored consents nobody watches, now and then periodically (durable store only). */
  start(): Promise<void>;
  /**
   * The person opened their Connect link: the consent is long-polled from now on, here or, through
   * the store, on the instance that watches it (at its next scan).
   */
  opened(arcadeUserId: string): Promise<void>;
  /** The consent the person has outstanding with this app (any instance), if any. */
  pendingAuthId(arcadeUserId: string): Promise<string | undefined>;
  /** Consents this instance watches or is answering. */
  readonly owned: number;
  /**
   * Stops: hands consents back (durable) or tells their waiters (memory), and waits at most
   * `graceMs` for answers already being built. Resolves false when some were abandoned.
   */
  stop(graceMs: number): Promise<boolean>;
}

export interface PendingConsentsOptions {
  store: PendingStore;
  watcher: ConsentWatcher;
  logger: Logger;
  /** How long a person has to finish consent (CONSENT_TIMEOUT_SECONDS). */
  timeoutMs: number;
  /** Answers one request with the consent's outcome (src/inbox/inbox-flow.ts); owns its errors. */
  deliver(request: PendingRequest, outcome: ConsentOutcome): Promise<void>;
  /** A lease not renewed for this long goes to another instance. */
  leaseTtlMs?: number;
  /** How often leases are renewed and orphaned consents looked for; about a third of the TTL. */
  scanIntervalMs?: number;
  /** This instance's name in leases; host, pid and a random part by default. */
  owner?: string;
  now?: () => number;
}

export const DEFAULT_LEASE_TTL_MS = 5000;

interface Owned {
  authId: string;
  /** The consent ended and its requests are being answered. */
  answering: boolean;
}

/** Creates the coordinator; see the module comment. */
export function createPendingConsents(options: PendingConsentsOptions): PendingConsents {
  const { store, watcher, logger, timeoutMs } = options;
  const leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const scanIntervalMs = options.scanIntervalMs ?? Math.floor(leaseTtlMs / 3);
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const now = options.now ?? Date.now;
  const owned = new Map<string, Owned>();
  const answering = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | undefined;
  let stopping = false;

  /** Watches `consent` here if this instance holds (or can take) its lease. */
  async function claim(consent: PendingConsent): Promise<void> {
    if (stopping) return;
    const mine = owned.get(consent.arcadeUserId);
    if (mine?.authId === consent.authId) {
      // Opened on another instance: the mark came through the store.
      if (consent.opened) watcher.opened(consent.arcadeUserId);
      return;
    }
    if (!mine && !(await store.lease(consent.arcadeUserId, owner, leaseTtlMs))) return;
    if (stopping) {
      await store.release(consent.arcadeUserId, owner);
      return;
    }
    // A newer flow for a consent this instance already watches: the watcher switches to it.
    const entry: Owned = { authId: consent.authId, answering: false };
    owned.set(consent.arcadeUserId, entry);
    watcher.watch(
      consent.arcadeUserId,
      consent.authId,
      (outcome) => track(ended(consent.arcadeUserId, entry, outcome)),
      { deadline: consent.deadline, opened: consent.opened === true },
    );
  }

  function track(work: Promise<void>): Promise<void> {
    const tracked = work.catch((error: unknown) =>
      logger.error('answering the requests waiting on a consent failed:', describeError(error)),
    );
    answering.add(tracked);
    void tracked.finally(() => answering.delete(tracked));
    return tracked;
  }

  /** The watch of `entry` ended: answer every request waiting on it, once each. */
  async function ended(arcadeUserId: string, entry: Owned, outcome: ConsentOutcome): Promise<void> {
    if (owned.get(arcadeUserId) !== entry) return;
    if (outcome.kind === 'handed_over' || (outcome.kind === 'aborted' && store.durable)) {
      // Another instance (or this one after a restart) answers from the store.
      owned.delete(arcadeUserId);
      await store.release(arcadeUserId, owner);
      return;
    }
    entry.answering = true;
    try {
      const current = await store.consent(arcadeUserId);
      if (current && current.authId !== entry.authId) {
        // Replaced by a newer flow meanwhile (from another instance): that flow answers everyone.
        owned.delete(arcadeUserId);
        await claim(current);
        return;
      }
      let requests = await store.requests(arcadeUserId);
      while (requests.length > 0) {
        const batch = requests;
        await Promise.all(
          batch.map(async (request) => {
            if (!(await store.claimDelivery(request.requestId))) return;
            await options.deliver(request, outcome);
          }),
        );
        requests = await store.finish(
          arcadeUserId,
          entry.authId,
          batch.map((request) => request.requestId),
          owner,
        );
      }
    } finally {
      if (owned.get(arcadeUserId) === entry) owned.delete(arcadeUserId);
    }
    // Kept by finish() when a newer flow replaced this one meanwhile.
    const next = await store.consent(arcadeUserId);
    if (next) await claim(next);
  }

  async function scan(): Promise<void> {
    for (const [arcadeUserId, entry] of [...owned]) {
      let kept = false;
      try {
        kept = await store.renew(arcadeUserId, owner, leaseTtlMs);
      } catch (error) {
        logger.warn(`could not renew the lease on ${arcadeUserId}'s consent:`, describeError(error));
        continue;
      }
      if (!kept && owned.get(arcadeUserId) === entry) {
        logger.warn(`lost the lease on ${arcadeUserId}'s consent; another instance answers it`);
        owned.delete(arcadeUserId);
        if (!entry.answering) watcher.handOver(arcadeUserId);
      }
    }
    for (const consent of await store.consents()) await claim(consent);
  }

  function scheduleScan(): void {
    timer = setTimeout(() => {
      scanning = scan()
        .catch((error: unknown) => logger.warn('looking for pending consents failed:', describeError(error)))
        .finally(() => {
          scanning = undefined;
          if (!stopping) scheduleScan();
        });
    }, scanIntervalMs);
    timer.unref();
  }

  return {
    async add(fields) {
      const request: PendingRequest = { ...fields, requestId: randomBytes(12).toString('hex') };
      if (stopping && !store.durable) {
        await track(options.deliver(request, { kind: 'aborted' }));
        return;
      }
      const consent = await store.add(request, now() + timeoutMs);
      // While stopping, the stored request waits for another instance (or the next start).
      await claim(consent);
    },
    async start() {
      if (!store.durable) return;
      await scan();
      scheduleScan();
    },
    async opened(arcadeUserId) {
      watcher.opened(arcadeUserId);
      // Through Redis the instance that holds the lease hears it too, now or after a hand-over.
      if (store.durable) await store.markOpened(arcadeUserId);
    },
    async pendingAuthId(arcadeUserId) {
      return (
        (await store.consent(arcadeUserId))?.authId ??
        (await store.notedConsent(arcadeUserId)) ??
        watcher.pendingAuthId(arcadeUserId)
      );
    },
    get owned() {
      return owned.size;
    },
    async stop(graceMs) {
      stopping = true;
      clearTimeout(timer);
      await scanning;
      if (store.durable) {
        // Hand back what is only being watched; consents already being answered finish first.
        for (const [arcadeUserId, entry] of [...owned]) {
          if (entry.answering) continue;
          owned.delete(arcadeUserId);
          watcher.handOver(arcadeUserId);
          await store
            .release(arcadeUserId, owner)
            .catch((error: unknown) => logger.warn('releasing a lease:', describeError(error)));
        }
      }
      // Memory store: the waiters hear `aborted` and are told to run /inbox again.
      await watcher.stop();
      const finished = await within(graceMs, Promise.all([...answering]));
      if (!finished) {
        logger.warn(`shutdown: answers to ${owned.size} consent(s) still being built were abandoned`);
        for (const arcadeUserId of owned.keys()) await store.release(arcadeUserId, owner).catch(() => {});
      }
      return finished;
    },
  };
}
