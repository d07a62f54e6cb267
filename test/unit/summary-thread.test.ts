/**
 * The summary thread (src/summary-thread/), against the Arcade, Gmail and Slack stand-ins over real
 * HTTP: what crosses the thread (an Inbox, a delivered summary, the app's errors, each outside call
 * for the metrics, log lines), and what happens when the thread stops answering or the app stops.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import {
  GmailAccessRefusedError,
  GmailUnusableError,
  MisconfiguredError,
  RateLimitedError,
  ServiceUnavailableError,
} from '../../src/core/errors';
import { createGmailReader } from '../../src/gmail/gmail-reader';
import type { DeliveryJob } from '../../src/inbox/deliver-summary';
import { type ArcadeStandIn, startArcadeStandIn } from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';
import type { CallRecord } from '../../src/summary-thread/protocol';
import { createSummaryThread, type SummaryThread } from '../../src/summary-thread/summary-thread';
import { collectLogs } from './core/helpers';

const TOKEN = 'ya29.reader-thread-secret-token';
const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 };

const ARCADE_USER = 'slack:T0001:UADA';

let gmail: GmailStandIn;
let arcade: ArcadeStandIn;
let slack: SlackStandIn;
let reader: SummaryThread | undefined;

beforeEach(async () => {
  [gmail, arcade, slack] = await Promise.all([
    startGmailStandIn(),
    startArcadeStandIn(),
    startSlackStandIn(),
  ]);
  gmail.addMailbox(TOKEN, { email: 'ada@example.com', messages: makeMessages(12) });
  arcade.grant(ARCADE_USER, { token: TOKEN, email: 'ada@example.com' });
});

afterEach(async () => {
  await reader?.close();
  reader = undefined;
  await Promise.all([gmail.close(), arcade.close(), slack.close()]);
});

function threaded(
  options: { level?: 'debug' | 'info'; nice?: number; answerWithinMs?: number; botToken?: string } = {},
) {
  const logs = collectLogs({
    level: options.level ?? 'info',
    secrets: [TOKEN, slack.botToken, arcade.apiKey],
  });
  const calls: CallRecord[] = [];
  reader = createSummaryThread({
    settings: {
      gmail: { rootUrl: gmail.rootUrl, retry: FAST_RETRY },
      arcade: { apiKey: arcade.apiKey, baseUrl: arcade.baseUrl, maxRetries: 0 },
      slack: { botToken: options.botToken ?? slack.botToken, apiUrl: slack.apiUrl, retry: { retries: 0 } },
    },
    logger: logs.logger,
    onCall: (call) => calls.push(call),
    ...(options.nice !== undefined ? { nice: options.nice } : {}),
    ...(options.answerWithinMs !== undefined ? { answerWithinMs: options.answerWithinMs } : {}),
  });
  return { reader, logs, calls };
}

function job(overrides: Partial<DeliveryJob> = {}): DeliveryJob {
  return {
    arcadeUserId: ARCADE_USER,
    requesterId: 'UADA',
    request: { count: 3 },
    channelId: 'CGENERAL',
    responseUrl: slack.newResponseUrl(),
    withInbox: false,
    ...overrides,
  };
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
  expect(calls.map((call) => `${call.service} ${call.status}`).sort()).toEqual([
    ...Array(5).fill('gmail 200'),
    'gmail 503',
  ]);
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
  const { reader, logs } = threaded({ level: 'debug' });
  gmail.failNext('list', { status: 503 });
  await reader.readInbox(TOKEN, { count: 1 });
  expect(logs.at('debug').some((line) => /gmail list failed \(503\); retry 1/.test(line))).toBe(true);
  expect(logs.text()).not.toContain(TOKEN);
});

test('a thread that stops answering fails its jobs as unexpected errors, and the next job gets a new thread', async () => {
  // Long enough for a new thread to start and answer, even on a busy machine.
  const { reader, logs } = threaded({ answerWithinMs: 2_000 });
  gmail.delayMs = 8_000;
  const stuck = await failure(reader.readInbox(TOKEN, { count: 2 }));
  // The person gets the apology with a reference id: no outside service is to blame.
  expect(stuck.constructor).toBe(Error);
  expect(stuck.message).toBe('summary thread: no answer within 2000 ms');
  expect(logs.at('error').join('\n')).toMatch(/did not answer within 2000 ms/);
  gmail.delayMs = 0;
  const inbox = await reader.readInbox(TOKEN, { count: 2 });
  expect(inbox.messages).toHaveLength(2);
});

test('close fails the jobs still waiting, and every job after it', async () => {
  const { reader } = threaded();
  gmail.delayMs = 2_000;
  const waiting = failure(reader.readInbox(TOKEN, { count: 2 }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  await reader.close();
  const error = await waiting;
  expect(error.message).toBe('summary thread: the app is stopping');
  const after = await failure(reader.deliver(job()));
  expect(after.message).toBe('summary thread: the app is stopping');
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

describe('deliver: the common /inbox end to end in the thread', () => {
  test('posts the summary to the channel and says where, for a TL;DR to edit it', async () => {
    const { reader, calls } = threaded();
    const outcome = await reader.deliver(job());
    expect(outcome).toEqual({
      kind: 'delivered',
      handle: { route: 'channel', channel: 'CGENERAL', ts: expect.any(String) },
      shown: 3,
      skipped: 0,
    });
    const posted = slack.messages.filter((message) => message.channel === 'CGENERAL');
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.blocks)).toContain('ada@example.com');
    expect(outcome.kind === 'delivered' && outcome.handle).toMatchObject({ ts: posted[0]?.ts });
    // One authorize, the Gmail reads, one post: each counted for the metrics.
    const services = calls.map((call) => call.service);
    expect(services.filter((service) => service === 'arcade')).toHaveLength(1);
    expect(services.filter((service) => service === 'gmail')).toHaveLength(4);
    expect(services.filter((service) => service === 'slack')).toHaveLength(1);
  });

  test('brings the Inbox back only when a TL;DR will read it', async () => {
    const { reader } = threaded();
    const outcome = await reader.deliver(job({ withInbox: true }));
    expect(outcome.kind === 'delivered' && outcome.inbox?.messages).toHaveLength(3);
  });

  test('where the bot is not a member, posts through the reply link, as on the app thread', async () => {
    slack.botNotInChannels.add('CPRIVATE');
    const { reader } = threaded();
    const responseUrl = slack.newResponseUrl();
    const outcome = await reader.deliver(job({ channelId: 'CPRIVATE', responseUrl }));
    expect(outcome).toMatchObject({ kind: 'delivered', handle: { route: 'response_url' } });
    expect(slack.responseUrlPosts).toHaveLength(1);
    expect(slack.responseUrlPosts[0]?.body).toMatchObject({ response_type: 'in_channel' });
  });

  test('a person not connected comes back as a consent to start, with Arcade’s link, and nothing is posted', async () => {
    const { reader } = threaded();
    const outcome = await reader.deliver(job({ arcadeUserId: 'slack:T0001:UNEW' }));
    expect(outcome).toEqual({
      kind: 'consent_required',
      authId: expect.any(String),
      url: expect.stringMatching(/^https?:\/\//),
    });
    expect(slack.messages).toHaveLength(0);
  });

  test('a token Gmail refuses comes back with the grant, so the app can ask Arcade again', async () => {
    const { reader } = threaded();
    gmail.failNext('list', { status: 401 });
    const outcome = await reader.deliver(job());
    expect(outcome).toEqual({
      kind: 'access_refused',
      grant: { token: TOKEN, account: 'ada@example.com' },
      reason: 'invalid_token',
    });
    expect(slack.messages).toHaveLength(0);
  });

  test("Slack refusing the app's token crosses as the admin's problem it is, without the token", async () => {
    const { reader, logs } = threaded({ botToken: 'xoxb-revoked-0000' });
    const error = await failure(reader.deliver(job()));
    expect(error).toBeInstanceOf(MisconfiguredError);
    expect((error as MisconfiguredError).adminHint).toMatch(/reinstall the app/);
    expect(error.message).not.toContain('xoxb-');
    expect(logs.text()).not.toContain('xoxb-');
  });

  test('Slack down crosses as Slack being unavailable', async () => {
    const { reader } = threaded();
    slack.failNext('chat.postMessage', { status: 503 }, 3);
    const error = await failure(reader.deliver(job()));
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).service).toBe('Slack');
  });
});
