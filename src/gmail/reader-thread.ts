import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@slack/bolt';
import { ServiceUnavailableError } from '../core/errors';
import { describeError } from '../core/log';
import type { Inbox } from '../inbox/inbox';
import type { GmailReader } from './gmail-reader';
import {
  type CallRecord,
  type ReaderReply,
  type ReaderThreadSettings,
  type ReadRequest,
  receiveError,
} from './reader-thread-protocol';

/**
 * A GmailReader whose reads run in a thread of their own (gmail-worker.ts), at a lower priority.
 * Bolt acks on the app's thread; with the reads there too, a summary's CPU (most of it Gmail's
 * list and gets) queued acks behind it on a busy core, up to ten times bare Bolt's p99 at 500
 * commands a second. The flow does not know: it calls `readInbox` and gets an Inbox or the same
 * errors as before (reader-thread-protocol.ts).
 *
 * The thread starts at `warmUp` (once the app is serving) or at the first read. If it dies or
 * stops answering, the reads it held fail as "Gmail unavailable" (the person is told to try again)
 * and the next read starts a new one.
 */

export interface ThreadedReaderOptions {
  rootUrl: string;
  logger: Logger;
  concurrency?: number;
  /** The reader's deadline for one summary (default 30 s, as in gmail-reader.ts). */
  timeoutMs?: number;
  retry?: ReaderThreadSettings['retry'];
  /** The reader thread's nice value on Linux (default 19: acks first whenever both want the core). */
  nice?: number;
  /** Each Gmail call the thread made: its status and time, for the metrics. */
  onCall?(call: CallRecord): void;
  /** How long a read may go unanswered before its thread counts as stuck (default: the deadline + 5 s). */
  answerWithinMs?: number;
}

export type ThreadedGmailReader = GmailReader & {
  /** Stops the thread; reads still waiting fail. */
  close(): Promise<void>;
};

/** Beyond the reader's own deadline (which ends every read with an answer), a thread is stuck. */
const STUCK_AFTER_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_READER_NICE = 19;

interface Waiting {
  resolve(inbox: Inbox): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export function createThreadedGmailReader(options: ThreadedReaderOptions): ThreadedGmailReader {
  const { logger } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const answerWithinMs = options.answerWithinMs ?? timeoutMs + STUCK_AFTER_MS;
  const settings: ReaderThreadSettings = {
    rootUrl: options.rootUrl,
    nice: options.nice ?? DEFAULT_READER_NICE,
    debug: logger.getLevel() === 'debug',
    timeoutMs,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
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
    // An idle reader thread does not keep the process alive; one with reads in flight does.
    if (waiting.size === 0) worker?.unref();
    return entry;
  };

  const failAll = (detail: string) => {
    for (const id of [...waiting.keys()])
      settle(id, [])?.reject(new ServiceUnavailableError('Gmail', detail));
  };

  const onReply = (reply: ReaderReply) => {
    switch (reply.kind) {
      case 'log':
        logger[reply.level](`gmail reader: ${reply.text}`);
        return;
      case 'inbox':
        settle(reply.id, reply.calls)?.resolve(reply.inbox);
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
      logger.error(
        'the Gmail reader thread failed; the next summary starts a new one:',
        describeError(error),
      );
      lost(started, 'the Gmail reader stopped');
    });
    started.on('exit', (code) => {
      if (!closed && worker === started) logger.error(`the Gmail reader thread exited (code ${code})`);
      lost(started, 'the Gmail reader stopped');
    });
    worker = started;
    return started;
  };

  return {
    warmUp() {
      if (!closed) thread();
    },
    readInbox(token, request, account) {
      if (closed) return Promise.reject(new ServiceUnavailableError('Gmail', 'the app is stopping'));
      const current = thread();
      const id = nextId++;
      return new Promise<Inbox>((resolve, reject) => {
        const timer = setTimeout(() => {
          logger.error(
            `the Gmail reader thread did not answer within ${answerWithinMs} ms; the next summary starts a new one`,
          );
          lost(current, `no answer within ${answerWithinMs} ms`);
        }, answerWithinMs);
        if (waiting.size === 0) current.ref();
        waiting.set(id, { resolve, reject, timer });
        const message: ReadRequest = { id, token, request, ...(account ? { account } : {}) };
        current.postMessage(message);
      });
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
 * The built app runs dist/gmail-worker.js (scripts/build.mjs bundles it beside dist/index.js); from
 * source (tests, `npm run dev`), tsx compiles the worker's TypeScript as it loads.
 */
function workerEntry(): { filename: string; execArgv?: string[] } {
  const built = join(__dirname, 'gmail-worker.js');
  if (existsSync(built)) return { filename: built };
  return {
    filename: join(__dirname, 'gmail-worker.ts'),
    execArgv: ['--require', require.resolve('tsx/cjs')],
  };
}
