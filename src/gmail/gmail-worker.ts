import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '@slack/bolt';
import { Agent, fetch as undiciFetch } from 'undici';
import { CONNECTIONS_PER_SERVICE } from '../core/transport';
import { createGmailReader } from './gmail-reader';
import {
  type CallRecord,
  type ReaderReply,
  type ReaderThreadSettings,
  type ReadRequest,
  sendError,
} from './reader-thread-protocol';

/**
 * The Gmail reader's thread (started by reader-thread.ts). A summary's Gmail reads are most of its
 * CPU: a list and a wave of gets, each parsed by Google's client over undici. Here they run beside
 * Bolt's thread instead of on it, at a lower priority, so that on a busy core Slack's acks are
 * never queued behind them (BENCHMARKS.md, "Acks under load").
 */

const settings = workerData as ReaderThreadSettings;
const port = parentPort;
if (!port) throw new Error('gmail-worker.ts runs as a worker thread (src/gmail/reader-thread.ts)');

// On Linux a nice value belongs to one thread, so this lowers only the reader's; elsewhere it would
// lower the whole app's, acks included, so it is left.
if (process.platform === 'linux') {
  try {
    setPriority(settings.nice);
  } catch {
    // A container that forbids it: the reads still run in their own thread.
  }
}

const send = (reply: ReaderReply) => port.postMessage(reply);

// Calls made since the last reply; every call belongs to a read that will reply, so none is lost.
let calls: CallRecord[] = [];
const takeCalls = () => {
  const taken = calls;
  calls = [];
  return taken;
};

const agent = new Agent({
  connections: CONNECTIONS_PER_SERVICE,
  keepAliveTimeout: 30_000,
  headersTimeout: 30_000,
  bodyTimeout: 30_000,
});
const meteredFetch: typeof fetch = async (input, init) => {
  const started = performance.now();
  try {
    const response = (await undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    })) as unknown as Response;
    calls.push({ status: response.status, seconds: (performance.now() - started) / 1000 });
    return response;
  } catch (error) {
    calls.push({ status: 'error', seconds: (performance.now() - started) / 1000 });
    throw error;
  }
};

const quiet = () => undefined;
const logger: Logger = {
  debug: settings.debug ? (...parts) => send({ kind: 'log', level: 'debug', text: parts.join(' ') }) : quiet,
  info: quiet,
  warn: (...parts) => send({ kind: 'log', level: 'warn', text: parts.join(' ') }),
  error: (...parts) => send({ kind: 'log', level: 'warn', text: parts.join(' ') }),
  setLevel: quiet,
  getLevel: () => (settings.debug ? 'debug' : 'info') as ReturnType<Logger['getLevel']>,
  setName: quiet,
};

const reader = createGmailReader({
  rootUrl: settings.rootUrl,
  logger,
  fetch: meteredFetch,
  ...(settings.concurrency ? { concurrency: settings.concurrency } : {}),
  ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
  ...(settings.retry ? { retry: settings.retry } : {}),
});
// Google's client loads now, in this thread, rather than at the first summary.
reader.warmUp?.();

port.on('message', (message: ReadRequest) => {
  reader.readInbox(message.token, message.request, message.account).then(
    (inbox) => send({ kind: 'inbox', id: message.id, inbox, calls: takeCalls() }),
    (error: unknown) => send({ kind: 'failed', id: message.id, error: sendError(error), calls: takeCalls() }),
  );
});
