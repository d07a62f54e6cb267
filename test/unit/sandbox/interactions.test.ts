import { disconnectConfirmMessage, privateSummary } from '../../../src/blocks/notices';
import {
  actionOf,
  type Clicker,
  findElement,
  homeActionBody,
  messageActionBody,
} from '../../../src/sandbox/interactions';

/** Slack's block_actions bodies as the sandbox builds them from the app's own blocks. */

const CLICKER: Clicker = {
  userId: 'U0SBXGRACE',
  userName: 'grace',
  teamId: 'T0SANDBOX',
  teamDomain: 'sandbox-co',
  appId: 'A0STANDIN',
};
const BOT = { userId: 'U0BOT', botId: 'B0BOT' };

describe('block_actions payloads', () => {
  it('a click on an ephemeral message: container, channel, reply link, and the button as the app sent it', () => {
    const message = privateSummary({ text: 's', blocks: [] }, '{"r":"ref"}');
    const path = { blockIndex: 0, element: 0 } as const;
    const found = findElement(message.blocks, path);
    expect(found?.element.action_id).toBe('share_summary');
    const body = messageActionBody({
      clicker: CLICKER,
      channel: { id: 'C0SBXGENERAL', name: 'general' },
      message: { ts: '1700000000.000100', ephemeral: true, ...message },
      bot: BOT,
      responseUrl: 'http://127.0.0.1:1/commands/x',
      action: actionOf(found ?? { blockId: '', element: {} }, path, 1_700_000_000_000),
    });
    expect(body).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0SBXGRACE', username: 'grace', team_id: 'T0SANDBOX' },
      team: { id: 'T0SANDBOX', domain: 'sandbox-co' },
      api_app_id: 'A0STANDIN',
      container: {
        type: 'message',
        message_ts: '1700000000.000100',
        channel_id: 'C0SBXGENERAL',
        is_ephemeral: true,
      },
      channel: { id: 'C0SBXGENERAL', name: 'general' },
      response_url: 'http://127.0.0.1:1/commands/x',
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
      actions: [
        {
          type: 'button',
          action_id: 'share_summary',
          // Slack fills in the block_id the app left out.
          block_id: 'sbx-block-0',
          value: '{"r":"ref"}',
          text: { type: 'plain_text', text: 'Share to channel' },
          action_ts: '1700000000.000000',
        },
      ],
    });
    // Slack sends the message itself only for messages that are not ephemeral.
    expect(body).not.toHaveProperty('message');
    const inChannel = messageActionBody({
      clicker: CLICKER,
      channel: { id: 'C1', name: 'x' },
      message: { ts: '1.2', ephemeral: false, text: 't', blocks: [] },
      bot: BOT,
      responseUrl: 'u',
      action: {},
    });
    expect(inChannel.message).toEqual({
      type: 'message',
      subtype: 'bot_message',
      text: 't',
      ts: '1.2',
      bot_id: 'B0BOT',
      user: 'U0BOT',
      blocks: [],
    });
  });

  it('a click on the Home tab: a view container, the view, and no reply link', () => {
    const blocks = disconnectConfirmMessage().blocks;
    const path = { blockIndex: 1, element: 1 } as const;
    const found = findElement(blocks, path);
    const body = homeActionBody({
      clicker: CLICKER,
      viewId: 'V3',
      view: { type: 'home', blocks },
      bot: BOT,
      action: actionOf(found ?? { blockId: '', element: {} }, path, 0),
    });
    expect(body).toMatchObject({
      container: { type: 'view', view_id: 'V3' },
      view: { id: 'V3', type: 'home', team_id: 'T0SANDBOX', blocks },
      actions: [{ action_id: 'disconnect_cancel', value: 'cancel' }],
    });
    expect(body).not.toHaveProperty('response_url');
    expect(body).not.toHaveProperty('channel');
  });

  it('finds only interactive elements, and an option for menus', () => {
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'x' } },
      {
        type: 'section',
        block_id: 'b',
        text: { type: 'mrkdwn', text: 'x' },
        accessory: {
          type: 'overflow',
          action_id: 'o',
          options: [{ text: { type: 'plain_text', text: 'Run now' }, value: 'now' }],
        },
      },
    ];
    expect(findElement(blocks, { blockIndex: 0, element: 0 })).toBeUndefined();
    expect(findElement(blocks, { blockIndex: 5, element: 0 })).toBeUndefined();
    expect(findElement(blocks, { blockIndex: 1, element: 'accessory' })).toBeUndefined();
    const found = findElement(blocks, { blockIndex: 1, element: 'accessory', optionIndex: 0 });
    expect(
      actionOf(found ?? { blockId: '', element: {} }, { blockIndex: 1, element: 'accessory' }, 0),
    ).toMatchObject({
      type: 'overflow',
      action_id: 'o',
      block_id: 'b',
      selected_option: { text: { type: 'plain_text', text: 'Run now' }, value: 'now' },
    });
  });
});
