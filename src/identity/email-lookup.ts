import type { WebClient } from '@slack/web-api';
import { EmailUnconfirmedError } from '../core/errors';
import type { EmailLookup } from './identity';

/**
 * Reads a person's profile email with `users.info`. Slack omits `profile.email` unless the app has
 * the `users:read.email` scope; both that and a `missing_scope` error come back as undefined. An
 * email Slack has not confirmed (`is_email_confirmed`) is refused with EmailUnconfirmedError.
 * https://docs.slack.dev/reference/methods/users.info
 */
export function createEmailLookup(client: WebClient): EmailLookup {
  return async (userId) => {
    try {
      const response = await client.users.info({ user: userId });
      const email = response.user?.profile?.email || undefined;
      // An address Slack has not confirmed could be typed in by anyone: it must not name an Arcade user.
      if (email && response.user?.is_email_confirmed !== true) throw new EmailUnconfirmedError();
      return email;
    } catch (error) {
      if ((error as { data?: { error?: unknown } }).data?.error === 'missing_scope') return undefined;
      throw error;
    }
  };
}
