import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The app as operators run it (`node --single-threaded-gc dist/index.js`), in a process of its own,
 * so that what the benchmark measures is the app: the stand-ins and the load driver run in the
 * benchmark's process, on the other core.
 */

const ROOT = join(__dirname, '..');

/**
 * Node's flags for the built app, as `npm start` gives them (package.json; a test keeps the two
 * alike): each thread collects its own garbage, so the summary thread's (at nice 19) is not
 * collected by V8's shared helper threads at the app's priority (docs/operations.md).
 */
export const PRODUCTION_NODE_FLAGS = ['--single-threaded-gc'];

export interface AppProcess {
  pid: number;
  port: number;
  /** From spawn to the first 200 from GET /healthz. */
  startupMs: number;
  /** Resident set size now, from /proc (Linux). */
  rssKb(): number;
  /**
   * With `probe` set: garbage-collects in the app and reads its memory as the app sees it
   * (bench/memory-probe.cjs), writing a heap snapshot when `probe.snapshotDir` is set.
   */
  probe(): Promise<MemoryProbe>;
  stop(): Promise<number | null>;
}

export type AppEntry = 'dist' | 'src';

/** What bench/memory-probe.cjs reports, after two forced collections. */
export interface MemoryProbe {
  memory: NodeJS.MemoryUsage;
  /** Active libuv resources by type (`TCPSocketWrap` is one per open socket). */
  resources: Record<string, number>;
  /** The heap snapshot written, if asked for. */
  snapshot?: string;
  rssKb: number;
}

/** Where it runs: another script in place of the app (the bare servers), pinned to a core. */
export interface ProcessOptions {
  script?: string;
  /** `taskset -c <cpu>`: the server under test alone on one core. */
  cpu?: string;
  /** Extra node flags (e.g. --expose-gc). */
  nodeFlags?: string[];
  /** Every line the process writes, kept in this file: only the tail is kept in memory. */
  logFile?: string;
  /** Loads bench/memory-probe.cjs into the app (with --expose-gc), for `probe()`. */
  probe?: { snapshotDir?: string };
}

/** Starts the app with exactly `env` (plus PATH) and waits until /healthz answers. */
export async function startAppProcess(
  env: Record<string, string>,
  entry: AppEntry = 'dist',
  where: ProcessOptions = {},
): Promise<AppProcess> {
  // BENCH_PROFILE_DIR=/tmp/x writes a V8 CPU profile of the app, for finding where a target is missed.
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const probeDir = where.probe ? mkdtempSync(join(tmpdir(), 'inbox-probe-')) : undefined;
  const probeOut = probeDir ? join(probeDir, 'memory.json') : undefined;
  const probeEnv: Record<string, string> = probeOut
    ? {
        BENCH_PROBE_OUT: probeOut,
        ...(where.probe?.snapshotDir ? { BENCH_HEAP_SNAPSHOT_DIR: where.probe.snapshotDir } : {}),
      }
    : {};
  const args = [
    ...profile,
    ...(where.nodeFlags ?? []),
    ...(where.probe ? ['--expose-gc', '--require', join(ROOT, 'bench/memory-probe.cjs')] : []),
    ...(where.script
      ? [join(ROOT, where.script)]
      : entry === 'dist'
        ? [...PRODUCTION_NODE_FLAGS, join(ROOT, 'dist/index.js')]
        : ['--import', 'tsx', join(ROOT, 'src/index.ts')]),
  ];
  const started = performance.now();
  // taskset execs node, so the pid is node's.
  const [file, argv] = where.cpu
    ? ['taskset', ['-c', where.cpu, process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(file as string, argv as string[], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, ...probeEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Only the tail is kept: the port line comes first, and a long run logs a line per summary.
  let output = '';
  const log = where.logFile ? createWriteStream(where.logFile) : undefined;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    log?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => (log ? log.end(() => resolve(code)) : resolve(code))),
  );

  const port = await poll(
    () => Number(output.match(/localhost:(\d+)\/(slack\/events|healthz)/)?.[1]) || undefined,
    child,
    () => output,
  );
  await poll(
    async () => {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      return response?.status === 200 || undefined;
    },
    child,
    () => output,
  );
  const startupMs = performance.now() - started;
  const pid = child.pid ?? 0;
  const rssKb = () =>
    Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? Number.NaN);
  let probes = 0;
  return {
    pid,
    port,
    startupMs,
    rssKb,
    async probe() {
      if (!probeOut) throw new Error('started without `probe`');
      probes += 1;
      child.kill('SIGUSR2');
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (existsSync(probeOut)) {
          const found = JSON.parse(readFileSync(probeOut, 'utf8')) as Omit<MemoryProbe, 'rssKb'> & {
            probe: number;
          };
          if (found.probe === probes) return { ...found, rssKb: rssKb() };
        }
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error('the memory probe did not answer');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (probeDir) rmSync(probeDir, { recursive: true, force: true });
      return code;
    },
  };
}

async function poll<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  child: ChildProcess,
  output: () => string,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not start:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
