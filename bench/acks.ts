/**
 * `npm run bench` (second part): the issue-14 table, every row a ratio against a limit measured in
 * the same run. The server under test runs alone on core 0 (`taskset -c 0`); the stand-ins and this
 * lean load client (bodies signed in advance, plain node:http) run on core 1. Servers are measured
 * in turn, three rounds, medians:
 *   - ack p99 at an arrival rate (500/s for 3 s) and in a burst (1,000 at once), `/inbox 10` from
 *     300 connected people: the app with its summaries running, against a bare Bolt HTTPReceiver
 *     with a no-op ack (bench/bare-bolt.cjs) and a bare node:http server (bench/bare-http.cjs);
 *   - end to end, 10 and 25 messages, ÷ the 4-round-trip path (Arcade authorize, Gmail list, one
 *     wave of gets, chat.postMessage; 50 ms a call), timed until Slack answers the post; and the
 *     same calls made by a bare node:http server with no SDK (bench/bare-path.cjs), in turn with
 *     the app, for what the stand-ins and this machine's timers add to any client;
 *   - start to /healthz, against the bare Bolt app's start;
 *   - RSS and the JS heap after forced GC at 5k, 10k and 50k summaries (--summaries; the app with
 *     bench/memory-probe.cjs; --heap-snapshots DIR also writes a .heapsnapshot at each size);
 *   - memory per pending consent at 1k, 5k and 10k pending (--pending), RSS and JS heap after GC,
 *     with every consent long-polled (as before; the limit), the default, and none long-polled.
 * Options: --runs 3, --rate 500, --seconds 3, --burst 1000, --summaries 5000,10000,50000,
 * --pending 1000,5000,10000, --heap-snapshots DIR, --only acks,e2e,start-up,memory,pending,
 * --out BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_LONG_POLLS as DEFAULT_LONG_POLLS } from '../src/auth/consent-watcher';
import { startArcadeStandIn } from '../src/stand-ins/arcade-stand-in';
import { startGmailStandIn } from '../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../src/stand-ins/mail-fixtures';
import { blockActionsPayload, postInteraction } from '../src/stand-ins/slack-requests';
import { startSlackStandIn } from '../src/stand-ins/slack-stand-in';
import { type AppProcess, type ProcessOptions, startAppProcess } from './app-process';
import { type SignedCommand, signCommand, timedCommand } from './lean-client';
import { mergeAckReport } from './report-merge';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '3' },
    burst: { type: 'string', default: '1000' },
    summaries: { type: 'string', default: '5000,10000,50000' },
    pending: { type: 'string', default: '1000,5000,10000' },
    'heap-snapshots': { type: 'string' },
    delay: { type: 'string', default: '50' },
    only: { type: 'string' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
  },
});
const RUNS = Number(values.runs);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const BURST = Number(values.burst);
const SUMMARIES = (values.summaries ?? '').split(',').map(Number).filter(Boolean);
const PENDING = (values.pending ?? '').split(',').map(Number).filter(Boolean);
const DELAY = Number(values.delay);
const PEOPLE = 300;
const WARM_CONSENTS = 200;
const ONLY = values.only?.split(',');
const wanted = (s: string) => !ONLY || ONLY.includes(s);
const SECRET = randomBytes(16).toString('hex');
const TOKEN = 'ya29.bench-token';
const SERVER_CPU = '0';

const progress = (what: string) => process.stderr.write(`bench: ${what}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(probe: () => boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('benchmark wait timed out');
    await sleep(5);
  }
}

// The load client and the stand-ins on the other core.
spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

async function main(): Promise<void> {
  const [slack, arcade, gmail] = await Promise.all([
    startSlackStandIn(),
    startArcadeStandIn(),
    startGmailStandIn(),
  ]);
  gmail.addMailbox(TOKEN, { email: 'bench@example.com', messages: makeMessages(60) });
  for (let i = 0; i < PEOPLE; i++)
    arcade.grant(`slack:T0001:UB${i}`, { token: TOKEN, email: 'bench@example.com' });
  const setDelay = (ms: number) => {
    slack.delayMs = ms;
    arcade.delayMs = ms;
    gmail.delayMs = ms;
  };
  const env = {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    ARCADE_API_KEY: arcade.apiKey,
    ARCADE_BASE_URL: arcade.baseUrl,
    GMAIL_API_URL: gmail.rootUrl,
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  const start = (where: ProcessOptions = {}, settings: Record<string, string> = {}) =>
    startAppProcess({ ...env, ...settings }, 'dist', { cpu: SERVER_CPU, ...where });
  const servers: { name: string; where: ProcessOptions }[] = [
    { name: 'bare node:http', where: { script: 'bench/bare-http.cjs' } },
    { name: 'bare Bolt HTTPReceiver, no-op ack', where: { script: 'bench/bare-bolt.cjs' } },
    { name: '/inbox, summaries running', where: {} },
  ];
  const rows: string[] = [];
  const notes: string[] = [];
  const measuredAt = new Date().toISOString().slice(0, 16).replace('T', ' ');
  // The table as the last run left it, read once: write() runs after each part, and a partial run
  // merges into this, not into its own earlier writes.
  const previous =
    values.out && values.out !== '-'
      ? /<!-- acks:start -->\n([\s\S]*)<!-- acks:end -->/.exec(readFileSync(values.out, 'utf8'))?.[1]
      : undefined;
  const write = () => {
    const header = `Measured ${measuredAt} UTC, Node ${process.version}; server under test alone on core ${SERVER_CPU}, stand-ins and load client on core 1; ${RUNS} rounds, medians; p99 per round shown as round 1 / 2 / 3.`;
    const doc = values.out && values.out !== '-' ? readFileSync(values.out, 'utf8') : '';
    // With --only, the rows not measured again are kept from the last run, and the header says which.
    const block =
      ONLY && previous
        ? mergeAckReport(previous, { header, rows, notes, only: ONLY.join(',') })
        : [
            header,
            '',
            '| what | measured | ratio | target |',
            '| --- | --- | --- | --- |',
            ...rows,
            ...notes,
            '',
          ].join('\n');
    process.stderr.write(`${block}\n`);
    if (values.out && values.out !== '-') {
      const base = doc.includes('<!-- acks:start -->')
        ? doc
        : `${doc}\n<!-- acks:start -->\n<!-- acks:end -->\n`;
      writeFileSync(
        values.out,
        base.replace(
          /<!-- acks:start -->[\s\S]*<!-- acks:end -->/,
          `<!-- acks:start -->\n${block}<!-- acks:end -->`,
        ),
      );
    }
  };

  /** A `/inbox` body signed in advance, so that signing costs the load client nothing while it sends. */
  const signedCommand = (userId: string, channelId: string, text: string) =>
    signCommand(SECRET, { userId, channelId, text, responseUrl: slack.newResponseUrl() });
  /** Signed `/inbox 10` bodies, ready to send: the client does no crypto while measuring. */
  let serial = 0;
  const presign = (n: number, text = '10') =>
    Array.from({ length: n }, () => {
      const i = serial++;
      return signedCommand(`UB${i % PEOPLE}`, `CB${i}`, text);
    });
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const send = (port: number, signed: SignedCommand) => timedCommand(agent, port, () => signed);
  const atRate = async (port: number, rate: number, seconds: number) => {
    const bodies = presign(Math.round(rate * seconds));
    const started = performance.now();
    const acks: Promise<number>[] = [];
    let next = 0;
    while (next < bodies.length) {
      const due = Math.min(bodies.length, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      while (next < due) acks.push(send(port, bodies[next++] as (typeof bodies)[number]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    return Promise.all(acks);
  };
  const burst = async (port: number, n: number) => Promise.all(presign(n).map((b) => send(port, b)));
  const settle = async (app: AppProcess, expected: number) => {
    // Summaries of a round finish before the next round, so backlogs never carry over.
    if (expected > 0) await until(() => slack.messages.length >= expected);
    agent.destroy();
    void app;
  };

  /** `/inbox` from a person who has not connected yet: a pending consent, answered in channel CPEND<i>. */
  const pendingCommand = (i: number) => signedCommand(`UPEND${i}`, `CPEND${i}`, '');
  /** The person completes consent in the browser; ms until their summary arrives at Slack. */
  const noticedMs = async (i: number) => {
    const started = performance.now();
    arcade.completeFlow(`slack:T0001:UPEND${i}`, { token: TOKEN, email: 'bench@example.com' });
    await until(() => slack.messages.some((m) => m.channel === `CPEND${i}`), 60_000);
    return performance.now() - started;
  };

  try {
    if (wanted('acks')) {
      setDelay(DELAY);
      const p99 = new Map<string, { rate: number[]; burst: number[] }>();
      for (let round = 0; round < RUNS; round++) {
        for (const server of servers) {
          progress(`acks round ${round + 1}: ${server.name}`);
          const app = await start(server.where);
          const isApp = !server.where.script;
          try {
            // Warm-up: connections, JIT, pools.
            let expected = slack.messages.length;
            await atRate(app.port, 200, 1);
            if (isApp) expected += 200;
            await settle(app, isApp ? expected : 0);
            const rate = await atRate(app.port, RATE, SECONDS);
            if (isApp) expected += rate.length;
            await settle(app, isApp ? expected : 0);
            const b = await burst(app.port, BURST);
            if (isApp) expected += b.length;
            await settle(app, isApp ? expected : 0);
            const entry = p99.get(server.name) ?? { rate: [], burst: [] };
            entry.rate.push(pct(rate, 99));
            entry.burst.push(pct(b, 99));
            p99.set(server.name, entry);
          } finally {
            await app.stop();
          }
        }
      }
      const bolt = p99.get(servers[1]?.name ?? '') ?? { rate: [], burst: [] };
      const fmt = (xs: number[]) => `${xs.map((x) => x.toFixed(0)).join(' / ')} ms`;
      for (const [name, entry] of p99) {
        rows.push(
          `| ack p99, \`/inbox 10\` at ${RATE}/s for ${SECONDS} s: ${name} | ${fmt(entry.rate)} | **${(median(entry.rate) / median(bolt.rate)).toFixed(2)}×** bare Bolt | ${name.startsWith('/inbox') ? '≤ 1.5×' : 'limit'} |`,
        );
      }
      for (const [name, entry] of p99) {
        rows.push(
          `| ack p99, ${BURST.toLocaleString('en')} \`/inbox 10\` at once: ${name} | ${fmt(entry.burst)} | **${(median(entry.burst) / median(bolt.burst)).toFixed(2)}×** bare Bolt | ${name.startsWith('/inbox') ? '≤ 1.3×' : 'limit'} |`,
        );
      }
    }

    write();
    if (wanted('e2e')) {
      setDelay(DELAY);
      // The bare path makes the same round trips with no SDK: what the stand-ins, the timers and
      // this machine cost. Both servers are up and idle while the other is measured, turn about.
      const floor = await start({ script: 'bench/bare-path.cjs' });
      const app = await start();
      try {
        for (const count of [10, 25]) {
          const samples = { floor: [] as number[], app: [] as number[] };
          for (let i = 0; i < 5 + RUNS * 5; i++) {
            for (const [which, server] of [
              ['floor', floor],
              ['app', app],
            ] as const) {
              const before = slack.messages.length;
              const calls = { arcade: arcade.calls.length, gmail: gmail.calls.length };
              const [signed] = presign(1, String(count));
              const started = performance.now();
              await send(server.port, signed as NonNullable<typeof signed>);
              await until(() => slack.messages.length > before);
              // The post arrived; Slack answers it one delay later, which is when the app is done.
              if (i >= 5) samples[which].push(performance.now() - started + DELAY);
              // A floor that skipped a call would flatter it: both make one authorize, one list, N gets.
              const made = [arcade.calls.length - calls.arcade, gmail.calls.length - calls.gmail];
              if (made[0] !== 1 || made[1] !== 1 + count) {
                throw new Error(
                  `${which} made ${made[0]} Arcade and ${made[1]} Gmail calls for /inbox ${count}`,
                );
              }
            }
          }
          const path = 4 * DELAY;
          const [app50, floor50] = [median(samples.app), median(samples.floor)];
          rows.push(
            `| end to end, ${count} messages, ÷ 4 round trips (${path} ms) | p50 ${app50.toFixed(0)} ms; the same round trips made bare (bench/bare-path.cjs): ${floor50.toFixed(0)} ms, ${(floor50 / path).toFixed(2)} | **${(app50 / path).toFixed(2)}**; ${(app50 / floor50).toFixed(2)}× the bare path | ${count === 10 ? '≤ 1.12' : '≤ 1.3'} |`,
          );
        }
      } finally {
        await Promise.all([app.stop(), floor.stop()]);
      }
    }

    write();
    if (wanted('start-up')) {
      const times = { bolt: [] as number[], app: [] as number[] };
      for (let i = 0; i < Math.max(5, RUNS * 2); i++) {
        for (const which of ['bolt', 'app'] as const) {
          const app = await start(which === 'bolt' ? { script: 'bench/bare-bolt.cjs' } : {});
          times[which].push(app.startupMs);
          await app.stop();
        }
      }
      rows.push(
        `| start to \`/healthz\` (built entry, no Redis) | ${median(times.app).toFixed(0)} ms vs bare Bolt ${median(times.bolt).toFixed(0)} ms | **${(median(times.app) / median(times.bolt)).toFixed(2)}×** bare Bolt | ≤ 1.3× |`,
      );
    }

    write();
    if (wanted('pending') && PENDING.length > 0) {
      setDelay(0);
      const kb = (bytes: number) => bytes / 1024;
      const sizes = [...PENDING].sort((a, b) => a - b);
      const largest = sizes[sizes.length - 1] as number;
      // Same run, in turn: every consent long-polled (as before CONSENT_LONG_POLLS; the limit), the
      // default, and none long-polled, which with the first brackets the split per consent.
      const setups: { name: string; env: Record<string, string> }[] = [
        { name: 'every consent long-polled (as before; the limit)', env: { CONSENT_LONG_POLLS: '100000' } },
        { name: `default (${DEFAULT_LONG_POLLS} long-polls)`, env: {} },
        { name: 'none long-polled (CONSENT_LONG_POLLS=1)', env: { CONSENT_LONG_POLLS: '1' } },
      ];
      type Sample = { rss: number; heap: number; native: number; sockets: number };
      const samples = new Map<string, Map<number, Sample[]>>();
      const noticed = new Map<string, { held: number[]; opened: number[] }>();
      let checkRound: { queued: number; perSecond: number } | undefined;
      let people = 0;
      for (let round = 0; round < RUNS; round++) {
        for (const setup of setups) {
          progress(`pending consents round ${round + 1}: ${setup.name}`);
          const app = await start({ probe: {} }, setup.env);
          // Warm-up: consents started and completed, so that code, pools and buffers first used by
          // them are not counted against the pending ones.
          const warm = people;
          const first = warm + WARM_CONSENTS;
          people = first + largest;
          try {
            const prompts = slack.responseUrlPosts.length;
            const warmUp = Array.from({ length: WARM_CONSENTS }, (_, i) => warm + i);
            await Promise.all(warmUp.map((i) => send(app.port, pendingCommand(i))));
            await until(() => slack.responseUrlPosts.length >= prompts + WARM_CONSENTS);
            await Promise.all(warmUp.map((i) => noticedMs(i)));
            agent.destroy();
            await sleep(1000);
            const base = await app.probe();
            let made = 0;
            for (const size of sizes) {
              // Paced by the Connect prompts: a full summary queue would tell the rest the app is busy.
              while (made < size) {
                const n = Math.min(250, size - made);
                const batch = Array.from({ length: n }, (_, i) => first + made + i);
                const prompts = slack.responseUrlPosts.length;
                await Promise.all(batch.map((i) => send(app.port, pendingCommand(i))));
                await until(() => slack.responseUrlPosts.length >= prompts + n);
                made += n;
              }
              // The load client's idle keep-alive connections are not the consents' memory.
              agent.destroy();
              await sleep(1000);
              const p = await app.probe();
              const per = (now: number, before: number) => (now - before) / size;
              const entry = samples.get(setup.name) ?? new Map<number, Sample[]>();
              const list = entry.get(size) ?? [];
              list.push({
                rss: per(p.rssKb, base.rssKb),
                heap: kb(per(p.memory.heapUsed, base.memory.heapUsed)),
                native: per(p.rssKb, base.rssKb) - kb(per(p.memory.heapTotal, base.memory.heapTotal)),
                sockets: (p.resources.TCPSocketWrap ?? 0) - (base.resources.TCPSocketWrap ?? 0),
              });
              entry.set(size, list);
              samples.set(setup.name, entry);
            }
            if (setup.env.CONSENT_LONG_POLLS === undefined && checkRound === undefined) {
              // How often a consent without a long-poll is asked: the quick checks Arcade receives.
              const quick = () =>
                arcade.calls.filter((c) => c.path === '/v1/auth/status' && c.query.wait === undefined).length;
              const before = quick();
              await sleep(4000);
              checkRound = { queued: largest - DEFAULT_LONG_POLLS, perSecond: (quick() - before) / 4 };
            }
            // Completion → summary at Slack: the first consent (long-polled in every setup) and the
            // newest (checked quickly unless every consent is long-polled) after a click on its button.
            const times = noticed.get(setup.name) ?? { held: [], opened: [] };
            const newest = first + largest - 1;
            times.held.push(await noticedMs(first));
            await postInteraction(
              `http://127.0.0.1:${app.port}/slack/events`,
              SECRET,
              blockActionsPayload({ actionId: 'connect_gmail', userId: `UPEND${newest}` }),
            );
            await sleep(100);
            times.opened.push(await noticedMs(newest));
            noticed.set(setup.name, times);
          } finally {
            await app.stop();
          }
          arcade.calls.length = 0;
          slack.responseUrlPosts.length = 0;
        }
      }
      const limit = samples.get(setups[0]?.name ?? '');
      const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' / ');
      const at = (entry: Map<number, Sample[]> | undefined, key: keyof Sample) =>
        sizes.map((size) => median((entry?.get(size) ?? []).map((sample) => sample[key])));
      for (const setup of setups) {
        const entry = samples.get(setup.name);
        const rss = at(entry, 'rss');
        const ratio = median((entry?.get(largest) ?? []).map((x) => x.rss)) / (at(limit, 'rss').at(-1) ?? 1);
        const times = noticed.get(setup.name);
        rows.push(
          `| memory per pending consent, ${sizes.map((n) => n.toLocaleString('en')).join(' / ')} pending: ${setup.name} | RSS ${fmt(rss)} KB; JS heap after GC ${fmt(at(entry, 'heap'))} KB; outside the JS heap ${fmt(at(entry, 'native'))} KB; sockets +${at(
            entry,
            'sockets',
          )
            .map((x) => x.toFixed(0))
            .join(
              ' / ',
            )}; consent → summary: the first (long-polled) ${median(times?.held ?? []).toFixed(0)} ms, the newest after a click ${median(times?.opened ?? []).toFixed(0)} ms | **${ratio.toFixed(2)}×** at ${largest.toLocaleString('en')} | ${setup === setups[0] ? 'limit' : setup === setups[1] ? '≤ 20 KB' : '–'} |`,
        );
      }
      if (checkRound && checkRound.perSecond > 0) {
        notes.push(
          '',
          `Without a click or a long-poll, a consent is asked every ${(checkRound.queued / checkRound.perSecond).toFixed(0)} s with ${largest.toLocaleString('en')} pending (${checkRound.queued.toLocaleString('en')} without a long-poll; ${checkRound.perSecond.toFixed(1)} quick status calls a second measured).`,
        );
      }
    }
    write();
    if (wanted('memory') && SUMMARIES.length > 0) {
      setDelay(0);
      const snapshotDir = values['heap-snapshots'];
      if (snapshotDir) mkdirSync(snapshotDir, { recursive: true });
      const app = await start({ probe: snapshotDir ? { snapshotDir } : {} });
      try {
        const rss: number[] = [];
        const heap: number[] = [];
        const committed: number[] = [];
        let done = 0;
        for (const target of SUMMARIES) {
          progress(`memory: ${target} summaries`);
          while (done < target) {
            const n = Math.min(200, target - done);
            // The stand-ins forget what they received: the app's memory is what is measured.
            slack.messages.length = 0;
            slack.responseUrlPosts.length = 0;
            gmail.calls.length = 0;
            arcade.calls.length = 0;
            await Promise.all(presign(n).map((b) => send(app.port, b)));
            await until(() => slack.messages.length >= n);
            done += n;
          }
          await sleep(2000);
          const p = await app.probe();
          rss.push(p.rssKb / 1024);
          heap.push(p.memory.heapUsed / 1024 / 1024);
          committed.push(p.memory.heapTotal / 1024 / 1024);
          if (p.snapshot) {
            const named = join(snapshotDir ?? '.', `summaries-${target}.heapsnapshot`);
            renameSync(p.snapshot, named);
            progress(`heap snapshot: ${named}`);
          }
        }
        // The target compares 10k with 50k; the smaller sizes show the warm-up.
        const tenK = SUMMARIES.indexOf(10_000);
        const from = tenK >= 0 && tenK < SUMMARIES.length - 1 ? tenK : 0;
        const growth = (xs: number[]) => {
          const a = xs[from] ?? Number.NaN;
          const b = xs[xs.length - 1] ?? Number.NaN;
          return `**${(((b - a) / a) * 100).toFixed(1)}%** growth ${SUMMARIES[from]?.toLocaleString('en')} → ${SUMMARIES.at(-1)?.toLocaleString('en')}`;
        };
        const over = SUMMARIES.map((n) => n.toLocaleString('en')).join(' → ');
        rows.push(
          `| RSS over ${over} summaries | ${rss.map((r) => `${r.toFixed(0)} MB`).join(' → ')} | ${growth(rss)} | within 10% |`,
          `| JS heap after forced GC over ${over} summaries (one run) | ${heap.map((h) => `${h.toFixed(1)} MB`).join(' → ')} (committed ${committed.map((h) => h.toFixed(0)).join(' → ')} MB) | ${growth(heap)} | flat |`,
        );
      } finally {
        await app.stop();
      }
    }

    write();
  } finally {
    agent.destroy();
    await Promise.all([slack.close(), arcade.close(), gmail.close()]);
  }

  write();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
