import { type ScheduleDays, type ScheduleSpec, WEEKDAY_NAMES } from './schedule-spec';

/** The word that turns `/inbox …` into a schedule. */
export const EVERY_WORD = 'every';

export type ParsedSchedule =
  /** `rest` is what follows the time: the count and search, parsed as for `/inbox`. */
  { kind: 'schedule'; spec: ScheduleSpec; rest: string } | { kind: 'invalid'; problem: string };

const DAY_WORDS: Record<string, ScheduleDays> = {
  day: { kind: 'day' },
  days: { kind: 'day' },
  weekday: { kind: 'weekday' },
  weekdays: { kind: 'weekday' },
};
WEEKDAY_NAMES.forEach((name, weekday) => {
  DAY_WORDS[name] = { kind: 'weekly', weekday };
  DAY_WORDS[`${name}s`] = { kind: 'weekly', weekday };
  DAY_WORDS[name.slice(0, 3)] = { kind: 'weekly', weekday };
});

const EXAMPLE = '`/inbox every weekday at 8:30 5 is:unread`';

/**
 * Parses the text after `every`: a day word (`day`, `weekday`, a weekday name), an optional
 * `at`, a time (`9:00`, `09:00`, `17:30`, `9am`, `5:30pm`), then the count and search.
 */
export function parseSchedule(textAfterEvery: string): ParsedSchedule {
  const words = textAfterEvery.trim().split(/\s+/).filter(Boolean);
  const dayWord = (words.shift() ?? '').toLowerCase();
  const days = DAY_WORDS[dayWord];
  if (!days) {
    return {
      kind: 'invalid',
      problem: `After "every" comes \`day\`, \`weekday\` or a day of the week, then a time, as in ${EXAMPLE}.`,
    };
  }
  if (words[0]?.toLowerCase() === 'at') words.shift();
  // "9 am" typed with a space is still one time.
  if (words[1] && /^(am|pm)$/i.test(words[1]) && /^\d{1,2}(:\d{2})?$/.test(words[0] ?? '')) {
    words.splice(0, 2, `${words[0]}${words[1]}`);
  }
  const time = parseTime(words.shift() ?? '');
  if (!time) {
    return {
      kind: 'invalid',
      problem: `I could not read a time there. Write it as \`9:00\`, \`17:30\`, \`9am\` or \`5:30pm\`, as in ${EXAMPLE}.`,
    };
  }
  return { kind: 'schedule', spec: { days, ...time }, rest: words.join(' ') };
}

/** `9:00`, `09:00`, `17:30`, `9am`, `5:30pm`, `12am` (midnight), `12pm` (noon); undefined otherwise. */
export function parseTime(word: string): { hour: number; minute: number } | undefined {
  const match = /^(\d{1,2})(?::(\d{2}))?(am|pm|a\.m\.|p\.m\.)?$/i.exec(word.trim());
  if (!match) return undefined;
  const [, hourText = '', minuteText, meridiem] = match;
  let hour = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (minute > 59) return undefined;
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    const pm = meridiem.toLowerCase().startsWith('p');
    hour = (hour % 12) + (pm ? 12 : 0);
  } else {
    // A bare "9" is too easily a count; a 24-hour time needs its minutes.
    if (minuteText === undefined || hour > 23) return undefined;
  }
  return { hour, minute };
}
