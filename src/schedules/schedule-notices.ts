import { escapeMrkdwn } from '../blocks/mrkdwn';
import type { SlackMessage } from '../blocks/notices';
import { describeSchedule, type ScheduleSpec } from './schedule-spec';

/**
 * The answer to `/inbox every …` and `/inbox schedules` while this build has no schedule runner:
 * it says what was understood and that nothing was scheduled, so nobody waits for a digest that
 * will not come.
 */
export function schedulesUnavailableMessage(spec?: ScheduleSpec): SlackMessage {
  const understood = spec ? `I read that as a digest ${escapeMrkdwn(describeSchedule(spec))}, but ` : '';
  const text = `${understood}scheduled digests are not switched on in this version of the app, so nothing was scheduled. \`/inbox\` still gives a summary whenever you ask; a search that starts with "every" is typed after a count, as in \`/inbox 10 every day\`.`;
  return { text: text.charAt(0).toUpperCase() + text.slice(1) };
}
