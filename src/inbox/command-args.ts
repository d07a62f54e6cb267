import { EVERY_WORD, parseSchedule } from '../schedules/parse-schedule';
import type { ScheduleSpec } from '../schedules/schedule-spec';
import type { InboxRequest } from './inbox';

/** `/inbox` with no count shows this many messages. */
export const DEFAULT_COUNT = 10;
/** The most one summary shows: about what fits in one Slack message (~12k characters of blocks) with previews. */
export const MAX_COUNT = 25;
/** Longer than any real Gmail search; stops a pasted wall of text from reaching Gmail. */
export const MAX_QUERY_LENGTH = 500;

export type ParsedCommand =
  /** `privately` is present (true) only when the person asked for a summary only they see. */
  | { kind: 'summary'; request: InboxRequest; privately?: true }
  | { kind: 'help' }
  | { kind: 'status' }
  /** `/inbox every …`: a digest at a local time; `request` is what each digest shows. */
  | { kind: 'schedule'; spec: ScheduleSpec; request: InboxRequest; privately?: true }
  /** `/inbox schedules`: the person's schedules, each with a Remove button. */
  | { kind: 'schedules' }
  | { kind: 'disconnect' }
  | { kind: 'invalid'; problem: string };

const HELP_WORDS = new Set(['help', '-h', '--help', '?', 'usage']);
/** Commands that are the whole text; with anything after them they are a Gmail search. */
const WHOLE_WORD_COMMANDS: Record<string, 'status' | 'disconnect' | 'schedules'> = {
  status: 'status',
  schedules: 'schedules',
  disconnect: 'disconnect',
};
/** A leading word asking for a private summary, whatever INBOX_VISIBILITY says. */
export const PRIVATE_WORD = 'private';

/**
 * Parses the text after `/inbox`: `status`, `disconnect` or `help` on their own; otherwise an
 * optional leading `private`, an optional count, then an optional Gmail search. Only a leading
 * word is a keyword and only a leading number is a count, so `invoice 2024` or `is:private` stay
 * searches.
 */
export function parseInboxCommand(rawText: string): ParsedCommand {
  // Control characters cannot be typed on purpose; they only arrive from pastes and would confuse Gmail.
  const cleaned = rawText.replace(/\p{Cc}+/gu, ' ').trim();
  const whole = WHOLE_WORD_COMMANDS[cleaned.toLowerCase()];
  if (whole) return { kind: whole };
  const [firstWord = ''] = cleaned.split(/\s/, 1);
  if (firstWord.toLowerCase() === PRIVATE_WORD) {
    const parsed = parseScheduleOrSummary(cleaned.slice(firstWord.length).trim());
    return parsed.kind === 'summary' || parsed.kind === 'schedule' ? { ...parsed, privately: true } : parsed;
  }
  return parseScheduleOrSummary(cleaned);
}

/**
 * A leading `every` makes a schedule; a search that starts with "every" is typed after a count
 * (`/inbox 10 every day`) or in quotes (`/inbox "every day"`), which Gmail reads the same way.
 */
function parseScheduleOrSummary(text: string): ParsedCommand {
  const [firstWord = ''] = text.split(/\s/, 1);
  if (firstWord.toLowerCase() !== EVERY_WORD) return parseSummary(text);
  const schedule = parseSchedule(text.slice(firstWord.length));
  if (schedule.kind === 'invalid') return schedule;
  const digest = parseSummary(schedule.rest);
  if (digest.kind === 'help') return parseSummary(`10 ${schedule.rest}`);
  if (digest.kind !== 'summary') return digest;
  return { kind: 'schedule', spec: schedule.spec, request: digest.request };
}

/** The count-then-search part (also `help`). */
function parseSummary(text: string): ParsedCommand {
  if (text === '') return { kind: 'summary', request: { count: DEFAULT_COUNT } };
  if (HELP_WORDS.has(text.toLowerCase())) return { kind: 'help' };

  const [first = '', ...rest] = text.split(/\s+/);
  let count = DEFAULT_COUNT;
  let query = text;
  if (/^\d+$/.test(first)) {
    count = Number(first);
    if (count < 1 || count > MAX_COUNT) {
      return {
        kind: 'invalid',
        problem: `The count must be from 1 to ${MAX_COUNT}; you asked for ${first.length > 12 ? `${first.slice(0, 12)}…` : first}.`,
      };
    }
    query = rest.join(' ');
  }
  if (query.length > MAX_QUERY_LENGTH) {
    return {
      kind: 'invalid',
      problem: `That search is ${query.length} characters long; Gmail searches here can be at most ${MAX_QUERY_LENGTH}.`,
    };
  }
  return { kind: 'summary', request: query ? { count, query } : { count } };
}
