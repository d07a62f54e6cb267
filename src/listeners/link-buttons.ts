import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { CONNECT_GMAIL_ACTION } from '../blocks/notices';
import { describeError } from '../core/log';
import type { SlackIdentity } from '../identity/identity';
import { identityFromAction } from './slack-identity';

export interface LinkButtonHooks {
  /** Someone opened a Connect link; owns its errors or rejects (logged here). */
  opened?: (identity: SlackIdentity) => Promise<void>;
}

/**
 * A link button opens its URL in the browser, but Slack still sends an interaction for each click;
 * unacknowledged, the person sees an error mark on the button. The click is also the first sign
 * that a consent may complete soon, which decides who gets a status long-poll.
 */
export function registerLinkButtons(app: App, hooks: LinkButtonHooks = {}): void {
  app.action<BlockAction<ButtonAction>>(CONNECT_GMAIL_ACTION, async ({ ack, body, logger }) => {
    await ack();
    if (!hooks.opened) return;
    try {
      await hooks.opened(identityFromAction(body));
    } catch (error) {
      logger.warn('noting an opened Connect link failed:', describeError(error));
    }
  });
}
