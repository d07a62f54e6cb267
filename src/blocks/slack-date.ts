import { escapeMrkdwn, oneLine } from './mrkdwn';

/** The last instant with a four-digit year; beyond it an ISO string no longer has the fixed shape. */
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const UNKNOWN_DATE = 'unknown date';

/** `2026-11-23 14:05 UTC`: what clients that cannot render a date token show instead. */
export function utcDateText(epochMs: number): string {
  if (!isRenderable(epochMs)) return UNKNOWN_DATE;
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * A Slack date token, `<!date^SECONDS^{date_short_pretty} at {time}|FALLBACK>`, which Slack renders
 * in each reader's own time zone (a channel's readers do not share one).
 * An instant Slack cannot take (not finite, before 1970, past year 9999) becomes the plain fallback.
 * https://docs.slack.dev/messaging/formatting-message-text
 */
export function slackDate(epochMs: number, fallbackText?: string): string {
  const fallback = escapeMrkdwn(oneLine(fallbackText ?? utcDateText(epochMs))) || UNKNOWN_DATE;
  if (!isRenderable(epochMs)) return fallback;
  return `<!date^${Math.floor(epochMs / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}

function isRenderable(epochMs: number): boolean {
  return Number.isFinite(epochMs) && epochMs >= 0 && epochMs <= MAX_EPOCH_MS;
}
