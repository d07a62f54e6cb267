import { setTimeout as sleep } from 'node:timers/promises';
import type { gmail_v1 } from '@googleapis/gmail';
import type { Logger } from '@slack/bolt';
import { mapWithConcurrency } from '../core/concurrency';
import {
  GmailAccessRefusedError,
  GmailUnusableError,
  RateLimitedError,
  ServiceUnavailableError,
} from '../core/errors';
import { describeError } from '../core/log';
import type { Inbox, InboxMessage, InboxRequest } from '../inbox/inbox';
import { getsInFlight, MAX_GETS_IN_FLIGHT } from './read-wave';
import {
  classifyGmailFailure,
  DEFAULT_RETRY_BUDGET,
  decideRetry,
  type FailedCall,
  type RetryBudget,
} from './retry-policy';
import { METADATA_HEADERS, toInboxMessage } from './to-inbox-message';

/**
 * The only importer of the Gmail client. Reads an Inbox with one `messages.list` and one wave of
 * metadata-only `messages.get` calls, all at once within Gmail's per-user quota (read-wave.ts;
 * bodies are never fetched), so a summary costs the same round trips however many messages it shows.
 */

export interface GmailReader {
  /** Reads the newest messages the request asks for with the given access token. */
  readInbox(token: string, request: InboxRequest, account?: string): Promise<Inbox>;
  /** Loads Google's client now, if not yet: called once the app is serving. */
  warmUp?(): void;
  /** Lets go of what the reader holds (its thread: reader-thread.ts); reads after it fail. */
  close?(): Promise<void>;
}

export interface GmailReaderOptions {
  /** API root; the client keeps only its origin. */
  rootUrl: string;
  logger: Logger;
  /** Most gets in flight per summary (default: all of them, within Gmail's per-user quota; read-wave.ts). */
  concurrency?: number;
  /** For one whole summary, retries included: one deadline, not a timer per request. */
  timeoutMs?: number;
  retry?: RetryBudget;
  /** The HTTP transport (src/core/transport.ts); Node's fetch by default. */
  fetch?: typeof fetch;
}

/** Creates the reader over one shared Gmail client (the token travels per call). */
export function createGmailReader(options: GmailReaderOptions): GmailReader {
  const { logger } = options;
  const concurrency = options.concurrency ?? MAX_GETS_IN_FLIGHT;
  const budget = options.retry ?? DEFAULT_RETRY_BUDGET;
  // Google's client is a fifth of the app's start-up (about 180 ms to load), so it is loaded at the
  // first summary, or in the idle moment after start (`warmUp`), not before /healthz can answer.
  let loaded: gmail_v1.Gmail | undefined;
  const gmailClient = (): gmail_v1.Gmail => {
    if (loaded) return loaded;
    const { gmail } = require('@googleapis/gmail') as typeof import('@googleapis/gmail');
    loaded = gmail({
      version: 'v1',
      // Given here, not globally: a global rootUrl is silently ignored by the client.
      rootUrl: options.rootUrl,
      // The client's retry ignores Retry-After and 403 rate limits; withRetry below decides instead.
      retry: false,
      // A fetch (undici) keeps connections alive and avoids gaxios' dynamic import of node-fetch.
      fetchImplementation: options.fetch ?? globalThis.fetch,
    });
    return loaded;
  };
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function withRetry<T>(what: string, signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (signal.aborted) throw new ServiceUnavailableError('Gmail', `no answer within ${timeoutMs} ms`);
        const failed = failedCallOf(error);
        const decision = decideRetry(failed, attempt, budget);
        if (decision.retry) {
          logger.debug(
            `gmail ${what} failed (${failed.status ?? 'no response'}); retry ${attempt} in ${decision.delayMs} ms`,
          );
          await sleep(decision.delayMs);
          continue;
        }
        throw toAppError(error, failed, decision.retryAfterSeconds);
      }
    }
  }

  return {
    warmUp() {
      gmailClient();
    },
    async readInbox(token, request, account) {
      const signal = AbortSignal.timeout(timeoutMs);
      const auth: CallOptions = { headers: { Authorization: `Bearer ${token}` }, signal };
      const listing = withRetry('list', signal, () =>
        gmailClient().users.messages.list(
          {
            userId: 'me',
            maxResults: request.count,
            // A search covers the whole mailbox, as in Gmail's own search box; no search means the inbox.
            ...(request.query ? { q: request.query } : { labelIds: ['INBOX'] }),
          },
          auth,
        ),
      );
      // The account is only for the header and links; asking for it in parallel adds no round trip.
      const profile = account
        ? Promise.resolve(account)
        : withRetry('profile', signal, () => gmailClient().users.getProfile({ userId: 'me' }, auth))
            .then((response) => jsonObject(response.data, 'profile').emailAddress ?? undefined)
            .catch((error: unknown) => {
              logger.debug('gmail profile unavailable:', describeError(error));
              return undefined;
            });
      const listed = jsonObject((await listing.catch(notFoundIsFailure)).data, 'messages.list');
      const ids = (listed.messages ?? []).flatMap((m) => (m.id ? [m.id] : []));
      const fetched = await mapWithConcurrency(ids, getsInFlight(ids.length, concurrency), (id) =>
        readMessage(id, auth),
      );
      const messages = fetched.filter((m): m is InboxMessage => m !== undefined);
      const resolvedAccount = await profile;
      return {
        ...(resolvedAccount ? { account: resolvedAccount } : {}),
        request,
        messages: messages.sort((a, b) => b.receivedAt - a.receivedAt),
        skipped: ids.length - messages.length,
      };
    },
  };

  async function readMessage(id: string, auth: CallOptions): Promise<InboxMessage | undefined> {
    try {
      const response = await withRetry('get', auth.signal, () =>
        gmailClient().users.messages.get(
          { userId: 'me', id, format: 'metadata', metadataHeaders: METADATA_HEADERS },
          auth,
        ),
      );
      return toInboxMessage(jsonObject(response.data, 'messages.get') as gmail_v1.Schema$Message);
    } catch (error) {
      // Deleted or moved between list and get: the summary goes on without it.
      if (error instanceof MessageGoneError) return undefined;
      throw error;
    }
  }
}

class MessageGoneError extends Error {}

/** A 404 on the listing is not a vanished message: the person must hear that Gmail failed. */
function notFoundIsFailure(error: unknown): never {
  if (error instanceof MessageGoneError) throw new ServiceUnavailableError('Gmail', error.message);
  throw error;
}

/**
 * Gmail's answer as an object. The client hands back a string when a body is not JSON (a proxy's
 * HTML page, a cut-off answer), which must not read as "no messages".
 */
function jsonObject<T>(data: T, what: string): NonNullable<T> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ServiceUnavailableError('Gmail', `unreadable answer to ${what}`);
  }
  return data as NonNullable<T>;
}

/** Per-call options: the person's token, and the summary's one deadline. */
interface CallOptions {
  headers: Record<string, string>;
  signal: AbortSignal;
}

interface GaxiosLike {
  status?: number;
  message?: string;
  response?: { status?: number; headers?: { get?(name: string): string | null }; data?: unknown };
}

/**
 * Reads a gaxios error by shape, not `instanceof`: gaxios checks versions by symbol, and two copies
 * in one tree make `instanceof` lie.
 */
export function failedCallOf(error: unknown): FailedCall {
  const e = (error ?? {}) as GaxiosLike;
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  const envelope = (e.response?.data as { error?: GoogleErrorBody } | undefined)?.error;
  const reasons = [
    ...(envelope?.errors ?? []).map((item) => item.reason),
    ...(envelope?.details ?? []).map((item) => item.reason),
  ].filter((reason): reason is string => typeof reason === 'string');
  const headers = e.response?.headers;
  return {
    ...(status !== undefined ? { status } : {}),
    reasons,
    retryAfter: typeof headers?.get === 'function' ? headers.get('retry-after') : null,
    message: envelope?.message ?? e.message ?? '',
  };
}

interface GoogleErrorBody {
  message?: string;
  errors?: { reason?: unknown }[];
  details?: { reason?: unknown }[];
}

function toAppError(error: unknown, failed: FailedCall, retryAfterSeconds?: number): Error {
  const classification = classifyGmailFailure(failed);
  const status = failed.status ?? 0;
  switch (classification.kind) {
    case 'not_found':
      // Only a message can be gone; readMessage skips it. Anywhere else a 404 is Gmail failing.
      return new MessageGoneError(`Gmail answered 404: ${failed.message ?? ''}`);
    case 'rate_limited':
      return new RateLimitedError('Gmail', retryAfterSeconds);
    case 'refused':
      return new GmailAccessRefusedError(classification.reason, status);
    case 'unusable':
      return new GmailUnusableError(classification.reason, status);
    case 'transient':
      return new ServiceUnavailableError(
        'Gmail',
        failed.status ? `HTTP ${failed.status}` : describeError(error),
        {
          cause: error,
        },
      );
    default:
      // A 400 on a person's search means Gmail could not run it; anything else is unexpected.
      if (status === 400) return new GmailUnusableError('invalid_request', status);
      return new Error(`Gmail answered HTTP ${status}: ${failed.message ?? ''}`);
  }
}
