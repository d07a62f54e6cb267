/**
 * What each person sees in the sandbox's pretend Slack, rebuilt from what the Slack stand-in
 * received: channel messages (`chat.postMessage`, and `in_channel` replies through a command's
 * `response_url`), each person's private replies to their own commands (ephemeral `response_url`
 * posts and messages in the command's ack; `replace_original` swaps the command's previous private
 * message, `delete_original` removes it), and direct messages from the app.
 * https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
 */
import type { PostedEphemeral, PostedMessage, ResponseUrlPost } from '../stand-ins/slack-stand-in';

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

/** A click on an element of a message, sent to the app with its own `response_url`. */
export interface SentClick {
  /** The id of the click's `response_url` (its last path segment). */
  responseUrlId: string;
  userId: string;
  channelId: string;
  /** The {@link Entry.key} of the message clicked: what `replace_original` / `delete_original` act on. */
  targetKey: string;
  at: number;
}

/** Content of a message from the app. */
interface MessageEntry {
  key: string;
  at: number;
  /** Slack's message timestamp (`container.message_ts` in a click on it). */
  ts: string;
  text?: string;
  blocks?: unknown[];
}

/** One line of a conversation as the page draws it. `key` is stable across updates. */
export type Entry =
  /** A message from the app that everyone in the conversation sees. */
  | ({ kind: 'message' } & MessageEntry)
  /** A message from the app only the viewer sees (Slack's "Only visible to you"). */
  | ({ kind: 'private' } & MessageEntry)
  /** The viewer's own command, as typed (shown to them only, as a reminder of what they ran). */
  | { kind: 'command'; key: string; at: number; typed: string };

/** A message entry (either visibility). */
export type AppEntry = Extract<Entry, { kind: 'message' | 'private' }>;

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
  /** `chat.postEphemeral` messages: shown to their `user` only. */
  ephemeralMessages?: readonly PostedEphemeral[];
  /** Every Web API call: its length changing means `chat.update`, `chat.delete`, `views.publish`… */
  calls?: readonly unknown[];
}

/** The sandbox's record of commands sent, and the per-person views over the Slack stand-in. */
export interface Conversations {
  /** Records a command just before it is sent to the app. */
  commandSent(command: SentCommand): void;
  /** Records the app's answer to a command request. */
  ackReceived(responseUrlId: string, ack: NonNullable<SentCommand['ack']>): void;
  /** Records a click on a message, just before it is sent to the app. */
  clickSent(click: SentClick): void;
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
  const clicks = new Map<string, SentClick>();
  const seenAt: number[] = [];
  const ephemeralSeenAt: number[] = [];
  let seenPosts = 0;
  let seenCalls = 0;
  let version = 0;

  const sync = (): boolean => {
    const before = version;
    while (seenAt.length < records.messages.length) {
      seenAt.push(now());
      version += 1;
    }
    const ephemerals = records.ephemeralMessages ?? [];
    while (ephemeralSeenAt.length < ephemerals.length) {
      ephemeralSeenAt.push(now());
      version += 1;
    }
    if (seenPosts !== records.responseUrlPosts.length) {
      seenPosts = records.responseUrlPosts.length;
      version += 1;
    }
    if (seenCalls !== (records.calls?.length ?? 0)) {
      seenCalls = records.calls?.length ?? 0;
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
    clickSent(click) {
      clicks.set(click.responseUrlId, click);
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
      const byKey = new Map<string, AppEntry>();
      const inChannel = (channelId: string, entry: Entry): void => {
        channels[channelId] ??= [];
        channels[channelId].push(entry);
        if (entry.kind !== 'command') byKey.set(entry.key, entry);
      };
      const removed = new Set<Entry>();

      records.messages.forEach((message, index) => {
        if (index >= seenAt.length || message.deleted) return;
        const entry: Entry = {
          kind: 'message',
          key: `m${index}`,
          at: seenAt[index] ?? 0,
          ts: message.ts,
          ...content(message),
        };
        if (!isPersonal(message.channel)) inChannel(message.channel, entry);
        else if (message.channel === viewerId || message.channel === directMessageId(viewerId)) {
          inChannel(directMessageId(viewerId), entry);
        }
      });

      (records.ephemeralMessages ?? []).forEach((message, index) => {
        if (index >= ephemeralSeenAt.length || message.user !== viewerId) return;
        const channel = isPersonal(message.channel) ? directMessageId(viewerId) : message.channel;
        inChannel(channel, {
          kind: 'private',
          key: `e${index}`,
          at: ephemeralSeenAt[index] ?? 0,
          ts: message.ts,
          ...content(message),
        });
      });

      /** Per command: the private message its `replace_original` / `delete_original` acts on. */
      const current = new Map<string, AppEntry | undefined>();
      /** Per command: its latest in-channel message through the reply link. */
      const inChannelByCommand = new Map<string, AppEntry>();
      const commandsById = new Map<string, SentCommand>();
      for (const command of commands) {
        commandsById.set(command.responseUrlId, command);
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
        const ack = command.ack;
        if (mine && ack && ack.status !== 200) {
          // Slack shows this when the app errs or does not answer within 3 seconds.
          const entry: AppEntry = {
            kind: 'private',
            key: `a${command.responseUrlId}`,
            at: command.at,
            ts: entryTs(command.at, 0),
            text: dispatchFailedText(command.typed),
          };
          inChannel(channel, entry);
          current.set(command.responseUrlId, entry);
        } else if (ack?.body && hasContent(ack.body)) {
          const everyone = ack.body.response_type === 'in_channel';
          if (everyone || mine) {
            const entry: AppEntry = {
              kind: everyone ? 'message' : 'private',
              key: `a${command.responseUrlId}`,
              at: command.at,
              ts: entryTs(command.at, 0),
              ...content(ack.body),
            };
            inChannel(channel, entry);
            if (!everyone) current.set(command.responseUrlId, entry);
          }
        }
      }

      // Every reply link's posts in the order Slack received them: a click's reply can act on a
      // message that a command's reply link posted, and the other way round.
      records.responseUrlPosts.forEach((post, index) => {
        // Slack refused the post (used up, expired, malformed): nobody sees it.
        if (post.status !== 200) return;
        const body = post.body;
        const command = commandsById.get(post.id);
        const click = command ? undefined : clicks.get(post.id);
        if (!command && !click) return;
        const channel = (command ?? click)?.channelId ?? '';
        const mine = (command ?? click)?.userId === viewerId;
        // A conversation between someone and the app is seen by them only.
        if (isPersonal(channel) && !mine) return;
        const shownIn = isPersonal(channel) ? directMessageId(viewerId) : channel;
        const fresh = (kind: 'message' | 'private'): AppEntry => ({
          kind,
          key: `r${index}`,
          at: post.at,
          ts: entryTs(post.at, index),
          ...content(body),
        });

        if (command) {
          if (body.response_type === 'in_channel') {
            // A later in-channel post with replace_original changes this command's previous one (a TL;DR added).
            const earlier = inChannelByCommand.get(post.id);
            if (body.replace_original === true && earlier) {
              replaceContent(earlier, body);
              return;
            }
            const entry = fresh('message');
            inChannelByCommand.set(post.id, entry);
            inChannel(channel, entry);
            return;
          }
          if (!mine) return;
          const previous = current.get(post.id);
          if (body.delete_original === true) {
            if (previous) removed.add(previous);
            current.set(post.id, undefined);
          } else if (body.replace_original === true && previous?.kind === 'private') {
            // Replaced in place: the message keeps its position, as in Slack.
            replaceContent(previous, body);
          } else if (hasContent(body)) {
            const entry = fresh('private');
            current.set(post.id, entry);
            inChannel(channel, entry);
          }
          return;
        }

        // A click's reply link acts on the clicked message (Slack: "the source message").
        const target = click ? byKey.get(click.targetKey) : undefined;
        if (body.delete_original === true) {
          if (target) removed.add(target);
          // "Combined with a new payload, it deletes and then posts."
          if (!hasContent(body)) return;
        } else if (body.replace_original === true) {
          if (target) replaceContent(target, body);
          return;
        }
        if (!hasContent(body)) return;
        if (body.response_type === 'in_channel') inChannel(shownIn, fresh('message'));
        else if (mine) inChannel(shownIn, fresh('private'));
      });

      for (const [id, entries] of Object.entries(channels)) {
        // Stable sort: entries with equal times keep the order they were added in.
        channels[id] = entries.filter((entry) => !removed.has(entry)).sort((a, b) => a.at - b.at);
      }
      return channels;
    },
  };
}

/** A message timestamp in Slack's 'seconds.micros' form for a message the stand-in gave none. */
function entryTs(at: number, index: number): string {
  return `${Math.floor(at / 1000)}.${String(((at % 1000) * 1000 + (index % 1000)) % 1_000_000).padStart(6, '0')}`;
}

function replaceContent(entry: AppEntry, body: Record<string, unknown>): void {
  const { text, blocks } = content(body);
  entry.text = text;
  entry.blocks = blocks;
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
