import type { InboxRequest } from './inbox';

/** `/inbox` with no count shows this many messages. */
export const DEFAULT_COUNT = 10;
/** The most one summary shows: about what fits in one Slack message (~12k characters of blocks) with previews. */
export const MAX_COUNT = 25;
/** Longer than any real Gmail search; stops a pasted wall of text from reaching Gmail. */
export const MAX_QUERY_LENGTH = 500;

export type ParsedCommand =
  | { kind: 'summary'; request: InboxRequest }
  | { kind: 'help' }
  | { kind: 'invalid'; problem: string };

const HELP_WORDS = new Set(['help', '-h', '--help', '?', 'usage']);

/**
 * Parses the text after `/inbox`: an optional leading count, then an optional Gmail search.
 * Only a leading number is a count, so a search such as `invoice 2024` stays a search.
 */
export function parseInboxCommand(rawText: string): ParsedCommand {
  // Control characters cannot be typed on purpose; they only arrive from pastes and would confuse Gmail.
  const text = rawText.replace(/\p{Cc}+/gu, ' ').trim();
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
