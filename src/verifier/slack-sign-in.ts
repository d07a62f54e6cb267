import type { Logger } from '@slack/bolt';
import { type RetryOptions, WebClient } from '@slack/web-api';

/**
 * Sign in with Slack (OpenID Connect): who is in this browser, as Slack proves it.
 * https://docs.slack.dev/authentication/sign-in-with-slack — the authorize redirect, then
 * `openid.connect.token` (code → id_token + user token) and `openid.connect.userInfo`.
 *
 * The authorize page and the token issuer live at the origin of SLACK_API_URL (`https://slack.com`
 * by default; a GovSlack or stand-in API root brings its own), so one setting points both ways.
 */

/** The person Slack says signed in. */
export interface SignedInUser {
  userId: string;
  teamId: string;
  /** Present for Enterprise Grid organisations. */
  enterpriseId?: string;
  email?: string;
  /** Only a verified email may stand for an identity. */
  emailVerified: boolean;
  /** Shown back to the person on the result page. */
  name?: string;
  teamName?: string;
}

/** Why a sign-in could not be turned into a person; `detail` is for the log only. */
export class SignInError extends Error {
  constructor(
    readonly code: 'refused' | 'unavailable' | 'invalid_id_token' | 'incomplete',
    readonly detail: string,
  ) {
    super(`Sign in with Slack failed (${code}): ${detail}`);
    this.name = 'SignInError';
  }
}

/** The two halves of Sign in with Slack: where to send the browser, and what came back. */
export interface SlackSignIn {
  /** Slack's authorize URL for this attempt. */
  authorizeUrl(params: { state: string; nonce: string; redirectUri: string }): string;
  /** Redeems the code Slack sent back and returns who signed in; throws SignInError. */
  identify(params: { code: string; redirectUri: string; nonce: string }): Promise<SignedInUser>;
}

/** What the Sign in with Slack client needs. */
export interface SlackSignInOptions {
  /** SLACK_API_URL, e.g. `https://slack.com/api/`. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  logger: Logger;
  retry?: RetryOptions;
  now?: () => number;
}

/** The scopes Sign in with Slack knows: the ids come with `openid`, the email with `email`. */
export const SIGN_IN_SCOPES = 'openid email profile';
const CLAIM = {
  userId: 'https://slack.com/user_id',
  teamId: 'https://slack.com/team_id',
  enterpriseId: 'https://slack.com/enterprise_id',
  teamName: 'https://slack.com/team_name',
} as const;

/** Creates the Sign in with Slack client. */
export function createSlackSignIn(options: SlackSignInOptions): SlackSignIn {
  const origin = new URL(options.apiUrl).origin;
  const now = options.now ?? Date.now;
  const client = new WebClient(undefined, {
    slackApiUrl: options.apiUrl,
    // web-api's debug lines print request bodies (the one-time code, the client secret) and
    // answers (the person's profile): only warnings and errors get through.
    logger: quiet(options.logger),
    retryConfig: options.retry ?? { retries: 1, factor: 2, minTimeout: 300, maxTimeout: 1000 },
    // A browser is waiting on the answer.
    timeout: 10_000,
  });

  return {
    authorizeUrl({ state, nonce, redirectUri }) {
      const url = new URL('/openid/connect/authorize', origin);
      url.search = new URLSearchParams({
        response_type: 'code',
        scope: SIGN_IN_SCOPES,
        client_id: options.clientId,
        state,
        nonce,
        redirect_uri: redirectUri,
      }).toString();
      return url.toString();
    },

    async identify({ code, redirectUri, nonce }) {
      const token = await call('openid.connect.token', () =>
        client.openid.connect.token({
          client_id: options.clientId,
          client_secret: options.clientSecret,
          code,
          redirect_uri: redirectUri,
          grant_type: 'authorization_code',
        }),
      );
      if (!token.access_token || !token.id_token) {
        throw new SignInError('incomplete', 'openid.connect.token answered without access_token or id_token');
      }
      const claims = decodeJwtPayload(token.id_token);
      checkIdToken(claims, { issuer: origin, clientId: options.clientId, nonce, nowSeconds: now() / 1000 });
      const info = (await call('openid.connect.userInfo', () =>
        client.openid.connect.userInfo({ token: token.access_token }),
      )) as unknown as Record<string, unknown>;
      return signedInUser(claims, info);
    },
  };
}

/** Runs a Web API call, turning its failures into SignInError without quoting bodies. */
async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const coded = error as { code?: unknown; data?: { error?: unknown } } | null;
    if (coded?.code === 'slack_webapi_platform_error') {
      throw new SignInError('refused', `${method} answered ${String(coded.data?.error ?? 'error')}`);
    }
    throw new SignInError('unavailable', `${method} failed with ${String(coded?.code ?? 'error')}`);
  }
}

/**
 * The id_token's claims. Its signature is not checked: it came straight from Slack's token
 * endpoint over TLS, which OpenID Connect Core §3.1.3.7 (6) accepts in place of the signature.
 */
function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1];
  if (!payload) throw new SignInError('invalid_id_token', 'not a JWT');
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) {
      return claims as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new SignInError('invalid_id_token', 'unreadable claims');
}

/** OpenID Connect Core §3.1.3.7: issuer, audience, expiry, and the nonce this browser was given. */
function checkIdToken(
  claims: Record<string, unknown>,
  expected: { issuer: string; clientId: string; nonce: string; nowSeconds: number },
): void {
  const audience = claims.aud;
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (claims.iss !== expected.issuer) throw new SignInError('invalid_id_token', 'unexpected issuer');
  if (!audiences.includes(expected.clientId)) throw new SignInError('invalid_id_token', 'wrong audience');
  if (typeof claims.exp !== 'number' || claims.exp < expected.nowSeconds - 60) {
    throw new SignInError('invalid_id_token', 'expired');
  }
  if (claims.nonce !== expected.nonce) throw new SignInError('invalid_id_token', 'nonce mismatch');
}

/**
 * userInfo is authoritative (it is read fresh with the user token); the id_token must agree with
 * it on the subject, the user and the team, or the sign-in is refused.
 */
function signedInUser(claims: Record<string, unknown>, info: Record<string, unknown>): SignedInUser {
  const text = (source: Record<string, unknown>, key: string): string | undefined => {
    const value = source[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const userId = text(info, CLAIM.userId) ?? text(info, 'sub');
  const teamId = text(info, CLAIM.teamId);
  if (!userId || !teamId) throw new SignInError('incomplete', 'userInfo lacks the user or team id');
  if (text(info, 'sub') !== text(claims, 'sub')) {
    throw new SignInError('invalid_id_token', 'id_token and userInfo name different subjects');
  }
  for (const key of [CLAIM.userId, CLAIM.teamId, CLAIM.enterpriseId]) {
    const fromToken = text(claims, key);
    if (fromToken !== undefined && fromToken !== text(info, key)) {
      throw new SignInError('invalid_id_token', `id_token and userInfo disagree on ${key}`);
    }
  }
  const enterpriseId = text(info, CLAIM.enterpriseId);
  const email = text(info, 'email');
  const name = text(info, 'name');
  const teamName = text(info, CLAIM.teamName);
  return {
    userId,
    teamId,
    ...(enterpriseId ? { enterpriseId } : {}),
    ...(email ? { email } : {}),
    emailVerified: info.email_verified === true,
    ...(name ? { name } : {}),
    ...(teamName ? { teamName } : {}),
  };
}

/** A logger that passes on warnings and errors only. */
function quiet(logger: Logger): Logger {
  return {
    debug: () => {},
    info: () => {},
    warn: (...messages: unknown[]) => logger.warn(...messages),
    error: (...messages: unknown[]) => logger.error(...messages),
    setLevel: () => {},
    getLevel: () => logger.getLevel(),
    setName: () => {},
  };
}
