#!/usr/bin/env node
// `npm run build` bundles src/ into dist/index.js (and the summary thread into
// dist/summary-thread.js), and stamps it. `npm start` runs this with --if-stale before
// `exec node dist/index.js`: it builds only when a source or a build setting is newer than the last
// build, and before building it checks the settings, so that a bad one is reported at once.
//
// Why a bundle rather than tsc's one file per module: at start-up Node spent most of its time
// resolving and reading the ~500 modules the app and its packages are made of, not running them;
// one file cuts that (BENCHMARKS.md, "Start-up"). Type checking is `npm run typecheck` (part of
// `npm test`), so a build takes about a second.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-stamp');
const INPUTS = ['src', 'tsconfig.json', 'package-lock.json', 'scripts/build.mjs'];

/**
 * Left out of the bundle and required from node_modules as before:
 * - packages the app loads only when a setting asks for them, or after it serves (Google's client
 *   in the first idle second, `redis` and `bullmq` with REDIS_URL, `openai` with SUMMARY_MODEL), so
 *   that a start without them neither parses nor loads them;
 * - `ws`'s optional native speed-ups, which are absent unless someone installs them;
 * - `tsx`, which only a run from source uses (to start the summary thread from TypeScript).
 */
const EXTERNAL = ['@googleapis/gmail', 'redis', 'bullmq', 'openai', 'bufferutil', 'utf-8-validate', 'tsx'];

/** Newest modification time (ms) among `path` and, for a directory, everything under it. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Runs a command in the project root, with its output on ours; exits with its code if it fails. */
function run(args, what) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.error) {
    process.stderr.write(`${what} could not run: ${result.error.message}\n`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const ifStale = process.argv.includes('--if-stale');
const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
const sources = Math.max(
  ...INPUTS.filter((input) => existsSync(join(ROOT, input))).map((input) => newest(join(ROOT, input))),
);
if (ifStale && built >= sources) process.exit(0);

const esbuildEntry = join(ROOT, 'node_modules/esbuild/lib/main.js');
const tsx = join(ROOT, 'node_modules/tsx/dist/loader.mjs');
if (!existsSync(esbuildEntry) || (ifStale && !existsSync(tsx))) {
  process.stderr.write(
    'dist/ is missing or older than src/, and the build tools are not installed.\n' +
      'Run `npm ci` (with dev dependencies) and `npm run build`, or start a built copy with `node dist/index.js`.\n',
  );
  process.exit(1);
}
if (ifStale) {
  run(['--import', tsx, join(ROOT, 'src/core/settings-check.ts')], 'the settings check');
  process.stderr.write('Building dist/ (src/ changed since the last build) ...\n');
}

const { build } = await import(pathToFileURL(esbuildEntry).href);
// A build from before the bundle left one file per module; none of them may be picked up again.
rmSync(DIST, { recursive: true, force: true });
try {
  await build({
    absWorkingDir: ROOT,
    // The summary thread (src/summary-thread/) loads its own file, beside the app's.
    entryPoints: { index: 'src/index.ts', 'summary-thread': 'src/summary-thread/worker.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    // A map for `node --enable-source-maps` (stack traces in src/ terms); Node reads it only then.
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  });
} catch {
  // esbuild has printed what is wrong, with file and line.
  process.exit(1);
}
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
