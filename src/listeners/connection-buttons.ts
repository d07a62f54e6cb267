import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { BackgroundTasks } from '../background';
import {
  DISCONNECT_CANCEL_ACTION,
  DISCONNECT_GMAIL_ACTION,
  disconnectCancelledMessage,
  SHARE_SUMMARY_ACTION,
  shareButtonUnusableMessage,
} from '../blocks/notices';
import type { AppHome } from '../connection/app-home';
import type { ConnectionFlow } from '../connection/connection-flow';
import { HOME_DISCONNECT_ACTION } from '../connection/home-view';
import type { InboxFlow } from '../inbox-flow';
import { createReplies } from '../slack/replies';
import { decodeShareValue } from '../slack/share-value';
import { identityFromAction } from './slack-identity';

/** What the button listeners hand the work to. */
export interface ConnectionButtonDeps {
  flow: InboxFlow;
  connection: ConnectionFlow;
  home: AppHome;
  tasks: BackgroundTasks;
  /** Seals and checks Share button values (src/slack/share-value.ts). */
  shareKey: Buffer;
}

/**
 * The buttons on the app's own messages and Home tab: Disconnect / Cancel (after `/inbox
 * disconnect`), Disconnect on the Home tab, and Share to channel on a private summary. Each acks
 * at once; whose Gmail is touched always comes from the signed click, never from a button value.
 */
export function registerConnectionButtons(app: App, deps: ConnectionButtonDeps): void {
  app.action<BlockAction<ButtonAction>>(DISCONNECT_GMAIL_ACTION, async ({ ack, body, respond }) => {
    await ack();
    const identity = identityFromAction(body);
    deps.tasks.run(`disconnect by ${identity.userId}`, async () => {
      const message = await deps.connection.disconnect(identity);
      await respond({ response_type: 'ephemeral', replace_original: true, ...message });
    });
  });

  app.action<BlockAction<ButtonAction>>(DISCONNECT_CANCEL_ACTION, async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', replace_original: true, ...disconnectCancelledMessage() });
  });

  app.action<BlockAction<ButtonAction>>(HOME_DISCONNECT_ACTION, async ({ ack, body }) => {
    await ack();
    const identity = identityFromAction(body);
    deps.tasks.run(`App Home disconnect by ${identity.userId}`, () => deps.home.disconnect(identity));
  });

  app.action<BlockAction<ButtonAction>>(
    SHARE_SUMMARY_ACTION,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const identity = identityFromAction(body);
      // The channel comes from the signed click; the sealed value must name the same one.
      const channelId = body.container?.channel_id ?? body.channel?.id;
      const share = decodeShareValue(deps.shareKey, action.value);
      if (!share || share.channelId !== channelId) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...shareButtonUnusableMessage(),
        });
        return;
      }
      const replies = createReplies({ client, respond, channelId, userId: identity.userId });
      deps.tasks.run(`share by ${identity.userId}`, () => deps.flow.share({ identity, share, replies }));
    },
  );
}
