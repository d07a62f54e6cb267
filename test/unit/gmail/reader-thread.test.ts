/**
 * The Gmail reader in its own thread (src/gmail/reader-thread.ts), against the Gmail stand-in over
 * real HTTP: what crosses the thread (the Inbox, the app's errors, each call for the metrics, log
 * lines), and what happens when the thread stops answering or the app stops.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import {
  GmailAccessRefusedError,
  GmailUnusableError,
  RateLimitedError,
  ServiceUnavailableError,
} from '../../../src/core/errors';
import { createGmailReader } from '../../../src/gmail/gmail-reader';
import { createThreadedGmailReader, type ThreadedGmailReader } from '../../../src/gmail/reader-thread';
import type { CallRecord } from '../../../src/gmail/reader-thread-protocol';
import { type GmailStandIn, startGmailStandIn } from '../../../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../../../src/stand-ins/mail-fixtures';
import { collectLogs } from '../core/helpers';

const TOKEN = 'ya29.reader-thread-secret-token';
const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 };

let gmail: GmailStandIn;
let reader: ThreadedGmailReader | undefined;

beforeEach(async () => {
  gmail = await startGmailStandIn();
  gmail.addMailbox(TOKEN, { email: 'ada@example.com', messages: makeMessages(12) });
});

afterEach(async () => {
  await reader?.close();
  reader = undefined;
  await gmail.close();
});

function threaded(options: Partial<Parameters<typeof createThreadedGmailReader>[0]> = {}) {
  const logs = collectLogs({ level: 'info', secrets: [TOKEN] });
  const calls: CallRecord[] = [];
  reader = createThreadedGmailReader({
    rootUrl: gmail.rootUrl,
    logger: logs.logger,
    retry: FAST_RETRY,
    onCall: (call) => calls.push(call),
    ...options,
  });
  return { reader, logs, calls };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the read to fail');
}

test('reads the same Inbox as the reader on the app thread', async () => {
  const { reader } = threaded();
  const request = { count: 5 };
  const inThread = await reader.readInbox(TOKEN, request);
  // A list, the profile and five gets, each with the person's token.
  expect(gmail.calls.map((call) => call.headers.authorization)).toEqual(Array(7).fill(`Bearer ${TOKEN}`));
  const onAppThread = await createGmailReader({
    rootUrl: gmail.rootUrl,
    logger: collectLogs().logger,
  }).readInbox(TOKEN, request);
  expect(inThread).toEqual(onAppThread);
  expect(inThread.messages).toHaveLength(5);
  expect(inThread.account).toBe('ada@example.com');
});

test('an account already known is passed through: no profile call', async () => {
  const { reader } = threaded();
  const inbox = await reader.readInbox(TOKEN, { count: 2 }, 'known@example.com');
  expect(inbox.account).toBe('known@example.com');
  expect(gmail.calls.some((call) => call.path.endsWith('/profile'))).toBe(false);
});

test('reports every Gmail call, with its status, for the metrics', async () => {
  const { reader, calls } = threaded();
  gmail.failNext('get', { status: 503 });
  await reader.readInbox(TOKEN, { count: 3 });
  // list, profile, three gets and the retry of the one that answered 503.
  expect(calls.map((call) => call.status).sort()).toEqual([200, 200, 200, 200, 200, 503]);
  for (const call of calls) expect(call.seconds).toBeGreaterThanOrEqual(0);
});

test.each([
  [
    'a refused token',
    () => gmail.failNext('list', { status: 401 }),
    (error: Error) => {
      expect(error).toBeInstanceOf(GmailAccessRefusedError);
      expect((error as GmailAccessRefusedError).reason).toBe('invalid_token');
      expect((error as GmailAccessRefusedError).status).toBe(401);
    },
  ],
  [
    'a missing scope',
    () => gmail.insufficientScope.add(TOKEN),
    (error: Error) => {
      expect(error).toBeInstanceOf(GmailAccessRefusedError);
      expect((error as GmailAccessRefusedError).reason).toBe('insufficient_scope');
    },
  ],
  [
    'a rate limit beyond the retries, with its Retry-After',
    () => gmail.failNext('list', { status: 429, retryAfter: '120' }, 5),
    (error: Error) => {
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).service).toBe('Gmail');
      expect((error as RateLimitedError).retryAfterSeconds).toBe(120);
    },
  ],
  [
    'a search Gmail cannot run',
    () => gmail.failNext('list', { status: 400 }),
    (error: Error) => {
      expect(error).toBeInstanceOf(GmailUnusableError);
      expect((error as GmailUnusableError).status).toBe(400);
    },
  ],
  [
    'Gmail down',
    () => gmail.failNext('list', { status: 503 }, 5),
    (error: Error) => {
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as ServiceUnavailableError).service).toBe('Gmail');
      expect(error.message).toBe('Gmail is unavailable: HTTP 503');
    },
  ],
])('%s crosses the thread as the error the flow explains', async (_what, arrange, check) => {
  const { reader } = threaded();
  arrange();
  check(await failure(reader.readInbox(TOKEN, { count: 3 })));
});

test('a message deleted between list and get is still skipped', async () => {
  const { reader } = threaded();
  const newest = makeMessages(12)[0]?.id as string;
  gmail.deleteAfterList(newest);
  const inbox = await reader.readInbox(TOKEN, { count: 4 });
  expect(inbox.skipped).toBe(1);
  expect(inbox.messages.map((message) => message.id)).not.toContain(newest);
});

test('reads in flight at once are each answered with their own Inbox', async () => {
  const second = 'ya29.second-person';
  gmail.addMailbox(second, { email: 'grace@example.com', messages: makeMessages(3) });
  const { reader } = threaded();
  const [first, other] = await Promise.all([
    reader.readInbox(TOKEN, { count: 10 }),
    reader.readInbox(second, { count: 10 }),
  ]);
  expect(first.account).toBe('ada@example.com');
  expect(first.messages).toHaveLength(10);
  expect(other.account).toBe('grace@example.com');
  expect(other.messages).toHaveLength(3);
});

test("the reader's retry lines reach the app's log at debug, without the token", async () => {
  const logs = collectLogs({ level: 'debug', secrets: [TOKEN] });
  reader = createThreadedGmailReader({ rootUrl: gmail.rootUrl, logger: logs.logger, retry: FAST_RETRY });
  gmail.failNext('list', { status: 503 });
  await reader.readInbox(TOKEN, { count: 1 });
  expect(logs.at('debug').some((line) => /gmail reader: gmail list failed \(503\); retry 1/.test(line))).toBe(
    true,
  );
  expect(logs.text()).not.toContain(TOKEN);
});

test('a thread that stops answering fails its reads as "Gmail unavailable", and the next read gets a new one', async () => {
  // Long enough for a new thread to start and answer, even on a busy machine.
  const { reader, logs } = threaded({ answerWithinMs: 2_000 });
  gmail.delayMs = 8_000;
  const stuck = await failure(reader.readInbox(TOKEN, { count: 2 }));
  expect(stuck).toBeInstanceOf(ServiceUnavailableError);
  expect(stuck.message).toBe('Gmail is unavailable: no answer within 2000 ms');
  expect(logs.at('error').join('\n')).toMatch(/did not answer within 2000 ms/);
  gmail.delayMs = 0;
  const inbox = await reader.readInbox(TOKEN, { count: 2 });
  expect(inbox.messages).toHaveLength(2);
});

test('close fails the reads still waiting, and every read after it', async () => {
  const { reader } = threaded();
  gmail.delayMs = 2_000;
  const waiting = failure(reader.readInbox(TOKEN, { count: 2 }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  await reader.close();
  const error = await waiting;
  expect(error).toBeInstanceOf(ServiceUnavailableError);
  expect(error.message).toBe('Gmail is unavailable: the app is stopping');
  const after = await failure(reader.readInbox(TOKEN, { count: 2 }));
  expect(after.message).toBe('Gmail is unavailable: the app is stopping');
});

/** The nice value of each thread of this process (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // a thread that ended meanwhile
    }
  });
}

(process.platform === 'linux' ? test : test.skip)(
  "the reader's thread runs at the lower priority, and the app's thread keeps its own",
  async () => {
    const before = threadNiceValues().filter((nice) => nice === 12).length;
    const { reader } = threaded({ nice: 12 });
    await reader.readInbox(TOKEN, { count: 1 });
    expect(threadNiceValues().filter((nice) => nice === 12).length).toBe(before + 1);
    expect(getPriority()).toBe(0);
  },
);
