/**
 * Which `response_url`s the app will ever POST to: Slack's own (`https://hooks.slack.com`, or
 * `hooks.` on the configured API host, e.g. `hooks.slack-gov.com` for GovSlack) and the origin of
 * SLACK_API_URL itself (the stand-ins in tests and the sandbox). A reply link read back from Redis
 * could have been written by anyone with access to it; a summary must never go anywhere else.
 * https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
 */
export type ResponseUrlCheck = (url: string) => boolean;

/** The check for this deployment's SLACK_API_URL. */
export function responseUrlCheck(slackApiUrl: string): ResponseUrlCheck {
  const allowed = new Set(['https://hooks.slack.com']);
  try {
    const api = new URL(slackApiUrl);
    allowed.add(api.origin);
    if (api.protocol === 'https:') allowed.add(`https://hooks.${api.hostname.replace(/^api\./, '')}`);
  } catch {
    // loadConfig has already refused a malformed SLACK_API_URL.
  }
  return (url) => {
    try {
      const parsed = new URL(url);
      return !parsed.username && !parsed.password && allowed.has(parsed.origin);
    } catch {
      return false;
    }
  };
}
