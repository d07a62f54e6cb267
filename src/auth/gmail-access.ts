import Arcade, {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from '@arcadeai/arcadejs';
import type { UserConnectionResponse } from '@arcadeai/arcadejs/resources/admin/user-connections';
import type { AuthorizationResponse } from '@arcadeai/arcadejs/resources/shared';
import type { Logger } from '@slack/bolt';
import {
  ArcadeKeyRejectedError,
  AuthorizationFailedError,
  MisconfiguredError,
  RateLimitedError,
  ServiceUnavailableError,
} from '../core/errors';

/**
 * The only importer of the Arcade SDK: asks Arcade for a read-only Gmail token for a user, and
 * reports consent progress. https://docs.arcade.dev/en/references/api (auth endpoints);
 * wire facts in shared/reference/arcade.md.
 */

/** Read-only: the app never changes a mailbox. */
export const GMAIL_READONLY_SCOPE = 'https://www.googleapis.com/auth/gmail.readonly';
const GOOGLE_PROVIDER = 'google';
/** Arcade caps a status long-poll at 59 s. */
export const MAX_STATUS_WAIT_SECONDS = 59;

/** A usable Google access token, and the Gmail address it belongs to when Arcade says so. */
export interface Grant {
  token: string;
  account?: string;
}

export type AccessResult =
  | { kind: 'granted'; grant: Grant }
  | { kind: 'consent_required'; authId: string; url: string };

export type ConsentStatus =
  | { kind: 'granted'; grant: Grant }
  | { kind: 'pending' }
  | { kind: 'failed' }
  /** Arcade no longer knows the flow (expired or removed). */
  | { kind: 'unknown' };

/** What Arcade holds for a person, read without starting a consent. */
export type GmailConnection =
  | {
      connected: true;
      /** The Google account, when Arcade knows it. */
      account?: string;
    }
  | { connected: false };

export interface GmailAccess {
  /** Asks Arcade for the person's Gmail token; Arcade refreshes stored grants itself. */
  request(arcadeUserId: string): Promise<AccessResult>;
  /** One long-poll of a consent flow: answers when it ends or after `waitSeconds`; 0 asks once, at once. */
  checkConsent(authId: string, options: { waitSeconds: number; signal: AbortSignal }): Promise<ConsentStatus>;
  /** Removes the person's stored Google connections, so the next request starts a fresh consent. */
  disconnect(arcadeUserId: string): Promise<number>;
  /** Whether the person has a stored Google connection that covers Gmail read access. */
  connection(arcadeUserId: string): Promise<GmailConnection>;
}

export interface ArcadeClientOptions {
  apiKey: string;
  baseUrl: string;
  logger: Logger;
  /** Retries of idempotent-safe calls inside the SDK (it honours Retry-After). */
  maxRetries?: number;
  timeoutMs?: number;
  /** The HTTP transport (src/core/transport.ts); Node's fetch by default. */
  fetch?: typeof fetch;
}

/**
 * Builds the SDK client with every option explicit: the SDK would otherwise read ARCADE_API_KEY and
 * ARCADE_BASE_URL on its own, and ARCADE_LOG=debug would print response bodies, tokens included.
 */
export function createArcadeClient(options: ArcadeClientOptions): Arcade {
  const log = options.logger;
  return new Arcade({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
    logLevel: 'warn',
    logger: { error: log.error, warn: log.warn, info: log.info, debug: log.debug },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/**
 * Creates the GmailAccess adapter over an Arcade client. `longPoll` holds per-request fetch options
 * (a connection pool of their own) for the consent long-polls.
 */
export function createGmailAccess(client: Arcade, longPoll: { dispatcher?: unknown } = {}): GmailAccess {
  return {
    async request(arcadeUserId) {
      const response = await translate(() =>
        client.auth.authorize({
          auth_requirement: {
            provider_id: GOOGLE_PROVIDER,
            provider_type: 'oauth2',
            oauth2: { scopes: [GMAIL_READONLY_SCOPE] },
          },
          user_id: arcadeUserId,
        }),
      );
      const grant = grantFrom(response);
      if (grant) return { kind: 'granted', grant };
      // A failed authorization may still carry a url; offering it would end in "you declined".
      if (response.status === 'failed') throw new AuthorizationFailedError();
      if (response.id && isWebUrl(response.url) && response.status !== 'completed') {
        return { kind: 'consent_required', authId: response.id, url: response.url };
      }
      throw new ServiceUnavailableError(
        'Arcade',
        `unusable authorization answer (status ${response.status}${response.url && !isWebUrl(response.url) ? ', consent url not http(s)' : ''})`,
      );
    },

    async checkConsent(authId, { waitSeconds, signal }) {
      const wait = Math.max(0, Math.min(MAX_STATUS_WAIT_SECONDS, Math.floor(waitSeconds)));
      let response: AuthorizationResponse;
      try {
        response = await client.auth.status(
          // Without `wait` Arcade answers at once, over the ordinary pool: a quick check holds no connection.
          wait > 0 ? { id: authId, wait } : { id: authId },
          // The loop that calls this owns retries and backoff; a slow answer is a long-poll, not a fault.
          // The SDK types fetchOptions against one undici; the dispatcher is from the app's own (src/core/transport.ts).
          {
            signal,
            timeout: (wait + 15) * 1000,
            maxRetries: 0,
            ...(wait > 0 ? { fetchOptions: longPoll as never } : {}),
          },
        );
      } catch (error) {
        // Arcade's OpenAPI lists 200, 400, 401, 415, 500 here: for an id Arcade itself issued, a 400
        // means the flow is dead (expired, removed, refused), not that the app is misconfigured.
        // A 404 is kept for engines that answer one.
        if (error instanceof BadRequestError || error instanceof NotFoundError) return { kind: 'unknown' };
        // 408: the long-poll ran out before the flow ended (Arcade's own CLI polls again), so still pending.
        if (error instanceof APIError && error.status === 408) return { kind: 'pending' };
        throw translateError(error);
      }
      if (response.status === 'failed') return { kind: 'failed' };
      const grant = grantFrom(response);
      if (grant) return { kind: 'granted', grant };
      return { kind: 'pending' };
    },

    async disconnect(arcadeUserId) {
      const ids = (await listConnections(arcadeUserId)).flatMap((connection) =>
        connection.id ? [connection.id] : [],
      );
      for (const id of ids) await translate(() => client.admin.userConnections.delete(id));
      return ids.length;
    },

    async connection(arcadeUserId) {
      const usable = (await listConnections(arcadeUserId)).filter(
        // No scopes listed means Arcade did not say; the next authorize call decides then.
        (connection) => !connection.scopes?.length || connection.scopes.includes(GMAIL_READONLY_SCOPE),
      );
      if (usable.length === 0) return { connected: false };
      const email = usable
        .map((connection) => (connection.provider_user_info as { email?: unknown } | undefined)?.email)
        .find((value): value is string => typeof value === 'string' && value.includes('@'));
      return email ? { connected: true, account: email } : { connected: true };
    },
  };

  /** The person's Google connections; the user id is checked again, never trusting the filter alone. */
  async function listConnections(arcadeUserId: string): Promise<UserConnectionResponse[]> {
    const found: UserConnectionResponse[] = [];
    await translate(async () => {
      for await (const connection of client.admin.userConnections.list({
        user_id: arcadeUserId,
        provider_id: GOOGLE_PROVIDER,
      })) {
        if (
          connection.user_id === arcadeUserId &&
          (connection.provider_id ?? GOOGLE_PROVIDER) === GOOGLE_PROVIDER
        ) {
          found.push(connection);
        }
      }
    });
    return found;
  }
}

function grantFrom(response: AuthorizationResponse): Grant | undefined {
  const token = response.context?.token;
  if (response.status !== 'completed' || !token) return undefined;
  const email = (response.context?.user_info as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.includes('@') ? { token, account: email } : { token };
}

/**
 * Maps the SDK's errors onto the app's. NotFoundError and aborts pass through for the caller to
 * judge; the SDK's own error texts may quote response bodies, so they go no further than the log.
 */
async function translate<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateError(error);
  }
}

/** Consent urls go into link buttons and mrkdwn links: only web addresses. */
function isWebUrl(url: string | undefined): url is string {
  if (!url) return false;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The app's error for an SDK error (see translate). */
function translateError(error: unknown): unknown {
  if (error instanceof APIUserAbortError || error instanceof NotFoundError) return error;
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return new ArcadeKeyRejectedError(error.status);
  }
  if (error instanceof BadRequestError) {
    return new MisconfiguredError(
      `Arcade refused the authorization request: ${error.message}`,
      'Check that the Google provider configured in Arcade allows the gmail.readonly scope.',
    );
  }
  if (error instanceof RateLimitError) {
    const retryAfter = Number(error.headers?.get('retry-after'));
    return new RateLimitedError(
      'Arcade',
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  if (error instanceof APIConnectionError) {
    return new ServiceUnavailableError('Arcade', error.message, { cause: error });
  }
  const status = error instanceof APIError ? error.status : undefined;
  if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
    return new ServiceUnavailableError('Arcade', `HTTP ${status}`, { cause: error });
  }
  return error;
}
