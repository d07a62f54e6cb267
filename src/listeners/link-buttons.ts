import type { App } from '@slack/bolt';

/**
 * Link buttons ("Connect Gmail", "Open in Gmail") open their URL in the browser, but Slack still
 * sends an interaction for each click; unacknowledged, the person sees an error mark on the button.
 */
export function registerLinkButtons(app: App): void {
  app.action(/^(connect_gmail|open_in_gmail(_\d+)?)$/, async ({ ack }) => {
    await ack();
  });
}
