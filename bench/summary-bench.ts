/**
 * End-to-end time of `/inbox` against the loopback stand-ins, each adding a fixed delay per call,
 * compared with the critical path: the round trips that cannot be avoided.
 *
 * The clock stops when the summary reaches Slack. The stand-ins add their delay before answering,
 * so a request arrives at once and each round trip costs the delay on its answer; the Slack post
 * itself therefore costs nothing up to its arrival, and the critical path is
 *   connected person: Arcade authorize + Gmail list + ⌈count / concurrency⌉ waves of gets
 *   after consent:    Gmail list + waves (the status long-poll answers at the moment of consent)
 *
 * Usage: npm run bench [-- --delay 50 --runs 15]
 * Medians and ratios, not absolute times, are what hold on a noisy machine.
 */
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { makeMessages } from '../src/stand-ins/mail-fixtures';
import { bootApp, type Harness } from '../test/support/boot-app';
import { waitFor } from '../test/support/wait-for';

const { values } = parseArgs({
  options: {
    delay: { type: 'string', default: '50' },
    runs: { type: 'string', default: '15' },
    concurrency: { type: 'string', default: '10' },
  },
});
const DELAY_MS = Number(values.delay);
const RUNS = Number(values.runs);
const CONCURRENCY = Number(values.concurrency);
const WARMUP = 3;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), min: sorted[0] ?? Number.NaN };
}

async function timeSummary(
  h: Harness,
  count: number,
  user: string,
): Promise<{ ms: number; connections: number }> {
  const before = h.slack.messages.length;
  const connectionsBefore = h.slack.tcpConnections + h.arcade.tcpConnections + h.gmail.tcpConnections;
  const started = performance.now();
  await h.command({ text: String(count), user_id: user });
  await waitFor(() => h.slack.messages.length > before, { timeoutMs: 30_000, intervalMs: 1 });
  return {
    ms: performance.now() - started,
    connections:
      h.slack.tcpConnections + h.arcade.tcpConnections + h.gmail.tcpConnections - connectionsBefore,
  };
}

async function timeAfterConsent(h: Harness, count: number, user: string): Promise<number> {
  const before = h.slack.messages.length;
  const { responseUrl } = await h.command({ text: String(count), user_id: user });
  const id = responseUrl.split('/').pop();
  await waitFor(() => h.slack.responseUrlPosts.some((p) => p.id === id), {
    timeoutMs: 30_000,
    intervalMs: 1,
  });
  const arcadeUser = `slack:T0001:${user}`;
  // The watcher's long-poll must be waiting at Arcade, as it would be while the person is on Google's page.
  await waitFor(() => h.arcade.statusPolls(h.arcade.pendingFlow(arcadeUser)?.id) > 0, { intervalMs: 1 });
  await new Promise((resolve) => setTimeout(resolve, DELAY_MS * 2));
  const started = performance.now();
  h.arcade.completeFlow(arcadeUser, { token: 'ya29.bench', email: 'bench@example.com' });
  await waitFor(() => h.slack.messages.length > before, { timeoutMs: 30_000, intervalMs: 1 });
  const ms = performance.now() - started;
  h.arcade.revoke(arcadeUser);
  return ms;
}

async function main(): Promise<void> {
  const h = await bootApp({ env: { LOG_LEVEL: 'warn' }, tuning: { gmailConcurrency: CONCURRENCY } });
  try {
    h.gmail.addMailbox('ya29.bench', { email: 'bench@example.com', messages: makeMessages(60) });
    h.arcade.grant('slack:T0001:UBENCH', { token: 'ya29.bench', email: 'bench@example.com' });
    h.slack.delayMs = DELAY_MS;
    h.arcade.delayMs = DELAY_MS;
    h.gmail.delayMs = DELAY_MS;

    const rows: string[] = [];
    for (const count of [10, 25]) {
      for (let i = 0; i < WARMUP; i++) await timeSummary(h, count, 'UBENCH');
      const samples: number[] = [];
      let connections = 0;
      for (let i = 0; i < RUNS; i++) {
        const run = await timeSummary(h, count, 'UBENCH');
        samples.push(run.ms);
        connections += run.connections;
      }
      const critical = DELAY_MS * (2 + Math.ceil(count / CONCURRENCY));
      const s = summarize(samples);
      rows.push(
        `| connected, ${count} messages | ${s.p50.toFixed(0)} | ${s.p90.toFixed(0)} | ${critical} | ${(s.p50 / critical).toFixed(3)} | ${(connections / RUNS).toFixed(2)} |`,
      );
    }
    for (const count of [10]) {
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) samples.push(await timeAfterConsent(h, count, `UCONSENT${i}`));
      const critical = DELAY_MS * (1 + Math.ceil(count / CONCURRENCY));
      const s = summarize(samples);
      rows.push(
        `| after consent, ${count} messages | ${s.p50.toFixed(0)} | ${s.p90.toFixed(0)} | ${critical} | ${(s.p50 / critical).toFixed(3)} | – |`,
      );
    }

    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    process.stdout.write(
      [
        `/inbox end to end, ${DELAY_MS} ms added to every outside call, ${RUNS} runs after ${WARMUP} warm-up, Gmail concurrency ${CONCURRENCY}`,
        `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${availableParallelism()} × ${cpu}`,
        '',
        '| case | p50 ms | p90 ms | critical path ms | p50 / critical path | new TCP connections per summary |',
        '| --- | --- | --- | --- | --- | --- |',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    await h.stop();
  }
}

void main();
