/**
 * The sandbox's pretend Slack workspace: its channels and sample people, each with a Gmail mailbox
 * built from the stand-in fixtures, dated relative to start-up so that summaries say "Today".
 */
import type { FakeMessage } from '../stand-ins/gmail-stand-in';
import {
  FIXTURE_NOW,
  headerlessMessage,
  hostileMessage,
  longSubjectMessage,
  makeMessages,
  rfc2822Date,
  sampleMessages,
  threadMessages,
} from '../stand-ins/mail-fixtures';

/** The sandbox's Slack team id; Arcade user ids read `slack:T0SANDBOX:<user id>`. */
export const SANDBOX_TEAM_ID = 'T0SANDBOX';

/** A channel of the pretend workspace. */
export interface SandboxChannel {
  id: string;
  name: string;
  topic: string;
  isPrivate: boolean;
  /** False shows the app's fallback: the summary goes through the command's reply link instead. */
  botIsMember: boolean;
}

/** A sample person: who they are, how far along they are with Gmail, and their mailbox. */
export interface SandboxPerson {
  id: string;
  name: string;
  email: string;
  /** Their Slack time zone (`users.info` `tz`), which scheduled digests follow. */
  timeZone: string;
  /** One line for the page: what trying `/inbox` as this person shows. */
  about: string;
  /** Already connected at start-up: Arcade holds a grant for them. */
  connected: boolean;
  /** The access token that opens this person's mailbox in the Gmail stand-in. */
  token: string;
  /** Newest messages within minutes of `now`. */
  mailbox(now: number): FakeMessage[];
}

/** The workspace's channels; the first is where the page opens. */
export const SANDBOX_CHANNELS: readonly SandboxChannel[] = [
  {
    id: 'C0SBXGENERAL',
    name: 'general',
    topic: 'Try /inbox here: the summary is posted to the channel',
    isPrivate: false,
    botIsMember: true,
  },
  {
    id: 'C0SBXRANDOM',
    name: 'random',
    topic: 'Another channel the app is in',
    isPrivate: false,
    botIsMember: true,
  },
  {
    id: 'C0SBXLAUNCH',
    name: 'launch-room',
    topic: 'A private channel the app is not in: the summary arrives through the command reply link',
    isPrivate: true,
    botIsMember: false,
  },
];

const MINUTE = 60_000;

/** The sample people, in the order the page lists them. */
export const SANDBOX_PEOPLE: readonly SandboxPerson[] = [
  {
    id: 'U0SBXADA',
    name: 'Ada Lovelace',
    email: 'ada@sandbox.example',
    timeZone: 'Europe/London',
    about: 'New here: /inbox first asks her to connect Gmail',
    connected: false,
    token: 'ya29.sandbox-ada',
    mailbox: (now) =>
      rebase(
        [
          ...makeMessages(24),
          ...threadMessages(),
          dated(hostileMessage(), 50),
          dated(longSubjectMessage(), 90),
        ],
        now,
      ),
  },
  {
    id: 'U0SBXGRACE',
    name: 'Grace Hopper',
    email: 'grace@sandbox.example',
    timeZone: 'America/New_York',
    about: 'Already connected: /inbox answers at once',
    connected: true,
    token: 'ya29.sandbox-grace',
    mailbox: (now) =>
      rebase(
        [
          ...sampleMessages(),
          dated(hostileMessage(), 30),
          dated(longSubjectMessage(), 200),
          dated(headerlessMessage(), 300),
        ],
        now,
      ),
  },
  {
    id: 'U0SBXALAN',
    name: 'Alan Turing',
    email: 'alan@sandbox.example',
    timeZone: 'Europe/London',
    about: 'New here: try declining the consent',
    connected: false,
    token: 'ya29.sandbox-alan',
    mailbox: (now) => rebase(makeMessages(6), now),
  },
  {
    id: 'U0SBXKATHERINE',
    name: 'Katherine Johnson',
    email: 'katherine@sandbox.example',
    timeZone: 'America/Chicago',
    about: 'Connected, with an empty inbox',
    connected: true,
    token: 'ya29.sandbox-katherine',
    mailbox: () => [],
  },
];

/** The person with this Slack user id. */
export function personById(userId: string): SandboxPerson | undefined {
  return SANDBOX_PEOPLE.find((person) => person.id === userId);
}

/** The channel with this id. */
export function channelById(channelId: string): SandboxChannel | undefined {
  return SANDBOX_CHANNELS.find((channel) => channel.id === channelId);
}

/** The message as received `minutesAgo` before FIXTURE_NOW (its Date header moves with it). */
function dated(message: FakeMessage, minutesAgo: number): FakeMessage {
  return at(message, FIXTURE_NOW - minutesAgo * MINUTE);
}

/** Moves every message by the same amount so that FIXTURE_NOW becomes a minute before `now`. */
function rebase(messages: FakeMessage[], now: number): FakeMessage[] {
  const shift = now - MINUTE - FIXTURE_NOW;
  return messages.map((message) => at(message, Number(message.internalDate) + shift));
}

function at(message: FakeMessage, ms: number): FakeMessage {
  return {
    ...message,
    internalDate: String(ms),
    headers: message.headers.map((header) =>
      header.name.toLowerCase() === 'date' ? { ...header, value: rfc2822Date(ms) } : header,
    ),
  };
}
