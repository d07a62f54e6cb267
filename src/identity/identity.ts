import type { UserIdSource } from '../core/config';
import { IdentityUnavailableError } from '../core/errors';

/** Who typed the command, as the signed Slack payload says. Never taken from the command text. */
export interface SlackIdentity {
  teamId: string;
  /** Present for Enterprise Grid workspaces; user ids are org-wide there. */
  enterpriseId?: string;
  userId: string;
}

/**
 * The Arcade user id for a Slack person: `slack:<enterprise or team id>:<user id>`, e.g.
 * `slack:T0123ABCD:U0456EFGH`. Stable per person, distinct across workspaces (Slack user ids are
 * unique only within a workspace, or within an Enterprise Grid org, where the org id is used),
 * and readable in Arcade's dashboard.
 */
export function arcadeUserIdFromSlack(identity: SlackIdentity): string {
  return `slack:${identity.enterpriseId || identity.teamId}:${identity.userId}`;
}

/** Looks up a person's Slack profile email; undefined when Slack does not share it. */
export type EmailLookup = (userId: string) => Promise<string | undefined>;

export type ArcadeUserIdResolver = (identity: SlackIdentity) => Promise<string>;

/**
 * Chooses how Slack people map to Arcade users. `email` exists because Arcade's default user
 * verifier expects the Arcade account email during development; `slack` is the production choice
 * (emails get reassigned, Slack ids do not).
 */
export function createArcadeUserIdResolver(
  source: UserIdSource,
  lookupEmail: EmailLookup,
): ArcadeUserIdResolver {
  if (source === 'slack') return async (identity) => arcadeUserIdFromSlack(identity);
  return async (identity) => {
    const email = (await lookupEmail(identity.userId))?.trim().toLowerCase();
    if (!email) throw new IdentityUnavailableError();
    return email;
  };
}
