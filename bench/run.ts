/**
 * `npm run bench`: how close `/inbox` comes to the round-trip limit, and what it costs per person.
 *
 * The real app runs as its own process (bench/app-process.ts); the stand-ins of Slack, Arcade and
 * Gmail and the load driver run here, adding a fixed delay to every outside call. Figures are
 * medians and percentiles over repeated runs, and ratios to the critical path: the round trips
 * that cannot be avoided. The stand-ins add their delay before answering, so a request costs the
 * delay on its answer and the clock stops when the summary *arrives* at Slack:
 *   connected person:  Arcade authorize + Gmail list + one wave of gets (src/gmail/read-wave.ts)
 *   after consent:     Gmail list + the wave (Arcade's long-poll answers at the moment of consent)
 *
 * Options: --delay 50 (ms per outside call), --runs 15, --pending 10000, --out BENCHMARKS.md,
 * --tiny (a quick pass that keeps the script working; used by the test suite), --entry dist|src.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_LONG_POLLS } from '../src/auth/consent-watcher';
import { type ArcadeStandIn, startArcadeStandIn } from '../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../src/stand-ins/mail-fixtures';
import { postSlashCommand } from '../src/stand-ins/slack-requests';
import { type SlackStandIn, startSlackStandIn } from '../src/stand-ins/slack-stand-in';
import { type AppEntry, type AppProcess, startAppProcess } from './app-process';

const { values } = parseArgs({
  options: {
    delay: { type: 'string', default: '50' },
    runs: { type: 'string', default: '15' },
    pending: { type: 'string', default: '10000' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
    entry: { type: 'string', default: 'dist' },
    tiny: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
/** `--only acks,e2e`: run just those scenarios (start-up, e2e, acks, throughput, pending). */
const ONLY = values.only?.split(',');
const wanted = (scenario: string) => !ONLY || ONLY.includes(scenario);
const TINY = values.tiny;
const DELAY = Number(values.delay);
const RUNS = TINY ? 2 : Number(values.runs);
const WARMUP = TINY ? 1 : 3;
const PENDING = TINY ? 50 : Number(values.pending);
const ACK_BURSTS = TINY ? [1, 20] : [1, 100, 1000];
const THROUGHPUT_SUMMARIES = TINY ? 20 : 300;
const STARTUP_RUNS = TINY ? 1 : 5;
const TOKEN = 'ya29.bench-token';
const SECRET = randomBytes(16).toString('hex');

interface World {
  slack: SlackStandIn;
  arcade: ArcadeStandIn;
  gmail: GmailStandIn;
  app: AppProcess;
}

const appCpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const progress = (what: string) => process.stderr.write(`bench: ${what}\n`);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const setDelay = (w: Omit<World, 'app'>, delay: number) => {
  w.slack.delayMs = delay;
  w.arcade.delayMs = delay;
  w.gmail.delayMs = delay;
};
const outsideConnections = (w: World) => ({
  slack: w.slack.tcpConnections,
  arcade: w.arcade.tcpConnections,
  gmail: w.gmail.tcpConnections,
});

async function until(probe: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('benchmark wait timed out');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function appEnv(w: Omit<World, 'app'>): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: w.slack.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: w.slack.apiUrl,
    ARCADE_API_KEY: w.arcade.apiKey,
    ARCADE_BASE_URL: w.arcade.baseUrl,
    GMAIL_API_URL: w.gmail.rootUrl,
    PORT: '0',
    // info: the app announces its port at start-up
    LOG_LEVEL: 'info',
  };
}

/** Sends a signed /inbox and resolves with the ack's latency. */
async function command(w: World, user: string, text: string, channel = 'C0001') {
  const responseUrl = w.slack.newResponseUrl();
  const ack = await postSlashCommand(`http://127.0.0.1:${w.app.port}/slack/events`, SECRET, {
    user_id: user,
    channel_id: channel,
    text,
    response_url: responseUrl,
  });
  if (ack.status !== 200) throw new Error(`ack ${ack.status}`);
  return { ackMs: ack.elapsedMs, responseUrl };
}

/** One summary for a connected person, from the signed command to the summary reaching Slack. */
async function timedSummary(w: World, user: string, count: number): Promise<number> {
  const before = w.slack.messages.length;
  const started = performance.now();
  await command(w, user, String(count));
  await until(() => w.slack.messages.length > before);
  return performance.now() - started;
}

async function endToEnd(w: World, rows: string[]): Promise<void> {
  w.arcade.grant('slack:T0001:UE2E', { token: TOKEN, email: 'bench@example.com' });
  for (const count of [10, 25]) {
    for (let i = 0; i < WARMUP; i++) await timedSummary(w, 'UE2E', count);
    const before = outsideConnections(w);
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await timedSummary(w, 'UE2E', count));
    const after = outsideConnections(w);
    const critical = DELAY * 3;
    const per = (k: keyof typeof after) => ((after[k] - before[k]) / RUNS).toFixed(2);
    rows.push(
      `| connected, ${count} messages | ${ms(pct(samples, 50))} | ${ms(pct(samples, 90))} | ${ms(critical)} | **${(pct(samples, 50) / critical).toFixed(2)}** | ≤ 1.15 | Slack ${per('slack')}, Arcade ${per('arcade')}, Gmail ${per('gmail')} |`,
    );
  }
  const samples: number[] = [];
  for (let i = 0; i < RUNS + WARMUP; i++) {
    const user = `UCONSENT${i}`;
    const before = w.slack.messages.length;
    const { responseUrl } = await command(w, user, '10');
    const id = responseUrl.split('/').pop();
    await until(() => w.slack.responseUrlPosts.some((p) => p.id === id));
    const flow = w.arcade.pendingFlow(`slack:T0001:${user}`);
    // The watcher's long-poll is being held by Arcade, as while the person is on Google's page.
    await until(() => w.arcade.statusPolls(flow?.id) > 0);
    await new Promise((resolve) => setTimeout(resolve, DELAY + 20));
    const started = performance.now();
    w.arcade.completeFlow(`slack:T0001:${user}`, { token: TOKEN, email: 'bench@example.com' });
    await until(() => w.slack.messages.length > before);
    if (i >= WARMUP) samples.push(performance.now() - started);
  }
  const critical = DELAY * (1 + 1);
  rows.push(
    `| after consent, 10 messages | ${ms(pct(samples, 50))} | ${ms(pct(samples, 90))} | ${ms(critical)} | **${(pct(samples, 50) / critical).toFixed(2)}** | ≤ ${((critical + DELAY) / critical).toFixed(2)} (critical path + 1 round trip) | – |`,
  );
}

async function ackLatency(w: World, rows: string[]): Promise<void> {
  for (const burst of ACK_BURSTS) {
    const users = Array.from({ length: burst }, (_, i) => `UACK${burst}X${i}`);
    for (const user of users)
      w.arcade.grant(`slack:T0001:${user}`, { token: TOKEN, email: 'bench@example.com' });
    const before = w.slack.messages.length;
    const started = performance.now();
    const cpuApp0 = appCpuMs(w.app.pid);
    const cpuMe0 = process.cpuUsage();
    const acks = await Promise.all(users.map((user, i) => command(w, user, '10', `CACK${i}`)));
    const ackWall = performance.now() - started;
    const cpuApp1 = appCpuMs(w.app.pid);
    const cpuMe1 = process.cpuUsage(cpuMe0);
    await until(() => w.slack.messages.length >= before + burst, 300_000);
    const wall = performance.now() - started;
    const latencies = acks.map((a) => a.ackMs);
    const delivered = w.slack.messages.slice(before);
    const ownChannels =
      delivered.every((m) => m.channel.startsWith('CACK')) &&
      new Set(delivered.map((m) => m.channel)).size === burst;
    rows.push(
      `| ${burst} at once | ${ms(pct(latencies, 50))} | **${ms(pct(latencies, 99))}** | ${ms(Math.max(...latencies))} | ${(ackWall / 1000).toFixed(2)} s: app ${((cpuApp1 - cpuApp0) / 1000).toFixed(2)} s, driver and stand-ins ${((cpuMe1.user + cpuMe1.system) / 1e6).toFixed(2)} s | ${(wall / 1000).toFixed(2)} s | ${ownChannels ? 'yes' : '**no**'} |`,
    );
  }
}

async function throughput(w: World, rows: string[]): Promise<void> {
  setDelay(w, 0);
  const users = Array.from({ length: 20 }, (_, i) => `UTP${i}`);
  for (const user of users)
    w.arcade.grant(`slack:T0001:${user}`, { token: TOKEN, email: 'bench@example.com' });
  for (const user of users) await timedSummary(w, user, 10);
  const before = w.slack.messages.length;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    users.map(async (user) => {
      while (next < THROUGHPUT_SUMMARIES) {
        next++;
        const mark = w.slack.messages.length;
        await command(w, user, '10');
        await until(() => w.slack.messages.length > mark);
      }
    }),
  );
  await until(() => w.slack.messages.length >= before + THROUGHPUT_SUMMARIES);
  const seconds = (performance.now() - started) / 1000;
  rows.push(
    `| summaries per second, 10 messages each, no added delay, 20 people at a time | **${(THROUGHPUT_SUMMARIES / seconds).toFixed(0)}/s** |`,
  );
  setDelay(w, DELAY);
}

async function pendingConsents(w: World, rows: string[]): Promise<void> {
  setDelay(w, 0);
  w.arcade.grant('slack:T0001:UPROBE', { token: TOKEN, email: 'bench@example.com' });
  for (let i = 0; i < 5; i++) await timedSummary(w, 'UPROBE', 10);
  const baseline: number[] = [];
  for (let i = 0; i < 10; i++) baseline.push(await timedSummary(w, 'UPROBE', 10));
  const rssBefore = w.app.rssKb();
  const promptsBefore = w.slack.responseUrlPosts.length;
  for (let start = 0; start < PENDING; start += 250) {
    const batch = Array.from({ length: Math.min(250, PENDING - start) }, (_, i) => `UPEND${start + i}`);
    await Promise.all(batch.map((user) => command(w, user, '')));
    // Paced by the Connect prompts: a full summary queue would tell the rest the app is busy,
    // and they would be counted as pending without being so.
    await until(() => w.slack.responseUrlPosts.length >= promptsBefore + start + batch.length, 300_000);
  }
  const rssAfter = w.app.rssKb();
  const during: number[] = [];
  const acks: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    const before = w.slack.messages.length;
    const { ackMs } = await command(w, 'UPROBE', '10');
    acks.push(ackMs);
    await until(() => w.slack.messages.length > before);
    during.push(performance.now() - started);
  }
  rows.push(
    `| ${PENDING.toLocaleString('en')} pending consents (up to ${DEFAULT_MAX_LONG_POLLS} long-polled, the rest checked quickly) | ${((rssAfter - rssBefore) / PENDING).toFixed(1)} KB per pending consent (RSS ${(rssBefore / 1024).toFixed(0)} → ${(rssAfter / 1024).toFixed(0)} MB) | summary p50 ${ms(pct(baseline, 50))} idle vs **${ms(pct(during, 50))}** with them pending; ack p99 ${ms(pct(acks, 99))} |`,
  );
  const stopping = performance.now();
  const notified = w.slack.responseUrlPosts.length;
  await w.app.stop();
  rows.push(
    `| shutdown with them pending (SIGTERM → exit; each person told to run /inbox again) | ${((performance.now() - stopping) / 1000).toFixed(1)} s | ${w.slack.responseUrlPosts.length - notified} people told |`,
  );
}

async function startup(w: Omit<World, 'app'>, entry: AppEntry, rows: string[]): Promise<void> {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const app = await startAppProcess(appEnv(w), entry);
    times.push(app.startupMs);
    await new Promise((resolve) => setTimeout(resolve, TINY ? 100 : 1000));
    rss.push(app.rssKb());
    await app.stop();
  }
  rows.push(
    `| start-up, \`node ${entry === 'dist' ? 'dist/index.js' : 'src/index.ts (tsx)'}\` to GET /healthz answering | **${ms(pct(times, 50))}** | resident memory idle **${(pct(rss, 50) / 1024).toFixed(0)} MB** |`,
  );
}

async function main(): Promise<void> {
  const entry = values.entry as AppEntry;
  const [slack, arcade, gmail] = await Promise.all([
    startSlackStandIn(),
    startArcadeStandIn(),
    startGmailStandIn(),
  ]);
  const stands = { slack, arcade, gmail };
  gmail.addMailbox(TOKEN, { email: 'bench@example.com', messages: makeMessages(60) });
  const e2e: string[] = [];
  const acks: string[] = [];
  const costs: string[] = [];
  const starts: string[] = [];
  try {
    if (wanted('start-up')) {
      progress('start-up');
      await startup(stands, entry, starts);
    }
    setDelay(stands, DELAY);
    const app = await startAppProcess(appEnv(stands), entry);
    const w: World = { ...stands, app };
    try {
      if (wanted('e2e')) {
        progress('endToEnd');
        await endToEnd(w, e2e);
      }
      if (wanted('acks')) {
        progress('ackLatency');
        await ackLatency(w, acks);
      }
      if (wanted('throughput')) {
        progress('throughput');
        await throughput(w, costs);
      }
      if (wanted('pending')) {
        progress('pendingConsents');
        await pendingConsents(w, costs);
      }
    } finally {
      await app.stop();
    }
  } finally {
    await Promise.all([slack.close(), arcade.close(), gmail.close()]);
  }

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const report = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${availableParallelism()} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}${TINY ? ' (--tiny: too few runs to mean anything)' : ''}.`,
    `Every outside call delayed ${DELAY} ms; ${RUNS} runs after ${WARMUP} warm-up; the app in its own process (\`${entry}\`).`,
    '',
    '| summary | p50 | p90 | critical path | p50 / critical path | target | new TCP connections per summary |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...e2e,
    '',
    '| commands | ack p50 | ack p99 | ack max | until the last ack, and CPU used meanwhile | all summaries delivered | each to its own channel |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...acks,
    '',
    '| cost | figure | |',
    '| --- | --- | --- |',
    ...costs,
    ...starts,
    '',
  ].join('\n');
  process.stdout.write(report);
  if (values.out && values.out !== '-') {
    const path = values.out;
    let doc = '';
    try {
      doc = readFileSync(path, 'utf8');
    } catch {
      doc = '# Benchmarks\n\n<!-- bench:start -->\n<!-- bench:end -->\n';
    }
    const updated = doc.replace(
      /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
      `<!-- bench:start -->\n${report}<!-- bench:end -->`,
    );
    writeFileSync(path, updated);
    process.stdout.write(`\nwritten to ${path}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
