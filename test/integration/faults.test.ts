import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { bootApp, type Harness, SIGNING_SECRET } from '../support/boot-app';
import { messageLinks } from '../support/summary-reader';
import { waitFor } from '../support/wait-for';

/**
 * Every outside failure the app can meet, one test each: what the person sees (the private message
 * on the command's response_url, or the summary arriving anyway) and what the app logs. Failures
 * already covered elsewhere are not repeated here; RELIABILITY.md lists them all with their tests.
 *
 * The stand-ins inject HTTP faults (`failNext`). Faults below HTTP (refused, dropped, cut off
 * mid-answer, malformed JSON) come from a small proxy between the app and one stand-in, or from a
 * setting pointing at a port nobody listens on.
 */

const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.alice-fault-secret-token';

// ---------------------------------------------------------------------------------------------
// A fault proxy: forwards to a stand-in, or fails requests whose path matches, below HTTP.

type ProxyFault =
  /** Closes the connection as soon as the request arrives: no status, no body. */
  | 'drop'
  /** Sends 200 and half a JSON body, then closes the connection. */
  | 'cut'
  /** Sends 200 with a complete body that is not JSON. */
  | 'malformed';

interface FaultProxy {
  url: string;
  /** Where requests go when no fault applies (an origin, e.g. `http://127.0.0.1:PORT`). */
  target: string | undefined;
  /** Fails the next `times` requests whose path matches `path` with `fault`. */
  failNext(path: RegExp, fault: ProxyFault, times?: number): void;
  /** Requests that got a fault. */
  faulted: number;
  close(): Promise<void>;
}

/** Bolt calls auth.test at start-up, before the Slack stand-in's address is known to the proxy. */
const AUTH_TEST_OK = JSON.stringify({
  ok: true,
  url: 'https://standin.slack.com/',
  team: 'Stand-in',
  user: 'inbox',
  team_id: 'T0001',
  user_id: 'U0BOT',
  bot_id: 'B0BOT',
});

async function startFaultProxy(): Promise<FaultProxy> {
  const faults: { path: RegExp; fault: ProxyFault; remaining: number }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const queued = faults.find((entry) => entry.path.test(path));
    if (queued) {
      queued.remaining -= 1;
      if (queued.remaining <= 0) faults.splice(faults.indexOf(queued), 1);
      proxy.faulted += 1;
      req.resume();
      if (queued.fault === 'drop') {
        req.socket.destroy();
      } else if (queued.fault === 'cut') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': '400' });
        res.write('{"messages":[{"id":"19c0000000000001","threadId":"19c00');
        setTimeout(() => res.socket?.destroy(), 20);
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' });
        res.end('<html><body>502 Bad Gateway</body></html>');
      }
      return;
    }
    if (!proxy.target) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(/auth\.test$/.test(path) ? AUTH_TEST_OK : '{"ok":false,"error":"proxy_has_no_target"}');
      return;
    }
    const target = new URL(path, proxy.target);
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    target: undefined,
    faulted: 0,
    failNext(path, fault, times = 1) {
      faults.push({ path, fault, remaining: times });
    },
    async close() {
      if (!server.listening) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

/** A port on 127.0.0.1 where nothing listens: connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------------

/** The private messages one command got on its response_url (that Slack accepted), oldest first. */
function privateReplies(h: Harness, responseUrl: string) {
  const id = responseUrl.split('/').pop();
  return h.slack.responseUrlPosts.filter((post) => post.id === id && post.status === 200);
}

async function privateReply(h: Harness, responseUrl: string, index = 0, timeoutMs = 8000): Promise<string> {
  const post = await waitFor(() => privateReplies(h, responseUrl)[index], {
    timeoutMs,
    message: `private reply #${index + 1}`,
  });
  expect(post.body.response_type).toBe('ephemeral');
  return String(post.body.text);
}

/** The reference id in a person's message, which must also be in the log. */
function referenceIn(text: string): string {
  const reference = text.match(/reference `([0-9a-f]+)`/)?.[1];
  expect(reference).toBeDefined();
  return reference ?? '';
}

function logLine(h: Harness, pattern: RegExp): string | undefined {
  return h.logs.find((line) => pattern.test(line));
}

async function boot(options: Parameters<typeof bootApp>[0] = {}): Promise<Harness> {
  const h = await bootApp(options);
  h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
  h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(5) });
  return h;
}

let h: Harness;
const proxies: FaultProxy[] = [];
async function proxy(): Promise<FaultProxy> {
  const started = await startFaultProxy();
  proxies.push(started);
  return started;
}

afterEach(async () => {
  await h?.stop();
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  // Whatever failed, no token, key or signing secret reached the log.
  const log = h.logs.join('\n');
  for (const secret of [TOKEN, h.slack.botToken, h.arcade.apiKey, SIGNING_SECRET]) {
    expect(log).not.toContain(secret);
  }
});

describe('Slack fails', () => {
  it('chat.postMessage 5xx: the person is told privately that Slack is not answering, with a reference', async () => {
    h = await boot();
    h.slack.failNext('chat.postMessage', { status: 503, body: 'upstream unavailable' });
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Slack isn't answering.*try `\/inbox` again/i);
    const reference = referenceIn(text);
    expect(
      logLine(h, new RegExp(`WARN .*/inbox failed for U0001 \\[ref ${reference}\\].*Slack is unavailable`)),
    ).toBeDefined();
    expect(h.slack.messages).toHaveLength(0);
  });

  it('chat.postMessage 429 with Retry-After: waited out, and the summary arrives once', async () => {
    // Production's Slack retry budget: the SDK waits out a 429 only when it may retry (FAST_TUNING has 0).
    h = await boot({ tuning: { slackRetry: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 } } });
    h.slack.failNext('chat.postMessage', { status: 429, headers: { 'Retry-After': '1' } });
    const started = Date.now();
    const { responseUrl } = await h.command();
    const posted = await waitFor(() => h.slack.messages[0], { timeoutMs: 8000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(messageLinks(posted.blocks)).toHaveLength(5);
    expect(h.slack.messages).toHaveLength(1);
    expect(privateReplies(h, responseUrl)).toHaveLength(0);
    expect(logLine(h, /API Call failed due to rate limiting\. Will retry in 1 seconds/)).toBeDefined();
    // The log line follows Slack's answer, which can come a moment after the message is recorded.
    await waitFor(() => logLine(h, /summary of 5 message\(s\) for U0001 delivered via channel/));
  });

  it('chat.postMessage invalid_auth: the person is told the app is misconfigured', async () => {
    h = await boot();
    h.slack.failNext('chat.postMessage', { body: { ok: false, error: 'invalid_auth' } });
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/misconfigured.*tell your Slack admin.*reinstall the app/i);
    expect(logLine(h, /WARN .*\/inbox failed for U0001.*MisconfiguredError.*invalid_auth/)).toBeDefined();
  });

  it('Web API refusing connections: the person is told privately through the reply link', async () => {
    const slackApi = await proxy();
    h = await boot({ env: { SLACK_API_URL: `${slackApi.url}/api/` } });
    slackApi.target = new URL(h.slack.apiUrl).origin;
    await slackApi.close();
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Slack isn't answering/);
    expect(logLine(h, /WARN .*\/inbox failed for U0001.*Slack is unavailable/)).toBeDefined();
  });

  it('Web API dropping the connection mid-request: the person is told privately', async () => {
    const slackApi = await proxy();
    h = await boot({ env: { SLACK_API_URL: `${slackApi.url}/api/` } });
    slackApi.target = new URL(h.slack.apiUrl).origin;
    slackApi.failNext(/chat\.postMessage/, 'drop');
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Slack isn't answering/);
    expect(slackApi.faulted).toBe(1);
    expect(logLine(h, /WARN .*\/inbox failed for U0001.*Slack is unavailable/)).toBeDefined();
  });

  it('Web API answering malformed JSON: the person gets an apology with a reference', async () => {
    const slackApi = await proxy();
    h = await boot({ env: { SLACK_API_URL: `${slackApi.url}/api/` } });
    slackApi.target = new URL(h.slack.apiUrl).origin;
    slackApi.failNext(/chat\.postMessage/, 'malformed');
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Slack isn't answering|something went wrong/);
    referenceIn(text);
    expect(logLine(h, /\/inbox failed for U0001/)).toBeDefined();
  });

  it('reply link expired while a failure is being told: the person gets it by direct message', async () => {
    h = await boot();
    h.gmail.failNext('list', { status: 503 }, 10);
    h.slack.expireResponseUrls();
    const responseUrl = h.slack.newResponseUrl();
    h.slack.expireResponseUrls();
    await h.command({ response_url: responseUrl });
    const dm = await waitFor(() => h.slack.messages.find((m) => m.channel === 'U0001'));
    expect(dm.text).toMatch(/Gmail isn't answering/);
    expect(h.slack.messages.filter((m) => m.channel === 'C0001')).toHaveLength(0);
    expect(logLine(h, /WARN .*\/inbox failed for U0001.*Gmail is unavailable/)).toBeDefined();
  });

  it('Slack unreachable altogether (Web API and reply link): nothing can be told; logged; the app stays up', async () => {
    const slackApi = await proxy();
    h = await boot({ env: { SLACK_API_URL: `${slackApi.url}/api/` } });
    slackApi.target = new URL(h.slack.apiUrl).origin;
    await slackApi.close();
    h.slack.failNext('response_url', { status: 503 }, 5);
    await h.command();
    const line = await waitFor(() => logLine(h, /ERROR .*could not tell U0001 about failure/));
    expect(line).toMatch(/Slack is unavailable/);
    const health = await fetch(`http://127.0.0.1:${h.port}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('Arcade fails', () => {
  it('authorize 403: the person is told the app is misconfigured', async () => {
    h = await boot();
    h.arcade.failNext('authorize', { status: 403 });
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/misconfigured: Arcade rejected its API key.*tell your Slack admin/);
    expect(logLine(h, /WARN .*ArcadeKeyRejectedError.*HTTP 403/)).toBeDefined();
    expect(h.gmail.calls).toHaveLength(0);
  });

  it('authorize 404: an apology with a reference, logged as unexpected with the reference', async () => {
    h = await boot();
    h.arcade.failNext('authorize', { status: 404 });
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Sorry, something went wrong/);
    const reference = referenceIn(text);
    expect(logLine(h, new RegExp(`ERROR .*\\[ref ${reference}\\].*NotFoundError`))).toBeDefined();
  });

  it('authorize 429 with Retry-After: the person is told when to try again', async () => {
    h = await boot();
    h.arcade.failNext('authorize', { status: 429, headers: { 'Retry-After': '30' } });
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl)).toMatch(/Arcade is limiting requests.*about 30 seconds/);
    expect(logLine(h, /WARN .*RateLimitedError.*Arcade is rate limiting \(retry after 30s\)/)).toBeDefined();
  });

  it('authorize refused (nothing listening): Arcade is not answering', async () => {
    h = await boot({ env: { ARCADE_BASE_URL: `http://127.0.0.1:${await closedPort()}` } });
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Arcade isn't answering.*try `\/inbox` again/i);
    const reference = referenceIn(text);
    expect(logLine(h, new RegExp(`WARN .*\\[ref ${reference}\\].*Arcade is unavailable`))).toBeDefined();
  });

  it('authorize connection dropped: Arcade is not answering', async () => {
    const arcadeApi = await proxy();
    h = await boot({ env: { ARCADE_BASE_URL: arcadeApi.url } });
    arcadeApi.target = h.arcade.baseUrl;
    arcadeApi.failNext(/\/v1\/auth\/authorize/, 'drop');
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl)).toMatch(/Arcade isn't answering/);
    expect(logLine(h, /WARN .*\/inbox failed for U0001.*Arcade is unavailable/)).toBeDefined();
  });

  describe('during a pending consent (status long-poll)', () => {
    async function pending(env: Record<string, string> = {}) {
      const harness = await bootApp({ env });
      harness.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(3) });
      return harness;
    }

    it('401: the wait stops and the person is told the app is misconfigured', async () => {
      h = await pending();
      h.arcade.failNext('status', { status: 401 });
      const { responseUrl } = await h.command();
      expect(await privateReply(h, responseUrl, 0)).toMatch(/Connect Gmail/);
      expect(await privateReply(h, responseUrl, 1)).toMatch(/misconfigured: Arcade rejected its API key/);
      await waitFor(() => h.app.pendingConsents === 0);
      expect(logLine(h, /consent for slack:T0001:U0001 ended: error/)).toBeDefined();
    });

    it('429 with Retry-After: the wait goes on after the pause, and the summary arrives', async () => {
      h = await pending();
      h.arcade.failNext('status', { status: 429, headers: { 'Retry-After': '1' } });
      const { responseUrl } = await h.command();
      await privateReply(h, responseUrl, 0);
      await waitFor(() => h.arcade.statusPolls() >= 2, { timeoutMs: 5000 });
      h.arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });
      const posted = await waitFor(() => h.slack.messages[0]);
      expect(messageLinks(posted.blocks)).toHaveLength(3);
      expect(
        logLine(h, /WARN .*consent status check failed \(attempt 1\); retrying in 1000 ms/),
      ).toBeDefined();
    });

    it('404 (Arcade forgot the flow): the person is told the link expired', async () => {
      h = await pending();
      h.arcade.failNext('status', { status: 404 });
      const { responseUrl } = await h.command();
      await privateReply(h, responseUrl, 0);
      expect(await privateReply(h, responseUrl, 1)).toMatch(/link expired.*Run `\/inbox` again/);
      expect(logLine(h, /consent for slack:T0001:U0001 ended: expired/)).toBeDefined();
    });

    it('connection dropped twice: the wait goes on, and the summary arrives', async () => {
      const arcadeApi = await proxy();
      h = await pending({ ARCADE_BASE_URL: arcadeApi.url });
      arcadeApi.target = h.arcade.baseUrl;
      arcadeApi.failNext(/\/v1\/auth\/status/, 'drop', 2);
      const { responseUrl } = await h.command();
      await privateReply(h, responseUrl, 0);
      await waitFor(() => arcadeApi.faulted === 2 && h.arcade.statusPolls() >= 1);
      h.arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });
      await waitFor(() => h.slack.messages[0]);
      expect(privateReplies(h, responseUrl)[1]?.body.text).toMatch(/connected/i);
      expect(h.logs.filter((line) => /consent status check failed/.test(line))).toHaveLength(2);
    });
  });
});

describe('Gmail fails', () => {
  it('403 rateLimitExceeded that does not clear: the person is told to try again in a minute', async () => {
    h = await boot();
    h.gmail.failNext('list', { status: 403, reason: 'rateLimitExceeded' }, 10);
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl)).toMatch(/Gmail is limiting requests.*in a minute/);
    expect(h.gmail.calls.filter((c) => c.path.endsWith('/messages'))).toHaveLength(4);
    expect(logLine(h, /WARN .*RateLimitedError.*Gmail is rate limiting/)).toBeDefined();
  });

  it('404 on the list itself (not on a message): Gmail failed, with a reference and the detail in the log', async () => {
    h = await boot();
    h.gmail.failNext('list', { status: 404 });
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Gmail isn't answering right now/);
    const reference = referenceIn(text);
    expect(logLine(h, new RegExp(`WARN .*\\[ref ${reference}\\].*Gmail answered 404`))).toBeDefined();
  });

  it('5xx on the message reads (not the list): retried, then Gmail is not answering', async () => {
    h = await boot();
    h.gmail.failNext('get', { status: 500 }, 100);
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl)).toMatch(/Gmail isn't answering/);
    expect(logLine(h, /WARN .*Gmail is unavailable: HTTP 500/)).toBeDefined();
    expect(h.slack.messages).toHaveLength(0);
  });

  it('refused (nothing listening): retried, then Gmail is not answering', async () => {
    h = await boot({ env: { GMAIL_API_URL: `http://127.0.0.1:${await closedPort()}/` } });
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Gmail isn't answering/);
    const reference = referenceIn(text);
    expect(logLine(h, new RegExp(`WARN .*\\[ref ${reference}\\].*Gmail is unavailable`))).toBeDefined();
  });

  it('connection dropped before an answer, once: retried, and the summary arrives', async () => {
    const gmailApi = await proxy();
    h = await boot({ env: { GMAIL_API_URL: `${gmailApi.url}/` } });
    gmailApi.target = new URL(h.gmail.rootUrl).origin;
    gmailApi.failNext(/\/messages\?/, 'drop');
    const { responseUrl } = await h.command();
    const posted = await waitFor(() => h.slack.messages[0]);
    expect(messageLinks(posted.blocks)).toHaveLength(5);
    expect(privateReplies(h, responseUrl)).toHaveLength(0);
    expect(gmailApi.faulted).toBe(1);
  });

  it('connection dropped every time: Gmail is not answering', async () => {
    const gmailApi = await proxy();
    h = await boot({ env: { GMAIL_API_URL: `${gmailApi.url}/` } });
    gmailApi.target = new URL(h.gmail.rootUrl).origin;
    gmailApi.failNext(/\/messages\?/, 'drop', 10);
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl)).toMatch(/Gmail isn't answering/);
    expect(gmailApi.faulted).toBe(4);
    expect(logLine(h, /WARN .*\/inbox failed for U0001.*Gmail is unavailable/)).toBeDefined();
  });

  it('answer cut off mid-body every time: Gmail is not answering', async () => {
    const gmailApi = await proxy();
    h = await boot({ env: { GMAIL_API_URL: `${gmailApi.url}/` } });
    gmailApi.target = new URL(h.gmail.rootUrl).origin;
    gmailApi.failNext(/\/messages\?/, 'cut', 10);
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl)).toMatch(/Gmail isn't answering/);
    expect(logLine(h, /WARN .*\/inbox failed for U0001.*Gmail is unavailable/)).toBeDefined();
  });

  it('malformed JSON with a 200: never shown as an empty inbox; Gmail is not answering', async () => {
    const gmailApi = await proxy();
    h = await boot({ env: { GMAIL_API_URL: `${gmailApi.url}/` } });
    gmailApi.target = new URL(h.gmail.rootUrl).origin;
    gmailApi.failNext(/\/messages\?/, 'malformed', 10);
    const { responseUrl } = await h.command();
    await waitFor(() => h.slack.messages.length > 0 || privateReplies(h, responseUrl).length > 0);
    // A mailbox with five messages must not be reported as empty because Gmail's answer was garbage.
    expect(h.slack.messages.map((m) => m.text)).toEqual([]);
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Gmail isn't answering/);
    const reference = referenceIn(text);
    expect(
      logLine(
        h,
        new RegExp(
          `WARN .*\\[ref ${reference}\\].*Gmail is unavailable: unreadable answer to messages\\.list`,
        ),
      ),
    ).toBeDefined();
  });
});

/**
 * Answers slower than the app's own deadlines (30 s in production: the Arcade SDK's timeout and the
 * Gmail per-summary deadline), shortened here through the tuning so that these run in every suite.
 * Slack has no deadline at all (WebClient timeout 0; undici's default 300 s headers timeout is the
 * only bound), so it has no row here: see docs/reliability.md.
 */
describe('answers slower than the deadline (deadlines of 1.5 s here, 30 s in production)', () => {
  const deadlines = { tuning: { arcadeTimeoutMs: 1_500, gmailTimeoutMs: 1_500 } };

  it('Arcade authorize slower than its deadline: Arcade is not answering', async () => {
    h = await boot(deadlines);
    h.arcade.delayMs = 4_000;
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl, 0, 8_000)).toMatch(/Arcade isn't answering/);
    expect(logLine(h, /WARN .*\/inbox failed for U0001.*Arcade is unavailable/)).toBeDefined();
  }, 20_000);

  it('Gmail slower than its deadline: Gmail is not answering', async () => {
    h = await boot(deadlines);
    h.gmail.delayMs = 4_000;
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl, 0, 8_000)).toMatch(/Gmail isn't answering/);
    expect(
      logLine(h, /WARN .*\/inbox failed for U0001.*Gmail is unavailable: no answer within 1500 ms/),
    ).toBeDefined();
  }, 20_000);
});
