import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Asset } from './assets';

/**
 * The sandbox page's HTTP server: the page and its files, and a small JSON API the page polls and
 * posts to. It knows nothing of Slack; what each call does is up to the {@link PageApi} it is given.
 * It listens on loopback only, and refuses posts that are not JSON so that no other web page the
 * browser has open can drive it (a cross-site JSON post needs a CORS preflight, which is never granted).
 */

/** A request the page got wrong: answered with `status` and `{error: message}`. */
export class PageRequestError extends Error {
  readonly code = 'page_request_invalid';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the API routes do. */
export interface PageApi {
  /** Grows whenever any viewer's state may have changed. */
  version(): number;
  /** The page's state for a viewer (a default viewer when absent or unknown). */
  state(viewer: string | undefined): { viewer: string } & Record<string, unknown>;
  /** Sends a typed `/inbox …` as `viewer` in `channel`; resolves once the app has acked it. */
  command(input: { viewer: string; channel: string; text: string }): Promise<void>;
  /**
   * A click on an element the page drew (a button, link button, or an overflow/select option), named
   * by where it is: in a message of `channel` (by entry key) or on the viewer's Home tab. Sent to
   * the app as Slack's signed `block_actions`; resolves once the app has acked it.
   */
  action(input: {
    viewer: string;
    surface: 'message' | 'home';
    channel: string;
    entryKey: string;
    blockIndex: number;
    element: number | 'accessory';
    optionIndex?: number;
  }): Promise<void>;
  /** The viewer opened the app's Home tab: Slack's signed `app_home_opened` event to the app. */
  homeOpened(viewer: string): Promise<void>;
  /** Forgets the viewer's Gmail connection, to replay the first-time flow. */
  disconnect(viewer: string): void;
}

/** The running server. */
export interface PageServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The page loads its own scripts and styles only and talks only to this server; email text can
 * therefore never run as script, and nothing is fetched from outside, even if the renderer failed.
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const COMMON_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

/** Starts the server on `host:port` (port 0: a free one); rejects when the port is taken. */
export async function startPageServer(
  api: PageApi,
  assets: ReadonlyMap<string, Asset>,
  options: { host: string; port: number },
): Promise<PageServer> {
  let boundPort = options.port;
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof PageRequestError) sendJson(res, error.status, { error: error.message });
      else
        sendJson(res, 500, {
          error: `sandbox error: ${error instanceof Error ? error.message : String(error)}`,
        });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a web page elsewhere can point its own name at 127.0.0.1, but not its Host header.
    if (!isExpectedHost(req.headers.host, options.host, boundPort)) {
      return sendJson(res, 421, {
        error: 'unexpected Host header: open the sandbox at the address it printed',
      });
    }
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    if (method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      return sendAsset(res, assets.get('index.html'), { 'Content-Security-Policy': PAGE_CSP });
    }
    const assetName = /^\/assets\/([\w.-]+)$/.exec(url.pathname)?.[1];
    if (method === 'GET' && assetName && assetName !== 'index.html') {
      return sendAsset(res, assets.get(assetName));
    }
    if (method === 'GET' && url.pathname === '/api/state') {
      const version = api.version();
      if (url.searchParams.get('known') === String(version))
        return sendJson(res, 200, { unchanged: true, version });
      return sendJson(res, 200, { ...api.state(url.searchParams.get('viewer') ?? undefined), version });
    }
    if (method === 'POST' && url.pathname.startsWith('/api/')) {
      const body = await readJson(req);
      switch (url.pathname) {
        case '/api/command':
          await api.command({
            viewer: field(body, 'viewer'),
            channel: field(body, 'channel'),
            text: field(body, 'text'),
          });
          return sendJson(res, 200, { ok: true });
        case '/api/action': {
          const surface = field(body, 'surface');
          if (surface !== 'message' && surface !== 'home')
            throw new PageRequestError(400, '"surface" must be "message" or "home"');
          const element = body.element === 'accessory' ? 'accessory' : index(body, 'element');
          await api.action({
            viewer: field(body, 'viewer'),
            surface,
            channel: surface === 'home' ? '' : field(body, 'channel'),
            entryKey: surface === 'home' ? '' : field(body, 'entryKey'),
            blockIndex: index(body, 'blockIndex'),
            element,
            ...(body.optionIndex !== undefined ? { optionIndex: index(body, 'optionIndex') } : {}),
          });
          return sendJson(res, 200, { ok: true });
        }
        case '/api/home-opened':
          await api.homeOpened(field(body, 'viewer'));
          return sendJson(res, 200, { ok: true });
        case '/api/disconnect':
          api.disconnect(field(body, 'viewer'));
          return sendJson(res, 200, { ok: true });
      }
    }
    sendJson(res, 404, { error: `no such page: ${method} ${url.pathname}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  boundPort = port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendAsset(
  res: ServerResponse,
  asset: Asset | undefined,
  headers: Record<string, string> = {},
): void {
  if (!asset) {
    sendJson(res, 404, { error: 'no such file' });
    return;
  }
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': asset.contentType,
    'Content-Length': asset.body.length,
    'Cache-Control': 'no-cache',
    ...headers,
  });
  res.end(asset.body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    throw new PageRequestError(415, 'send JSON (Content-Type: application/json)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new PageRequestError(413, 'request too large');
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Answered below.
  }
  throw new PageRequestError(400, 'the body must be a JSON object');
}

/** A small whole number (a position in a list of blocks or elements). */
function index(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000)
    throw new PageRequestError(400, `"${name}" must be a whole number from 0 to 1000`);
  return value;
}

function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw new PageRequestError(400, `"${name}" must be a string`);
  return value;
}

/** Host headers the page answers: loopback names, or the interface it was bound to, on its port. */
export function isExpectedHost(header: string | undefined, boundHost: string, port: number): boolean {
  if (!header) return false;
  const bound = boundHost.includes(':') ? `[${boundHost}]` : boundHost;
  const names = new Set(['localhost', '127.0.0.1', '[::1]', bound.toLowerCase()]);
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header.trim().toLowerCase());
  if (!match) return false;
  const [, name, givenPort] = match;
  return names.has(String(name)) && Number(givenPort ?? 80) === port;
}
