/**
 * The few `node:http` pieces the stand-in servers share: a server on 127.0.0.1 port 0 that counts
 * TCP connections and closes without leaving handles, cancellable pauses, body reading, JSON answers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Handles one request; a thrown error becomes a 500 so a stand-in bug fails a test instead of hanging it. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A pause that ends after its time or at `wake()`, whichever comes first. */
export interface Pause {
  done: Promise<void>;
  wake(): void;
}

/** A listening server. */
export interface TestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** TCP connections accepted so far (keep-alive reuse keeps this low). */
  readonly tcpConnections: number;
  /** True once `close()` has begun: handlers woken by it should not answer. */
  readonly closed: boolean;
  /** A pause tracked by the server, so `close()` can end it and no timer outlives the server. */
  pause(ms: number): Pause;
  /** Ends every pause, drops every connection (idle or busy) and stops listening. */
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 with an ephemeral port. */
export async function startServer(handler: Handler): Promise<TestServer> {
  let tcpConnections = 0;
  let closed = false;
  const pauses = new Set<Pause>();
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: `stand-in failed: ${String(error)}` });
    });
  });
  server.on('connection', () => {
    tcpConnections += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get tcpConnections() {
      return tcpConnections;
    },
    get closed() {
      return closed;
    },
    pause(ms) {
      let resolveDone = (): void => {};
      const done = new Promise<void>((resolve) => {
        resolveDone = resolve;
      });
      const pause: Pause = {
        done,
        wake() {
          clearTimeout(timer);
          pauses.delete(pause);
          resolveDone();
        },
      };
      const timer = setTimeout(pause.wake, Math.max(0, ms));
      pauses.add(pause);
      if (closed) pause.wake();
      return pause;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const pause of [...pauses]) pause.wake();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** Reads the whole request body as UTF-8. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Answers with a JSON body (`undefined` sends none, as for a 204). The SDKs parse only JSON-typed
 * answers, so the content type is always set. Does nothing when the connection is already gone.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): void {
  if (res.destroyed || res.writableEnded) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The request's URL, parsed against the server's own origin. */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://127.0.0.1');
}
