import type { App } from '@slack/bolt';
import { CONNECT_GMAIL_ACTION } from '../blocks/notices';

/**
 * A link button opens its URL in the browser, but Slack still sends an interaction for each click;
 * unacknowledged, the person sees an error mark on the button.
 */
export function registerLinkButtons(app: App): void {
  app.action(CONNECT_GMAIL_ACTION, async ({ ack }) => {
    await ack();
  });
}
