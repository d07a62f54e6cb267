/**
 * `npx tsx bench/held-requests.ts [--held 3000]`: what one held HTTP request costs the client, layer
 * by layer, which is what a consent long-poll to Arcade costs the app. A server in another process
 * accepts requests and never answers; this process holds `--held` of them open through each client
 * in turn (a fresh process per client) and reports the JS heap after forced GC and RSS, per request:
 * bare node:http, undici's request(), undici's fetch, and Arcade's SDK `auth.status` over undici's
 * fetch (as the app calls it) and over a node:http fetch.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { parseArgs } from 'node:util';
import Arcade from '@arcadeai/arcadejs';
import { Agent, fetch as undiciFetch, request as undiciRequest } from 'undici';

const { values } = parseArgs({
  options: { held: { type: 'string', default: '3000' }, client: { type: 'string' } },
});
const HELD = Number(values.held);
const CLIENTS = [
  'node:http',
  'undici request()',
  'undici fetch',
  'SDK over undici fetch',
  'SDK over node:http',
];

const SERVER = `
const http = require('node:http');
const held = [];
const server = http.createServer((req, res) => held.push(res));
server.keepAliveTimeout = 0; server.headersTimeout = 0; server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function measure(client: string): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    server.stdout?.once('data', (d) => resolve(String(d).trim())),
  );
  const base = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
  const nodeAgent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  let open = 0;
  const nodeFetch = ((url: string, init: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const req = http.get(
        url,
        {
          agent: nodeAgent,
          signal: init.signal ?? undefined,
          headers: Object.fromEntries(new Headers(init.headers)),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve(
              new Response(Buffer.concat(chunks), {
                status: res.statusCode ?? 500,
                headers: res.headers as never,
              }),
            ),
          );
        },
      );
      req.on('socket', () => {
        open += 1;
      });
      req.on('error', reject);
    })) as unknown as typeof fetch;
  const sdk = (fetchImpl: typeof fetch) =>
    new Arcade({ apiKey: 'arc_bench', baseURL: base, maxRetries: 0, timeout: 120_000, fetch: fetchImpl });
  const overUndici = sdk(((input: string, init: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch);
  const overNode = sdk(nodeFetch);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (tsx passes node flags through)');
  const collect = () => {
    gc();
    gc();
  };
  const url = (i: number) => `${base}/v1/auth/status?id=ac_${i}&wait=59`;
  collect();
  const before = process.memoryUsage();
  const controllers: AbortController[] = [];
  for (let i = 0; i < HELD; i++) {
    const controller = new AbortController();
    controllers.push(controller);
    const { signal } = controller;
    const ignore = () => {};
    if (client === 'node:http') {
      const req = http.get(url(i), { agent: nodeAgent, signal }, ignore);
      req.on('socket', () => {
        open += 1;
      });
      req.on('error', ignore);
    } else if (client === 'undici request()')
      undiciRequest(url(i), { dispatcher: agent, signal }).catch(ignore);
    else if (client === 'undici fetch') undiciFetch(url(i), { dispatcher: agent, signal }).catch(ignore);
    else if (client === 'SDK over undici fetch')
      overUndici.auth.status({ id: `ac_${i}`, wait: 59 }, { signal, timeout: 74_000 }).catch(ignore);
    else overNode.auth.status({ id: `ac_${i}`, wait: 59 }, { signal, timeout: 74_000 }).catch(ignore);
  }
  const running = () =>
    client.includes('node:http')
      ? open
      : Object.values(agent.stats).reduce((sum, pool) => sum + pool.running, 0);
  while (running() < HELD) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 300));
  collect();
  const after = process.memoryUsage();
  const kb = (key: keyof NodeJS.MemoryUsage) => ((after[key] - before[key]) / HELD / 1024).toFixed(1);
  process.stdout.write(`| ${client} | ${kb('heapUsed')} KB | ${kb('rss')} KB |\n`);
  for (const controller of controllers) controller.abort();
  server.kill();
}

async function main(): Promise<void> {
  if (values.client) {
    await measure(values.client);
    process.exit(0);
  }
  process.stdout.write(
    `${HELD.toLocaleString('en')} requests held open, per request, Node ${process.version}:\n\n| client | JS heap after GC | RSS |\n| --- | --- | --- |\n`,
  );
  for (const client of CLIENTS) {
    // A fresh process each, so that one client's pools and code do not count against the next.
    const child: ChildProcess = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', __filename, '--client', client, '--held', String(HELD)],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    await new Promise((resolve) => child.on('exit', resolve));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
