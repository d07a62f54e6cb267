import type { SlackIdentity } from '../identity/identity';

/**
 * The person behind a signed interaction or event, read from the places Slack puts it, the same
 * way a slash command's `team_id` / `enterprise_id` / `user_id` are read. Never from a button value.
 */

interface ActionBody {
  user: { id: string; team_id?: string };
  team: { id: string } | null;
  enterprise?: { id: string } | null;
}

/** Who clicked a button (`block_actions`). */
export function identityFromAction(body: ActionBody): SlackIdentity {
  const teamId = body.team?.id ?? body.user.team_id ?? '';
  const enterpriseId = body.enterprise?.id;
  return { teamId, userId: body.user.id, ...(enterpriseId ? { enterpriseId } : {}) };
}

interface EventBody {
  team_id?: string;
  enterprise_id?: string;
}

/** Who an event is about (`app_home_opened`'s `user`), in the workspace the event came from. */
export function identityFromEvent(body: EventBody, userId: string): SlackIdentity {
  const enterpriseId = body.enterprise_id;
  return { teamId: body.team_id ?? '', userId, ...(enterpriseId ? { enterpriseId } : {}) };
}
