import {
  GmailAccessRefusedError,
  GmailUnusableError,
  RateLimitedError,
  ServiceUnavailableError,
} from '../core/errors';
import type { Inbox, InboxRequest } from '../inbox/inbox';
import type { RetryBudget } from './retry-policy';

/**
 * The messages between the app's thread and the Gmail reader's (reader-thread.ts, gmail-worker.ts).
 * Only data crosses a thread: an error is sent as what the app needs of it (its class and fields)
 * and built again on the other side, so the flow's `instanceof` checks (a refused token asks
 * Arcade again, a rate limit says when to retry) work as if the read had run in the app's thread.
 */

/** Given to the worker at its start. */
export interface ReaderThreadSettings {
  rootUrl: string;
  concurrency?: number;
  timeoutMs?: number;
  retry?: RetryBudget;
  /** The nice value the reader's thread runs at (Linux: per thread), so acks always go first. */
  nice: number;
  /** The app logs at debug: the reader's debug lines (retries) are sent over, otherwise not. */
  debug: boolean;
}

export interface ReadRequest {
  id: number;
  token: string;
  request: InboxRequest;
  account?: string;
}

/** One Gmail call, for the app's metrics (only the status and the time: never the URL). */
export interface CallRecord {
  status: number | 'error';
  seconds: number;
}

export type ReaderReply =
  | { kind: 'inbox'; id: number; inbox: Inbox; calls: CallRecord[] }
  | { kind: 'failed'; id: number; error: SentError; calls: CallRecord[] }
  | { kind: 'log'; level: 'debug' | 'warn'; text: string };

/** An error as it crosses the thread. */
export type SentError =
  | { name: 'GmailAccessRefusedError'; reason: GmailAccessRefusedError['reason']; status: number }
  | { name: 'GmailUnusableError'; reason: string; status: number }
  | { name: 'RateLimitedError'; retryAfterSeconds?: number }
  | { name: 'ServiceUnavailableError'; message: string }
  | { name: 'Error'; message: string };

const UNAVAILABLE_PREFIX = 'Gmail is unavailable: ';

export function sendError(error: unknown): SentError {
  if (error instanceof GmailAccessRefusedError) {
    return { name: 'GmailAccessRefusedError', reason: error.reason, status: error.status };
  }
  if (error instanceof GmailUnusableError) {
    return { name: 'GmailUnusableError', reason: error.reason, status: error.status };
  }
  if (error instanceof RateLimitedError) {
    return {
      name: 'RateLimitedError',
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  if (error instanceof ServiceUnavailableError)
    return { name: 'ServiceUnavailableError', message: error.message };
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

export function receiveError(sent: SentError): Error {
  switch (sent.name) {
    case 'GmailAccessRefusedError':
      return new GmailAccessRefusedError(sent.reason, sent.status);
    case 'GmailUnusableError':
      return new GmailUnusableError(sent.reason, sent.status);
    case 'RateLimitedError':
      return new RateLimitedError('Gmail', sent.retryAfterSeconds);
    case 'ServiceUnavailableError':
      return new ServiceUnavailableError(
        'Gmail',
        sent.message.startsWith(UNAVAILABLE_PREFIX)
          ? sent.message.slice(UNAVAILABLE_PREFIX.length)
          : sent.message,
      );
    default:
      return new Error(sent.message);
  }
}
