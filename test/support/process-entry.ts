import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs the real process entry (src/index.ts) as operators run it: settings from the environment
 * only. It runs in an empty temporary directory, so that a developer's own .env can never change
 * what a test starts.
 */
const ROOT = join(__dirname, '../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface EntryProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `node src/index.ts` with exactly `env` (plus PATH). */
export function startEntryProcess(env: Record<string, string>): EntryProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'inbox-entry-'));
  let output = '';
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/index.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}
