import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { createArcadeClient, createGmailAccess } from '../auth/gmail-access';
import { formatLogParts } from '../core/log';
import { createTransports } from '../core/transport';
import { createGmailReader } from '../gmail/gmail-reader';
import { deliverSummary } from '../inbox/deliver-summary';
import { createMeteredFetch } from '../metrics/metered-fetch';
import { createStoredReplies } from '../slack/replies';
import { responseUrlCheck } from '../slack/response-url';
import {
  type CallRecord,
  type SummaryThreadSettings,
  sendError,
  type ThreadReply,
  type ThreadRequest,
} from './protocol';

/**
 * The summary thread (started by summary-thread.ts). A summary's CPU is its outside calls: Arcade's
 * authorize, Gmail's list and wave of gets parsed by Google's client, Slack's post, each over
 * undici, and the Block Kit. Here they run beside Bolt's thread instead of on it, at a lower
 * priority, so that on a busy core Slack's acks are not queued behind them (BENCHMARKS.md, "Acks
 * under load"). The thread has its own clients and connection pools; it keeps no state of its own
 * between jobs.
 */

const settings = workerData as SummaryThreadSettings;
const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread (src/summary-thread/summary-thread.ts)');

// On Linux a nice value belongs to one thread, so this lowers only this one; elsewhere it would
// lower the whole app's, acks included, so it is left.
if (process.platform === 'linux') {
  try {
    setPriority(settings.nice);
  } catch {
    // A container that forbids it: the work still runs off the ack thread.
  }
}

const send = (reply: ThreadReply) => port.postMessage(reply);

// Calls made since the last reply; every call belongs to a job that will reply, so none is lost.
let calls: CallRecord[] = [];
const takeCalls = () => {
  const taken = calls;
  calls = [];
  return taken;
};
const recorder = {
  outsideCall: (service: CallRecord['service'], status: CallRecord['status'], seconds: number) => {
    calls.push({ service, status, seconds });
  },
};

const quiet = () => undefined;
/** A logger whose lines go to the app's, named as the app names it; debug lines only when it logs them. */
function loggerFor(name?: string): Logger {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) =>
      send({ kind: 'log', level, ...(name ? { name } : {}), text: formatLogParts(parts) });
  return {
    debug: settings.debug ? forward('debug') : quiet,
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
    setLevel: quiet,
    getLevel: () => (settings.debug ? 'debug' : 'info') as ReturnType<Logger['getLevel']>,
    setName: quiet,
  };
}
const logger = loggerFor();

const transports = createTransports();
const slackFetch = createMeteredFetch(transports.slackFetch, 'slack', recorder);
const reader = createGmailReader({
  rootUrl: settings.gmail.rootUrl,
  logger,
  fetch: createMeteredFetch(transports.gmailFetch, 'gmail', recorder),
  ...(settings.gmail.concurrency ? { concurrency: settings.gmail.concurrency } : {}),
  ...(settings.gmail.timeoutMs !== undefined ? { timeoutMs: settings.gmail.timeoutMs } : {}),
  ...(settings.gmail.retry ? { retry: settings.gmail.retry } : {}),
});
const access = createGmailAccess(
  createArcadeClient({
    apiKey: settings.arcade.apiKey,
    baseUrl: settings.arcade.baseUrl,
    logger,
    fetch: createMeteredFetch(transports.arcadeFetch, 'arcade', recorder),
    ...(settings.arcade.maxRetries !== undefined ? { maxRetries: settings.arcade.maxRetries } : {}),
    ...(settings.arcade.timeoutMs !== undefined ? { timeoutMs: settings.arcade.timeoutMs } : {}),
  }),
);
const slack = new WebClient(settings.slack.botToken, {
  slackApiUrl: settings.slack.apiUrl,
  retryConfig: { ...settings.slack.retry },
  logger: loggerFor('slack-web-api'),
  fetch: slackFetch,
});
const isSlackUrl = responseUrlCheck(settings.slack.apiUrl);
// Google's client loads now, in this thread, rather than at the first summary.
reader.warmUp?.();

port.on('message', (message: ThreadRequest) => {
  const work =
    message.kind === 'read'
      ? reader
          .readInbox(message.token, message.request, message.account)
          .then((inbox): ThreadReply => ({ kind: 'inbox', id: message.id, inbox, calls: takeCalls() }))
      : deliverSummary(
          {
            access,
            reader,
            repliesFor: (job) =>
              createStoredReplies({
                client: slack,
                fetch: slackFetch,
                responseUrl: job.responseUrl,
                channelId: job.channelId,
                userId: job.requesterId,
                isSlackUrl,
              }),
          },
          message.job,
        ).then(
          (outcome): ThreadReply => ({ kind: 'delivered', id: message.id, outcome, calls: takeCalls() }),
        );
  work.then(send, (error: unknown) =>
    send({ kind: 'failed', id: message.id, error: sendError(error), calls: takeCalls() }),
  );
});
