import type Arcade from '@arcadeai/arcadejs';
import {
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
} from '@arcadeai/arcadejs';
import { describeError } from '../core/log';

/**
 * Arcade's half of the custom user verifier: `POST /v1/auth/confirm_user {flow_id, user_id}`.
 * Arcade binds the Google grant only when `user_id` is the user the flow was started for, so a
 * forwarded Connect link cannot complete under someone else's id (400 `user_mismatch`).
 * https://docs.arcade.dev/en/build/user-facing-agents/secure-auth-production; wire facts in
 * shared/reference/arcade.md §1.5, §2.2 and §6.
 */

export type ConfirmResult =
  /** Arcade accepted: `nextUri` is where the browser goes to finish (Arcade may omit it). */
  | { kind: 'confirmed'; authId: string; nextUri?: string }
  /** The flow was started for a different user: the forwarded-link case. */
  | { kind: 'user_mismatch' }
  /** Arcade no longer awaits verification for this flow: expired, already confirmed, or unknown. */
  | { kind: 'flow_gone' }
  /** Arcade rejected the app's API key. */
  | { kind: 'key_rejected' }
  /** Arcade is down, unreachable or answered oddly; `detail` is for the log. */
  | { kind: 'unavailable'; detail: string };

/** Confirms who finished a consent flow; never throws (every outcome is a result). */
export interface UserConfirmer {
  confirm(flowId: string, arcadeUserId: string): Promise<ConfirmResult>;
}

/** Creates the confirmer over an Arcade client (see createArcadeClient). */
export function createUserConfirmer(client: Arcade): UserConfirmer {
  return {
    async confirm(flowId, arcadeUserId) {
      try {
        // Not retried: a confirmation that reached Arcade and timed out on the way back must not be
        // replayed blindly; the person starts again instead.
        const response = await client.auth.confirmUser(
          { flow_id: flowId, user_id: arcadeUserId },
          { maxRetries: 0 },
        );
        if (!response?.auth_id)
          return { kind: 'unavailable', detail: 'confirm_user answered without auth_id' };
        return response.next_uri
          ? { kind: 'confirmed', authId: response.auth_id, nextUri: response.next_uri }
          : { kind: 'confirmed', authId: response.auth_id };
      } catch (error) {
        return classify(error);
      }
    },
  };
}

/**
 * Arcade answers a mismatch as `{"code":400,"error":"user_mismatch",…}` (docs, cloud endpoint) or,
 * on the SDK's endpoint, in the OpenAPI's `schemas.Error` shape `{name, message}`, where the word
 * may be the name or only in the message; an expired or used flow as a bare 400
 * (`{"code":400,"msg":"Bad request"}`, measured) or 404.
 */
function classify(error: unknown): ConfirmResult {
  if (error instanceof BadRequestError) {
    return namesUserMismatch(error.error) ? { kind: 'user_mismatch' } : { kind: 'flow_gone' };
  }
  if (error instanceof NotFoundError) return { kind: 'flow_gone' };
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return { kind: 'key_rejected' };
  }
  return { kind: 'unavailable', detail: describeError(error) };
}

const USER_MISMATCH = /\buser[ _-]?mismatch\b/i;

/** Whether a 400 body names a user mismatch in any field Arcade uses for it. */
function namesUserMismatch(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' && USER_MISMATCH.test(body);
  const fields = body as Record<string, unknown>;
  return ['error', 'name', 'code', 'message', 'msg'].some((key) => {
    const value = fields[key];
    return typeof value === 'string' && USER_MISMATCH.test(value);
  });
}
