import type { SlackMessage } from './notices';

/**
 * Said in the ack itself, privately, when so many summaries already wait that this one could not
 * start soon: costs no extra call to Slack at the moment the app is busiest, and the person knows
 * at once rather than waiting for a summary that would come late.
 */
export function busyMessage(): SlackMessage {
  return {
    text: '/inbox is very busy right now; try again in a minute. (only you can see this)',
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*`/inbox` is very busy right now*, so your summary was not started: too many people asked at the same moment. Try again in a minute; nothing about your Gmail connection has changed. Only you can see this message.',
        },
      },
    ],
  };
}
