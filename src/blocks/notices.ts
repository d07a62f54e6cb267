import type { types } from '@slack/bolt';
import {
  ArcadeKeyRejectedError,
  AuthorizationFailedError,
  EmailUnconfirmedError,
  GmailAccessRefusedError,
  GmailUnusableError,
  IdentityUnavailableError,
  MisconfiguredError,
  RateLimitedError,
  ServiceUnavailableError,
} from '../core/errors';
import { DEFAULT_COUNT, MAX_COUNT } from '../inbox/command-args';
import { MAX_BUTTON_URL } from './limits';
import { escapeMrkdwn, escapeTruncated, oneLine } from './mrkdwn';

type KnownBlock = types.KnownBlock;

/**
 * Every private notice a person can get: help, the Connect prompt, consent outcomes and failures.
 * Each says what happened and what to do next. Pure: (inputs) → message.
 */

/** A Slack message body: `text` is the notification fallback, `blocks` the rich layout. */
export interface SlackMessage {
  text: string;
  blocks?: KnownBlock[];
}

/** The Connect Gmail link button's action id; the listener acks its clicks. */
export const CONNECT_GMAIL_ACTION = 'connect_gmail';

/** Whether `url` fits a link button (Slack refuses the whole message otherwise). */
export function fitsButton(url: string): boolean {
  return url.length <= MAX_BUTTON_URL;
}

/**
 * The most a Connect link may take in a message's `text` (Slack's cap is 40,000 characters), with
 * room for the words around it.
 */
const MAX_TEXT_LINK_URL = 38_000;

/**
 * `url` as the target of a mrkdwn `<url|label>` link: `&` escaped as Slack asks; `<`, `>` and `|`
 * (which would end the target) percent-encoded, which a web server reads the same.
 */
function mrkdwnLinkTarget(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
}

/** The Connect Gmail link button, in the private prompt and on the Home tab (`url` must fit: see fitsButton). */
export function connectButton(url: string): KnownBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: CONNECT_GMAIL_ACTION,
        style: 'primary',
        text: { type: 'plain_text', text: 'Connect Gmail' },
        url,
      },
    ],
  };
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The "Share to channel" button on a private summary; the listener matches on it. */
export const SHARE_SUMMARY_ACTION = 'share_summary';
/** The Disconnect button after `/inbox disconnect`. */
export const DISCONNECT_GMAIL_ACTION = 'disconnect_gmail';
/** The Cancel button after `/inbox disconnect`. */
export const DISCONNECT_CANCEL_ACTION = 'disconnect_cancel';

/** Where summaries go by default (INBOX_VISIBILITY); the help text and App Home explain it. */
export type SummaryVisibility = 'channel' | 'private';

/** The usage lines shared by `/inbox help` and the App Home tab. */
export function usageLines(visibility: SummaryVisibility): string[] {
  return [
    visibility === 'private'
      ? '*`/inbox`* shows you a private summary of your newest Gmail messages, with a button to share it with the channel.'
      : '*`/inbox`* posts a summary of your newest Gmail messages in the channel where you type it.',
    `• \`/inbox\`: your ${DEFAULT_COUNT} newest inbox messages`,
    `• \`/inbox 25\`: a different count (1 to ${MAX_COUNT})`,
    '• `/inbox is:unread from:alice`: any Gmail search (searches all mail, like the Gmail search box)',
    '• `/inbox 5 has:attachment newer_than:2d`: both together; the count comes first',
    visibility === 'private'
      ? '• `/inbox private …`: private, as always here'
      : '• `/inbox private …`: only you see the summary (with a *Share to channel* button); put it first, e.g. `/inbox private 5 is:unread`',
    '• `/inbox every weekday at 8:30 5 is:unread`: a digest at that time in your Slack time zone (`/inbox schedules` lists and removes them; a search starting with "every" goes after a count: `/inbox 10 every day`)',
    '• `/inbox status`: whether your Gmail is connected, and which account',
    '• `/inbox disconnect`: remove this app’s access to your Gmail',
    '• `/inbox help`: this message',
  ];
}

/** `/inbox help`: usage, shown only to the person who asked; `note`: a last line (AI summaries). */
export function helpMessage(visibility: SummaryVisibility = 'channel', note?: string): SlackMessage {
  const text = [
    ...usageLines(visibility),
    'The first time, you get a private *Connect Gmail* button. The app asks for read-only access: it reads senders, subjects and short previews, and can never send, change or delete mail.',
    ...(note ? [note] : []),
  ].join('\n');
  return {
    text: '/inbox usage: /inbox [private] [count] [Gmail search] | status | disconnect',
    blocks: [section(text)],
  };
}

/** A command that could not be understood; the typed text is echoed so nothing is lost. */
export function invalidCommandMessage(problem: string, typed: string): SlackMessage {
  // A pasted wall of text must not break Slack's 3,000-character section limit; Slack's own
  // command history still holds the whole of it.
  const flat = oneLine(typed).replace(/`/g, "'");
  const echo = escapeTruncated(flat, MAX_ECHO);
  const shortened = echo.length < escapeMrkdwn(flat).length ? ' (shortened)' : '';
  const text = `${escapeMrkdwn(problem)}\nYou typed${shortened}: \`/inbox ${echo}\`\nTry \`/inbox help\` for examples.`;
  return { text: escapeMrkdwn(problem), blocks: [section(text)] };
}

/** How much of a refused command is shown back. */
const MAX_ECHO = 1000;

export type ConnectReason = 'first_time' | 'access_refused';

/**
 * The private "Connect Gmail" prompt carrying Arcade's authorization URL. With the custom verifier
 * on, the person is told they will confirm who they are with Slack, so that step is no surprise.
 */
export function connectPrompt(
  url: string,
  reason: ConnectReason,
  timeoutMs: number,
  options: { verifier?: boolean } = {},
): SlackMessage {
  const minutes = Math.round(timeoutMs / 60_000);
  const why =
    reason === 'access_refused'
      ? ':warning: Gmail no longer accepts the access this app had (it may have been revoked or expired). Please connect again.'
      : ':lock: To summarize your inbox, this app needs to connect to your Gmail.';
  const afterwards = `${options.verifier ? 'After Google, you confirm who you are with *Sign in with Slack*. ' : ''}Your summary arrives here as soon as you finish. The link works for ${minutes} minutes, only for you; after that, run \`/inbox\` again.`;
  if (!fitsButton(url)) return longLinkPrompt(url, why, afterwards);
  return {
    text: 'Connect Gmail to use /inbox (only you can see this).',
    blocks: [
      section(
        `${why}\nIt asks for *read-only* access (\`gmail.readonly\`): it reads senders, subjects and short previews, and can never send, change or delete mail. Only you can see this message.`,
      ),
      connectButton(url),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: afterwards,
          },
        ],
      },
    ],
  };
}

/**
 * A Connect link longer than a button takes (3,000 characters): Block Kit has no place for it, so
 * the message is `text` only (40,000 characters), where a mrkdwn link still works. A link too long
 * even for that cannot be offered at all; the person is told so.
 */
function longLinkPrompt(url: string, why: string, afterwards: string): SlackMessage {
  const target = mrkdwnLinkTarget(url);
  if (target.length > MAX_TEXT_LINK_URL) {
    return {
      text: `${why}\n:warning: Arcade sent a Connect link of ${url.length.toLocaleString('en-US')} characters, too long for Slack to carry, so it cannot be shown here. Please tell your Slack admin: the Arcade project's Google provider or verifier URL settings make the link too long.`,
    };
  }
  return {
    text: `${why}\nIt asks for *read-only* access (\`gmail.readonly\`): it reads senders, subjects and short previews, and can never send, change or delete mail. Only you can see this message.\n*<${target}|Connect Gmail>*\n${afterwards}`,
  };
}

/** Replaces the Connect prompt once consent is granted. */
export function connectedMessage(): SlackMessage {
  return {
    text: ':white_check_mark: Gmail connected. Fetching your inbox…',
    blocks: [section(':white_check_mark: *Gmail connected.* Fetching your inbox…')],
  };
}

/**
 * Replaces the "Fetching your inbox…" note once the summary is in, so that it does not say
 * "Fetching" for good. `route`: where the summary went (the channel, or a direct message).
 */
export function connectedDoneMessage(route: 'channel' | 'dm'): SlackMessage {
  const where =
    route === 'dm' ? 'Your summary was sent to you in a direct message.' : 'Your summary is posted below.';
  return {
    text: `:white_check_mark: Gmail connected. ${where}`,
    blocks: [section(`:white_check_mark: *Gmail connected.* ${where}`)],
  };
}

/** The person declined, or Google/Arcade ended the consent with an error. */
export function consentFailedMessage(): SlackMessage {
  const text =
    ':x: Gmail was not connected: the authorization was declined or did not complete. Run `/inbox` to try again.';
  return { text, blocks: [section(text)] };
}

/** The consent deadline passed. */
export function consentExpiredMessage(): SlackMessage {
  const text =
    ':hourglass: The Connect Gmail link expired before it was completed. Run `/inbox` again for a fresh link.';
  return { text, blocks: [section(text)] };
}

/** The app is shutting down while the person was still connecting. */
export function shutdownMessage(): SlackMessage {
  const text =
    ':arrows_counterclockwise: The app restarted while you were connecting Gmail. Once you have finished in the browser, run `/inbox` again.';
  return { text, blocks: [section(text)] };
}

/**
 * Why Slack refused the app's post in a channel: `chat.postMessage` errors that mean "not here",
 * rather than "Slack is broken". https://docs.slack.dev/reference/methods/chat.postMessage#errors
 */
export type PostRefusal =
  | 'not_a_member'
  | 'is_archived'
  | 'restricted_action'
  | 'restricted_action_read_only_channel'
  | 'restricted_action_thread_only_channel'
  | 'no_permission'
  | 'ekm_access_denied';

const REFUSAL_REASONS: Record<PostRefusal, string> = {
  not_a_member: "the app isn't in that conversation",
  is_archived: 'that channel is archived',
  restricted_action: 'your workspace settings do not let this app post there',
  restricted_action_read_only_channel: 'that channel is read-only for this app',
  restricted_action_thread_only_channel: 'that channel takes posts only in threads',
  no_permission: 'this app has no permission to post there',
  ekm_access_denied: "your workspace's Enterprise Key Management refused the post",
};

/** Told when the summary could not go to the channel and was sent by direct message instead. */
export function deliveredByDmNote(channelId: string, refusal: PostRefusal = 'not_a_member'): string {
  return `I couldn't post in <#${channelId}> (${REFUSAL_REASONS[refusal]}, and the command's reply link could not post there either), so here is your summary privately.`;
}

/** The message for any failure a person can hit; `referenceId` ties it to the log line. */
export function failureMessage(error: unknown, referenceId: string): SlackMessage {
  const text = failureText(error, referenceId);
  return { text, blocks: [section(text)] };
}

function failureText(error: unknown, referenceId: string): string {
  if (error instanceof ArcadeKeyRejectedError) {
    return `:warning: The app is misconfigured: Arcade rejected its API key. Please tell your Slack admin (reference \`${referenceId}\`).`;
  }
  if (error instanceof MisconfiguredError) {
    return `:warning: The app is misconfigured. Please tell your Slack admin (reference \`${referenceId}\`): ${escapeMrkdwn(error.adminHint)}`;
  }
  if (error instanceof EmailUnconfirmedError) {
    return `:warning: This app identifies people by their Slack email, and Slack has not confirmed yours yet, so your Gmail was not read. Confirm it with the link Slack emailed you (or ask your Slack admin), then run \`/inbox\` again (reference \`${referenceId}\`).`;
  }
  if (error instanceof IdentityUnavailableError) {
    return `:warning: This app identifies people by their Slack email, but Slack did not share yours. Please ask your Slack admin to grant the app the \`users:read.email\` scope and reinstall it (reference \`${referenceId}\`).`;
  }
  if (error instanceof RateLimitedError) {
    const when = error.retryAfterSeconds
      ? `in about ${humanDuration(error.retryAfterSeconds)}`
      : 'in a minute';
    return `:hourglass: ${error.service} is limiting requests for your account right now. Try \`/inbox\` again ${when}.`;
  }
  if (error instanceof ServiceUnavailableError) {
    return `:cloud: ${error.service} isn't answering right now. Try \`/inbox\` again in a minute (reference \`${referenceId}\`).`;
  }
  if (error instanceof AuthorizationFailedError) {
    return `:x: Arcade could not start connecting your Gmail: it answered that the authorization failed, so there is no Connect link to offer. Run \`/inbox\` again in a minute; if it keeps failing, tell your Slack admin (reference \`${referenceId}\`).`;
  }
  if (error instanceof GmailAccessRefusedError) {
    return `:warning: Gmail keeps refusing the access this app holds for you, and it could not be reset. Remove the app's access at <https://myaccount.google.com/permissions|your Google account permissions>, then run \`/inbox\` again (reference \`${referenceId}\`).`;
  }
  if (error instanceof GmailUnusableError) {
    return gmailUnusableText(error.reason, referenceId);
  }
  return `:x: Sorry, something went wrong while fetching your inbox. Please try again; if it keeps happening, tell your Slack admin and quote reference \`${referenceId}\`.`;
}

function gmailUnusableText(reason: string, referenceId: string): string {
  switch (reason) {
    case 'domainPolicy':
      return ':no_entry: Your Google Workspace administrator has disabled Gmail access for third-party apps, so `/inbox` cannot read your mail. Ask them to allow it.';
    case 'failedPrecondition':
      return ':no_entry: This Google account has no Gmail mailbox (or it is not set up yet), so there is nothing to summarize.';
    case 'invalid_request':
      return ':mag: Gmail could not run that request. If you used a search, check its syntax (it works like the Gmail search box) and try again.';
    default:
      return `:hourglass: Gmail's daily limit for this app has been reached. Try again tomorrow, or tell your Slack admin (reference \`${referenceId}\`).`;
  }
}

function humanDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} seconds`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 3600)} hours`;
}

/**
 * The blocks that make a summary private: a "Share to channel" button and a note. `shareValue` is
 * the button's value (a reference, never content or a token; at most 2,000 characters). Pass them
 * to renderInbox as `bottom`, so the summary leaves them room.
 */
export function shareBlocks(shareValue: string): types.KnownBlock[] {
  return [
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: SHARE_SUMMARY_ACTION,
          text: { type: 'plain_text', text: 'Share to channel' },
          value: shareValue,
        },
      ],
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: ':lock: Only you can see this summary until you share it.' }],
    },
  ];
}

/**
 * A message shown only to the person, with the Share blocks after it. For a summary, render with
 * `bottom: shareBlocks(value)` instead: this appends without budgeting.
 */
export function privateSummary(summary: SlackMessage, shareValue: string): SlackMessage {
  return { text: summary.text, blocks: [...(summary.blocks ?? []), ...shareBlocks(shareValue)] };
}

/** Replaces the private summary once it has been shared. */
export function sharedNote(channelId: string): SlackMessage {
  const text = `:white_check_mark: You shared this summary in <#${channelId}>.`;
  return { text, blocks: [section(text)] };
}

/** A second click on a Share button whose summary was already shared. */
export function alreadySharedMessage(): SlackMessage {
  const text = 'This summary has already been shared. Run `/inbox` for a fresh one.';
  return { text, blocks: [section(text)] };
}

/** A Share button whose value this app cannot read (an old or altered message). */
export function shareButtonUnusableMessage(): SlackMessage {
  const text = 'This button no longer works. Run `/inbox` for a fresh summary.';
  return { text, blocks: [section(text)] };
}

/** Sharing needed a fresh read of Gmail, and Gmail is no longer connected. */
export function shareNeedsConnectMessage(): SlackMessage {
  const text =
    ':warning: This summary can no longer be shared: your Gmail is not connected any more. Run `/inbox` to connect again.';
  return { text, blocks: [section(text)] };
}

/** `/inbox disconnect`: asks before removing anything (the Slack confirm dialog asks once more). */
export function disconnectConfirmMessage(): SlackMessage {
  return {
    text: 'Disconnect Gmail from /inbox? (only you can see this)',
    blocks: [
      section(
        '*Disconnect Gmail from `/inbox`?*\nThe app removes its access to your Gmail (held by Arcade for you). `/inbox` will ask you to connect again next time. Only you can see this message.',
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: DISCONNECT_GMAIL_ACTION,
            style: 'danger',
            text: { type: 'plain_text', text: 'Disconnect' },
            value: 'disconnect',
            confirm: disconnectDialog(),
          },
          {
            type: 'button',
            action_id: DISCONNECT_CANCEL_ACTION,
            text: { type: 'plain_text', text: 'Cancel' },
            value: 'cancel',
          },
        ],
      },
    ],
  };
}

/** The Slack confirm dialog on every Disconnect button. */
export function disconnectDialog(): types.ConfirmationDialog {
  return {
    title: { type: 'plain_text', text: 'Disconnect Gmail?' },
    text: {
      type: 'mrkdwn',
      text: '`/inbox` will no longer be able to read your Gmail until you connect again.',
    },
    confirm: { type: 'plain_text', text: 'Disconnect' },
    deny: { type: 'plain_text', text: 'Keep it' },
    style: 'danger',
  };
}

/** After a disconnect: what was removed, and how to also revoke at Google. */
export function disconnectedMessage(removed: number): SlackMessage {
  const text =
    removed > 0
      ? ':white_check_mark: *Gmail disconnected.* `/inbox` can no longer read your mail. To also remove the grant on Google’s side, visit <https://myaccount.google.com/permissions|your Google account permissions>. Run `/inbox` whenever you want to connect again.'
      : 'Your Gmail was not connected, so there was nothing to remove.';
  return { text, blocks: [section(text)] };
}

/** The person pressed Cancel on the disconnect question. */
export function disconnectCancelledMessage(): SlackMessage {
  const text = 'Nothing changed: your Gmail connection is as it was.';
  return { text, blocks: [section(text)] };
}

/** What a person's connection looks like, for `/inbox status` and App Home. */
export type ConnectionView = { connected: true; account?: string } | { connected: false };

/** The longest account shown: an email address has at most 254 characters (RFC 5321 paths). */
const MAX_ACCOUNT = 254;

/**
 * A Google account as Arcade reported it, safe for mrkdwn and bounded: one line, escaped, cut at
 * MAX_ACCOUNT escaped characters, so a section stays inside Slack's 3,000 whatever Arcade sends.
 */
export function accountLabel(account: string): string {
  return escapeTruncated(oneLine(account), MAX_ACCOUNT);
}

/** `/inbox status`: connected or not, and which Google account; never starts a consent. */
export function connectionStatusMessage(connection: ConnectionView): SlackMessage {
  const text = connection.connected
    ? `:white_check_mark: Your Gmail is connected${connection.account ? ` (*${accountLabel(connection.account)}*)` : ''}, read-only. \`/inbox disconnect\` removes the app’s access.`
    : ':heavy_minus_sign: Your Gmail is not connected. Run `/inbox` to connect it (read-only).';
  return { text, blocks: [section(text)] };
}
