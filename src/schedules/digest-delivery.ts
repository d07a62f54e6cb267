import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { GmailAccess } from '../auth/gmail-access';
import { connectButton, type SlackMessage } from '../blocks/notices';
import { renderInbox } from '../blocks/render-inbox';
import { slackDate } from '../blocks/slack-date';
import { describeError } from '../core/log';
import type { GmailReader } from '../gmail/gmail-reader';
import type { ArcadeUserIdResolver } from '../identity/identity';
import { digestQuery } from './digest-query';
import type { DigestResult, DigestSlot } from './schedule-runner';
import { describeSchedule } from './schedule-spec';
import type { Schedule } from './schedule-store';

export interface DigestDeliveryDeps {
  resolveUserId: ArcadeUserIdResolver;
  access: GmailAccess;
  reader: GmailReader;
  client: WebClient;
  logger: Logger;
}

/**
 * One digest: the Gmail token through Arcade (fresh at each run), what arrived since the previous
 * digest, in the summary layout, posted where the schedule was set up (privately: to the person's
 * DM only). Consent needed: a DM with the Connect button and the run skipped; the runner moves on
 * to the next slot, so it is not asked again every minute.
 */
export function createDigestDelivery(deps: DigestDeliveryDeps) {
  const { client, logger } = deps;
  const post = async (channel: string, message: SlackMessage) => {
    await client.chat.postMessage({ channel, ...message, unfurl_links: false, unfurl_media: false });
  };

  return async function deliver(schedule: Schedule, slot: DigestSlot): Promise<DigestResult> {
    const userId = schedule.identity.userId;
    const arcadeUserId = await deps.resolveUserId(schedule.identity);
    const access = await deps.access.request(arcadeUserId);
    if (access.kind === 'consent_required') {
      await post(userId, consentNeededMessage(schedule, access.url));
      logger.info(`digest ${schedule.id} for ${userId} skipped: Gmail consent needed`);
      return 'skipped';
    }
    const query = digestQuery(slot.since, schedule.request.query);
    const inbox = await deps.reader.readInbox(
      access.grant.token,
      { count: schedule.request.count, query },
      access.grant.account,
    );
    const missed =
      slot.skipped > 0 ? `${slot.skipped} earlier digest(s) could not be sent; this one covers them. ` : '';
    // What the digest is: a schedule's run, and the window it covers (a date token per reader).
    const heading = `${missed}Your digest ${describeSchedule(schedule.spec)}: what arrived since ${slackDate(slot.since)}.`;
    const message: SlackMessage =
      inbox.messages.length === 0
        ? { text: `${missed}Nothing new since ${slackDate(slot.since)}.` }
        : withNote(
            renderInbox(inbox, {
              requesterId: userId,
              top: [{ type: 'context', elements: [{ type: 'mrkdwn', text: heading }] }],
            }),
            missed,
          );
    if (schedule.privately) {
      await post(userId, message);
    } else {
      try {
        await post(schedule.channelId, message);
      } catch (error) {
        // The bot left the channel, or it was archived: the person still gets their digest.
        logger.warn(`digest ${schedule.id} could not be posted in its channel:`, describeError(error));
        await post(userId, message);
      }
    }
    logger.info(`digest ${schedule.id} for ${userId}: ${inbox.messages.length} message(s)`);
    return 'delivered';
  };
}

function withNote(message: SlackMessage, note: string): SlackMessage {
  return note ? { ...message, text: `${note}${message.text}` } : message;
}

function consentNeededMessage(schedule: Schedule, url: string): SlackMessage {
  const text = `:lock: Your digest ${describeSchedule(schedule.spec)} was skipped: this app needs to connect to your Gmail again. Connect below; the next digest then arrives as scheduled.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, connectButton(url)] };
}
