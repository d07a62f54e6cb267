import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * Starts `node src/index.ts` with exactly `env` (plus PATH); `script` runs another entry instead
 * (test/support/tuned-entry.ts: the same app with a test's tuning).
 */
export function startEntryProcess(env: Record<string, string>, script = 'src/index.ts'): EntryProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'inbox-entry-'));
  let output = '';
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, script)], {
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

/**
 * Settings a developer's `.env` in the project root could set. `npm start` runs there, and dotenv
 * never overrides a variable that is present, so each is passed (empty means unset) unless given.
 */
const NEUTRALISED_SETTINGS = [
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'REDIS_URL',
  'VERIFIER_ENABLED',
  'PUBLIC_URL',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'VERIFIER_SECRET',
  'RECORD_SECRET',
  'METRICS_PORT',
  'METRICS_HOST',
  'LOG_FORMAT',
  'INBOX_VISIBILITY',
  'ARCADE_USER_ID_SOURCE',
  'CONSENT_TIMEOUT_SECONDS',
  'SHUTDOWN_GRACE_SECONDS',
];

/** The app started exactly as the README says, `npm start` in the project root, in a process group of its own. */
export interface NpmStartProcess extends EntryProcess {
  /** npm's pid, which is also the group id. */
  pid: number;
  /** Pids still alive in the group (npm, the shell, node): empty once everything has exited. */
  groupMembers(): number[];
}

/** Runs `npm start` with `env` (plus PATH and HOME, which npm needs). */
export function startNpmStart(env: Record<string, string>): NpmStartProcess {
  let output = '';
  const neutral = Object.fromEntries(NEUTRALISED_SETTINGS.map((name) => [name, '']));
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...neutral, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the test can signal npm alone or the whole group, as a supervisor would.
    detached: true,
  });
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const pid = child.pid ?? 0;
  return {
    child,
    pid,
    output: () => output,
    exited,
    groupMembers: () => processGroupMembers(pid),
  };
}

/** Live pids whose process group is `group` (Linux /proc; zombies count as gone). */
export function processGroupMembers(group: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces, so split after its closing parenthesis.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === group && state !== 'Z') members.push(Number(entry));
  }
  return members;
}
