import type { RetryOptions } from '@slack/web-api';
import {
  ArcadeKeyRejectedError,
  AuthorizationFailedError,
  EmailUnconfirmedError,
  GmailAccessRefusedError,
  GmailUnusableError,
  IdentityUnavailableError,
  MisconfiguredError,
  RateLimitedError,
  type Service,
  ServiceUnavailableError,
} from '../core/errors';
import type { RetryBudget } from '../gmail/retry-policy';
import type { DeliveryJob, DeliveryOutcome } from '../inbox/deliver-summary';
import type { Inbox, InboxRequest } from '../inbox/inbox';
import type { OutsideService } from '../metrics/metrics';

/**
 * The messages between the app's thread and the summary thread (summary-thread.ts, worker.ts).
 * Only data crosses a thread: an error is sent as what the app needs of it (its class and fields)
 * and built again on the other side, so the flow's `instanceof` checks (a refused token asks
 * Arcade again, a rate limit says when to retry, an admin's problem is told as one) work as if the
 * work had run on the app's thread.
 */

/** Given to the thread at its start: what it needs to build its own Arcade, Gmail and Slack clients. */
export interface SummaryThreadSettings {
  gmail: { rootUrl: string; concurrency?: number; timeoutMs?: number; retry?: RetryBudget };
  arcade: { apiKey: string; baseUrl: string; maxRetries?: number; timeoutMs?: number };
  slack: { botToken: string; apiUrl: string; retry: RetryOptions };
  /** The nice value the thread runs at (Linux: per thread), so acks always go first. */
  nice: number;
  /** The app logs at debug: the thread's debug lines (retries) are sent over, otherwise not. */
  debug: boolean;
}

export type ThreadRequest =
  | { kind: 'read'; id: number; token: string; request: InboxRequest; account?: string }
  | { kind: 'deliver'; id: number; job: DeliveryJob };

/** One outside call, for the app's metrics (only the service, the status and the time: never the URL). */
export interface CallRecord {
  service: OutsideService;
  status: number | 'error';
  seconds: number;
}

export type ThreadReply =
  | { kind: 'inbox'; id: number; inbox: Inbox; calls: CallRecord[] }
  | { kind: 'delivered'; id: number; outcome: DeliveryOutcome; calls: CallRecord[] }
  | { kind: 'failed'; id: number; error: SentError; calls: CallRecord[] }
  /** A line of the thread's log: `name` as the app's logger names it ('slack-web-api'), if any. */
  | { kind: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; name?: string; text: string };

/** An error as it crosses the thread. */
export type SentError =
  | { name: 'ArcadeKeyRejectedError'; status: number }
  | { name: 'MisconfiguredError'; detail: string; adminHint: string }
  | { name: 'IdentityUnavailableError' | 'EmailUnconfirmedError' | 'AuthorizationFailedError' }
  | { name: 'ServiceUnavailableError'; service: Service; detail: string }
  | { name: 'RateLimitedError'; service: Service; retryAfterSeconds?: number }
  | { name: 'GmailAccessRefusedError'; reason: GmailAccessRefusedError['reason']; status: number }
  | { name: 'GmailUnusableError'; reason: string; status: number }
  /** Anything else: what describeError prints of it (class, code, status, message) and its stack. */
  | { name: 'Error'; className: string; message: string; code?: string; status?: number; stack?: string };

export function sendError(error: unknown): SentError {
  if (error instanceof ArcadeKeyRejectedError)
    return { name: 'ArcadeKeyRejectedError', status: error.status };
  if (error instanceof MisconfiguredError) {
    return { name: 'MisconfiguredError', detail: error.detail, adminHint: error.adminHint };
  }
  if (error instanceof IdentityUnavailableError) return { name: 'IdentityUnavailableError' };
  if (error instanceof EmailUnconfirmedError) return { name: 'EmailUnconfirmedError' };
  if (error instanceof AuthorizationFailedError) return { name: 'AuthorizationFailedError' };
  if (error instanceof ServiceUnavailableError) {
    const prefix = `${error.service} is unavailable: `;
    const detail = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    return { name: 'ServiceUnavailableError', service: error.service, detail };
  }
  if (error instanceof RateLimitedError) {
    return {
      name: 'RateLimitedError',
      service: error.service,
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  if (error instanceof GmailAccessRefusedError) {
    return { name: 'GmailAccessRefusedError', reason: error.reason, status: error.status };
  }
  if (error instanceof GmailUnusableError) {
    return { name: 'GmailUnusableError', reason: error.reason, status: error.status };
  }
  if (error instanceof Error) {
    const fields = error as Error & { code?: unknown; status?: unknown; statusCode?: unknown };
    const status = fields.status ?? fields.statusCode;
    return {
      name: 'Error',
      className:
        error.constructor?.name && error.constructor.name !== 'Error' ? error.constructor.name : error.name,
      message: error.message,
      ...(fields.code !== undefined ? { code: String(fields.code) } : {}),
      ...(typeof status === 'number' ? { status } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { name: 'Error', className: 'Error', message: String(error) };
}

export function receiveError(sent: SentError): Error {
  switch (sent.name) {
    case 'ArcadeKeyRejectedError':
      return new ArcadeKeyRejectedError(sent.status);
    case 'MisconfiguredError':
      return new MisconfiguredError(sent.detail, sent.adminHint);
    case 'IdentityUnavailableError':
      return new IdentityUnavailableError();
    case 'EmailUnconfirmedError':
      return new EmailUnconfirmedError();
    case 'AuthorizationFailedError':
      return new AuthorizationFailedError();
    case 'ServiceUnavailableError':
      return new ServiceUnavailableError(sent.service, sent.detail);
    case 'RateLimitedError':
      return new RateLimitedError(sent.service, sent.retryAfterSeconds);
    case 'GmailAccessRefusedError':
      return new GmailAccessRefusedError(sent.reason, sent.status);
    case 'GmailUnusableError':
      return new GmailUnusableError(sent.reason, sent.status);
    default: {
      const error: Error & { code?: string; status?: number } = new Error(sent.message);
      error.name = sent.className;
      if (sent.code !== undefined) error.code = sent.code;
      if (sent.status !== undefined) error.status = sent.status;
      // The thread's stack, for the log line of an unexpected failure.
      if (sent.stack) error.stack = sent.stack;
      return error;
    }
  }
}
