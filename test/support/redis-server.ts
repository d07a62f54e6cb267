import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import { waitFor } from './wait-for';

/**
 * A real Redis server on loopback for the tests that need one (Debian's `redis-server`; `.ci/run`
 * installs it when missing). Each test file starts its own on a free port, with no persistence,
 * and kills it afterwards. Without `redis-server` on PATH the tests say they were skipped and why.
 */

export const REDIS_SKIP_REASON = 'SKIPPED: redis-server not installed (apt-get install redis-server)';

/** The `redis-server` binary, or undefined when it is not installed. */
export const REDIS_SERVER_BIN: string | undefined = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

/** `describe` when redis-server is installed; otherwise one skipped test whose name says why. */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_SERVER_BIN) describe(name, body);
  else describe(name, () => it.skip(`${REDIS_SKIP_REASON}`, () => undefined));
}

export interface RedisServer {
  url: string;
  port: number;
  /** Empties every key (between tests). */
  flush(): Promise<void>;
  /** Every key now (for assertions on what is stored). */
  keys(pattern?: string): Promise<string[]>;
  /** Remaining time to live of a key, in ms (-1: none, -2: no such key). */
  pttl(key: string): Promise<number>;
  /** A string key's value, or null. */
  get(key: string): Promise<string | null>;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port (or on `port`, to bring a stopped one back at the
 * same address) and waits until it answers PING.
 */
export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  if (!REDIS_SERVER_BIN) throw new Error(REDIS_SKIP_REASON);
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    REDIS_SERVER_BIN,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const client = createClient({ url, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => undefined);
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
        if (!client.isOpen) await client.connect();
        return (await client.ping()) === 'PONG';
      },
      { timeoutMs: 10_000, message: 'redis-server to answer PING' },
    );
  } catch (error) {
    child.kill('SIGKILL');
    client.destroy();
    throw error;
  }
  return {
    url,
    port,
    async flush() {
      await client.flushAll();
    },
    keys: (pattern = '*') => client.keys(pattern),
    pttl: (key) => client.pTTL(key),
    get: (key) => client.get(key),
    async stop() {
      client.destroy();
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
