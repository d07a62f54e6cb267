import type { UserIdSource } from '../core/config';
import { arcadeUserIdFromSlack } from '../identity/identity';
import type { SignedInUser } from './slack-sign-in';

/**
 * The Arcade user id of the person who signed in, computed exactly as `/inbox` computes it from a
 * signed Slack request (src/identity/identity.ts), so that Arcade's confirm_user compares like with like.
 */
export type SignedInIdentity =
  | { kind: 'ok'; arcadeUserId: string }
  /** The sign-in did not prove what the id needs (an unverified or missing email). */
  | { kind: 'unproven'; reason: 'email_unverified' };

/** Maps a signed-in Slack person to their Arcade user id under ARCADE_USER_ID_SOURCE. */
export function arcadeUserIdFromSignIn(user: SignedInUser, source: UserIdSource): SignedInIdentity {
  if (source === 'slack') {
    return {
      kind: 'ok',
      arcadeUserId: arcadeUserIdFromSlack({
        teamId: user.teamId,
        userId: user.userId,
        ...(user.enterpriseId ? { enterpriseId: user.enterpriseId } : {}),
      }),
    };
  }
  // An email Slack has not verified proves nothing about who owns it.
  const email = user.email?.trim().toLowerCase();
  if (!email || !user.emailVerified) return { kind: 'unproven', reason: 'email_unverified' };
  return { kind: 'ok', arcadeUserId: email };
}
