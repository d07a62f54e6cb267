import { Worker } from 'node:worker_threads';
import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { formEncode, signSlackRequest, slashCommandPayload } from '../../src/stand-ins/slack-requests';
import { type ProcessHarness, percentile, startProcessHarness } from '../support/app-process-harness';
import { waitFor } from '../support/wait-for';

/**
 * Load: 500 different people type `/inbox` at the same moment, each in their own channel, against
 * the real app in its own process. Every ack must reach Slack within its 3 seconds, and every
 * summary must reach its own channel exactly once, never anyone else's. Timings are printed for
 * RELIABILITY.md; only Slack's 3 s limit is asserted (the machines are shared and noisy).
 */

const PEOPLE = Number(process.env.LOAD_PEOPLE ?? 500);
/** Slack shows "operation_timeout" to the person when the ack takes longer. */
const SLACK_ACK_LIMIT_MS = 3000;
const TOKEN = 'ya29.load-shared-mailbox-token';

/**
 * Sends the prepared requests all at once from a thread of its own, and times each ack there. The
 * stand-ins answering the app's Arcade, Gmail and Slack calls run on the test's event loop; timing
 * the acks on that same loop would count the stand-ins' work as the app's ack latency.
 */
const FIRE_ALL = `
const { parentPort, workerData } = require('node:worker_threads');
Promise.all(workerData.requests.map(async ({ headers, body }) => {
  const started = performance.now();
  try {
    const response = await fetch(workerData.url, { method: 'POST', headers, body });
    await response.text();
    return { status: response.status, elapsedMs: performance.now() - started };
  } catch (error) {
    return { status: 0, elapsedMs: performance.now() - started, error: String(error) };
  }
})).then((acks) => parentPort.postMessage(acks));
`;

interface TimedAck {
  status: number;
  elapsedMs: number;
  error?: string;
}

async function fireAll(url: string, requests: { headers: Record<string, string>; body: string }[]) {
  const worker = new Worker(FIRE_ALL, { eval: true, workerData: { url, requests } });
  try {
    return await new Promise<TimedAck[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

const userOf = (i: number) => `ULOAD${i}`;
const channelOf = (i: number) => `CLOAD${i}`;

describe(`${PEOPLE} people at once`, () => {
  let h: ProcessHarness;
  beforeAll(async () => {
    h = await startProcessHarness();
    // One mailbox shared by everyone (the grant is per person; the token opens the same fake mailbox).
    h.gmail.addMailbox(TOKEN, { email: 'load@example.com', messages: makeMessages(10) });
    for (let i = 0; i < PEOPLE; i++) {
      h.arcade.grant(`slack:T0001:${userOf(i)}`, { token: TOKEN, email: 'load@example.com' });
    }
  }, 60_000);
  afterAll(async () => {
    const code = await h.stop();
    expect(code).toBe(0);
  }, 60_000);

  it('acks every command within 3 s and delivers every summary to its own channel exactly once', async () => {
    // A running app is warm: a few summaries first, so the burst does not also pay for JIT compilation.
    const warmUp = Number(process.env.LOAD_WARMUP ?? 20);
    for (let i = 0; i < warmUp; i++) {
      h.arcade.grant(`slack:T0001:UWARM${i}`, { token: TOKEN, email: 'load@example.com' });
    }
    await Promise.all(
      Array.from({ length: warmUp }, (_, i) => h.command({ user_id: `UWARM${i}`, channel_id: `CWARM${i}` })),
    );
    await waitFor(() => h.slack.messages.length >= warmUp, {
      timeoutMs: 30_000,
      message: 'warm-up summaries',
    });
    h.slack.messages.length = 0;

    // Signed in advance; one connection per command, as Slack's many front ends would open.
    const requests = Array.from({ length: PEOPLE }, (_, i) => {
      const body = formEncode(
        slashCommandPayload({
          user_id: userOf(i),
          channel_id: channelOf(i),
          response_url: h.slack.newResponseUrl(),
        }),
      );
      return {
        body,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...signSlackRequest(h.signingSecret, body),
        },
      };
    });
    const started = performance.now();
    const acks = await fireAll(h.eventsUrl, requests);
    const lastAckMs = performance.now() - started;
    await waitFor(() => h.slack.messages.length >= PEOPLE, {
      timeoutMs: 90_000,
      intervalMs: 20,
      message: `${PEOPLE} summaries`,
    });
    const wallMs = performance.now() - started;
    // Anything extra (a duplicate, a stray retry) would arrive shortly after; give it a moment to show.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const latencies = acks.map((ack) => ack.elapsedMs);
    const figures = {
      people: PEOPLE,
      ackP50Ms: Math.round(percentile(latencies, 50)),
      ackP99Ms: Math.round(percentile(latencies, 99)),
      ackMaxMs: Math.round(Math.max(...latencies)),
      lastAckS: +(lastAckMs / 1000).toFixed(2),
      allDeliveredS: +(wallMs / 1000).toFixed(2),
      appRssMb: Math.round(h.app.rssKb() / 1024),
    };
    console.log(`load figures: ${JSON.stringify(figures)}`);

    expect(acks.filter((ack) => ack.status !== 200)).toEqual([]);
    expect(latencies.filter((ms) => ms >= SLACK_ACK_LIMIT_MS)).toEqual([]);

    // Exactly one summary per channel, and no other message anywhere.
    expect(h.slack.messages).toHaveLength(PEOPLE);
    const byChannel = new Map<string, number>();
    for (const message of h.slack.messages) {
      byChannel.set(message.channel, (byChannel.get(message.channel) ?? 0) + 1);
    }
    for (let i = 0; i < PEOPLE; i++) expect(byChannel.get(channelOf(i))).toBe(1);

    // Each summary names the person who asked, and nobody else.
    const misdelivered = h.slack.messages.filter((message) => {
      const owner = `U${message.channel.slice(1)}`;
      const mentioned = new Set(
        [...JSON.stringify(message).matchAll(/<@(U[A-Z0-9]+)>/g)].map((match) => match[1]),
      );
      return mentioned.size !== 1 || !mentioned.has(owner);
    });
    expect(misdelivered.map((message) => message.channel)).toEqual([]);

    // Nobody was told anything privately: no failure, no Connect prompt.
    expect(h.slack.responseUrlPosts).toHaveLength(0);
    expect(await h.health()).toBe(200);
  }, 150_000);
});
