import type { WebClient } from '@slack/web-api';
import type { EmailLookup } from '../identity';

/**
 * Reads a person's profile email with `users.info`. Slack omits `profile.email` unless the app has
 * the `users:read.email` scope; both that and a `missing_scope` error come back as undefined.
 * https://docs.slack.dev/reference/methods/users.info
 */
export function createEmailLookup(client: WebClient): EmailLookup {
  return async (userId) => {
    try {
      const response = await client.users.info({ user: userId });
      return response.user?.profile?.email || undefined;
    } catch (error) {
      if ((error as { data?: { error?: unknown } }).data?.error === 'missing_scope') return undefined;
      throw error;
    }
  };
}
