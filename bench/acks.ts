/**
 * `npm run bench` (second part): the issue-14 table, every row a ratio against a limit measured in
 * the same run. The server under test runs alone on core 0 (`taskset -c 0`); the stand-ins and this
 * lean load client (bodies signed in advance, plain node:http) run on core 1. Servers are measured
 * in turn, three rounds, medians:
 *   - ack p99 at an arrival rate (500/s for 3 s) and in a burst (1,000 at once), `/inbox 10` from
 *     300 connected people: the app with its summaries running, against a bare Bolt HTTPReceiver
 *     with a no-op ack (bench/bare-bolt.cjs) and a bare node:http server (bench/bare-http.cjs);
 *   - end to end, 10 and 25 messages, ÷ the 4-round-trip path (Arcade authorize, Gmail list, one
 *     wave of gets, chat.postMessage; 50 ms a call), timed until Slack answers the post;
 *   - start to /healthz, against the bare Bolt app's start;
 *   - RSS after 10k and 50k summaries (--summaries), and memory per pending consent.
 * Options: --runs 3, --rate 500, --seconds 3, --burst 1000, --summaries 10000,50000, --pending 2000,
 * --only acks,e2e,start-up,memory,pending, --out BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { startArcadeStandIn } from '../src/stand-ins/arcade-stand-in';
import { startGmailStandIn } from '../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../src/stand-ins/mail-fixtures';
import { formEncode, signSlackRequest, slashCommandPayload } from '../src/stand-ins/slack-requests';
import { startSlackStandIn } from '../src/stand-ins/slack-stand-in';
import { type AppProcess, type ProcessOptions, startAppProcess } from './app-process';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '3' },
    burst: { type: 'string', default: '1000' },
    summaries: { type: 'string', default: '10000,50000' },
    pending: { type: 'string', default: '2000' },
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
const PENDING = Number(values.pending);
const DELAY = Number(values.delay);
const PEOPLE = 300;
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
  const start = (where: ProcessOptions = {}) => startAppProcess(env, 'dist', { cpu: SERVER_CPU, ...where });
  const servers: { name: string; where: ProcessOptions }[] = [
    { name: 'bare node:http', where: { script: 'bench/bare-http.cjs' } },
    { name: 'bare Bolt HTTPReceiver, no-op ack', where: { script: 'bench/bare-bolt.cjs' } },
    { name: '/inbox, summaries running', where: {} },
  ];
  const rows: string[] = [];
  const notes: string[] = [];
  const write = () => {
    const report = [
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}; server under test alone on core ${SERVER_CPU}, stand-ins and load client on core 1; ${RUNS} rounds, medians; p99 per round shown as round 1 / 2 / 3.`,
      '',
      '| what | measured | ratio | target |',
      '| --- | --- | --- | --- |',
      ...rows,
      ...notes,
      '',
    ].join('\n');
    process.stderr.write(`${report}\n`);
    if (values.out && values.out !== '-') {
      let doc = readFileSync(values.out, 'utf8');
      if (!doc.includes('<!-- acks:start -->')) doc += '\n<!-- acks:start -->\n<!-- acks:end -->\n';
      doc = doc.replace(
        /<!-- acks:start -->[\s\S]*<!-- acks:end -->/,
        `<!-- acks:start -->\n${report}<!-- acks:end -->`,
      );
      writeFileSync(values.out, doc);
    }
  };

  /** Signed `/inbox 10` bodies, ready to send: the client does no crypto while measuring. */
  let serial = 0;
  const presign = (n: number, text = '10') =>
    Array.from({ length: n }, () => {
      const i = serial++;
      const body = formEncode(
        slashCommandPayload({
          user_id: `UB${i % PEOPLE}`,
          channel_id: `CB${i}`,
          text,
          response_url: slack.newResponseUrl(),
        }),
      );
      return {
        body,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': String(Buffer.byteLength(body)),
          ...signSlackRequest(SECRET, body),
        },
      };
    });
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const send = (port: number, signed: { body: string; headers: Record<string, string> }) =>
    sendOnce(port, signed).catch((error: NodeJS.ErrnoException) => {
      // A keep-alive socket the server closed as it was reused: Slack would retry too.
      if (error.code === 'ECONNRESET') return sendOnce(port, signed);
      throw error;
    });
  const sendOnce = (port: number, signed: { body: string; headers: Record<string, string> }) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const req = request(
        { host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers: signed.headers, agent },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(performance.now() - started)
              : reject(new Error(`ack ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(signed.body);
    });
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
      const app = await start();
      try {
        for (const count of [10, 25]) {
          const samples: number[] = [];
          for (let i = 0; i < 5 + RUNS * 5; i++) {
            const before = slack.messages.length;
            const [signed] = presign(1, String(count));
            const started = performance.now();
            await send(app.port, signed as NonNullable<typeof signed>);
            await until(() => slack.messages.length > before);
            // The post arrived; Slack answers it one delay later, which is when the app is done.
            if (i >= 5) samples.push(performance.now() - started + DELAY);
          }
          const path = 4 * DELAY;
          rows.push(
            `| end to end, ${count} messages, ÷ 4 round trips (${path} ms) | p50 ${median(samples).toFixed(0)} ms | **${(median(samples) / path).toFixed(2)}** | ${count === 10 ? '≤ 1.12' : '≤ 1.3'} |`,
          );
        }
      } finally {
        await app.stop();
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
    if (wanted('pending') && PENDING > 0) {
      setDelay(0);
      const app = await start();
      try {
        await sleep(500);
        const rssBefore = app.rssKb();
        const pollsBefore = arcade.statusPolls();
        const bodies = Array.from({ length: PENDING }, (_, i) => {
          const body = formEncode(
            slashCommandPayload({
              user_id: `UPEND${i}`,
              channel_id: 'CPEND',
              text: '',
              response_url: slack.newResponseUrl(),
            }),
          );
          return {
            body,
            headers: {
              'Content-Type': 'application/x-www-form-urlencoded',
              'Content-Length': String(Buffer.byteLength(body)),
              ...signSlackRequest(SECRET, body),
            },
          };
        });
        for (let i = 0; i < bodies.length; i += 500)
          await Promise.all(bodies.slice(i, i + 500).map((b) => send(app.port, b)));
        await until(() => arcade.statusPolls() >= pollsBefore + PENDING);
        await sleep(1000);
        const rssAfter = app.rssKb();
        rows.push(
          `| memory per pending consent (${PENDING.toLocaleString('en')} pending) | ${((rssAfter - rssBefore) / PENDING).toFixed(1)} KB (RSS ${(rssBefore / 1024).toFixed(0)} → ${(rssAfter / 1024).toFixed(0)} MB) | – | ≤ 20 KB |`,
        );
      } finally {
        await app.stop();
      }
    }
    write();
    if (wanted('memory') && SUMMARIES.length > 0) {
      setDelay(0);
      const app = await start({ nodeFlags: ['--expose-gc'] });
      try {
        const rss: number[] = [];
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
          rss.push(app.rssKb() / 1024);
        }
        const first = rss[0] ?? Number.NaN;
        const last = rss[rss.length - 1] ?? Number.NaN;
        rows.push(
          `| RSS over ${SUMMARIES.map((s) => s.toLocaleString('en')).join(' → ')} summaries | ${rss.map((r) => `${r.toFixed(0)} MB`).join(' → ')} | **${(((last - first) / first) * 100).toFixed(1)}%** growth | within 10% |`,
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
