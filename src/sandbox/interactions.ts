/**
 * Slack's interaction payloads for a click in the sandbox page, built from what the Slack stand-in
 * holds (never from what the page says a button carries): the page names the element it drew by
 * position, and the `block_actions` body is made from the app's own blocks, the way Slack makes it.
 * https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
 */
import { randomTriggerId } from '../stand-ins/slack-requests';

/** Where an element sits in a list of blocks: `element` is an index into `elements`, or the accessory. */
export interface ElementPath {
  blockIndex: number;
  element: number | 'accessory';
  /** For overflow menus and selects: the index of the option chosen. */
  optionIndex?: number;
}

/** The block and element at `path`, with the ids Slack would send for them; undefined if none. */
export interface FoundElement {
  blockId: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sent it
  element: Record<string, any>;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sent it
  option?: Record<string, any>;
}

/** The element types a click in the page can act on. */
const INTERACTIVE = new Set(['button', 'overflow', 'static_select']);

/** Finds the interactive element at `path` in `blocks`. */
export function findElement(blocks: unknown, path: ElementPath): FoundElement | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const block = blocks[path.blockIndex];
  if (!isObject(block)) return undefined;
  const element =
    path.element === 'accessory'
      ? block.accessory
      : Array.isArray(block.elements)
        ? block.elements[path.element]
        : undefined;
  if (!isObject(element) || typeof element.type !== 'string' || !INTERACTIVE.has(element.type)) {
    return undefined;
  }
  // Slack fills in a block_id the app left out; the app gets that one back.
  const blockId = typeof block.block_id === 'string' ? block.block_id : `sbx-block-${path.blockIndex}`;
  if (element.type === 'button') return { blockId, element };
  const options = Array.isArray(element.options) ? element.options : [];
  const option = path.optionIndex === undefined ? undefined : options[path.optionIndex];
  if (!isObject(option)) return undefined;
  return { blockId, element, option };
}

/** The `actions[0]` of a `block_actions` body for a found element, as Slack sends it. */
export function actionOf(found: FoundElement, path: ElementPath, nowMs: number): Record<string, unknown> {
  const { element, blockId, option } = found;
  const actionId =
    typeof element.action_id === 'string'
      ? element.action_id
      : `sbx-action-${path.blockIndex}-${String(path.element)}`;
  const common = { action_id: actionId, block_id: blockId, action_ts: (nowMs / 1000).toFixed(6) };
  if (element.type === 'button') {
    return {
      ...common,
      type: 'button',
      text: element.text,
      ...(element.value !== undefined && { value: element.value }),
      ...(element.url !== undefined && { url: element.url }),
      ...(element.style !== undefined && { style: element.style }),
    };
  }
  const selected = { text: option?.text, value: option?.value };
  return {
    ...common,
    type: element.type,
    selected_option: selected,
    ...(element.placeholder !== undefined && { placeholder: element.placeholder }),
  };
}

/** Who clicked, in which workspace, as every interaction payload says it. */
export interface Clicker {
  userId: string;
  userName: string;
  teamId: string;
  teamDomain: string;
  appId: string;
}

/** A `block_actions` body for a click on a message (ephemeral or not). */
export function messageActionBody(input: {
  clicker: Clicker;
  channel: { id: string; name: string };
  message: { ts: string; text?: string; blocks?: unknown[]; ephemeral: boolean };
  bot: { userId: string; botId: string };
  responseUrl: string;
  action: Record<string, unknown>;
}): Record<string, unknown> {
  const { clicker, channel, message, bot } = input;
  return {
    ...common(clicker),
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: channel.id,
      is_ephemeral: message.ephemeral,
    },
    channel: { id: channel.id, name: channel.name },
    // Slack sends the message itself only when it is not ephemeral.
    ...(message.ephemeral
      ? {}
      : {
          message: {
            type: 'message',
            subtype: 'bot_message',
            text: message.text ?? '',
            ts: message.ts,
            bot_id: bot.botId,
            user: bot.userId,
            ...(message.blocks ? { blocks: message.blocks } : {}),
          },
        }),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [input.action],
  };
}

/** A `block_actions` body for a click on the Home tab: a view container, and no reply link. */
export function homeActionBody(input: {
  clicker: Clicker;
  viewId: string;
  view: Record<string, unknown>;
  bot: { botId: string };
  action: Record<string, unknown>;
}): Record<string, unknown> {
  const { clicker } = input;
  return {
    ...common(clicker),
    container: { type: 'view', view_id: input.viewId },
    view: {
      id: input.viewId,
      team_id: clicker.teamId,
      type: 'home',
      blocks: input.view.blocks,
      private_metadata: input.view.private_metadata ?? '',
      callback_id: input.view.callback_id ?? '',
      state: { values: {} },
      hash: `${Date.now()}.sandbox`,
      app_id: clicker.appId,
      bot_id: input.bot.botId,
    },
    actions: [input.action],
  };
}

function common(clicker: Clicker): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: clicker.userId, username: clicker.userName, name: clicker.userName, team_id: clicker.teamId },
    api_app_id: clicker.appId,
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    trigger_id: randomTriggerId(),
    team: { id: clicker.teamId, domain: clicker.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
