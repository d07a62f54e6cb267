/**
 * A stand-in for the Gmail REST API (gmail.googleapis.com), speaking the wire format the real
 * `@googleapis/gmail` client expects: messages.list / messages.get / getProfile with Bearer tokens
 * and Google's error envelope. See ../shared/reference/gmail.md §0, §2, §3, §4, §11.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { requestUrl, sendJson, startServer } from './http-server';

/** A message as the stand-in stores it; `snippet` as Gmail sends it (HTML-entity-escaped). */
export interface FakeMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  snippet: string;
  /** Epoch milliseconds, as a string (Gmail's type). */
  internalDate: string;
  /** RFC 2822 headers in message order; duplicates allowed. */
  headers: { name: string; value: string }[];
  sizeEstimate?: number;
}

/** One request as received, with the status it was answered with (0 while in flight). */
export interface GmailCall {
  method: string;
  path: string;
  /** The query string exactly as sent, without `?` (to assert `%20`, repeated params). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  at: number;
  status: number;
}

/** An error to answer instead of the result. Without `body`, Google's envelope is built from the rest. */
export interface GmailFault {
  status: number;
  reason?: string;
  message?: string;
  /** Sent as the `Retry-After` header. */
  retryAfter?: string;
  /** Sent verbatim instead of the built envelope. */
  body?: unknown;
}

/** The operations that take injected faults. */
export type GmailOp = 'list' | 'get' | 'profile';

/** The running stand-in and its test hooks. */
export interface GmailStandIn {
  /** `http://127.0.0.1:PORT/`: pass as the client's `rootUrl`. */
  rootUrl: string;
  /** Registers a mailbox; `token` is the Bearer access token that opens it. */
  addMailbox(token: string, mailbox: { email: string; messages: FakeMessage[] }): void;
  /** Tokens answered with 403 insufficientPermissions / ACCESS_TOKEN_SCOPE_INSUFFICIENT on every call. */
  insufficientScope: Set<string>;
  /** The message is deleted right after the next messages.list answer: its get then answers 404. */
  deleteAfterList(messageId: string): void;
  /** Answers the next `times` (default 1) authenticated calls of `op` with `fault`. */
  failNext(op: GmailOp, fault: GmailFault, times?: number): void;
  calls: GmailCall[];
  /** The most requests seen in flight at once (to check a concurrency cap). */
  readonly maxInFlight: number;
  /** Added before every answer; may be changed at any time. */
  delayMs: number;
  readonly tcpConnections: number;
  close(): Promise<void>;
}

interface Mailbox {
  email: string;
  messages: FakeMessage[];
  deleted: Set<string>;
}

const JSON_UTF8 = 'application/json; charset=UTF-8';
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'dailyLimitExceeded']);
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
const DEFAULTS: Record<number, { reason: string; message: string }> = {
  400: { reason: 'invalidArgument', message: 'Invalid argument' },
  401: { reason: 'authError', message: 'Invalid Credentials' },
  403: { reason: 'forbidden', message: 'Forbidden' },
  404: { reason: 'notFound', message: 'Requested entity was not found.' },
  429: { reason: 'rateLimitExceeded', message: 'Too many concurrent requests for user' },
  500: { reason: 'backendError', message: 'Backend Error' },
  503: { reason: 'backendError', message: 'The service is currently unavailable.' },
};
const QUOTA_MESSAGE =
  "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service " +
  "'gmail.googleapis.com' for consumer 'project_number:000000000000'.";

/**
 * Google's error envelope for `status`, as Gmail sends it: `{error:{code, message, errors[], status}}`,
 * plus an ErrorInfo `details` entry for rate limits. Defaults per status when reason/message are omitted.
 */
export function googleErrorBody(status: number, reason?: string, message?: string): { error: object } {
  const fallback = DEFAULTS[status] ?? { reason: 'backendError', message: 'Backend Error' };
  const why = reason ?? fallback.reason;
  const rateLimited = RATE_LIMIT_REASONS.has(why);
  const text = message ?? (rateLimited && status === 403 ? QUOTA_MESSAGE : fallback.message);
  const error: Record<string, unknown> = {
    code: status,
    message: text,
    errors: [{ message: text, domain: rateLimited ? 'usageLimits' : 'global', reason: why }],
    status: STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'UNKNOWN'),
  };
  if (rateLimited) {
    error.details = [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: {
          quota_limit: 'defaultPerMinutePerUser',
          quota_limit_value: '15000',
          quota_metric: 'gmail.googleapis.com/default',
          service: 'gmail.googleapis.com',
          consumer: 'projects/000000000000',
        },
      },
    ];
  }
  return { error };
}

/** Starts the stand-in with no mailboxes. */
export async function startGmailStandIn(): Promise<GmailStandIn> {
  const mailboxes = new Map<string, Mailbox>();
  const deleteQueue = new Set<string>();
  const faults: { op: GmailOp; fault: GmailFault; remaining: number }[] = [];
  const calls: GmailCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const server = await startServer(handle);
  const standIn: GmailStandIn = {
    rootUrl: `${server.url}/`,
    addMailbox(token, mailbox) {
      mailboxes.set(token, { ...mailbox, deleted: new Set() });
    },
    insufficientScope: new Set(),
    deleteAfterList(messageId) {
      deleteQueue.add(messageId);
    },
    failNext(op, fault, times = 1) {
      faults.push({ op, fault, remaining: times });
    },
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    delayMs: 0,
    get tcpConnections() {
      return server.tcpConnections;
    },
    close: () => server.close(),
  };
  return standIn;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const query = raw.indexOf('?');
    const call: GmailCall = {
      method: req.method ?? 'GET',
      path: query < 0 ? raw : raw.slice(0, query),
      rawQuery: query < 0 ? '' : raw.slice(query + 1),
      headers: req.headers,
      at: Date.now(),
      status: 0,
    };
    calls.push(call);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => {
      inFlight -= 1;
    });
    req.resume();
    if (standIn.delayMs > 0) await server.pause(standIn.delayMs).done;
    if (server.closed) return;

    const answer = respond(req, call.path, requestUrl(req).searchParams);
    call.status = answer.status;
    sendJson(res, answer.status, answer.body, answer.headers, JSON_UTF8);
  }

  function respond(req: IncomingMessage, path: string, params: URLSearchParams): Answer {
    const route = /^\/gmail\/v1\/users\/([^/]+)\/(messages|profile)(?:\/([^/]+))?$/.exec(path);
    const op = opOf(req.method, route);
    if (!route || !op) return error(404, 'notFound', `No stand-in route for ${req.method} ${path}`);

    const header = req.headers.authorization;
    const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
    if (token === undefined) return credentialsMissing(op);
    if (standIn.insufficientScope.has(token)) return insufficientScope(op);
    const mailbox = mailboxes.get(token);
    if (!mailbox) return invalidCredentials();
    const userId = decodeURIComponent(route[1] ?? '');
    if (userId !== 'me' && userId.toLowerCase() !== mailbox.email.toLowerCase()) {
      return error(403, 'forbidden', `Delegation denied for ${mailbox.email}`);
    }

    const queued = faults.find((entry) => entry.op === op);
    if (queued) {
      queued.remaining -= 1;
      if (queued.remaining <= 0) faults.splice(faults.indexOf(queued), 1);
      return faultAnswer(queued.fault);
    }
    if (op === 'list') return list(mailbox, params);
    if (op === 'get') return get(mailbox, decodeURIComponent(route[3] ?? ''), params);
    return { status: 200, body: profile(mailbox) };
  }

  function list(mailbox: Mailbox, params: URLSearchParams): Answer {
    const maxResults = Number(params.get('maxResults') ?? 100);
    if (!Number.isInteger(maxResults) || maxResults < 0) {
      return error(400, 'invalidArgument', `Invalid value for maxResults: ${params.get('maxResults')}`);
    }
    const pageSize = Math.min(maxResults || 100, 500);
    const pageToken = params.get('pageToken') || undefined;
    const offset = pageToken === undefined ? 0 : decodePageToken(pageToken);
    if (offset === undefined) return error(400, 'invalidArgument', 'Invalid pageToken');

    const labelIds = params.getAll('labelIds');
    const q = params.get('q') ?? '';
    const spamTrash =
      params.get('includeSpamTrash') === 'true' ||
      labelIds.some((label) => label === 'SPAM' || label === 'TRASH') ||
      /\b(in|label):(spam|trash)\b/i.test(q);
    const terms = parseQuery(q);
    const matches = visible(mailbox)
      .filter(
        (message) => spamTrash || !message.labelIds.some((label) => label === 'SPAM' || label === 'TRASH'),
      )
      .filter((message) => labelIds.every((label) => message.labelIds.includes(label)))
      .filter((message) => terms.every((term) => matchesTerm(message, term) !== term.negate))
      .sort((a, b) => Number(b.internalDate) - Number(a.internalDate));
    const page = matches.slice(offset, offset + pageSize);

    for (const id of deleteQueue) {
      if (mailbox.messages.some((message) => message.id === id)) {
        mailbox.deleted.add(id);
        deleteQueue.delete(id);
      }
    }
    if (page.length === 0) return { status: 200, body: { resultSizeEstimate: 0 } };
    const body: Record<string, unknown> = {
      messages: page.map(({ id, threadId }) => ({ id, threadId })),
    };
    if (offset + pageSize < matches.length) body.nextPageToken = encodePageToken(offset + pageSize);
    body.resultSizeEstimate = matches.length;
    return { status: 200, body };
  }

  function get(mailbox: Mailbox, id: string, params: URLSearchParams): Answer {
    const message = visible(mailbox).find((candidate) => candidate.id === id);
    if (!message) return error(404, 'notFound', 'Requested entity was not found.');
    const format = (params.get('format') ?? 'full').toLowerCase();
    if (!['minimal', 'full', 'raw', 'metadata'].includes(format)) {
      return error(400, 'invalidArgument', `Invalid value at 'format' (${params.get('format')})`);
    }
    const body: Record<string, unknown> = {
      id: message.id,
      threadId: message.threadId,
      labelIds: message.labelIds,
      snippet: message.snippet,
      sizeEstimate: message.sizeEstimate ?? 1024 + JSON.stringify(message.headers).length,
      historyId: historyIdOf(mailbox, message),
      internalDate: message.internalDate,
    };
    if (format === 'metadata') {
      const wanted = params.getAll('metadataHeaders').map((name) => name.toLowerCase());
      const headers = wanted.length
        ? message.headers.filter((header) => wanted.includes(header.name.toLowerCase()))
        : message.headers;
      body.payload = { mimeType: 'multipart/alternative', headers };
    } else if (format === 'full') {
      body.payload = fullPayload(message);
    } else if (format === 'raw') {
      body.raw = base64url(rawMessage(message));
    }
    return { status: 200, body };
  }
}

/** Which operation a matched path is (`route` groups: userId, 'messages'|'profile', message id). */
function opOf(method: string | undefined, route: RegExpExecArray | null): GmailOp | undefined {
  if (method !== 'GET' || !route) return undefined;
  if (route[2] === 'profile') return route[3] === undefined ? 'profile' : undefined;
  return route[3] === undefined ? 'list' : 'get';
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function error(status: number, reason: string, message: string): Answer {
  return { status, body: googleErrorBody(status, reason, message) };
}

function faultAnswer(fault: GmailFault): Answer {
  const headers = fault.retryAfter === undefined ? undefined : { 'Retry-After': fault.retryAfter };
  return {
    status: fault.status,
    body: fault.body ?? googleErrorBody(fault.status, fault.reason, fault.message),
    headers,
  };
}

const METHODS: Record<GmailOp, string> = { list: 'ListMessages', get: 'GetMessage', profile: 'GetProfile' };
const REALM = 'Bearer realm="https://accounts.google.com/"';

/** 401 without an Authorization header, as Google sends it (with an ErrorInfo detail). */
function credentialsMissing(op: GmailOp): Answer {
  const body = googleErrorBody(
    401,
    'required',
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  );
  Object.assign(body.error, {
    errors: [
      {
        message: 'Login Required.',
        domain: 'global',
        reason: 'required',
        location: 'Authorization',
        locationType: 'header',
      },
    ],
    details: [errorInfo('CREDENTIALS_MISSING', op)],
  });
  return { status: 401, body, headers: { 'WWW-Authenticate': REALM } };
}

/** 401 for an unknown or expired token. */
function invalidCredentials(): Answer {
  const body = googleErrorBody(
    401,
    'authError',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  );
  Object.assign(body.error, {
    errors: [
      {
        message: 'Invalid Credentials',
        domain: 'global',
        reason: 'authError',
        location: 'Authorization',
        locationType: 'header',
      },
    ],
  });
  return { status: 401, body, headers: { 'WWW-Authenticate': `${REALM}, error="invalid_token"` } };
}

/** 403 for a token granted without a Gmail read scope. */
function insufficientScope(op: GmailOp): Answer {
  const body = googleErrorBody(
    403,
    'insufficientPermissions',
    'Request had insufficient authentication scopes.',
  );
  Object.assign(body.error, {
    errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }],
    details: [errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', op)],
  });
  const scope = 'https://www.googleapis.com/auth/gmail.readonly';
  return {
    status: 403,
    body,
    headers: { 'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"` },
  };
}

function errorInfo(reason: string, op: GmailOp): object {
  return {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason,
    domain: 'googleapis.com',
    metadata: { service: 'gmail.googleapis.com', method: `caribou.api.proto.MailboxService.${METHODS[op]}` },
  };
}

function visible(mailbox: Mailbox): FakeMessage[] {
  return mailbox.messages.filter((message) => !mailbox.deleted.has(message.id));
}

function profile(mailbox: Mailbox): object {
  const messages = visible(mailbox);
  return {
    emailAddress: mailbox.email,
    messagesTotal: messages.length,
    threadsTotal: new Set(messages.map((message) => message.threadId)).size,
    historyId: String(100_000 + mailbox.messages.length),
  };
}

/** A stable, increasing-with-position history id (Gmail's are decimal strings). */
function historyIdOf(mailbox: Mailbox, message: FakeMessage): string {
  return String(100_000 + mailbox.messages.indexOf(message) + 1);
}

function headerValue(message: FakeMessage, name: string): string {
  return message.headers
    .filter((header) => header.name.toLowerCase() === name)
    .map((header) => header.value)
    .join(' ');
}

/** The body text `format=full`/`raw` reveal: a test that sees it knows the app asked for bodies. */
export const FAKE_BODY_TEXT = 'STAND-IN BODY: format=full was requested; the app should only read metadata.';

function fullPayload(message: FakeMessage): object {
  const text = Buffer.from(FAKE_BODY_TEXT);
  return {
    partId: '',
    mimeType: 'multipart/alternative',
    filename: '',
    headers: message.headers,
    body: { size: 0 },
    parts: [
      {
        partId: '0',
        mimeType: 'text/plain',
        filename: '',
        headers: [{ name: 'Content-Type', value: 'text/plain; charset="UTF-8"' }],
        body: { size: text.length, data: base64url(text.toString()) },
      },
    ],
  };
}

function rawMessage(message: FakeMessage): string {
  const head = message.headers.map((header) => `${header.name}: ${header.value}`).join('\r\n');
  return `${head}\r\nContent-Type: text/plain; charset="UTF-8"\r\n\r\n${FAKE_BODY_TEXT}\r\n`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function encodePageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodePageToken(token: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return match ? Number(match[1]) : undefined;
}

/** One search term: `[-][op:]value`, value lower-cased, quotes removed. */
interface Term {
  negate: boolean;
  op?: string;
  value: string;
}

/** Splits a Gmail search into terms; `OR`, `AND` and braces are not supported and are dropped. */
function parseQuery(q: string): Term[] {
  const terms: Term[] = [];
  // Parentheses group terms (a digest's `after:N (search)`); read here as plain AND, which is
  // what a group without OR means.
  const ungrouped = q.replace(/(^|\s)\(|\)(?=\s|$)/g, '$1 ');
  for (const match of ungrouped.matchAll(/(-?)(?:([a-z_]+):)?(?:"([^"]*)"|(\S+))/gi)) {
    const value = (match[3] ?? match[4] ?? '').toLowerCase();
    if (!match[2] && /^(or|and|[{}()])$/i.test(value)) continue;
    terms.push({ negate: match[1] === '-', op: match[2]?.toLowerCase(), value });
  }
  return terms;
}

const DAY = 86_400_000;
const UNITS: Record<string, number> = { h: DAY / 24, d: DAY, w: 7 * DAY, m: 30 * DAY, y: 365 * DAY };
const IN_LABELS: Record<string, string> = {
  inbox: 'INBOX',
  spam: 'SPAM',
  trash: 'TRASH',
  sent: 'SENT',
  draft: 'DRAFT',
  drafts: 'DRAFT',
  starred: 'STARRED',
  important: 'IMPORTANT',
};

/**
 * Whether `message` matches one term (ignoring `negate`). The small subset of Gmail search the
 * tests need; unknown operators match everything, as Gmail is lenient.
 */
function matchesTerm(message: FakeMessage, term: Term): boolean {
  const { op, value } = term;
  const hasLabel = (label: string): boolean => message.labelIds.some((id) => id.toLowerCase() === label);
  const header = (name: string): boolean => headerValue(message, name).toLowerCase().includes(value);
  const at = Number(message.internalDate);
  switch (op) {
    case undefined:
      return header('subject') || header('from') || message.snippet.toLowerCase().includes(value);
    case 'is':
      if (value === 'read') return !hasLabel('unread');
      return hasLabel(IN_LABELS[value]?.toLowerCase() ?? value);
    case 'in':
      return value === 'anywhere' || hasLabel((IN_LABELS[value] ?? value).toLowerCase());
    case 'label':
      return hasLabel(value);
    case 'from':
    case 'to':
    case 'cc':
    case 'subject':
      return header(op);
    case 'newer_than':
    case 'older_than': {
      const match = /^(\d+)([hdwmy])$/.exec(value);
      if (!match) return true;
      const cutoff = Date.now() - Number(match[1]) * (UNITS[match[2] ?? 'd'] ?? DAY);
      return op === 'newer_than' ? at >= cutoff : at < cutoff;
    }
    case 'after':
    case 'before': {
      const cutoff = parseDate(value);
      if (cutoff === undefined) return true;
      return op === 'after' ? at >= cutoff : at < cutoff;
    }
    default:
      return true;
  }
}

/** `after:`/`before:` values: epoch seconds, or YYYY/MM/DD taken as UTC midnight (Gmail uses PST). */
function parseDate(value: string): number | undefined {
  if (/^\d{9,}$/.test(value)) return Number(value) * 1000;
  const match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
}
