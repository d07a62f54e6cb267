/**
 * `npm run bench:schedules`: issue 13's load target, "10,000 schedules due in the same minute are
 * all delivered within 5 minutes, with acks unaffected".
 *
 * One app instance in Redis mode (test/support/tuned-entry.ts: the real app, its schedules' clock
 * shifted so that 9:00 UTC comes a little after every schedule exists) runs alone on core 0; a
 * private redis-server, the stand-ins of Slack, Arcade and Gmail (every call delayed, 50 ms by
 * default, as in the other benchmarks) and this driver share core 1. The driver
 *   1. makes the schedules with the real command, `/inbox every day at 9:00`, signed and over HTTP,
 *      10 per person (the most allowed), each in a channel of its own so every digest is counted
 *      once and a second post of one is seen;
 *   2. just before the slot, sends `/inbox help` at a steady rate: the baseline ack latency;
 *   3. from the slot until the last digest has reached Slack, sends the same stream: the ack
 *      latency while the digests go out, and the ratio to the baseline of the same run;
 *   4. waits out one digest lock period (a takeover that ran a digest again would post by then)
 *      and counts duplicates, posts elsewhere (a failure notice, a consent DM) and the app's
 *      warnings and errors.
 * Options: --schedules 10000, --delay 50 (ms per outside call), --rate 20 (acks per second),
 * --baseline 30 (seconds: 600 acks at 20/s, enough for a p99 that is not two samples), --create-concurrency 50, --lead (seconds from the app's start to the
 * slot; by default from the schedule count), --out BENCHMARKS.md, --tiny (200 schedules, short
 * phases: keeps the script working), --log (where the app's log goes), --samples file.json
 * (every help ack as [sent, ms after the slot; latency, ms]), --node-flags=--trace-gc (for the app).
 * BENCH_PROFILE_DIR=/tmp/x writes a V8 CPU profile of the app (bench/app-process.ts).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { startArcadeStandIn } from '../src/stand-ins/arcade-stand-in';
import type { FakeMessage } from '../src/stand-ins/gmail-stand-in';
import { startGmailStandIn } from '../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../src/stand-ins/mail-fixtures';
import { startSlackStandIn } from '../src/stand-ins/slack-stand-in';
import { DIGEST_CONCURRENCY } from '../src/wiring/schedules-part';
import { startRedisServer } from '../test/support/redis-server';
import { type AppProcess, startAppProcess } from './app-process';
import { signCommand, timedCommand } from './lean-client';

const { values } = parseArgs({
  options: {
    schedules: { type: 'string', default: '10000' },
    delay: { type: 'string', default: '50' },
    rate: { type: 'string', default: '20' },
    baseline: { type: 'string', default: '30' },
    'create-concurrency': { type: 'string', default: '50' },
    lead: { type: 'string' },
    timeout: { type: 'string', default: '900' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
    log: { type: 'string' },
    samples: { type: 'string' },
    'node-flags': { type: 'string' },
    tiny: { type: 'boolean', default: false },
  },
});
const TINY = values.tiny;
const SCHEDULES = TINY ? 200 : Number(values.schedules);
/** MAX_SCHEDULES_PER_PERSON: the fewest people that can hold them. */
const PER_PERSON = 10;
const PEOPLE = Math.ceil(SCHEDULES / PER_PERSON);
const DELAY = Number(values.delay);
const RATE = Number(values.rate);
const BASELINE_S = TINY ? 2 : Number(values.baseline);
const CREATE_CONCURRENCY = Number(values['create-concurrency']);
const TIMEOUT_MS = Number(values.timeout) * 1000;
/** The app's digest lock (30 s by default): a digest run twice by a takeover would post within it. */
const SETTLE_MS = TINY ? 2_000 : 35_000;
const MAIL_PER_DIGEST = 5;
const SECRET = randomBytes(16).toString('hex');
const RECORD_SECRET = randomBytes(32).toString('hex');
const SERVER_CPU = '0';
const ROOT = join(__dirname, '..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const LOG_FILE = values.log ?? join(tmpdir(), `inbox-bench-schedules-${process.pid}.log`);

/** 9:00 UTC on Tuesday 3 March 2026, as in test/integration/schedules-redis.test.ts. */
const SLOT = Date.UTC(2026, 2, 3, 9, 0);
/** Schedules made per second, assumed for the default lead; a slower run stops with a clear error. */
const ASSUMED_CREATE_RATE = 50;
/** The app's clock is set as it is spawned, so its start-up (tsx, BullMQ, Redis) comes out of the lead. */
const STARTUP_ALLOWANCE_MS = 10_000;

const progress = (what: string) => process.stderr.write(`bench: ${what}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const seconds = (x: number) => `${(x / 1000).toFixed(1)} s`;
const appCpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
/**
 * Time the app's threads spent runnable but waiting for a core (/proc schedstat, ns → ms): the
 * app is pinned alone to its core, but nothing keeps other processes on the machine off it, and
 * its own threads (V8's GC helpers, tsx's loader) share it too. A main thread that waits shows as
 * an ack tail the app's own work did not cause; reported so a noisy run can be told apart.
 */
const waitedMs = (pid: number) => {
  let main = 0;
  let others = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const wait = Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
    if (task === String(pid)) main += wait;
    else others += wait;
  }
  return { main, others };
};
const userOf = (person: number) => `US${String(person).padStart(5, '0')}`;
const channelOf = (person: number, k: number) => `CS${String(person).padStart(5, '0')}X${k}`;

/** Mail that arrived between the schedules being made and the slot: every digest has some. */
const mailboxFor = (person: number): FakeMessage[] =>
  makeMessages(MAIL_PER_DIGEST, (index) => {
    const at = SLOT - 1_000 - index * 100;
    return {
      id: `19d${person.toString(16).padStart(8, '0')}${index.toString(16).padStart(5, '0')}`,
      internalDate: String(at),
    };
  });

async function main(): Promise<void> {
  // The app alone on core 0, everything else here on core 1, as in bench/acks.ts (children inherit it).
  spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const redis = await startRedisServer();
  const info = createClient({ url: redis.url });
  await info.connect();
  const redisCpuMs = async () => {
    const text = await info.info('cpu');
    const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(text)?.[1] ?? 0);
    return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
  };
  const [slack, arcade, gmail] = await Promise.all([
    startSlackStandIn(),
    startArcadeStandIn(),
    startGmailStandIn(),
  ]);
  for (const s of [slack, arcade, gmail]) s.delayMs = DELAY;
  for (let p = 0; p < PEOPLE; p++) {
    const token = `ya29.bench-schedules-${p}`;
    slack.users.set(userOf(p), { name: `person${p}`, tz: 'UTC' });
    arcade.grant(`slack:T0001:${userOf(p)}`, { token, email: `p${p}@example.com` });
    gmail.addMailbox(token, { email: `p${p}@example.com`, messages: mailboxFor(p) });
  }
  const channels = new Map<string, number>();
  for (let i = 0; i < SCHEDULES; i++) channels.set(channelOf(Math.floor(i / PER_PERSON), i % PER_PERSON), 0);

  const leadMs = values.lead
    ? Number(values.lead) * 1000
    : STARTUP_ALLOWANCE_MS +
      Math.ceil(SCHEDULES / ASSUMED_CREATE_RATE) * 1000 +
      BASELINE_S * 1000 +
      (TINY ? 3_000 : 30_000);
  // The app's clock reads the slot `leadMs` from now; BullMQ's delays are real time, so the slot
  // comes at this instant of the driver's clock.
  const offset = SLOT - (Date.now() + leadMs);
  const slotAt = performance.now() + leadMs;
  const msToSlot = () => slotAt - performance.now();

  let app: AppProcess | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  try {
    progress(`starting the app (slot in ${seconds(leadMs)}); its log: ${LOG_FILE}`);
    app = await startAppProcess(
      {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        ARCADE_API_KEY: arcade.apiKey,
        ARCADE_BASE_URL: arcade.baseUrl,
        GMAIL_API_URL: gmail.rootUrl,
        PORT: '0',
        REDIS_URL: redis.url,
        RECORD_SECRET,
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        TEST_TUNING: JSON.stringify({ scheduleOffsetMs: offset }),
      },
      'src',
      {
        script: 'test/support/tuned-entry.ts',
        nodeFlags: ['--import', TSX, ...(values['node-flags']?.split(' ').filter(Boolean) ?? [])],
        cpu: SERVER_CPU,
        logFile: LOG_FILE,
      },
    );
    const port = app.port;

    // Signed as it is sent, not in advance: the delivery phase outlasts Bolt's 5-minute window
    // for a request's timestamp, and one HMAC is microseconds against the milliseconds measured.
    const send = (text: string, user: string, channel: string, responseUrl = slack.newResponseUrl()) =>
      timedCommand(agent, port, () =>
        signCommand(SECRET, { userId: user, channelId: channel, text, responseUrl }),
      );

    /** Resolves once the command sent with `responseUrl` has had its private reply. */
    const waiting = new Map<string, () => void>();
    let readReplies = 0;
    const replies = setInterval(() => {
      for (; readReplies < slack.responseUrlPosts.length; readReplies++) {
        const id = slack.responseUrlPosts[readReplies]?.id ?? '';
        waiting.get(id)?.();
        waiting.delete(id);
      }
    }, 2);
    const repliedTo = (responseUrl: string) =>
      new Promise<void>((resolve, reject) => {
        const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
        const timer = setTimeout(() => reject(new Error(`no confirmation in 30 s (${id})`)), 30_000);
        waiting.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });

    /** Every help ack as [sent, ms after the slot; its latency, ms], for --samples. */
    const samples: [number, number][] = [];
    const helpStream = async (stop: () => boolean) => {
      const acks: Promise<number>[] = [];
      const started = performance.now();
      let next = 0;
      while (!stop()) {
        const due = Math.floor(((performance.now() - started) / 1000) * RATE) + 1;
        while (next < due) {
          const sentAt = performance.now() - slotAt;
          acks.push(
            send('help', userOf(next % PEOPLE), 'CHELP').then((latency) => {
              samples.push([Math.round(sentAt), Math.round(latency)]);
              return latency;
            }),
          );
          next++;
        }
        await sleep(1);
      }
      return Promise.all(acks);
    };

    // 1. The schedules, through the command.
    progress(`creating ${SCHEDULES} schedules for ${PEOPLE} people`);
    const confirmationsBefore = slack.responseUrlPosts.length;
    const createStarted = performance.now();
    const createAcks: number[] = [];
    let nextSchedule = 0;
    // Each of these waits for its confirmation before making the next, as a person would: the
    // ack alone says nothing was stored yet, and awaiting only acks would queue every schedule
    // in the app at once.
    await Promise.all(
      Array.from({ length: CREATE_CONCURRENCY }, async () => {
        while (nextSchedule < SCHEDULES) {
          const i = nextSchedule++;
          const person = Math.floor(i / PER_PERSON);
          const responseUrl = slack.newResponseUrl();
          // Awaited before the send: the reply may be read before the ack's callback runs.
          const confirmed = repliedTo(responseUrl);
          createAcks.push(
            await send('every day at 9:00', userOf(person), channelOf(person, i % PER_PERSON), responseUrl),
          );
          await confirmed;
        }
      }),
    );
    const createMs = performance.now() - createStarted;
    clearInterval(replies);
    const confirmations = slack.responseUrlPosts.slice(confirmationsBefore);
    const forTheSlot = confirmations.filter((post) =>
      String(post.body.text ?? '').includes(`<!date^${SLOT / 1000}^`),
    ).length;
    if (forTheSlot !== SCHEDULES) {
      throw new Error(
        `${SCHEDULES - forTheSlot} of ${SCHEDULES} confirmations are not for the 9:00 slot (e.g. ${JSON.stringify(confirmations.find((post) => !String(post.body.text ?? '').includes(`<!date^${SLOT / 1000}^`))?.body.text)})`,
      );
    }
    const stored = (await redis.keys('inbox:schedule:*')).length;
    progress(
      `created in ${seconds(createMs)} (${(SCHEDULES / (createMs / 1000)).toFixed(0)}/s), ${stored} in Redis; slot in ${seconds(msToSlot())}`,
    );
    const baselineLeadMs = BASELINE_S * 1000 + 2_000;
    if (msToSlot() < baselineLeadMs) {
      throw new Error(
        `making the schedules took ${seconds(createMs)}, leaving ${seconds(msToSlot())} before the slot: rerun with --lead ${Math.ceil((leadMs + baselineLeadMs - msToSlot()) / 1000 + 10)}`,
      );
    }

    // 2. Baseline acks, ending 2 s before the slot so no digest is yet in flight.
    await sleep(msToSlot() - baselineLeadMs);
    progress(`baseline: /inbox help at ${RATE}/s for ${BASELINE_S} s`);
    const baselineEnd = performance.now() + BASELINE_S * 1000;
    const baseline = await helpStream(() => performance.now() >= baselineEnd);
    const postsBefore = slack.messages.length;
    if (postsBefore > 0) throw new Error(`${postsBefore} message(s) posted before the slot`);

    // 3. The slot: digests counted as they reach Slack, acks measured meanwhile.
    await sleep(Math.max(0, msToSlot()));
    progress(`slot: waiting for ${SCHEDULES} digests`);
    const cpu0 = appCpuMs(app.pid);
    const waited0 = waitedMs(app.pid);
    const driverCpu0 = process.cpuUsage();
    const redisCpu0 = await redisCpuMs();
    const rss0 = app.rssKb();
    let rssPeak = rss0;
    const arrivals: number[] = [];
    let elsewhere = 0;
    let duplicates = 0;
    let seen = 0;
    const count = () => {
      for (; seen < slack.messages.length; seen++) {
        const message = slack.messages[seen];
        const channel = message?.channel ?? '';
        const posts = channels.get(channel);
        if (posts === undefined) elsewhere++;
        else {
          channels.set(channel, posts + 1);
          if (posts === 0) arrivals.push(performance.now() - slotAt);
          else duplicates++;
        }
      }
    };
    let lastProgress = performance.now();
    const watching = (async () => {
      const deadline = performance.now() + TIMEOUT_MS;
      while (arrivals.length < SCHEDULES && performance.now() < deadline) {
        count();
        rssPeak = Math.max(rssPeak, app?.rssKb() ?? 0);
        if (performance.now() - lastProgress > 15_000) {
          lastProgress = performance.now();
          progress(`${arrivals.length} digests after ${seconds(performance.now() - slotAt)}`);
        }
        await sleep(5);
      }
    })();
    const during = await helpStream(
      () => arrivals.length >= SCHEDULES || performance.now() > slotAt + TIMEOUT_MS,
    );
    await watching;
    const deliveryMs = performance.now() - slotAt;
    const cpuMs = appCpuMs(app.pid) - cpu0;
    const waited1 = waitedMs(app.pid);
    const waited = { main: waited1.main - waited0.main, others: waited1.others - waited0.others };
    const driverCpu = process.cpuUsage(driverCpu0);
    const otherCoreMs = (driverCpu.user + driverCpu.system) / 1000 + (await redisCpuMs()) - redisCpu0;
    const allDelivered = arrivals.length >= SCHEDULES;
    progress(`${arrivals.length} digests in ${seconds(deliveryMs)}; settling ${seconds(SETTLE_MS)}`);

    // 4. One lock period more, then duplicates and the app's own complaints.
    await sleep(SETTLE_MS);
    count();
    if (values.samples) writeFileSync(values.samples, JSON.stringify(samples));
    await app.stop();
    app = undefined;
    const complaints = new Map<string, number>();
    // Ids and numbers vary per line; the kind of complaint is what is counted.
    const kindOf = (text: string) =>
      text
        .replace(/\b[0-9a-f]{12}\b/g, '<id>')
        .replace(/\bUS\d+\b/g, '<user>')
        .replace(/\d+(\.\d+)?/g, 'N')
        .replace(/\s+/g, ' ')
        .slice(0, 160);
    for (const line of readFileSync(LOG_FILE, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let kind: string;
      if (line.startsWith('{')) {
        const entry = JSON.parse(line) as { level?: string; message?: string };
        if (entry.level !== 'warn' && entry.level !== 'error' && entry.level !== 'fatal') continue;
        kind = `${entry.level}: ${kindOf(String(entry.message ?? ''))}`;
      } else {
        // Not the app's logger: a crash, a warning from Node, or --node-flags=--trace-gc.
        kind = `not JSON: ${kindOf(line)}`;
      }
      complaints.set(kind, (complaints.get(kind) ?? 0) + 1);
    }
    const refusedPosts =
      slack.calls.filter((call) => call.method === 'chat.postMessage').length - slack.messages.length;

    // Report.
    const p50 = { before: pct(baseline, 50), during: pct(during, 50) };
    const p99 = { before: pct(baseline, 99), during: pct(during, 99) };
    const over3s = during.filter((x) => x >= 3000).length;
    const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const rows = [
      `| schedules made with \`/inbox every day at 9:00\` (${PEOPLE.toLocaleString('en')} people × ${PER_PERSON}, ${CREATE_CONCURRENCY} at a time, each until its confirmation) | ${SCHEDULES.toLocaleString('en')} in ${seconds(createMs)}: **${(SCHEDULES / (createMs / 1000)).toFixed(0)}/s**; ack p99 ${ms(pct(createAcks, 99))} | – |`,
      `| all ${SCHEDULES.toLocaleString('en')} digests at Slack, from the slot | **${allDelivered ? seconds(deliveryMs) : `not done: ${arrivals.length.toLocaleString('en')} after ${seconds(deliveryMs)}`}** (first ${seconds(arrivals[0] ?? Number.NaN)}, half ${seconds(pct(arrivals, 50))}, 90% ${seconds(pct(arrivals, 90))}); ${(arrivals.length / (deliveryMs / 1000)).toFixed(0)} digests/s | ≤ 5 min: **${allDelivered && deliveryMs <= 300_000 ? 'met' : 'missed'}** |`,
      `| digests posted twice (after one more lock period, ${seconds(SETTLE_MS)}) | **${duplicates}**; posts elsewhere (failure notices, consent DMs): ${elsewhere}; refused chat.postMessage: ${refusedPosts} | 0 |`,
      `| ack p50, \`/inbox help\` at ${RATE}/s: ${BASELINE_S} s before the slot vs during delivery | ${ms(p50.before)} vs ${ms(p50.during)} | ${(p50.during / p50.before).toFixed(2)}× |`,
      `| ack p99, same | ${ms(p99.before)} vs **${ms(p99.during)}** (${during.length.toLocaleString('en')} acks during, ${over3s} at or over Slack's 3 s) | **${(p99.during / p99.before).toFixed(2)}×** |`,
      `| the app while delivering | CPU ${seconds(cpuMs)} over ${seconds(deliveryMs)} (${((cpuMs / deliveryMs) * 100).toFixed(0)}% of its core), ${(cpuMs / Math.max(1, arrivals.length)).toFixed(1)} ms a digest; RSS ${(rss0 / 1024).toFixed(0)} → peak ${(rssPeak / 1024).toFixed(0)} MB; its main thread runnable but waiting for the core ${seconds(waited.main)} (${((waited.main / deliveryMs) * 100).toFixed(1)}% of the time), its other threads ${seconds(waited.others)} | – |`,
      `| core 1 meanwhile: driver and stand-ins, redis-server | ${((otherCoreMs / deliveryMs) * 100).toFixed(0)}% of the core (redis-server ${(((otherCoreMs - (driverCpu.user + driverCpu.system) / 1000) / deliveryMs) * 100).toFixed(0)}%) | – |`,
    ];
    const report = [
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}, Node ${process.version}, load average ${load} at the end${TINY ? ' (--tiny: too small to mean anything)' : ''}. One app instance (Redis mode, ${DIGEST_CONCURRENCY} digests in flight) alone on core ${SERVER_CPU}; redis-server, the stand-ins and the driver on core 1. Every Slack, Arcade and Gmail call delayed ${DELAY} ms; a digest is users.info, Arcade authorize, Gmail list, one wave of ${MAIL_PER_DIGEST} gets and chat.postMessage.`,
      '',
      '| what | measured | target / ratio |',
      '| --- | --- | --- |',
      ...rows,
      '',
      complaints.size === 0
        ? "The app's log had no warnings, errors or lines from outside its logger."
        : `The app's warnings, errors and lines from outside its logger, most frequent first: ${[
            ...complaints,
          ]
            .sort((x, y) => y[1] - x[1])
            .slice(0, 10)
            .map(([kind, n]) => `${n} × \`${kind}\``)
            .join(
              '; ',
            )}${complaints.size > 10 ? `; and ${complaints.size - 10} other kinds (see the log)` : ''}.`,
      '',
    ].join('\n');
    process.stdout.write(report);
    if (values.out && values.out !== '-') {
      let doc = readFileSync(values.out, 'utf8');
      const section = '## Scheduled digests: 10,000 due in one minute';
      if (!doc.includes('<!-- schedules:start -->')) {
        doc += `\n${section}\n\n\`npm run bench:schedules\` (bench/schedules.ts says how).\n\n<!-- schedules:start -->\n<!-- schedules:end -->\n`;
      }
      doc = doc.replace(
        /<!-- schedules:start -->[\s\S]*<!-- schedules:end -->/,
        `<!-- schedules:start -->\n${report}<!-- schedules:end -->`,
      );
      writeFileSync(values.out, doc);
      progress(`written to ${values.out}`);
    }
  } finally {
    agent.destroy();
    await app?.stop();
    info.destroy();
    await Promise.all([slack.close(), arcade.close(), gmail.close(), redis.stop()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
