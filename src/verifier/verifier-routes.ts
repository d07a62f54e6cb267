import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute, Logger } from '@slack/bolt';
import type { ConfirmResult, UserConfirmer } from '../auth/confirm-user';
import type { UserIdSource, VerifierConfig } from '../config';
import { describeError } from '../log';
import { createMemoryPendingStore } from '../pending/memory-store';
import { expiredCookie, readCookies, serializeCookie } from './cookies';
import { createFlowOwners, type FlowOwners } from './flow-owners';
import { createOneTimeIds, type OneTimeIds } from './one-time-ids';
import {
  alreadyUsedPage,
  cancelledPage,
  connectedPage,
  continuePage,
  expiredSignInPage,
  identityUnprovenPage,
  incompleteLinkPage,
  linkExpiredPage,
  misconfiguredPage,
  notYourLinkPage,
  otherBrowserPage,
  renderPage,
  type SignedInAs,
  slackSignInFailedPage,
  someoneElsesLinkPage,
  tamperedPage,
  unavailablePage,
  unexpectedPage,
  type VerifierPage,
} from './pages';
import { arcadeUserIdFromSignIn } from './signed-in-identity';
import { createSigner } from './signed-token';
import { type SignedInUser, SignInError, type SlackSignIn } from './slack-sign-in';

/**
 * Arcade's custom user verifier, served by this app (README "Security"). After Google's consent,
 * Arcade sends the browser to `GET /verify?flow_id=…`. The app parks the flow id in a signed,
 * HttpOnly cookie and sends the browser to Sign in with Slack with a signed, single-use,
 * short-lived `state`. Slack sends it back to `GET /verify/slack`; the app checks state ↔ cookie,
 * learns from Slack who is in the browser, and only if that person has a Connect link outstanding
 * from this app does it ask Arcade to confirm the flow for them. Arcade itself refuses a flow
 * started for anyone else (`user_mismatch`). The browser then goes on to Arcade's `next_uri`.
 * Nothing here trusts the query string for identity, and the flow id never leaves for Slack.
 */

/** The verifier URL to enter in Arcade's dashboard is `<PUBLIC_URL>/verify`. */
export const VERIFY_PATH = '/verify';
/** The redirect URL to add in the Slack app's "OAuth & Permissions" is `<PUBLIC_URL>/verify/slack`. */
export const SIGN_IN_CALLBACK_PATH = '/verify/slack';
const COOKIE_NAME = 'inbox_verify';
/** Long enough to sign in with Slack (and perhaps type a password), short enough to limit a stolen state. */
export const DEFAULT_STATE_TTL_MS = 10 * 60_000;
/** Arcade's flow ids are opaque; anything longer or containing spaces or controls is not one. */
const FLOW_ID = /^[\x21-\x7e]{1,1024}$/;

/** What the verifier routes need; `now`, `stateTtlMs` and `oneTimeIds` exist for tests. */
export interface VerifierDeps {
  config: VerifierConfig;
  userIdSource: UserIdSource;
  signIn: SlackSignIn;
  confirmer: UserConfirmer;
  /** The consent this app is waiting on for a person (src/auth/consent-watcher.ts). */
  pendingAuthId(arcadeUserId: string): Promise<string | undefined> | string | undefined;
  logger: Logger;
  stateTtlMs?: number;
  now?: () => number;
  oneTimeIds?: OneTimeIds;
  /** Who each flow belongs to; shared through the pending store (default: this process only). */
  flowOwners?: FlowOwners;
}

/** The two verifier routes, for Bolt's `customRoutes` (HTTP mode: the events port; Socket Mode: PORT). */
export function createVerifierRoutes(deps: VerifierDeps): CustomRoute[] {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const ttlMs = deps.stateTtlMs ?? DEFAULT_STATE_TTL_MS;
  const signer = createSigner(config.secret);
  const oneTimeIds = deps.oneTimeIds ?? createOneTimeIds({ now });
  const flowOwners = deps.flowOwners ?? createFlowOwners(createMemoryPendingStore());
  const redirectUri = `${config.publicUrl}${SIGN_IN_CALLBACK_PATH}`;
  const cookie = { path: VERIFY_PATH, secure: config.publicUrl.startsWith('https:') };

  /** `GET /verify?flow_id=…`: Arcade hands over the browser. */
  async function start(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const flowId = requestUrl(req).searchParams.get('flow_id') ?? '';
    if (!FLOW_ID.test(flowId)) {
      logger.warn('verifier: opened without a usable flow_id');
      sendPage(res, incompleteLinkPage());
      return;
    }
    if (await flowOwners.isFinished(flowId)) {
      logger.warn(
        `verifier: flow ${fingerprint(flowId)} was already confirmed and was opened again; refused (a replayed or stolen link)`,
      );
      sendPage(res, linkExpiredPage());
      return;
    }
    const attempt = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const expiresAt = now() + ttlMs;
    const state = signer.sign('state', { a: attempt, e: expiresAt });
    const session = signer.sign('session', { a: attempt, f: flowId, n: nonce, e: expiresAt });
    res.setHeader(
      'Set-Cookie',
      serializeCookie(COOKIE_NAME, session, { ...cookie, maxAgeSeconds: Math.ceil(ttlMs / 1000) }),
    );
    logger.info(`verifier: flow ${fingerprint(flowId)} sent to Sign in with Slack`);
    redirect(res, deps.signIn.authorizeUrl({ state, nonce, redirectUri }));
  }

  /** `GET /verify/slack?code=…&state=…` (or `error=…`): Slack hands the browser back. */
  async function finish(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Whatever the outcome, this attempt is over: the browser drops the cookie.
    res.setHeader('Set-Cookie', expiredCookie(COOKIE_NAME, cookie));
    const query = requestUrl(req).searchParams;

    const state = signer.verify('state', query.get('state') ?? '');
    const attempt = typeof state?.a === 'string' ? state.a : undefined;
    const expiresAt = typeof state?.e === 'number' ? state.e : undefined;
    if (!attempt || expiresAt === undefined) {
      logger.warn('verifier: refused a sign-in whose state was not signed by this app (tampered or forged)');
      return sendPage(res, tamperedPage());
    }
    if (now() > expiresAt) {
      logger.info('verifier: refused an expired sign-in');
      return sendPage(res, expiredSignInPage(Math.round(ttlMs / 60_000)));
    }
    if (oneTimeIds.seen(attempt)) {
      logger.warn('verifier: refused a sign-in state used a second time (replay)');
      return sendPage(res, alreadyUsedPage());
    }
    const session = readCookies(req.headers.cookie, COOKIE_NAME)
      .map((value) => signer.verify('session', value))
      .find((payload) => payload?.a === attempt);
    const flowId = typeof session?.f === 'string' ? session.f : undefined;
    const nonce = typeof session?.n === 'string' ? session.n : undefined;
    if (!flowId || !nonce) {
      logger.warn('verifier: refused a sign-in that came back to a browser which did not start it');
      return sendPage(res, otherBrowserPage());
    }
    // Used up only once the browser proved it started this attempt (its cookie), so a flood of
    // minted states with no cookie takes none of the room real sign-ins need; and before any await,
    // so two racing copies of one callback cannot both pass.
    const use = oneTimeIds.use(attempt, expiresAt);
    if (use === 'again') {
      logger.warn('verifier: refused a sign-in state used a second time (replay)');
      return sendPage(res, alreadyUsedPage());
    }
    if (use === 'full') {
      const referenceId = newReferenceId();
      logger.error(`verifier: too many sign-ins in progress; refused one [ref ${referenceId}]`);
      return sendPage(res, unavailablePage(referenceId));
    }
    const flow = fingerprint(flowId);

    const slackError = query.get('error');
    if (slackError !== null) {
      if (slackError === 'access_denied') {
        logger.info(`verifier: sign-in for flow ${flow} cancelled by the person`);
        return sendPage(res, cancelledPage());
      }
      const referenceId = newReferenceId();
      logger.warn(
        `verifier: Slack ended the sign-in for flow ${flow} with "${safeCode(slackError)}" [ref ${referenceId}]`,
      );
      return sendPage(res, slackSignInFailedPage(referenceId));
    }
    const code = query.get('code');
    if (!code) {
      logger.warn(`verifier: Slack came back without a code for flow ${flow}`);
      return sendPage(res, tamperedPage());
    }

    let user: SignedInUser;
    try {
      user = await deps.signIn.identify({ code, redirectUri, nonce });
    } catch (error) {
      const referenceId = newReferenceId();
      logger.warn(
        `verifier: Sign in with Slack failed for flow ${flow} [ref ${referenceId}]:`,
        describeError(error),
      );
      if (error instanceof SignInError && error.code === 'unavailable') {
        return sendPage(res, unavailablePage(referenceId));
      }
      return sendPage(res, slackSignInFailedPage(referenceId));
    }
    const person: SignedInAs = {
      ...(user.name ? { name: user.name } : {}),
      ...(user.teamName ? { teamName: user.teamName } : {}),
    };
    const slackPerson = `${user.enterpriseId ?? user.teamId}/${user.userId}`;
    const identity = arcadeUserIdFromSignIn(user, deps.userIdSource);
    // The flow belongs to the first person who signs in on it, refused or not: a refused flow can
    // never be confirmed for anyone else, and a confirmed one never again.
    const owner = await flowOwners.claim(flowId, slackPerson);
    if (owner !== 'yours') {
      logger.warn(
        owner === 'finished'
          ? `verifier: ${slackPerson} came back for flow ${flow}, already confirmed; refused (a replayed or stolen link)`
          : `verifier: ATTACK? ${slackPerson} tried to confirm flow ${flow}, which another person signed in on and was refused; refused`,
      );
      return sendPage(res, owner === 'finished' ? linkExpiredPage() : someoneElsesLinkPage(person));
    }
    if (identity.kind !== 'ok') {
      logger.warn(`verifier: ${slackPerson} signed in without a verified email; flow ${flow} not confirmed`);
      return sendPage(res, identityUnprovenPage(person));
    }
    const { arcadeUserId } = identity;

    // The app's own record: confirm only for someone this app is waiting on. A person who signed in
    // from a link someone else started has none (unless they started their own meanwhile, and then
    // Arcade refuses the mismatch below).
    const awaited = await deps.pendingAuthId(arcadeUserId);
    if (!awaited) {
      logger.warn(
        `verifier: ${slackPerson} signed in for flow ${flow} but has no Connect link outstanding from this app; not confirmed (a forwarded link, or an expired one)`,
      );
      return sendPage(res, notYourLinkPage(person));
    }

    const result = await deps.confirmer.confirm(flowId, arcadeUserId);
    if (result.kind === 'confirmed') await flowOwners.finish(flowId);
    respondToConfirmation(res, result, { slackPerson, arcadeUserId, flow, awaited, person });
  }

  function respondToConfirmation(
    res: ServerResponse,
    result: ConfirmResult,
    context: { slackPerson: string; arcadeUserId: string; flow: string; awaited: string; person: SignedInAs },
  ): void {
    const { slackPerson, arcadeUserId, flow } = context;
    switch (result.kind) {
      case 'confirmed': {
        if (result.authId !== context.awaited) {
          // Arcade confirmed a flow of this person's that is not the one this app shows a link for
          // (started elsewhere, or superseded). Theirs either way; worth a look in the log.
          logger.warn(
            `verifier: confirmed ${arcadeUserId}'s authorization ${result.authId}, not the awaited ${context.awaited}`,
          );
        }
        logger.info(`verifier: ${slackPerson} confirmed as ${arcadeUserId} for flow ${flow}`);
        const next = safeNextUri(result.nextUri);
        // Arcade stores the grant once its next_uri is visited (measured), so the browser goes there.
        if (next) redirect(res, next);
        else sendPage(res, connectedPage());
        return;
      }
      case 'user_mismatch':
        logger.warn(
          `verifier: Arcade refused flow ${flow} for ${slackPerson} (user_mismatch): the link was started by someone else`,
        );
        sendPage(res, someoneElsesLinkPage(context.person));
        return;
      case 'flow_gone':
        logger.info(`verifier: flow ${flow} is no longer awaiting verification (expired or used)`);
        sendPage(res, linkExpiredPage());
        return;
      case 'key_rejected': {
        const referenceId = newReferenceId();
        logger.error(`verifier: Arcade rejected the API key at confirm_user [ref ${referenceId}]`);
        sendPage(res, misconfiguredPage(referenceId));
        return;
      }
      case 'unavailable': {
        const referenceId = newReferenceId();
        logger.warn(`verifier: confirm_user failed for flow ${flow} [ref ${referenceId}]: ${result.detail}`);
        sendPage(res, unavailablePage(referenceId));
        return;
      }
    }
  }

  /** Bolt does not catch a custom route's rejection: every failure ends in a page here. */
  const guarded =
    (handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      Promise.resolve()
        .then(() => handler(req, res))
        .catch((error: unknown) => {
          const referenceId = newReferenceId();
          logger.error(`verifier: unexpected failure [ref ${referenceId}]:`, describeError(error));
          sendPage(res, unexpectedPage(referenceId));
        });
    };

  return [
    { path: VERIFY_PATH, method: ['GET'], handler: guarded(start) },
    { path: SIGN_IN_CALLBACK_PATH, method: ['GET'], handler: guarded(finish) },
  ];
}

/** Headers on every verifier answer: never cached, never framed, never leaking the URL onwards. */
const SECURITY_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

function sendPage(res: ServerResponse, page: VerifierPage): void {
  if (res.headersSent || res.destroyed) return;
  const html = renderPage(page);
  res.writeHead(page.status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
  });
  res.end(html);
}

/** 303 See Other: the browser follows with a GET. */
function redirect(res: ServerResponse, location: string): void {
  if (res.headersSent || res.destroyed) return;
  const html = renderPage(continuePage());
  res.writeHead(303, {
    ...SECURITY_HEADERS,
    Location: location,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
  });
  res.end(html);
}

function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://verifier.invalid');
}

/** Arcade's `next_uri`, if it is a web address (anything else would be an odd place to send a browser). */
function safeNextUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  try {
    const parsed = new URL(uri);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** A flow id's stand-in for log lines: enough to correlate, useless to anyone reading the log. */
function fingerprint(flowId: string): string {
  return `#${createHash('sha256').update(flowId).digest('hex').slice(0, 10)}`;
}

/** Slack's error code, reduced to what an error code can look like. */
function safeCode(code: string): string {
  return code.replace(/[^\w.-]/g, '').slice(0, 40) || 'unknown';
}

function newReferenceId(): string {
  return randomBytes(4).toString('hex');
}
