import type { types } from '@slack/bolt';
import { escapeMrkdwn } from '../blocks/mrkdwn';
import type { SlackMessage } from '../blocks/notices';
import { slackDate } from '../blocks/slack-date';
import { describeSchedule, type ScheduleSpec } from './schedule-spec';
import { MAX_SCHEDULES_PER_PERSON, type Schedule } from './schedule-store';

/** The Remove button's action id on `/inbox schedules`; its value is the schedule id. */
export const REMOVE_SCHEDULE_ACTION = 'remove_schedule';
/** "Send now": the digest at once, so a schedule can be seen working without waiting for its time. */
export const SEND_SCHEDULE_NOW_ACTION = 'send_schedule_now';

const EVERY_HINT = 'A search that starts with "every" is typed after a count, as in `/inbox 10 every day`.';

/** A local fallback for clients that cannot render a date token: the person's own zone. */
function localFallback(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(epochMs);
}

/** The confirmation: what was understood, when the first digest comes, and how long it is kept. */
export function scheduleAddedMessage(
  spec: ScheduleSpec,
  nextRun: number,
  timeZone: string,
  options: { privately: boolean; durable: boolean },
): SlackMessage {
  const where = options.privately ? 'by direct message, only to you' : 'here';
  const kept = options.durable
    ? ''
    : ' This app keeps schedules in memory for now: they are kept until the app restarts, so check `/inbox schedules` if one stops coming.';
  const text = `:calendar: A digest ${escapeMrkdwn(describeSchedule(spec))} (${escapeMrkdwn(timeZone)}), ${where}. The next one comes ${slackDate(nextRun, localFallback(nextRun, timeZone))}.${kept} \`/inbox schedules\` lists and removes them. ${EVERY_HINT}`;
  return { text };
}

export function scheduleLimitMessage(): SlackMessage {
  return {
    text: `You already have ${MAX_SCHEDULES_PER_PERSON} scheduled digests, the most one person can have. Remove one with \`/inbox schedules\`, then try again.`,
  };
}

export function timeZoneUnknownMessage(): SlackMessage {
  return {
    text: 'Slack did not tell me your time zone, so nothing was scheduled. Set it in your Slack profile (Preferences → Language & region) and try again; if it keeps happening, ask whoever runs this app to check that it has the `users:read` scope.',
  };
}

/** `/inbox schedules`: each schedule with a Remove button. */
export function scheduleListMessage(schedules: Schedule[]): SlackMessage {
  if (schedules.length === 0) {
    return {
      text: 'You have no scheduled digests. Make one with `/inbox every weekday at 8:30` (a count and search may follow).',
    };
  }
  const blocks: types.KnownBlock[] = schedules.flatMap((schedule) => {
    const search = schedule.request.query ? `, search \`${escapeMrkdwn(schedule.request.query)}\`` : '';
    const where = schedule.privately ? 'only to you' : `in <#${schedule.channelId}>`;
    const line = `*${escapeMrkdwn(describeSchedule(schedule.spec))}* (${escapeMrkdwn(schedule.timeZone)}), ${schedule.request.count} messages${search}, ${where}. Next: ${slackDate(schedule.nextRun, localFallback(schedule.nextRun, schedule.timeZone))}`;
    return [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: line },
        accessory: {
          type: 'button',
          action_id: REMOVE_SCHEDULE_ACTION,
          text: { type: 'plain_text', text: 'Remove' },
          style: 'danger',
          value: schedule.id,
        },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: SEND_SCHEDULE_NOW_ACTION,
            text: { type: 'plain_text', text: 'Send now' },
            value: schedule.id,
          },
        ],
      },
    ];
  });
  return { text: `Your scheduled digests (${schedules.length}).`, blocks };
}

/** One line on what Remove did (also the Home tab's notice). */
export function scheduleRemovedNote(removed: boolean): string {
  return removed
    ? 'Removed: that digest will not come again.'
    : 'That schedule was already gone (removed, or the app restarted).';
}

export function scheduleRemovedMessage(removed: boolean, remaining: Schedule[]): SlackMessage {
  const head = scheduleRemovedNote(removed);
  const list = scheduleListMessage(remaining);
  return {
    text: `${head} ${list.text}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: head } }, ...(list.blocks ?? [])],
  };
}

/** A digest that failed (Gmail or Slack down, say): the person is told, not left waiting. */
export function digestFailedMessage(schedule: Schedule): SlackMessage {
  return {
    text: `:warning: Your digest ${escapeMrkdwn(describeSchedule(schedule.spec))} could not be sent this time (Gmail or Slack did not answer). Nothing is lost: the next digest covers what arrived since the last one. \`/inbox\` gives a summary now.`,
  };
}
