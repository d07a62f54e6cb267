/**
 * A stand-in for Arcade's Engine API (api.arcade.dev), speaking the wire format the real
 * `@arcadeai/arcadejs` client expects: auth flows with long-polled status, stored grants
 * (user connections), `{name, message}` errors. See ../shared/reference/arcade.md §1, §2, §10.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { type Pause, readBody, requestUrl, sendJson, startServer } from './http-server';

/** One request as the stand-in received it. */
export interface ArcadeCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  headers: IncomingHttpHeaders;
  at: number;
}

/** An error to answer instead of the normal result; the body defaults to Arcade's `{name, message}`. */
export interface ArcadeFault {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An interactive authorization: the person has to open `url` and consent. */
export interface Flow {
  id: string;
  userId: string;
  providerId: string;
  scopes: string[];
  status: 'pending' | 'completed' | 'failed';
  url: string;
  /** The `next_uri` the app asked for, if any (where the consent page sends the person afterwards). */
  nextUri?: string;
  /** With a custom verifier: the `flow_id` handed to the verifier (not the authorization id). */
  verificationId?: string;
  /** With a custom verifier: awaiting `confirm_user`, confirmed (until `next_uri` is visited), or expired. */
  verification?: 'awaiting' | 'confirmed' | 'expired';
}

/** The routes that take injected faults. */
export type ArcadeRoute = 'authorize' | 'status' | 'user_connections' | 'delete_connection' | 'confirm_user';

/** What a test hands to `grant()` / `completeFlow()`. */
export interface GrantInput {
  token: string;
  email?: string;
  /** The scopes granted; omitted means "whatever is asked for" (any authorize call is covered). */
  scopes?: string[];
}

/** The running stand-in and its test hooks. */
export interface ArcadeStandIn {
  /** `http://127.0.0.1:PORT`: pass as the client's `baseURL`. */
  baseUrl: string;
  /** The key requests must carry as `Authorization: <key>` or `Authorization: Bearer <key>`. */
  apiKey: string;
  calls: ArcadeCall[];
  /** Interactive flows, oldest first (instant completions from a stored grant are not flows). */
  flows: Flow[];
  /** Stores a grant: the user is already connected to provider 'google'. */
  grant(userId: string, grant: GrantInput): void;
  /** Removes the user's grants, as if the connection was deleted. */
  revoke(userId: string): void;
  /** Whether the user holds a grant now (through any route: `grant()`, a consent, or not yet revoked). */
  hasGrant(userId: string): boolean;
  /** The person consented: the flow completes, a grant is stored, waiting status polls answer. */
  completeFlow(userIdOrFlowId: string, grant: { token: string; email?: string }): void;
  /** The flow fails (e.g. consent denied); waiting status polls answer. */
  failFlow(userIdOrFlowId: string): void;
  /** The user's newest pending flow. */
  pendingFlow(userId: string): Flow | undefined;
  /** Answers the next `times` (default 1) authenticated requests to `route` with `fault`. */
  failNext(route: ArcadeRoute, fault: ArcadeFault, times?: number): void;
  /** Added before every answer; may be changed at any time. */
  delayMs: number;
  readonly tcpConnections: number;
  /** How many `GET /v1/auth/status` calls were made (for one flow id, when given). */
  statusPolls(flowId?: string): number;
  /**
   * The custom user verifier URL, as set in Arcade's dashboard (Auth → Settings); undefined (the
   * default) models Arcade's own verifier, where "allow" completes the flow at once. When set,
   * "allow" sends the browser (303) to `<verifierUrl>?flow_id=…`; the flow completes only after
   * `POST /v1/auth/confirm_user` names the user it was started for (else 400 `user_mismatch`) and
   * the browser then visits the returned `next_uri`. See reference/arcade.md §6.
   */
  verifierUrl: string | undefined;
  /** Arcade's verification window for the flow passes: `confirm_user` answers 400 from now on. */
  expireVerification(userIdOrFlowId: string): void;
  /**
   * Arcade no longer knows the flow (expired or removed): `status` answers 400 for it from now on,
   * waiting long-polls included. Arcade's OpenAPI lists 200, 400, 401, 415, 500 for `GET
   * /v1/auth/status`, and no 404.
   */
  forgetFlow(userIdOrFlowId: string): void;
  /**
   * The next `times` (default 1) authorize calls that would start a consent answer 200 with
   * `status: "failed"` (a valid `AuthorizationStatus`), carrying an id and a url as a pending one does.
   */
  failNextAuthorizations(times?: number): void;
  close(): Promise<void>;
}

/** What the consent page is showing: the question, the outcome of a decision, or why there is none. */
export type ConsentPageState = 'ask' | 'allowed' | 'denied' | 'already_decided' | 'unknown';

/** Options of {@link startArcadeStandIn}; every one has a default. */
export interface ArcadeStandInOptions {
  /** Default 'arc_test_key'. */
  apiKey?: string;
  /** Caps a status long-poll (Arcade: 59; fractions allowed). */
  statusMaxWaitSeconds?: number;
  /** The grant an "allow" on the consent page hands out; default a random `ya29.standin-…` token. */
  consentGrant?: (flow: Flow) => { token: string; email?: string };
  /**
   * A whole HTML page for the consent screen instead of the bare default (the sandbox's Google
   * look-alike). Its links must be `?decision=allow` and `?decision=deny`.
   */
  consentPage?: (state: ConsentPageState, flow: Flow | undefined) => string;
  /**
   * What a status long-poll answers when `wait` runs out on a pending flow: 200 with `pending`
   * (default) or `408`, as Arcade's engine has done (arcade-mcp PR #96; its CLI retries on it).
   */
  statusWaitExpiry?: 'pending' | 408;
  /**
   * The shape of `confirm_user`'s 400 bodies: 'docs' (default), as the docs' REST example and
   * measurements show (`{code, error: "user_mismatch", msg}`); 'openapi', the Engine API's
   * `schemas.Error` (`{name, message}`), the mismatch named in the message.
   */
  confirmUserErrors?: 'docs' | 'openapi';
  /**
   * The consent `url` authorize hands out, from the default one (`<base>/consent/<id>`); e.g. a
   * long query added, as Google's consent URLs with many scopes or a long verifier URL can be.
   */
  consentUrl?: (defaultUrl: string) => string;
}

/** The provider `grant()` connects to. */
export const GOOGLE_PROVIDER = 'google';

interface StoredGrant extends GrantInput {
  connectionId: string;
  userId: string;
  providerId: string;
}

/** Every authorization id the server has handed out, with the token once completed. */
interface Authorization {
  flow: Flow;
  token?: string;
  email?: string;
}

const DEFAULT_NAMES: Record<number, string> = {
  400: 'bad_request',
  401: 'invalid_authorization',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
  429: 'rate_limited',
};

/** Starts the stand-in. `statusMaxWaitSeconds` caps a status long-poll (Arcade: 59; fractions allowed). */
export async function startArcadeStandIn(options: ArcadeStandInOptions = {}): Promise<ArcadeStandIn> {
  const apiKey = options.apiKey ?? 'arc_test_key';
  const maxWaitSeconds = options.statusMaxWaitSeconds ?? 59;
  const calls: ArcadeCall[] = [];
  const flows: Flow[] = [];
  const authorizations = new Map<string, Authorization>();
  const grants = new Map<string, StoredGrant>();
  const waiters = new Map<string, Set<Pause>>();
  /** Grants chosen on the consent page, waiting for the verifier's confirmation and `next_uri`. */
  const verifiedGrants = new Map<string, { token: string; email?: string }>();
  const faults: { route: ArcadeRoute; fault: ArcadeFault; remaining: number }[] = [];
  let lastId = 0;
  let failingAuthorizations = 0;

  const server = await startServer(handle);
  const baseUrl = server.url;
  const standIn: ArcadeStandIn = {
    baseUrl,
    apiKey,
    calls,
    flows,
    delayMs: 0,
    get tcpConnections() {
      return server.tcpConnections;
    },
    grant: (userId, grant) => storeGrant(userId, GOOGLE_PROVIDER, grant),
    revoke(userId) {
      for (const [key, stored] of grants) if (stored.userId === userId) grants.delete(key);
    },
    hasGrant: (userId) => [...grants.values()].some((stored) => stored.userId === userId),
    completeFlow(userIdOrFlowId, grant) {
      const flow = findFlow(userIdOrFlowId);
      const authorization = authorizations.get(flow.id);
      if (authorization) Object.assign(authorization, { token: grant.token, email: grant.email });
      flow.status = 'completed';
      storeGrant(flow.userId, flow.providerId, { ...grant, scopes: flow.scopes });
      wake(flow.id);
    },
    failFlow(userIdOrFlowId) {
      const flow = findFlow(userIdOrFlowId);
      flow.status = 'failed';
      wake(flow.id);
    },
    pendingFlow: (userId) =>
      [...flows].reverse().find((flow) => flow.userId === userId && flow.status === 'pending'),
    failNext(route, fault, times = 1) {
      faults.push({ route, fault, remaining: times });
    },
    verifierUrl: undefined,
    expireVerification(userIdOrFlowId) {
      const flow =
        flows.find((candidate) => candidate.verificationId === userIdOrFlowId) ?? findFlow(userIdOrFlowId);
      flow.verification = 'expired';
    },
    forgetFlow(userIdOrFlowId) {
      const flow = findFlow(userIdOrFlowId);
      authorizations.delete(flow.id);
      wake(flow.id);
    },
    failNextAuthorizations(times = 1) {
      failingAuthorizations += times;
    },
    statusPolls: (flowId) =>
      calls.filter(
        (call) =>
          call.method === 'GET' &&
          call.path === '/v1/auth/status' &&
          (flowId === undefined || call.query.id === flowId),
      ).length,
    close: () => server.close(),
  };
  return standIn;

  function nextId(prefix: string): string {
    lastId += 1;
    return `${prefix}_${lastId}`;
  }

  function storeGrant(userId: string, providerId: string, grant: GrantInput): void {
    const key = `${userId}\u0000${providerId}`;
    const connectionId = grants.get(key)?.connectionId ?? nextId('uc');
    grants.set(key, { ...grant, userId, providerId, connectionId });
  }

  /** A flow by id, else the user's pending flow; throws so a test mistake shows at once. */
  function findFlow(userIdOrFlowId: string): Flow {
    const flow =
      flows.find((candidate) => candidate.id === userIdOrFlowId) ?? standIn.pendingFlow(userIdOrFlowId);
    if (!flow) throw new Error(`arcade stand-in: no flow with id or pending for user ${userIdOrFlowId}`);
    return flow;
  }

  function wake(flowId: string): void {
    for (const pause of waiters.get(flowId) ?? []) pause.wake();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    const raw = await readBody(req);
    const call: ArcadeCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseBody(raw),
      headers: req.headers,
      at: Date.now(),
    };
    calls.push(call);
    if (standIn.delayMs > 0) await server.pause(standIn.delayMs).done;
    if (server.closed) return;

    const consent = /^\/consent\/([^/]+)$/.exec(call.path);
    if (call.method === 'GET' && consent && toVerifier(res, decodeURIComponent(consent[1] ?? ''), url))
      return;
    const verified = /^\/consent\/([^/]+)\/verified$/.exec(call.path);
    if (call.method === 'GET' && verified) {
      nextUriPage(res, decodeURIComponent(verified[1] ?? ''));
      return;
    }
    if (call.method === 'GET' && consent) {
      consentPage(res, decodeURIComponent(consent[1] ?? ''), url);
      return;
    }
    const answer = await respond(call, req.headers.authorization);
    if (answer && !server.closed) sendJson(res, answer.status, answer.body, answer.headers);
  }

  /** The answer to an API call; undefined when the server closed while it waited. */
  async function respond(call: ArcadeCall, authorization: string | undefined): Promise<Answer | undefined> {
    const { method, path } = call;
    if (method === 'GET' && path === '/v1/health') return { status: 200, body: { healthy: true } };
    const route = routeOf(method, path);
    if (!route) return fail(404, 'not_found', `No route for ${method} ${path}`);
    if (authorization !== apiKey && authorization !== `Bearer ${apiKey}`) {
      return fail(401, 'invalid_authorization', 'Invalid API key');
    }
    const fault = takeFault(route);
    if (fault) return faultAnswer(fault);
    switch (route) {
      case 'authorize':
        return authorize(call.body);
      case 'status':
        return status(call.query);
      case 'user_connections':
        return listConnections(call.query);
      case 'delete_connection':
        return deleteConnection(decodeURIComponent(path.slice('/v1/admin/user_connections/'.length)));
      case 'confirm_user':
        return confirmUser(call.body);
    }
  }

  /**
   * "Allow" with a verifier configured: the grant waits, and the browser goes to the verifier with
   * the flow id as the only parameter (as measured on Arcade). False when the consent page should
   * answer instead (no verifier, no decision, unknown or finished flow).
   */
  function toVerifier(res: ServerResponse, authId: string, url: URL): boolean {
    const flow = flows.find((candidate) => candidate.id === authId);
    if (!standIn.verifierUrl || url.searchParams.get('decision') !== 'allow') return false;
    if (flow?.status !== 'pending') return false;
    if (flow.verification === 'expired') {
      sendHtml(
        res,
        400,
        '<p>This authorization expired before it was verified. Start again from the app.</p>',
      );
      return true;
    }
    if (flow.verification !== 'confirmed') {
      flow.verificationId ??= `fl_${randomBytes(9).toString('hex')}`;
      flow.verification = 'awaiting';
      const email = url.searchParams.get('email') ?? `${flow.userId.toLowerCase()}@example.com`;
      verifiedGrants.set(
        flow.id,
        options.consentGrant?.(flow) ?? { token: `ya29.standin-${randomBytes(12).toString('hex')}`, email },
      );
    }
    const target = new URL(standIn.verifierUrl);
    target.searchParams.set('flow_id', flow.verificationId ?? '');
    if (res.destroyed) return true;
    res.writeHead(303, { Location: target.toString(), 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Arcade stand-in</title><p>Verifying…</p>');
    return true;
  }

  /** `POST /v1/auth/confirm_user {flow_id, user_id}`: the verifier names who finished the flow. */
  function confirmUser(body: unknown): Answer {
    const request = isObject(body) ? body : {};
    const flowId = request.flow_id;
    const userId = request.user_id;
    if (typeof flowId !== 'string' || flowId === '' || typeof userId !== 'string' || userId === '') {
      return fail(400, 'bad_request', 'flow_id and user_id are required');
    }
    const flow = flows.find((candidate) => candidate.verificationId === flowId);
    if (!flow) return fail(404, 'not_found', 'Flow not found');
    // Shapes as documented (mismatch) and measured (a flow past its verification window).
    const openapi = options.confirmUserErrors === 'openapi';
    if (flow.verification !== 'awaiting' || flow.status !== 'pending') {
      return openapi
        ? fail(400, 'bad_request', 'Bad request')
        : { status: 400, body: { code: 400, msg: 'Bad request' } };
    }
    if (flow.userId !== userId) {
      return openapi
        ? fail(400, 'bad_request', 'user_mismatch: the flow was started for a different user')
        : {
            status: 400,
            body: { code: 400, error: 'user_mismatch', msg: 'An error occurred during verification' },
          };
    }
    flow.verification = 'confirmed';
    return { status: 200, body: { auth_id: flow.id, next_uri: `${baseUrl}/consent/${flow.id}/verified` } };
  }

  /** The `next_uri` after a confirmation: visiting it stores the grant and completes the flow. */
  function nextUriPage(res: ServerResponse, authId: string): void {
    const flow = flows.find((candidate) => candidate.id === authId);
    const grant = verifiedGrants.get(authId);
    if (flow?.verification !== 'confirmed' || flow.status !== 'pending' || !grant) {
      sendHtml(res, 400, '<p>This authorization is not verified, or is already finished.</p>');
      return;
    }
    verifiedGrants.delete(authId);
    standIn.completeFlow(flow.id, grant);
    sendHtml(res, 200, '<p>Access granted. You can close this tab.</p>');
  }

  function sendHtml(res: ServerResponse, status: number, body: string): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Arcade stand-in</title>${body}`);
  }

  function takeFault(route: ArcadeRoute): ArcadeFault | undefined {
    const queued = faults.find((entry) => entry.route === route);
    if (!queued) return undefined;
    queued.remaining -= 1;
    if (queued.remaining <= 0) faults.splice(faults.indexOf(queued), 1);
    return queued.fault;
  }

  function authorize(body: unknown): Answer {
    const request = (isObject(body) ? body : {}) as AuthorizeBody;
    const userId = request.user_id;
    const requirement = isObject(request.auth_requirement) ? request.auth_requirement : {};
    const providerId = requirement.provider_id ?? requirement.id;
    const scopes: unknown = requirement.oauth2?.scopes ?? [];
    if (typeof userId !== 'string' || userId === '') {
      return fail(400, 'bad_request', 'user_id is required');
    }
    if (typeof providerId !== 'string' || providerId === '') {
      return fail(400, 'bad_request', 'auth_requirement.provider_id or auth_requirement.id is required');
    }
    if (!isStringArray(scopes)) {
      return fail(400, 'bad_request', 'auth_requirement.oauth2.scopes must be an array of strings');
    }

    const grant = grants.get(`${userId}\u0000${providerId}`);
    if (grant && (!grant.scopes || scopes.every((scope) => grant.scopes?.includes(scope)))) {
      const id = nextId('ac');
      const flow: Flow = { id, userId, providerId, scopes, status: 'completed', url: '' };
      authorizations.set(id, { flow, token: grant.token, email: grant.email });
      return { status: 200, body: authorizationBody(id) };
    }
    const same = flows.find(
      (flow) =>
        flow.status === 'pending' &&
        flow.userId === userId &&
        flow.providerId === providerId &&
        sameScopes(flow.scopes, scopes),
    );
    if (same) return { status: 200, body: authorizationBody(same.id) };

    const id = nextId('ac');
    const failing = failingAuthorizations > 0;
    if (failing) failingAuthorizations -= 1;
    const flow: Flow = {
      id,
      userId,
      providerId,
      scopes,
      status: failing ? 'failed' : 'pending',
      url: options.consentUrl?.(`${baseUrl}/consent/${id}`) ?? `${baseUrl}/consent/${id}`,
    };
    if (typeof request.next_uri === 'string') flow.nextUri = request.next_uri;
    flows.push(flow);
    authorizations.set(id, { flow });
    return { status: 200, body: authorizationBody(id) };
  }

  async function status(query: Record<string, string>): Promise<Answer | undefined> {
    const id = query.id ?? '';
    const authorization = authorizations.get(id);
    if (!id) return fail(400, 'bad_request', 'id is required');
    if (!authorization) return unknownAuthorization();
    const waitSeconds = Math.min(Number(query.wait ?? 0) || 0, maxWaitSeconds);
    if (authorization.flow.status === 'pending' && waitSeconds > 0) {
      const pause = server.pause(waitSeconds * 1000);
      const set = waiters.get(id) ?? new Set<Pause>();
      waiters.set(id, set.add(pause));
      await pause.done;
      set.delete(pause);
      if (server.closed) return undefined;
      if (!authorizations.has(id)) return unknownAuthorization();
      if (authorization.flow.status === 'pending' && options.statusWaitExpiry === 408) {
        return fail(408, 'request_timeout', 'Timed out waiting for the authorization to complete');
      }
    }
    return { status: 200, body: authorizationBody(id) };
  }

  function authorizationBody(id: string): Record<string, unknown> {
    const authorization = authorizations.get(id);
    if (!authorization) throw new Error(`unknown authorization ${id}`);
    const { flow, token, email } = authorization;
    const body: Record<string, unknown> = {
      id,
      status: flow.status,
      provider_id: flow.providerId,
      scopes: flow.scopes,
      user_id: flow.userId,
    };
    if (flow.status !== 'completed') body.url = flow.url;
    if (flow.status === 'completed') body.context = { token, user_info: email ? { email } : {} };
    return body;
  }

  function listConnections(query: Record<string, string>): Answer {
    const matching = [...grants.values()].filter(
      (grant) =>
        (!query.user_id || grant.userId === query.user_id) &&
        (!query.provider_id || grant.providerId === query.provider_id),
    );
    const limit = positiveInt(query.limit) ?? 25;
    const offset = positiveInt(query.offset) ?? 0;
    const items = matching.slice(offset, offset + limit).map((grant) => ({
      id: grant.connectionId,
      connection_id: grant.connectionId,
      connection_status: 'active',
      provider_id: grant.providerId,
      provider_type: 'oauth2',
      provider_user_info: grant.email ? { email: grant.email } : {},
      scopes: grant.scopes ?? [],
      user_id: grant.userId,
    }));
    return {
      status: 200,
      body: { items, total_count: matching.length, limit, offset, page_count: items.length },
    };
  }

  function deleteConnection(id: string): Answer {
    const entry = [...grants].find(([, grant]) => grant.connectionId === id);
    if (!entry) return fail(404, 'not_found', 'Connection not found');
    grants.delete(entry[0]);
    return { status: 204, body: undefined };
  }

  /** Stands in for Google's consent screen: `?decision=allow|deny`, or a page with both links. */
  function consentPage(res: ServerResponse, flowId: string, url: URL): void {
    const flow = flows.find((candidate) => candidate.id === flowId);
    const decision = url.searchParams.get('decision');
    let text: string;
    let state: ConsentPageState;
    if (!flow) {
      state = 'unknown';
      text = '<p>Unknown authorization.</p>';
    } else if (flow.status !== 'pending') {
      state = 'already_decided';
      text = `<p>This authorization is already ${flow.status}.</p>`;
    } else if (decision === 'allow') {
      state = 'allowed';
      const email = url.searchParams.get('email') ?? `${flow.userId.toLowerCase()}@example.com`;
      const grant = options.consentGrant?.(flow) ?? {
        token: `ya29.standin-${randomBytes(12).toString('hex')}`,
        email,
      };
      standIn.completeFlow(flow.id, grant);
      text = `<p>Access granted. You can close this tab.</p>${flow.nextUri ? nextLink(flow.nextUri) : ''}`;
    } else if (decision === 'deny') {
      state = 'denied';
      standIn.failFlow(flow.id);
      text = '<p>Access denied.</p>';
    } else {
      state = 'ask';
      text =
        `<p>Stand-in Google consent for <b>${escapeHtml(flow.userId)}</b>: ${escapeHtml(flow.scopes.join(' '))}</p>` +
        `<p><a href="?decision=allow">Allow</a> · <a href="?decision=deny">Deny</a></p>`;
    }
    if (res.destroyed) return;
    const html = options.consentPage?.(state, flow) ?? `<!doctype html><title>Arcade stand-in</title>${text}`;
    res.writeHead(flow ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  }
}

interface AuthorizeBody {
  user_id?: unknown;
  next_uri?: unknown;
  auth_requirement?: { id?: unknown; provider_id?: unknown; oauth2?: { scopes?: unknown } };
}

function routeOf(method: string, path: string): ArcadeRoute | undefined {
  if (method === 'POST' && path === '/v1/auth/authorize') return 'authorize';
  if (method === 'GET' && path === '/v1/auth/status') return 'status';
  if (method === 'GET' && path === '/v1/admin/user_connections') return 'user_connections';
  if (method === 'DELETE' && /^\/v1\/admin\/user_connections\/[^/]+$/.test(path)) return 'delete_connection';
  if (method === 'POST' && path === '/v1/auth/confirm_user') return 'confirm_user';
  return undefined;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** An id Arcade does not know (never issued, expired or removed): 400, as the OpenAPI has no 404 here. */
function unknownAuthorization(): Answer {
  return fail(400, 'bad_request', 'Authorization not found');
}

/** Arcade's error shape: `{name, message}`. */
function fail(status: number, name: string, message: string): Answer {
  return { status, body: { name, message } };
}

function faultAnswer(fault: ArcadeFault): Answer {
  const body = fault.body ?? {
    name: DEFAULT_NAMES[fault.status] ?? (fault.status >= 500 ? 'internal_error' : 'error'),
    message: `Injected fault ${fault.status}`,
  };
  return { status: fault.status, body: fault.status === 204 ? undefined : body, headers: fault.headers };
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function sameScopes(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((scope) => b.includes(scope));
}

function positiveInt(value: string | undefined): number | undefined {
  const number = Number(value);
  return value !== undefined && Number.isInteger(number) && number >= 0 ? number : undefined;
}

function nextLink(nextUri: string): string {
  return `<p><a href="${escapeHtml(nextUri)}">Continue</a></p>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
