import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@slack/bolt';
import { describeError, namedLogger } from '../core/log';
import type { GmailReader } from '../gmail/gmail-reader';
import type { DeliveryJob, DeliveryOutcome } from '../inbox/deliver-summary';
import type { Inbox } from '../inbox/inbox';
import {
  type CallRecord,
  receiveError,
  type SummaryThreadSettings,
  type ThreadReply,
  type ThreadRequest,
} from './protocol';

/**
 * The summary thread, seen from the app's: a GmailReader, and `deliver` for the common `/inbox`
 * end to end (src/inbox/deliver-summary.ts). Bolt acks on the app's thread; with a summary's work
 * there too (Arcade, Gmail and Slack calls over undici, Google's client, the Block Kit), acks
 * queued behind it on a busy core, up to twenty times bare Bolt's p99 at 500 commands a second.
 * The thread runs at nice 19, and callers get the same results and errors as if the work had run
 * here (protocol.ts).
 *
 * It starts at `warmUp` (once the app is serving) or at the first job. If it dies or stops
 * answering, the jobs it held fail as unexpected errors (the person gets an apology with a
 * reference id, the log says why) and the next job starts a new one.
 */

export interface SummaryThreadOptions {
  /** Everything but the priority and the log level, which come from `nice` and `logger`. */
  settings: Omit<SummaryThreadSettings, 'nice' | 'debug'>;
  logger: Logger;
  /** The thread's nice value on Linux (default 19: acks first whenever both want the core). */
  nice?: number;
  /** Each outside call the thread made: its service, status and time, for the metrics. */
  onCall?(call: CallRecord): void;
  /** How long a job may go unanswered before the thread counts as stuck (default: Gmail's deadline + 5 s). */
  answerWithinMs?: number;
}

export type SummaryThread = GmailReader & {
  /** Delivers a summary in the thread; rejects with the error the flow tells the person. */
  deliver(job: DeliveryJob): Promise<DeliveryOutcome>;
  /** Stops the thread; jobs still waiting fail. */
  close(): Promise<void>;
};

/** Beyond the reader's own deadline (which ends every read with an answer), a thread is stuck. */
const STUCK_AFTER_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_THREAD_NICE = 19;

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export function createSummaryThread(options: SummaryThreadOptions): SummaryThread {
  const { logger } = options;
  const answerWithinMs =
    options.answerWithinMs ?? (options.settings.gmail.timeoutMs ?? DEFAULT_TIMEOUT_MS) + STUCK_AFTER_MS;
  const settings: SummaryThreadSettings = {
    ...options.settings,
    nice: options.nice ?? DEFAULT_THREAD_NICE,
    debug: logger.getLevel() === 'debug',
  };
  const waiting = new Map<number, Waiting>();
  let worker: Worker | undefined;
  let nextId = 1;
  let closed = false;

  const settle = (id: number, calls: CallRecord[]): Waiting | undefined => {
    for (const call of calls) options.onCall?.(call);
    const entry = waiting.get(id);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    waiting.delete(id);
    // An idle thread does not keep the process alive; one with jobs in flight does.
    if (waiting.size === 0) worker?.unref();
    return entry;
  };

  const failAll = (detail: string) => {
    // Not an outside service's failure: the person gets the apology with a reference id, the log the why.
    for (const id of [...waiting.keys()]) settle(id, [])?.reject(new Error(`summary thread: ${detail}`));
  };

  const loggers = new Map<string, Logger>();
  const named = (name: string): Logger => {
    const found = loggers.get(name) ?? namedLogger(logger, name);
    loggers.set(name, found);
    return found;
  };

  const onReply = (reply: ThreadReply) => {
    switch (reply.kind) {
      case 'log':
        (reply.name ? named(reply.name) : logger)[reply.level](reply.text);
        return;
      case 'inbox':
        settle(reply.id, reply.calls)?.resolve(reply.inbox);
        return;
      case 'delivered':
        settle(reply.id, reply.calls)?.resolve(reply.outcome);
        return;
      case 'failed':
        settle(reply.id, reply.calls)?.reject(receiveError(reply.error));
        return;
    }
  };

  const lost = (current: Worker, detail: string) => {
    if (worker !== current) return;
    worker = undefined;
    failAll(detail);
    void current.terminate();
  };

  const thread = (): Worker => {
    if (worker) return worker;
    const entry = workerEntry();
    const started = new Worker(entry.filename, {
      workerData: settings,
      ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
    });
    started.unref();
    started.on('message', onReply);
    started.on('error', (error) => {
      logger.error('the summary thread failed; the next summary starts a new one:', describeError(error));
      lost(started, 'the summary thread stopped');
    });
    started.on('exit', (code) => {
      if (!closed && worker === started) logger.error(`the summary thread exited (code ${code})`);
      lost(started, 'the summary thread stopped');
    });
    worker = started;
    return started;
  };

  /** Sends a job to the thread (its id given here); settles with the thread's answer. */
  function ask<T>(request: ThreadRequest): Promise<T> {
    if (closed) return Promise.reject(new Error('summary thread: the app is stopping'));
    const current = thread();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        logger.error(
          `the summary thread did not answer within ${answerWithinMs} ms; the next summary starts a new one`,
        );
        lost(current, `no answer within ${answerWithinMs} ms`);
      }, answerWithinMs);
      if (waiting.size === 0) current.ref();
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      current.postMessage({ ...request, id });
    });
  }

  return {
    warmUp() {
      if (!closed) thread();
    },
    readInbox(token, request, account) {
      return ask<Inbox>({ kind: 'read', id: 0, token, request, ...(account ? { account } : {}) });
    },
    deliver(job) {
      return ask<DeliveryOutcome>({ kind: 'deliver', id: 0, job });
    },
    async close() {
      closed = true;
      const current = worker;
      worker = undefined;
      failAll('the app is stopping');
      await current?.terminate();
    },
  };
}

/**
 * The built app runs dist/summary-thread.js (scripts/build.mjs bundles it beside dist/index.js);
 * from source (tests, `npm run dev`), tsx compiles the worker's TypeScript as it loads.
 */
function workerEntry(): { filename: string; execArgv?: string[] } {
  const built = join(__dirname, 'summary-thread.js');
  if (existsSync(built)) return { filename: built };
  return {
    filename: join(__dirname, 'worker.ts'),
    execArgv: ['--require', require.resolve('tsx/cjs')],
  };
}
