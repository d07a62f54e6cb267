/**
 * The TL;DR's cost to the summary: time from a signed `/inbox` to the summary's first post, with
 * SUMMARY_MODEL on and off (the ratio of the medians, measured in the same run, alternating), and
 * the time until the TL;DR is on the message (`chat.update`). The real app runs in this process
 * against the loopback stand-ins, each adding `--delay` ms per call; the model stand-in takes
 * `--model-delay` ms, about what a small hosted model needs for three lines.
 *
 *   npx tsx bench/tldr.ts [--runs 15] [--delay 50] [--model-delay 800]
 *
 * Prints a Markdown table for BENCHMARKS.md. The limit: the first post with the model on within 5%
 * of the first post without it.
 */
import { parseArgs } from 'node:util';
import { makeMessages } from '../src/stand-ins/mail-fixtures';
import { type ModelStandIn, startModelStandIn } from '../src/stand-ins/openai-stand-in';
import { bootApp, type Harness } from '../test/support/boot-app';
import { waitFor } from '../test/support/wait-for';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    delay: { type: 'string', default: '50' },
    'model-delay': { type: 'string', default: '800' },
  },
});
const RUNS = Number(values.runs);
const DELAY = Number(values.delay);
const MODEL_DELAY = Number(values['model-delay']);
const LIMIT_RATIO = 1.05;
const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.bench-token';

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function world(model?: ModelStandIn): Promise<Harness> {
  const h = await bootApp({
    env: {
      LOG_LEVEL: 'warn',
      ...(model
        ? {
            SUMMARY_MODEL: 'bench-model',
            OPENAI_BASE_URL: model.baseUrl,
            OPENAI_API_KEY: 'sk-bench-0123456789',
          }
        : {}),
    },
  });
  h.arcade.grant(ALICE, { token: TOKEN, email: 'owner@example.com' });
  h.gmail.addMailbox(TOKEN, { email: 'owner@example.com', messages: makeMessages(10) });
  for (const standIn of [h.slack, h.arcade, h.gmail]) standIn.delayMs = DELAY;
  return h;
}

/** One /inbox: ms to the summary's post, and (model on) ms to its chat.update. */
async function once(h: Harness, withModel: boolean): Promise<{ post: number; tldr?: number }> {
  const posts = h.slack.calls.filter((c) => c.method === 'chat.postMessage').length;
  const updates = h.slack.calls.filter((c) => c.method === 'chat.update').length;
  const started = Date.now();
  await h.command({ text: '' });
  const post = await waitFor(() => h.slack.calls.filter((c) => c.method === 'chat.postMessage')[posts], {
    timeoutMs: 30_000,
  });
  if (!withModel) return { post: post.at - started };
  const update = await waitFor(() => h.slack.calls.filter((c) => c.method === 'chat.update')[updates], {
    timeoutMs: 30_000,
  });
  return { post: post.at - started, tldr: update.at - started };
}

async function main(): Promise<void> {
  const model = await startModelStandIn({ apiKey: 'sk-bench-0123456789' });
  model.delayMs = MODEL_DELAY;
  const off = await world();
  const on = await world(model);
  const offPosts: number[] = [];
  const onPosts: number[] = [];
  const tldrs: number[] = [];
  try {
    // Warm-up: connections, JIT, the lazily loaded openai package.
    await once(off, false);
    await once(on, true);
    for (let i = 0; i < RUNS; i += 1) {
      // Alternating, so drift on a shared machine hits both alike.
      offPosts.push((await once(off, false)).post);
      const result = await once(on, true);
      onPosts.push(result.post);
      tldrs.push(result.tldr as number);
    }
  } finally {
    await on.stop();
    await off.stop();
    await model.close();
  }
  const ratio = median(onPosts) / median(offPosts);
  const lines = [
    `| ${RUNS} runs each, ${DELAY} ms per Slack/Arcade/Gmail call, model ${MODEL_DELAY} ms, 10 messages | median ms |`,
    '| --- | --- |',
    `| first post, model off | ${median(offPosts).toFixed(0)} |`,
    `| first post, model on | ${median(onPosts).toFixed(0)} |`,
    `| ratio on / off (limit ${LIMIT_RATIO}) | ${ratio.toFixed(3)} ${ratio <= LIMIT_RATIO ? '(met)' : '(missed)'} |`,
    `| TL;DR on the message (chat.update sent), model on | ${median(tldrs).toFixed(0)} |`,
    `| TL;DR after the first post | ${median(tldrs.map((t, i) => t - (onPosts[i] as number))).toFixed(0)} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
