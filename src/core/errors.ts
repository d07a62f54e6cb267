/**
 * Failures the app knows how to explain. Adapters translate SDK errors into these so the rest of
 * the app, and the person in Slack, never see an SDK's error shape (or the secrets it may carry).
 * Anything else is "unexpected" and gets an apology with a reference id.
 */

export type Service = 'Arcade' | 'Gmail' | 'Slack';

/** Base class: every known failure has a stable string code. */
export abstract class InboxError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Arcade refused the app's API key: only an admin can fix it. */
export class ArcadeKeyRejectedError extends InboxError {
  readonly code = 'arcade_key_rejected';
  constructor(readonly status: number) {
    super(`Arcade rejected the API key (HTTP ${status})`);
  }
}

/** The app is set up in a way that cannot work (an Arcade provider refusing the scope, a missing Slack scope…). */
export class MisconfiguredError extends InboxError {
  readonly code = 'misconfigured';
  constructor(
    readonly detail: string,
    readonly adminHint: string,
  ) {
    super(detail);
  }
}

/** The app needs the person's Slack email (ARCADE_USER_ID_SOURCE=email) but Slack did not share it. */
export class IdentityUnavailableError extends InboxError {
  readonly code = 'identity_unavailable';
  constructor() {
    super('Slack did not return a profile email (is the users:read.email scope granted?)');
  }
}

/**
 * Email identity mode: Slack shares the person's email but has not confirmed they own it
 * (`users.info` `is_email_confirmed`). An unconfirmed address may be anyone's, so it is never used
 * as an Arcade user id.
 */
export class EmailUnconfirmedError extends InboxError {
  readonly code = 'email_unconfirmed';
  constructor() {
    super('Slack has not confirmed the profile email (users.info is_email_confirmed is not true)');
  }
}

/** An outside service is down, slow or unreachable; trying again later may work. */
export class ServiceUnavailableError extends InboxError {
  readonly code = 'service_unavailable';
  constructor(
    readonly service: Service,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${service} is unavailable: ${detail}`, options);
  }
}

/** An outside service keeps limiting this person's requests beyond what the app waits for. */
export class RateLimitedError extends InboxError {
  readonly code = 'rate_limited';
  constructor(
    readonly service: Service,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`${service} is rate limiting${retryAfterSeconds ? ` (retry after ${retryAfterSeconds}s)` : ''}`);
  }
}

/** Gmail refused the token Arcade gave (revoked, expired beyond refresh, or missing the scope). */
export class GmailAccessRefusedError extends InboxError {
  readonly code = 'gmail_access_refused';
  constructor(
    readonly reason: 'invalid_token' | 'insufficient_scope',
    readonly status: number,
  ) {
    super(`Gmail refused the access token (${reason}, HTTP ${status})`);
  }
}

/** Gmail answered in a way that is the mailbox owner's or their Workspace admin's to fix. */
export class GmailUnusableError extends InboxError {
  readonly code = 'gmail_unusable';
  constructor(
    readonly reason: string,
    readonly status: number,
  ) {
    super(`Gmail cannot be used for this account (${reason}, HTTP ${status})`);
  }
}

/**
 * Arcade answered an authorization request with `status: "failed"` (a valid AuthorizationStatus):
 * there is no consent to offer, so the person is told so instead of getting a dead Connect link.
 */
export class AuthorizationFailedError extends InboxError {
  readonly code = 'authorization_failed';
  constructor() {
    super('Arcade answered the authorization request with status "failed"');
  }
}
