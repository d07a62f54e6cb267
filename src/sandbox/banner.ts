/**
 * What the sandbox prints at start-up: loud, so that nobody mistakes it for the real thing, with
 * exactly one URL to open and the way to run for real.
 */

/** What the banner reports. */
export interface BannerInput {
  url: string;
  delayMs: number;
  /** Production settings found but not used by the sandbox. */
  ignored: readonly string[];
}

const RULE = '='.repeat(78);

/** The banner, as lines joined with newlines (ends with one); no line is wider than 80 columns. */
export function sandboxBanner({ url, delayMs, ignored }: BannerInput): string {
  const lines = [
    RULE,
    '  SANDBOX MODE: this is NOT connected to Slack, Arcade or Google.',
    '',
    '  No Slack or Arcade setting is set, so the real /inbox app is running against',
    '  built-in stand-ins of Slack, Arcade and Gmail, with sample people and fake',
    '  mailboxes. Nothing leaves this machine.',
    '',
    `  Open ${url} and type /inbox 5`,
    '',
    delayMs > 0
      ? `  Every stand-in call takes ${delayMs} ms (SANDBOX_DELAY_MS), like a real network.`
      : '  Stand-in calls answer at once (SANDBOX_DELAY_MS=0).',
    ...(ignored.length > 0
      ? ['  Ignored here (used only when running for real):', `    ${ignored.join(', ')}`]
      : []),
    '  To run for real, set SLACK_BOT_TOKEN, SLACK_APP_TOKEN or SLACK_SIGNING_SECRET,',
    '  and ARCADE_API_KEY (see README "Quick start"). Ctrl-C stops the sandbox.',
    RULE,
  ];
  return `${lines.join('\n')}\n`;
}
