import type { IncomingHttpHeaders, IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';

/**
 * A guard in front of Bolt's HTTP receiver for `POST /slack/events`. Bolt reads up to 4 MiB of any
 * body before it checks the signature, and accepts timestamps from the future. This refuses, before
 * reading the body, any request whose signature headers are missing or whose timestamp is more than
 * five minutes from now either way (Slack's rule), and any body over the limit with a 413, closing
 * the connection instead of reading the rest. Whatever passes is read here (bounded) and handed to
 * Bolt already buffered, where the signature is checked as before.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 * https://github.com/slackapi/bolt-js/pull/3057 (bodyLimit: Bolt buffers before verifying)
 */

/**
 * Slack's payloads are small: a slash command is under 1 KB, and the largest interaction this app
 * can receive, a click on one of its own messages (≤ 12,000 characters of blocks, which Slack echoes
 * back URL-encoded), measures about 18 KB (test/integration/request-guard.test.ts). 64 KiB leaves
 * room for Slack's own additions; Bolt's default, 4 MiB, is for apps with no idea of their payloads.
 */
export const SLACK_EVENTS_BODY_LIMIT = 64 * 1024;
/** An unsigned request can only be Slack's `ssl_check=1&token=…`, a few dozen bytes. */
export const UNSIGNED_BODY_LIMIT = 1024;
/** Slack: reject a request whose timestamp is more than five minutes from local time. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** Open connections the HTTP port accepts at once; more are dropped as they arrive. */
export const MAX_CONNECTIONS = 1024;

/** Node server options for the HTTP port: a slow sender is cut off in seconds, not Node's 300 s. */
export const HTTP_SERVER_OPTIONS: ServerOptions = {
  headersTimeout: 5_000,
  requestTimeout: 10_000,
  keepAliveTimeout: 5_000,
  // How often Node checks those timeouts (default 30 s, which would make them 30 s at best).
  connectionsCheckingInterval: 1_000,
};

/** What the guard has refused and read, for tests and logs. */
export interface GuardStats {
  refusedTooLarge: number;
  refusedBadTimestamp: number;
  /** Body bytes read from requests that were refused for their size. */
  bytesReadFromRefused: number;
}

/**
 * Why the headers alone refuse a request, or undefined. Pure: `nowSeconds` is the clock.
 * Signed: both headers present and the timestamp within the window either way.
 */
export function headerRefusal(
  headers: IncomingHttpHeaders,
  nowSeconds: number,
): { status: 401 | 413; reason: string } | undefined {
  const signature = headers['x-slack-signature'];
  const timestamp = headers['x-slack-request-timestamp'];
  const declared = Number(headers['content-length']);
  if (signature === undefined && timestamp === undefined) {
    if (declared > UNSIGNED_BODY_LIMIT) return { status: 413, reason: 'unsigned body too large' };
    return undefined;
  }
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp))
    return { status: 401, reason: 'malformed timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS)
    return { status: 401, reason: 'timestamp more than five minutes from now' };
  if (declared > SLACK_EVENTS_BODY_LIMIT) return { status: 413, reason: 'body too large' };
  return undefined;
}

/** Installs the guard on the receiver's `/slack/events` path; returns its counters. */
export function guardSlackEvents(
  receiver: HTTPReceiver,
  options: { path: string; now?: () => number },
): GuardStats {
  const now = options.now ?? Date.now;
  const stats: GuardStats = { refusedTooLarge: 0, refusedBadTimestamp: 0, bytesReadFromRefused: 0 };
  const inner = receiver.requestListener;

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number) => {
    if (status === 413) stats.refusedTooLarge += 1;
    else stats.refusedBadTimestamp += 1;
    if (res.headersSent) return;
    res.writeHead(status, { Connection: 'close', 'Content-Length': '0' });
    // The rest of the body is never read: the connection is closed once the answer is out.
    res.end(() => {
      if (!req.complete) req.socket.destroy();
    });
  };

  receiver.requestListener = (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== options.path) return inner(req, res);
    const refusal = headerRefusal(req.headers, Math.floor(now() / 1000));
    if (refusal) return refuse(req, res, refusal.status);
    const signed = req.headers['x-slack-signature'] !== undefined;
    const limit = signed ? SLACK_EVENTS_BODY_LIMIT : UNSIGNED_BODY_LIMIT;
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stats.bytesReadFromRefused += size;
        req.off('data', onData);
        req.pause();
        refuse(req, res, 413);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (size > limit) return;
      // Bolt takes a request that already carries `rawBody` as read, and verifies it as usual.
      Object.assign(req, { rawBody: Buffer.concat(chunks, size) });
      try {
        inner(req, res);
      } catch {
        if (!res.headersSent) res.writeHead(500).end();
      }
    });
    req.once('error', () => req.socket.destroy());
  };
  return stats;
}
