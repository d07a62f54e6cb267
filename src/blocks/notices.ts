import type { types } from '@slack/bolt';
import { DEFAULT_COUNT, MAX_COUNT } from '../command-args';
import {
  ArcadeKeyRejectedError,
  GmailAccessRefusedError,
  GmailUnusableError,
  IdentityUnavailableError,
  MisconfiguredError,
  RateLimitedError,
  ServiceUnavailableError,
} from '../errors';
import { escapeMrkdwn } from './mrkdwn';

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

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** `/inbox help`: usage, shown only to the person who asked. */
export function helpMessage(): SlackMessage {
  const text = [
    '*`/inbox`* posts a summary of your newest Gmail messages in this channel.',
    `• \`/inbox\`: your ${DEFAULT_COUNT} newest inbox messages`,
    `• \`/inbox 25\`: a different count (1 to ${MAX_COUNT})`,
    '• `/inbox is:unread from:alice`: any Gmail search (searches all mail, like the Gmail search box)',
    '• `/inbox 5 has:attachment newer_than:2d`: both together; the count comes first',
    '• `/inbox help`: this message',
    'The first time, you get a private *Connect Gmail* button. The app asks for read-only access: it reads senders, subjects and short previews, and can never send, change or delete mail.',
  ].join('\n');
  return { text: '/inbox usage: /inbox [count] [Gmail search]', blocks: [section(text)] };
}

/** A command that could not be understood; the typed text is echoed so nothing is lost. */
export function invalidCommandMessage(problem: string, typed: string): SlackMessage {
  const text = `${escapeMrkdwn(problem)}\nYou typed: \`/inbox ${escapeMrkdwn(typed.replace(/`/g, "'"))}\`\nTry \`/inbox help\` for examples.`;
  return { text: escapeMrkdwn(problem), blocks: [section(text)] };
}

export type ConnectReason = 'first_time' | 'access_refused';

/** The private "Connect Gmail" prompt carrying Arcade's authorization URL. */
export function connectPrompt(url: string, reason: ConnectReason, timeoutMs: number): SlackMessage {
  const minutes = Math.round(timeoutMs / 60_000);
  const why =
    reason === 'access_refused'
      ? ':warning: Gmail no longer accepts the access this app had (it may have been revoked or expired). Please connect again.'
      : ':lock: To summarize your inbox, this app needs to connect to your Gmail.';
  return {
    text: 'Connect Gmail to use /inbox (only you can see this).',
    blocks: [
      section(
        `${why}\nIt asks for *read-only* access (\`gmail.readonly\`): it reads senders, subjects and short previews, and can never send, change or delete mail. Only you can see this message.`,
      ),
      {
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
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Your summary is posted here as soon as you finish. The link works for ${minutes} minutes; after that, run \`/inbox\` again.`,
          },
        ],
      },
    ],
  };
}

/** Replaces the Connect prompt once consent is granted. */
export function connectedMessage(): SlackMessage {
  return {
    text: ':white_check_mark: Gmail connected. Fetching your inbox…',
    blocks: [section(':white_check_mark: *Gmail connected.* Fetching your inbox…')],
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

/** Told when the summary could not go to the channel and was sent by direct message instead. */
export function deliveredByDmNote(channelId: string): string {
  return `I couldn't post in <#${channelId}> (the app isn't in that conversation and the command's reply link had expired), so here is your summary privately.`;
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
    return `:warning: The app is misconfigured and cannot reach Gmail. Please tell your Slack admin (reference \`${referenceId}\`): ${escapeMrkdwn(error.adminHint)}`;
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
