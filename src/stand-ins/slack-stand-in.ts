/**
 * A stand-in for Slack that the real SDKs talk to over real HTTP and WebSocket on 127.0.0.1: the Web API
 * (`POST /api/<method>`), `response_url`s (`POST /commands/<id>`) and Socket Mode (`/socket`).
 * Wire facts: ../../../shared/reference/slack.md, sections 3 (response_url), 4 (Web API) and 6 (Socket Mode).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

/** One Web API call as it arrived. */
export interface RecordedCall {
  method: string;
  /** The form (or JSON) body decoded; the JSON-encoded fields `blocks` and `attachments` parsed back to arrays. */
  params: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  at: number;
}

/** One POST to a `response_url`, whatever the answer was (`status`: 200, a fault's status, 400 or 404). */
export interface ResponseUrlPost {
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: an arbitrary message payload that tests pick apart freely
  body: Record<string, any>;
  at: number;
  status: number;
}

/** A message the bot actually posted (successful `chat.postMessage`), updated in place by `chat.update`. */
export interface PostedMessage {
  channel: string;
  ts: string;
  text?: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sent it
  blocks?: any[];
  via: 'chat.postMessage' | 'chat.update';
  /** Set by `chat.delete`: the message stays in the list (so indexes stay put) but is gone from Slack. */
  deleted?: true;
}

/** An ephemeral message posted with `chat.postEphemeral`: visible to `user` only. */
export interface PostedEphemeral {
  channel: string;
  user: string;
  ts: string;
  text?: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sent it
  blocks?: any[];
}

/**
 * An answer that replaces the normal one, e.g. `{status: 429, headers: {'Retry-After': '1'}}` or
 * `{body: {ok: false, error: 'invalid_auth'}}`. Status defaults to 200; body to `{ok:false,error:'fault'}`
 * (`'ratelimited'` for a 429, as Slack sends). A string body is sent verbatim.
 */
export interface SlackFault {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A workspace member that `users.info` knows. */
export interface StandInUser {
  email?: string;
  name?: string;
  /** `users.info` `is_email_confirmed` (default true). */
  emailConfirmed?: boolean;
  /** `users.info` `tz`, an IANA zone (default America/Los_Angeles, Slack's own default). */
  tz?: string;
}

/**
 * A person as Sign in with Slack reports them (openid.connect.userInfo), and what they do on the
 * authorize page: `allow` (default) sends the code back, `deny` sends `error=access_denied`.
 */
export interface SignInUser {
  userId: string;
  teamId: string;
  enterpriseId?: string;
  email?: string;
  /** Default true. */
  emailVerified?: boolean;
  name?: string;
  teamName?: string;
  decision?: 'allow' | 'deny';
}

/** One visit to the Sign in with Slack authorize page, with its query as sent. */
export interface SignInRequest {
  query: Record<string, string>;
  /** Who was signed in to the stand-in in that browser, if anyone. */
  userId?: string;
  at: number;
}

/** A Home tab the app published with `views.publish`. */
export interface PublishedHomeView {
  userId: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sent it
  view: Record<string, any>;
  at: number;
}

/** The Socket Mode envelope types the app subscribes to. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** Identities and tokens of the stand-in workspace; every field has a default. */
export interface SlackStandInOptions {
  /** Default 'xoxb-test-token'. */
  botToken?: string;
  /** Default 'xapp-test-token'. */
  appToken?: string;
  /** Default 'U0BOT'. */
  botUserId?: string;
  /** Default 'B0BOT'. */
  botId?: string;
  /** Default 'T0001', the team of `slashCommandPayload`'s defaults. */
  teamId?: string;
  /** Default 'A0STANDIN' (sent in Socket Mode's hello). */
  appId?: string;
  users?: Record<string, StandInUser>;
  /** Default true; see {@link SlackStandIn.emailScopeGranted}. */
  emailScopeGranted?: boolean;
  /** The app's OAuth client for Sign in with Slack; default '1111.2222'. */
  oidcClientId?: string;
  /** Default 'oidc-client-secret-0123456789abcdef'. */
  oidcClientSecret?: string;
}

/** A running stand-in Slack; see the module comment. */
export interface SlackStandIn {
  /** 'http://127.0.0.1:PORT/api/', the WebClient `slackApiUrl`. */
  apiUrl: string;
  /** The accepted bot token. */
  botToken: string;
  /** The accepted app-level token, good for `apps.connections.open` only. */
  appToken: string;
  botUserId: string;
  botId: string;
  teamId: string;
  /** Every Web API call, in arrival order. */
  calls: RecordedCall[];
  /** Every POST to a minted `response_url`, in arrival order. */
  responseUrlPosts: ResponseUrlPost[];
  /** Messages actually posted (successful `chat.postMessage`), updated in place by `chat.update`. */
  messages: PostedMessage[];
  /** Messages posted with `chat.postEphemeral`. */
  ephemeralMessages: PostedEphemeral[];
  /** Mints 'http://127.0.0.1:PORT/commands/<id>': good for 5 posts (6th: 404 `used_url`) until expired. */
  newResponseUrl(): string;
  /** Every minted URL now answers 404 `expired_url`, as after Slack's 30 minutes. */
  expireResponseUrls(): void;
  /** `chat.postMessage` to these channels answers `not_in_channel`. */
  botNotInChannels: Set<string>;
  /** Any chat method on these channels answers `channel_not_found` (private channels, others' DMs). */
  missingChannels: Set<string>;
  /**
   * `chat.postMessage` to a channel here answers the error given, as Slack refuses a member bot:
   * `is_archived`, `restricted_action` (a workspace policy), `restricted_action_read_only_channel`,
   * `restricted_action_thread_only_channel` (without `thread_ts`), `no_permission`, `ekm_access_denied`…
   */
  channelRefusals: Map<string, string>;
  /** The members `users.info` knows; others are `user_not_found`. */
  users: Map<string, StandInUser>;
  /** When false `users.info` omits `profile.email`, as Slack does without the `users:read.email` scope. */
  emailScopeGranted: boolean;
  /** The next `times` (default 1) answers for `method` ('chat.postMessage', …, or 'response_url') are `fault`. */
  failNext(method: string, fault: SlackFault, times?: number): void;
  /** Added before every answer (Web API and response_url); default 0; settable at any time. */
  delayMs: number;
  /** TCP connections accepted so far by the HTTP server (shows whether clients reuse connections). */
  tcpConnections: number;
  /** Resolves once a Socket Mode client is connected and its hello was sent; rejects after `timeoutMs` (5 s). */
  socketConnected(timeoutMs?: number): Promise<void>;
  /**
   * Sends an envelope to the most recent Socket Mode connection and resolves with the ack's `payload`
   * (undefined when the ack had none); rejects after `timeoutMs` (5 s) without an ack.
   */
  sendEnvelope(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    opts?: { timeoutMs?: number },
  ): Promise<Record<string, unknown> | undefined>;
  /** WebSocket connections accepted so far. */
  socketConnections: number;
  /** 'http://127.0.0.1:PORT': where the Sign in with Slack authorize page lives (and the id_token issuer). */
  origin: string;
  oidcClientId: string;
  oidcClientSecret: string;
  /** The app's registered redirect URLs; when non-empty, the authorize page refuses any other. */
  oidcRedirectUrls: Set<string>;
  /**
   * Signs `user` in to the stand-in, as if in a browser: returns the value of that browser's session
   * cookie (named {@link SIGN_IN_COOKIE}) for the stand-in's origin.
   */
  newSignInSession(user: SignInUser): string;
  /** Visits to `GET /openid/connect/authorize`, in order. */
  signInRequests: SignInRequest[];
  /** Home tabs published, oldest first. */
  homeViews: PublishedHomeView[];
  /** The newest Home tab published for `userId`. */
  homeView(userId: string): PublishedHomeView | undefined;
  /** Stops everything and leaves no open handles. Stop the app first, or its Socket Mode client reconnects. */
  close(): Promise<void>;
}

type Params = Record<string, unknown>;
type JsonObject = Record<string, unknown>;
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** "These responses can be sent up to 5 times within 30 minutes" (docs, interactivity). */
const RESPONSE_URL_USES = 5;
const DEFAULT_WAIT_MS = 5000;
/** Block Kit limits (reference §4): per message, per text object, per button. */
const LIMITS = {
  blocks: 50,
  blocksJson: 13000,
  text: 40000,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  buttonUrl: 3000,
  buttonValue: 2000,
  id: 255,
} as const;

/** The stand-in's Slack session cookie, as a browser holds it for the stand-in's origin. */
export const SIGN_IN_COOKIE = 'd';
/** Authorization codes last this long, and work once (as OAuth 2.0 §4.1.2 recommends). */
const SIGN_IN_CODE_TTL_MS = 10 * 60_000;

const ok = (body: JsonObject): Answer => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string, status = 200): Answer => ({ status, body: { ok: false, error } });

/** Starts a stand-in Slack on 127.0.0.1, on a free port. */
export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const standIn = new StandIn(options);
  await standIn.listen();
  return standIn;
}

class StandIn implements SlackStandIn {
  readonly botToken: string;
  readonly appToken: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly appId: string;
  readonly calls: RecordedCall[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  readonly messages: PostedMessage[] = [];
  readonly ephemeralMessages: PostedEphemeral[] = [];
  readonly botNotInChannels = new Set<string>();
  readonly missingChannels = new Set<string>();
  readonly channelRefusals = new Map<string, string>();
  readonly users: Map<string, StandInUser>;
  emailScopeGranted: boolean;
  delayMs = 0;
  tcpConnections = 0;
  socketConnections = 0;
  readonly oidcClientId: string;
  readonly oidcClientSecret: string;
  readonly oidcRedirectUrls = new Set<string>();
  readonly signInRequests: SignInRequest[] = [];
  readonly homeViews: PublishedHomeView[] = [];
  private readonly signInSessions = new Map<string, SignInUser>();
  private readonly signInCodes = new Map<
    string,
    { user: SignInUser; clientId: string; redirectUri: string; nonce?: string; expiresAt: number }
  >();
  private readonly userTokens = new Map<string, SignInUser>();

  private port = 0;
  private tsCounter = 0;
  private readonly faults = new Map<string, SlackFault[]>();
  private readonly responseUrls = new Map<string, { uses: number; expired: boolean }>();
  private readonly server = createServer((req, res) => {
    this.route(req, res).catch((error: unknown) => send(res, fail(`stand_in_error: ${String(error)}`, 500)));
  });
  private readonly wss = new WebSocketServer({ server: this.server, path: '/socket' });
  /** Open connections whose hello was sent, oldest first; envelopes go to the newest only (one per payload). */
  private readonly sockets: WebSocket[] = [];
  private readonly helloWaiters = new Set<{
    resolve: () => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout;
  }>();
  private readonly pendingAcks = new Map<
    string,
    { resolve: (payload: JsonObject | undefined) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private readonly delays = new Map<NodeJS.Timeout, () => void>();
  private closing: Promise<void> | undefined;

  private readonly methods: Record<string, (p: Params) => Answer> = {
    'auth.test': () =>
      ok({
        url: 'https://standin.slack.com/',
        team: 'Stand-in',
        user: 'inbox',
        team_id: this.teamId,
        user_id: this.botUserId,
        bot_id: this.botId,
        is_enterprise_install: false,
      }),
    'chat.postMessage': (p) => this.postMessage(p),
    'chat.update': (p) => this.update(p),
    'chat.delete': (p) => this.deleteMessage(p),
    'chat.postEphemeral': (p) => this.postEphemeral(p),
    'users.info': (p) => this.userInfo(p),
    'conversations.open': (p) => {
      const user = str(p.users)?.split(',')[0];
      return user ? ok({ channel: { id: `D${user}` } }) : fail('users_list_not_supplied');
    },
    'apps.connections.open': () => ok({ url: `ws://127.0.0.1:${this.port}/socket` }),
    'views.publish': (p) => this.publishView(p),
  };

  constructor(options: SlackStandInOptions) {
    this.botToken = options.botToken ?? 'xoxb-test-token';
    this.appToken = options.appToken ?? 'xapp-test-token';
    this.botUserId = options.botUserId ?? 'U0BOT';
    this.botId = options.botId ?? 'B0BOT';
    this.teamId = options.teamId ?? 'T0001';
    this.appId = options.appId ?? 'A0STANDIN';
    this.users = new Map(Object.entries(options.users ?? {}));
    this.emailScopeGranted = options.emailScopeGranted ?? true;
    this.oidcClientId = options.oidcClientId ?? '1111.2222';
    this.oidcClientSecret = options.oidcClientSecret ?? 'oidc-client-secret-0123456789abcdef';
    this.server.on('connection', () => {
      this.tcpConnections += 1;
    });
    this.wss.on('connection', (ws) => this.onSocket(ws));
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  newSignInSession(user: SignInUser): string {
    const session = randomBytes(16).toString('hex');
    this.signInSessions.set(session, user);
    return session;
  }

  homeView(userId: string): PublishedHomeView | undefined {
    return [...this.homeViews].reverse().find((published) => published.userId === userId);
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  newResponseUrl(): string {
    const id = randomUUID();
    this.responseUrls.set(id, { uses: 0, expired: false });
    return `http://127.0.0.1:${this.port}/commands/${id}`;
  }

  expireResponseUrls(): void {
    for (const state of this.responseUrls.values()) state.expired = true;
  }

  failNext(method: string, fault: SlackFault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.faults.set(method, queue);
  }

  socketConnected(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    if (this.sockets.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.helloWaiters.delete(waiter);
          reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.helloWaiters.add(waiter);
    });
  }

  sendEnvelope(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    { timeoutMs = DEFAULT_WAIT_MS }: { timeoutMs?: number } = {},
  ): Promise<JsonObject | undefined> {
    const ws = this.sockets.at(-1);
    if (!ws) return Promise.reject(new Error('no Socket Mode connection: await socketConnected() first'));
    const envelopeId = randomUUID();
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelopeId);
        reject(new Error(`no ack for ${type} envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingAcks.set(envelopeId, { resolve, reject, timer });
      ws.send(JSON.stringify(envelope), (error) => {
        if (error) this.settleAck(envelopeId, error);
      });
    });
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const closed = new Error('Slack stand-in closed');
    for (const id of this.pendingAcks.keys()) this.settleAck(id, closed);
    for (const waiter of this.helloWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(closed);
    }
    this.helloWaiters.clear();
    for (const [timer, release] of this.delays) {
      clearTimeout(timer);
      release();
    }
    this.delays.clear();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    if (method && (req.method === 'POST' || req.method === 'GET')) {
      const params = await readParams(req, url);
      this.calls.push({ method, params, headers: req.headers, at: Date.now() });
      const answer = this.takeFault(method) ?? this.answerApi(method, params, req.headers);
      await this.delay();
      return send(res, answer);
    }
    const responseUrlId = /^\/commands\/([\w-]+)$/.exec(url.pathname)?.[1];
    if (responseUrlId && req.method === 'POST') {
      const body = parseJsonObject(await readBody(req));
      const answer = this.takeFault('response_url') ?? this.answerResponseUrl(responseUrlId, body);
      this.responseUrlPosts.push({
        id: responseUrlId,
        body: body ?? {},
        at: Date.now(),
        status: answer.status,
      });
      await this.delay();
      return send(res, answer);
    }
    if (url.pathname === '/openid/connect/authorize' && req.method === 'GET') {
      return this.signInPage(req, res, url);
    }
    send(res, fail('not_found', 404));
  }

  /**
   * Slack's Sign in with Slack page (https://docs.slack.dev/authentication/sign-in-with-slack).
   * A bad client or redirect URL gets an error page, as Slack shows one instead of redirecting;
   * a browser with no session gets a sign-in page; otherwise the person's decision goes back to
   * `redirect_uri` with the `state`.
   */
  private signInPage(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const query = Object.fromEntries(url.searchParams);
    const session = cookieValue(req.headers.cookie, SIGN_IN_COOKIE);
    const user = session ? this.signInSessions.get(session) : undefined;
    this.signInRequests.push({ query, ...(user ? { userId: user.userId } : {}), at: Date.now() });
    const redirectUri = query.redirect_uri ?? '';
    const scopes = (query.scope ?? '').split(/[\s,]+/);
    const problem =
      query.client_id !== this.oidcClientId
        ? 'invalid_client_id'
        : query.response_type !== 'code'
          ? 'unsupported_response_type'
          : !scopes.includes('openid')
            ? 'invalid_scope'
            : !/^https?:\/\//.test(redirectUri) ||
                (this.oidcRedirectUrls.size > 0 && !this.oidcRedirectUrls.has(redirectUri))
              ? 'bad_redirect_uri'
              : undefined;
    if (problem || !user) {
      sendHtml(
        res,
        problem ? 400 : 200,
        `<p>${problem ? `Sign in with Slack: ${problem}` : 'Sign in to your Slack workspace to continue.'}</p>`,
      );
      return;
    }
    const back = new URL(redirectUri);
    if (user.decision === 'deny') {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = `${randomBytes(4).toString('hex')}.${randomBytes(16).toString('hex')}`;
      this.signInCodes.set(code, {
        user,
        clientId: this.oidcClientId,
        redirectUri,
        ...(query.nonce !== undefined ? { nonce: query.nonce } : {}),
        expiresAt: Date.now() + SIGN_IN_CODE_TTL_MS,
      });
      back.searchParams.set('code', code);
    }
    if (query.state !== undefined) back.searchParams.set('state', query.state);
    res.writeHead(302, { Location: back.toString(), 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<p>Redirecting…</p>');
  }

  /** `openid.connect.token`: client credentials in the form, one-time code → user token + id_token. */
  private signInToken(p: Params): Answer {
    if (str(p.client_id) !== this.oidcClientId) return fail('invalid_client_id');
    if (str(p.client_secret) !== this.oidcClientSecret) return fail('bad_client_secret');
    const code = str(p.code) ?? '';
    const grant = this.signInCodes.get(code);
    // One use only, whatever happens next.
    this.signInCodes.delete(code);
    if (!grant || grant.expiresAt < Date.now()) return fail('invalid_code');
    if (str(p.redirect_uri) !== grant.redirectUri) return fail('bad_redirect_uri');
    const accessToken = `xoxp-oidc-${randomBytes(12).toString('hex')}`;
    this.userTokens.set(accessToken, grant.user);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: this.origin,
      sub: grant.user.userId,
      aud: this.oidcClientId,
      exp: now + 3600,
      iat: now,
      auth_time: now,
      ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
      ...this.signInClaims(grant.user),
    };
    return ok({
      access_token: accessToken,
      token_type: 'Bearer',
      id_token: signJwt(claims, this.oidcClientSecret),
    });
  }

  /** `openid.connect.userInfo` with the user token from `openid.connect.token`. */
  private signInUserInfo(headers: IncomingHttpHeaders, p: Params): Answer {
    const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1] ?? str(p.token);
    if (!token) return fail('not_authed');
    const user = this.userTokens.get(token);
    if (!user) return fail('invalid_auth');
    return ok({ sub: user.userId, ...this.signInClaims(user) });
  }

  private signInClaims(user: SignInUser): JsonObject {
    return {
      'https://slack.com/user_id': user.userId,
      'https://slack.com/team_id': user.teamId,
      ...(user.enterpriseId ? { 'https://slack.com/enterprise_id': user.enterpriseId } : {}),
      ...(user.email !== undefined ? { email: user.email, email_verified: user.emailVerified ?? true } : {}),
      name: user.name ?? user.userId,
      'https://slack.com/team_name': user.teamName ?? 'Stand-in',
    };
  }

  /** `views.publish` of a Home tab: `view` arrives as a JSON string in the form. */
  private publishView(p: Params): Answer {
    const userId = str(p.user_id);
    if (!userId) return fail('invalid_arguments');
    let view: unknown = p.view;
    if (typeof view === 'string') {
      try {
        view = JSON.parse(view);
      } catch {
        return fail('invalid_arguments');
      }
    }
    if (!isObject(view) || view.type !== 'home' || !Array.isArray(view.blocks))
      return fail('invalid_arguments');
    // Home tabs allow 100 blocks (messages 50).
    if (view.blocks.length > 100 || !view.blocks.every(blockIsValid)) return fail('invalid_blocks');
    this.homeViews.push({ userId, view, at: Date.now() });
    return ok({ view: { id: `V${this.homeViews.length}`, type: 'home', ...view } });
  }

  private takeFault(method: string): Answer | undefined {
    const fault = this.faults.get(method)?.shift();
    if (!fault) return undefined;
    const status = fault.status ?? 200;
    const body = fault.body ?? { ok: false, error: status === 429 ? 'ratelimited' : 'fault' };
    return { status, body, ...(fault.headers && { headers: fault.headers }) };
  }

  private answerApi(method: string, params: Params, headers: IncomingHttpHeaders): Answer {
    // Sign in with Slack authenticates with the app's client credentials, then with the user token.
    if (method === 'openid.connect.token') return this.signInToken(params);
    if (method === 'openid.connect.userInfo') return this.signInUserInfo(headers, params);
    const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1] ?? str(params.token);
    if (!token) return fail('not_authed');
    const expected = method === 'apps.connections.open' ? this.appToken : this.botToken;
    if (token !== expected) return fail('invalid_auth');
    return this.methods[method]?.(params) ?? fail('unknown_method');
  }

  private postMessage(p: Params): Answer {
    const channel = str(p.channel);
    const problem = this.channelProblem(channel, true, p.thread_ts) ?? contentProblem(p, true);
    if (problem || !channel) return fail(problem ?? 'channel_not_found');
    const ts = this.nextTs();
    const content = messageContent(p);
    this.messages.push({ channel, ts, ...content, via: 'chat.postMessage' });
    return ok({ channel, ts, message: this.messageJson(ts, content) });
  }

  private update(p: Params): Answer {
    const channel = str(p.channel);
    const ts = str(p.ts);
    const problem = this.channelProblem(channel, false) ?? contentProblem(p, true);
    if (problem) return fail(problem);
    const message = this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
    if (!message || !ts) return fail('message_not_found');
    // Slack keeps the previous blocks when `blocks` is omitted; an empty array removes them.
    Object.assign(message, messageContent(p), { via: 'chat.update' });
    return ok({ channel, ts, text: message.text ?? '', message: this.messageJson(ts, message) });
  }

  /** `chat.delete`: answers `{ok, channel, ts}` as Slack does. */
  private deleteMessage(p: Params): Answer {
    const channel = str(p.channel);
    const ts = str(p.ts);
    const problem = this.channelProblem(channel, false);
    if (problem) return fail(problem);
    const message = this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
    if (!message || !ts) return fail('message_not_found');
    message.deleted = true;
    return ok({ channel, ts });
  }

  private postEphemeral(p: Params): Answer {
    const channel = str(p.channel);
    const user = str(p.user);
    const problem = this.channelProblem(channel, true) ?? contentProblem(p, true);
    if (problem || !channel) return fail(problem ?? 'channel_not_found');
    if (!user) return fail('user_not_in_channel');
    const ts = this.nextTs();
    this.ephemeralMessages.push({ channel, user, ts, ...messageContent(p) });
    return ok({ message_ts: ts });
  }

  private userInfo(p: Params): Answer {
    const id = str(p.user) ?? '';
    const user = this.users.get(id);
    if (!user) return fail('user_not_found');
    const name = user.name ?? id.toLowerCase();
    const email = this.emailScopeGranted && user.email !== undefined ? { email: user.email } : {};
    return ok({
      user: {
        id,
        team_id: this.teamId,
        name,
        deleted: false,
        is_bot: false,
        // Slack confirms an address by mail; the stand-in's are confirmed unless a test says not.
        is_email_confirmed: user.emailConfirmed ?? true,
        ...timeZoneFields(user.tz ?? 'America/Los_Angeles'),
        profile: { real_name: name, display_name: name, ...email },
      },
    });
  }

  private channelProblem(
    channel: string | undefined,
    needsMembership: boolean,
    threadTs?: unknown,
  ): string | undefined {
    if (!channel || this.missingChannels.has(channel)) return 'channel_not_found';
    if (needsMembership && this.botNotInChannels.has(channel)) return 'not_in_channel';
    const refusal = needsMembership ? this.channelRefusals.get(channel) : undefined;
    // A thread-only channel takes replies in threads.
    if (refusal === 'restricted_action_thread_only_channel' && threadTs) return undefined;
    return refusal;
  }

  private answerResponseUrl(id: string, body: JsonObject | undefined): Answer {
    const state = this.responseUrls.get(id);
    if (!state) return fail('invalid_url', 404);
    if (state.expired) return fail('expired_url', 404);
    if (state.uses >= RESPONSE_URL_USES) return fail('used_url', 404);
    if (!body) return fail('invalid_payload', 400);
    // `{delete_original: true}` alone is a valid post, so only the limits apply here, not `no_text`.
    const problem = contentProblem(body, false);
    if (problem) return fail(problem, 400);
    state.uses += 1;
    return ok({});
  }

  private messageJson(ts: string, content: { text?: string; blocks?: unknown[] }): JsonObject {
    const blocks = content.blocks ? { blocks: content.blocks } : {};
    return {
      type: 'message',
      subtype: 'bot_message',
      text: content.text ?? '',
      ts,
      bot_id: this.botId,
      ...blocks,
    };
  }

  /** Unique, increasing message timestamps in Slack's 'seconds.micros' form. */
  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter * 100).padStart(6, '0')}`;
  }

  private delay(): Promise<void> {
    if (this.delayMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.delays.delete(timer);
        resolve();
      }, this.delayMs);
      this.delays.set(timer, resolve);
    });
  }

  private onSocket(ws: WebSocket): void {
    this.socketConnections += 1;
    ws.on('message', (data) => this.onSocketMessage(data));
    ws.on('close', () => {
      const index = this.sockets.indexOf(ws);
      if (index >= 0) this.sockets.splice(index, 1);
    });
    const hello = {
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'standin', approximate_connection_time: 3600 },
      connection_info: { app_id: this.appId },
    };
    ws.send(JSON.stringify(hello), (error) => {
      if (error || ws.readyState !== WebSocket.OPEN) return;
      this.sockets.push(ws);
      for (const waiter of this.helloWaiters) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
      this.helloWaiters.clear();
    });
  }

  private onSocketMessage(data: RawData): void {
    const message = parseJsonObject(rawText(data));
    const envelopeId = str(message?.envelope_id);
    if (!message || !envelopeId) return;
    this.settleAck(envelopeId, isObject(message.payload) ? message.payload : undefined);
  }

  private settleAck(envelopeId: string, outcome: JsonObject | Error | undefined): void {
    const pending = this.pendingAcks.get(envelopeId);
    if (!pending) return;
    this.pendingAcks.delete(envelopeId);
    clearTimeout(pending.timer);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  }
}

/** An Events API `event_callback` body for `app_home_opened`, as Slack sends it over HTTP or Socket Mode. */
export function appHomeOpenedEvent(opts: {
  userId?: string;
  teamId?: string;
  enterpriseId?: string;
  /** `null` leaves `tab` out, as `@slack/types` allows (`tab?: 'home' | 'messages'`). */
  tab?: 'home' | 'messages' | null;
}): Record<string, unknown> {
  const userId = opts.userId ?? 'U0001';
  const tab = opts.tab === null ? {} : { tab: opts.tab ?? 'home' };
  const teamId = opts.teamId ?? 'T0001';
  return {
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: teamId,
    ...(opts.enterpriseId ? { enterprise_id: opts.enterpriseId } : {}),
    api_app_id: 'A0STANDIN',
    event: {
      type: 'app_home_opened',
      user: userId,
      channel: `D${userId}`,
      ...tab,
      event_ts: `${(Date.now() / 1000).toFixed(6)}`,
    },
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: opts.enterpriseId ?? null, team_id: teamId, user_id: 'U0BOT', is_bot: true },
    ],
    is_ext_shared_channel: false,
  };
}

/**
 * A `user_change` event body, as Slack sends it when a member's profile changes or they are
 * deactivated (`deleted: true`). https://docs.slack.dev/reference/events/user_change
 */
export function userChangeEvent(opts: {
  userId?: string;
  teamId?: string;
  deleted: boolean;
}): Record<string, unknown> {
  const userId = opts.userId ?? 'U0001';
  const teamId = opts.teamId ?? 'T0001';
  return {
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: teamId,
    api_app_id: 'A0STANDIN',
    event: {
      type: 'user_change',
      user: { id: userId, team_id: teamId, name: userId.toLowerCase(), deleted: opts.deleted, is_bot: false },
      cache_ts: Math.floor(Date.now() / 1000),
      event_ts: `${(Date.now() / 1000).toFixed(6)}`,
    },
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'U0BOT', is_bot: true }],
    is_ext_shared_channel: false,
  };
}

/** An HS256 JWT: enough for a relying party that reads the id_token's claims. */
function signJwt(claims: JsonObject, secret: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const index = pair.indexOf('=');
    if (index > 0 && pair.slice(0, index).trim() === name) return pair.slice(index + 1).trim();
  }
  return undefined;
}

function sendHtml(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>Slack stand-in</title>${body}`);
}

/** Whether a message body breaks Slack's rules; the error code Slack answers with, or undefined. */
function contentProblem(p: Params, requireContent: boolean): string | undefined {
  const { text, blocks, attachments } = p;
  if (blocks !== undefined && !Array.isArray(blocks)) return 'invalid_blocks_format';
  const hasContent =
    (typeof text === 'string' && text.length > 0) ||
    (Array.isArray(blocks) && blocks.length > 0) ||
    (Array.isArray(attachments) && attachments.length > 0);
  if (requireContent && !hasContent) return 'no_text';
  if (typeof text === 'string' && text.length > LIMITS.text) return 'msg_too_long';
  if (!Array.isArray(blocks)) return undefined;
  if (blocks.length > LIMITS.blocks || !blocks.every(blockIsValid)) return 'invalid_blocks';
  if (JSON.stringify(blocks).length > LIMITS.blocksJson) return 'msg_blocks_too_long';
  return undefined;
}

function blockIsValid(block: unknown): boolean {
  if (!isObject(block) || typeof block.type !== 'string' || tooLong(block.block_id, LIMITS.id)) return false;
  switch (block.type) {
    case 'section': {
      const { text, fields, accessory } = block;
      if (text === undefined && fields === undefined) return false;
      if (text !== undefined && !textIsValid(text, LIMITS.sectionText)) return false;
      if (
        fields !== undefined &&
        !listIsValid(fields, LIMITS.fields, (f) => textIsValid(f, LIMITS.fieldText))
      ) {
        return false;
      }
      return accessory === undefined || elementIsValid(accessory);
    }
    case 'header':
      return textIsValid(block.text, LIMITS.headerText, true);
    case 'actions':
      return listIsValid(block.elements, LIMITS.actionsElements, elementIsValid);
    case 'context':
      return listIsValid(
        block.elements,
        LIMITS.contextElements,
        (e) => isObject(e) && (e.type === 'image' || textIsValid(e, LIMITS.sectionText)),
      );
    default:
      return true;
  }
}

function elementIsValid(element: unknown): boolean {
  if (!isObject(element) || typeof element.type !== 'string') return false;
  if (element.type !== 'button') return true;
  return (
    textIsValid(element.text, LIMITS.buttonText, true) &&
    !tooLong(element.url, LIMITS.buttonUrl) &&
    !tooLong(element.value, LIMITS.buttonValue) &&
    !tooLong(element.action_id, LIMITS.id)
  );
}

/** A text object: `{type: 'plain_text' | 'mrkdwn', text}` with 1..max characters. */
function textIsValid(t: unknown, max: number, plainOnly = false): boolean {
  if (!isObject(t) || typeof t.text !== 'string' || t.text.length < 1 || t.text.length > max) return false;
  return t.type === 'plain_text' || (!plainOnly && t.type === 'mrkdwn');
}

function listIsValid(list: unknown, max: number, itemIsValid: (item: unknown) => boolean): boolean {
  return Array.isArray(list) && list.length >= 1 && list.length <= max && list.every(itemIsValid);
}

function tooLong(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length > max;
}

/** The `text`/`blocks` of a message body, omitting the absent ones. */
function messageContent(p: Params): { text?: string; blocks?: unknown[] } {
  const text = str(p.text);
  return { ...(text !== undefined && { text }), ...(Array.isArray(p.blocks) && { blocks: p.blocks }) };
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.headersSent || res.destroyed) return;
  const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Form or JSON body plus query string, with `blocks`/`attachments` decoded from their JSON strings. */
async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const raw = await readBody(req);
  const isJson = (req.headers['content-type'] ?? '').includes('application/json');
  const params: Params = isJson ? (parseJsonObject(raw) ?? {}) : Object.fromEntries(new URLSearchParams(raw));
  for (const [key, value] of url.searchParams) params[key] ??= value;
  for (const key of ['blocks', 'attachments']) {
    const value = params[key];
    if (typeof value !== 'string') continue;
    try {
      params[key] = JSON.parse(value);
    } catch {
      // Left as the string: Slack answers `invalid_blocks_format`.
    }
  }
  return params;
}

function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * `tz`, `tz_label` and `tz_offset` (seconds east of UTC, now) as `users.info` gives them.
 * https://docs.slack.dev/reference/methods/users.info
 */
function timeZoneFields(tz: string): { tz: string; tz_label: string; tz_offset: number } {
  const now = new Date();
  const parts = (style: 'long' | 'longOffset') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(now)
      .find((part) => part.type === 'timeZoneName')?.value ?? '';
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(parts('longOffset'));
  const seconds = offset
    ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 3600 + Number(offset[3]) * 60)
    : 0;
  return { tz, tz_label: parts('long'), tz_offset: seconds };
}
