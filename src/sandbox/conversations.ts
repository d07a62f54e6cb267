/**
 * What each person sees in the sandbox's pretend Slack, rebuilt from what the Slack stand-in
 * received: channel messages (`chat.postMessage`, and `in_channel` replies through a command's
 * `response_url`), each person's private replies to their own commands (ephemeral `response_url`
 * posts and messages in the command's ack; `replace_original` swaps the command's previous private
 * message, `delete_original` removes it), and direct messages from the app.
 * https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
 */
import type { PostedMessage, ResponseUrlPost } from '../stand-ins/slack-stand-in';

/** A slash command the sandbox sent to the app on someone's behalf. */
export interface SentCommand {
  /** The id of the command's `response_url` (its last path segment). */
  responseUrlId: string;
  userId: string;
  channelId: string;
  /** As typed, e.g. `/inbox 5 is:unread`. */
  typed: string;
  at: number;
  /** The app's answer to the command request: its HTTP status and the message in the ack, if any. */
  ack?: { status: number; body?: Record<string, unknown> };
}

/** One line of a conversation as the page draws it. `key` is stable across updates. */
export type Entry =
  /** A message from the app that everyone in the conversation sees. */
  | { kind: 'message'; key: string; at: number; text?: string; blocks?: unknown[] }
  /** A message from the app only the viewer sees (Slack's "Only visible to you"). */
  | { kind: 'private'; key: string; at: number; text?: string; blocks?: unknown[] }
  /** The viewer's own command, as typed (shown to them only, as a reminder of what they ran). */
  | { kind: 'command'; key: string; at: number; typed: string };

/**
 * Everything one person sees, by conversation id, oldest first: channels, and their direct messages
 * with the app under {@link directMessageId}.
 */
export type ViewerState = Record<string, Entry[]>;

/** The id of a person's direct-message conversation with the app (the app may address it by user id). */
export function directMessageId(userId: string): string {
  return `D${userId}`;
}

/** What the conversations are built from: the Slack stand-in's records (arrays that only grow). */
export interface SlackRecords {
  messages: readonly PostedMessage[];
  responseUrlPosts: readonly ResponseUrlPost[];
}

/** The sandbox's record of commands sent, and the per-person views over the Slack stand-in. */
export interface Conversations {
  /** Records a command just before it is sent to the app. */
  commandSent(command: SentCommand): void;
  /** Records the app's answer to a command request. */
  ackReceived(responseUrlId: string, ack: NonNullable<SentCommand['ack']>): void;
  /**
   * Notes the arrival time of channel messages the stand-in received since the last call (its
   * records carry none); returns whether anything changed since. Call it often: the page orders
   * messages by these times.
   */
  sync(): boolean;
  /** What `viewerId` sees now. */
  view(viewerId: string): ViewerState;
  /** Grows whenever what anyone sees may have changed: cheap change detection for polling pages. */
  readonly version: number;
}

/** Mirrors Slack's answer when an app fails to answer a command in time or with an error. */
export function dispatchFailedText(typed: string): string {
  const command = typed.split(/\s/, 1)[0] ?? typed;
  return `${command} failed with the error "dispatch_failed"`;
}

/** Creates the record over the stand-in's arrays; `now` is injectable for tests. */
export function createConversations(records: SlackRecords, now: () => number = Date.now): Conversations {
  const commands: SentCommand[] = [];
  const seenAt: number[] = [];
  let seenPosts = 0;
  let version = 0;

  const sync = (): boolean => {
    const before = version;
    while (seenAt.length < records.messages.length) {
      seenAt.push(now());
      version += 1;
    }
    if (seenPosts !== records.responseUrlPosts.length) {
      seenPosts = records.responseUrlPosts.length;
      version += 1;
    }
    return version !== before;
  };

  return {
    commandSent(command) {
      commands.push(command);
      version += 1;
    },
    ackReceived(responseUrlId, ack) {
      const command = commands.find((candidate) => candidate.responseUrlId === responseUrlId);
      if (!command) return;
      command.ack = ack;
      version += 1;
    },
    sync,
    get version() {
      sync();
      return version;
    },
    view(viewerId) {
      sync();
      const channels: ViewerState = {};
      const inChannel = (channelId: string, entry: Entry): void => {
        channels[channelId] ??= [];
        channels[channelId].push(entry);
      };

      records.messages.forEach((message, index) => {
        if (index >= seenAt.length) return;
        const entry: Entry = {
          kind: 'message',
          key: `m${index}`,
          at: seenAt[index] ?? 0,
          ...content(message),
        };
        if (!isPersonal(message.channel)) inChannel(message.channel, entry);
        else if (message.channel === viewerId || message.channel === directMessageId(viewerId)) {
          inChannel(directMessageId(viewerId), entry);
        }
      });

      const postsByCommand = new Map<string, { post: ResponseUrlPost; index: number }[]>();
      records.responseUrlPosts.forEach((post, index) => {
        const list = postsByCommand.get(post.id) ?? [];
        postsByCommand.set(post.id, list);
        list.push({ post, index });
      });
      const removed = new Set<Entry>();
      for (const command of commands) {
        const mine = command.userId === viewerId;
        // A command typed in someone's DM with the app is seen by them only.
        if (isPersonal(command.channelId) && !mine) continue;
        const channel = command.channelId;
        if (mine)
          inChannel(channel, {
            kind: 'command',
            key: `c${command.responseUrlId}`,
            at: command.at,
            typed: command.typed,
          });
        let current: Entry | undefined;
        const ack = command.ack;
        if (mine && ack && ack.status !== 200) {
          current = {
            kind: 'private',
            key: `a${command.responseUrlId}`,
            at: command.at,
            text: dispatchFailedText(command.typed),
          };
          inChannel(channel, current);
        } else if (ack?.body && hasContent(ack.body)) {
          const everyone = ack.body.response_type === 'in_channel';
          if (everyone || mine) {
            const entry: Entry = {
              kind: everyone ? 'message' : 'private',
              key: `a${command.responseUrlId}`,
              at: command.at,
              ...content(ack.body),
            };
            inChannel(channel, entry);
            if (!everyone) current = entry;
          }
        }
        for (const { post, index } of postsByCommand.get(command.responseUrlId) ?? []) {
          // Slack refused the post (used up, expired, malformed): nobody sees it.
          if (post.status !== 200) continue;
          const body = post.body;
          if (body.response_type === 'in_channel') {
            inChannel(channel, { kind: 'message', key: `r${index}`, at: post.at, ...content(body) });
            continue;
          }
          if (!mine) continue;
          if (body.delete_original === true) {
            if (current) removed.add(current);
            current = undefined;
          } else if (body.replace_original === true && current?.kind === 'private') {
            // Replaced in place: the message keeps its position, as in Slack.
            const { text, blocks } = content(body);
            current.text = text;
            current.blocks = blocks;
          } else if (hasContent(body)) {
            current = { kind: 'private', key: `r${index}`, at: post.at, ...content(body) };
            inChannel(channel, current);
          }
        }
      }

      for (const [id, entries] of Object.entries(channels)) {
        // Stable sort: entries with equal times keep the order they were added in.
        channels[id] = entries.filter((entry) => !removed.has(entry)).sort((a, b) => a.at - b.at);
      }
      return channels;
    },
  };
}

/** Direct-message "channels": a user id (how the app addresses a DM) or a D… conversation id. */
function isPersonal(channelId: string): boolean {
  return /^[UWD]/.test(channelId);
}

function hasContent(body: Record<string, unknown>): boolean {
  return (
    (typeof body.text === 'string' && body.text !== '') ||
    (Array.isArray(body.blocks) && body.blocks.length > 0)
  );
}

function content(body: { text?: unknown; blocks?: unknown }): { text?: string; blocks?: unknown[] } {
  return {
    ...(typeof body.text === 'string' ? { text: body.text } : {}),
    ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
  };
}
