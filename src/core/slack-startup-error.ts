import { describeError } from './log';

/**
 * What the operator reads when Slack's `auth.test` fails at start-up. "Slack refused the token" only
 * when Slack actually answered with a refusal of the token; an unreachable Slack, an HTTP error or a
 * rate limit each say what happened and where, so nobody rotates a good token over a DNS problem.
 */

/** `auth.test` errors that mean the token itself is refused (https://api.slack.com/methods/auth.test). */
export const TOKEN_REFUSALS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'no_permission',
  'missing_scope',
  'team_access_not_granted',
  'ekm_access_denied',
  'org_login_required',
]);

interface SlackSdkError {
  code?: unknown;
  data?: { error?: unknown };
  statusCode?: unknown;
  retryAfter?: unknown;
  original?: unknown;
}

/** The start-up message for an `auth.test` failure; `apiUrl` is SLACK_API_URL (a URL, never a secret). */
export function slackStartupProblem(error: unknown, apiUrl: string): string {
  const url = new URL('auth.test', apiUrl).toString();
  const fields = (typeof error === 'object' && error !== null ? error : {}) as SlackSdkError;
  switch (fields.code) {
    case 'slack_webapi_platform_error': {
      const answer = String(fields.data?.error ?? 'unknown_error');
      if (TOKEN_REFUSALS.has(answer)) {
        return (
          `Slack refused SLACK_BOT_TOKEN at start-up (auth.test answered "${answer}"): the token is wrong, ` +
          'revoked or lacks access. Copy the Bot User OAuth Token (xoxb-…) again from the Slack app\'s "OAuth & Permissions" page, reinstalling the app if needed.'
        );
      }
      return `Slack answered auth.test at start-up with "${answer}" (${url}); see https://api.slack.com/methods/auth.test`;
    }
    case 'slack_webapi_request_error': {
      // fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND, a TLS error) in `cause`.
      const original = fields.original instanceof Error ? fields.original : error;
      const reason = original instanceof Error && original.cause !== undefined ? original.cause : undefined;
      const cause = [describeError(original), ...(reason ? [describeError(reason)] : [])].join(': ');
      return (
        `Cannot reach Slack at ${url} (${cause}). Check SLACK_API_URL, DNS, any proxy and the outbound ` +
        'firewall; the token was not checked.'
      );
    }
    case 'slack_webapi_http_error':
      return (
        `Slack answered HTTP ${String(fields.statusCode)} to auth.test at ${url}: Slack (or something in ` +
        'between) is failing; see https://slack-status.com and try again. The token was not checked.'
      );
    case 'slack_webapi_rate_limited_error':
      return `Slack rate-limited auth.test at ${url} (retry after ${String(fields.retryAfter)} s); start again shortly.`;
    default:
      return `Checking SLACK_BOT_TOKEN with Slack (${url}) failed at start-up: ${describeError(error)}`;
  }
}
