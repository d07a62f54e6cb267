/**
 * The Gmail search of one digest: what arrived since the previous one, within the person's own
 * search. Gmail's `after:` takes epoch seconds (a date alone would be read in Google's time zone,
 * not the person's). The person's search is grouped so an `OR` in it cannot escape the window.
 * https://support.google.com/mail/answer/7190
 */
export function digestQuery(sinceMs: number, query?: string): string {
  const window = `after:${Math.floor(sinceMs / 1000)}`;
  return query?.trim() ? `${window} (${query.trim()})` : window;
}
