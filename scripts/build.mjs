#!/usr/bin/env node
// `npm run build` compiles src/ into dist/ and stamps it. `npm start` runs this with --if-stale
// before `exec node dist/index.js`: it builds only when a source or a build setting is newer than the
// last build, so that a built app starts in well under a second instead of waiting ~20 s for tsc;
// and before building it checks the settings, so that a bad one is reported at once.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

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

const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
const tsx = join(ROOT, 'node_modules/tsx/dist/loader.mjs');
if (!existsSync(tsc) || (ifStale && !existsSync(tsx))) {
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
run([tsc, '-p', 'tsconfig.build.json'], 'the build');
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
