import type { Visibility } from '../core/config';
import type { SlackIdentity } from '../identity/identity';
import type { InboxRequest } from '../inbox/inbox';

/**
 * Where pending consents and the `/inbox` requests waiting on them live, so that a restart or a
 * second instance can finish them. Two implementations: in memory (the default; nothing survives
 * the process) and Redis (`REDIS_URL`; survives restarts and is shared by several instances).
 *
 * Ownership: exactly one instance watches a pending consent at a time, the holder of its lease.
 * A lease is short (seconds) and renewed while watched, so a killed owner's consents are taken over
 * as soon as its lease runs out. Each waiting request is answered at most once across instances:
 * `claimDelivery` is atomic, and whoever wins it answers.
 */

/** One `/inbox` waiting on a consent, in serialisable form: enough to answer it from any instance. */
export interface PendingRequest {
  /** Random; keys the exactly-once delivery claim. */
  requestId: string;
  arcadeUserId: string;
  /** The Arcade authorization (consent flow) the request waits on. */
  authId: string;
  identity: SlackIdentity;
  request: InboxRequest;
  channelId: string;
  visibility: Visibility;
  /**
   * The command's reply link: a bearer URL (anyone holding it can post as the app into that
   * conversation for 30 minutes). Never logged; stored only until the consent's deadline.
   */
  responseUrl: string;
}

/** A consent some requests wait on. */
export interface PendingConsent {
  arcadeUserId: string;
  authId: string;
  /** Epoch milliseconds; the watch gives up then and tells the waiters it expired. */
  deadline: number;
  /** The person opened the Connect link of this flow (whichever instance saw the click). */
  opened?: true;
}

export interface PendingStore {
  /** True when the records outlive this process (Redis): shutdown hands consents back instead of cancelling. */
  readonly durable: boolean;
  /**
   * Records a waiting request. When the person's stored consent is another flow (or none), the
   * request's flow becomes the person's consent with `deadline`; otherwise the first deadline stays.
   * Resolves with the consent as stored.
   */
  add(request: PendingRequest, deadline: number): Promise<PendingConsent>;
  /** Every consent still pending (including ones just past their deadline, which still have to be told). */
  consents(): Promise<PendingConsent[]>;
  consent(arcadeUserId: string): Promise<PendingConsent | undefined>;
  /** The requests waiting on the person's consent. */
  requests(arcadeUserId: string): Promise<PendingRequest[]>;
  /** Takes the watch over the person's consent for `ttlMs`, if nobody (else) holds it. */
  lease(arcadeUserId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends a lease `owner` still holds; false when it was lost. */
  renew(arcadeUserId: string, owner: string, ttlMs: number): Promise<boolean>;
  /**
   * Notes that the person opened the Connect link of their current consent, so that the instance
   * watching it gives it a long-poll (src/auth/consent-watcher.ts). A newer flow starts unopened.
   */
  markOpened(arcadeUserId: string): Promise<void>;
  /** Gives the lease up (only if `owner` holds it), so another instance can take it at once. */
  release(arcadeUserId: string, owner: string): Promise<void>;
  /** Atomically claims the right to answer a request; true exactly once per request id. */
  claimDelivery(requestId: string): Promise<boolean>;
  /**
   * The consent `authId` ended and the requests `answered` were handled: removes them. When the
   * person's consent is still `authId` and no other request is left, also removes the consent and
   * `owner`'s lease, and resolves with []. When requests arrived meanwhile for the same flow,
   * resolves with them (they get the same outcome). When a newer flow replaced it, resolves with []
   * and keeps the rest for that flow's watch.
   */
  finish(arcadeUserId: string, authId: string, answered: string[], owner: string): Promise<PendingRequest[]>;
  /**
   * Records a consent with nobody waiting on a summary (the App Home tab's Connect link), so the
   * verifier on any instance knows this app asked for it. Kept for `ttlMs`.
   */
  noteConsent(arcadeUserId: string, authId: string, ttlMs: number): Promise<void>;
  /** The consent `noteConsent` recorded for the person, while it lasts. */
  notedConsent(arcadeUserId: string): Promise<string | undefined>;
  /**
   * Binds a consent flow (by its fingerprint, never the id) to the first person who signed in on it
   * at the verifier, atomically across every instance sharing the store. Resolves with the holder
   * now recorded: `holder` when this call won or held it already, someone else's otherwise.
   */
  claimFlow(flowKey: string, holder: string, ttlMs: number): Promise<string>;
  /** Overwrites the flow's holder (the verifier marks a confirmed flow as finished). */
  markFlow(flowKey: string, holder: string, ttlMs: number): Promise<void>;
  /** The flow's recorded holder, if any. */
  flowHolder(flowKey: string): Promise<string | undefined>;
  /** Connects (Redis); rejects when the store cannot be reached. */
  open(): Promise<void>;
  /** Closes connections. */
  close(): Promise<void>;
}

/** A delivery claim outlives any use of the request's reply link (30 minutes). */
export const DELIVERY_CLAIM_TTL_MS = 30 * 60_000;
/** Records stay this long past a consent's deadline, so a late watcher can still say it expired. */
export const RECORD_GRACE_MS = 60_000;
