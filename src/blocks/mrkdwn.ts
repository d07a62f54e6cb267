/**
 * Making stranger-written text safe and bounded for Slack mrkdwn.
 * Order matters: normalise (`oneLine`), cut (`truncate`), then escape, so an entity is never cut.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes exactly `&`, `<` and `>`, the only characters Slack asks to escape; with them gone, text
 * cannot form `<!channel>`, `<@U…>`, `<#C…>` or a disguised `<url|label>` link.
 * https://docs.slack.dev/messaging/formatting-message-text
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
}

/** `escapeMrkdwn(text).length` without building the string: the measure for budgets of escaped text. */
export function escapedLength(text: string): number {
  let length = text.length;
  for (const c of text) {
    if (c === '&') length += 4;
    else if (c === '<' || c === '>') length += 3;
  }
  return length;
}

const ELLIPSIS = '…';

/**
 * Cuts `text` so that `measure(result) <= max`, at a code-point boundary (never inside a surrogate
 * pair), ending with `…` when something was cut. `measure` defaults to UTF-16 length, which is how
 * Slack and `JSON.stringify(...).length` count.
 */
export function truncate(
  text: string,
  max: number,
  measure: (s: string) => number = (s) => s.length,
): string {
  const limit = Number.isFinite(max) ? Math.floor(max) : 0;
  const room = limit - measure(ELLIPSIS);
  let used = 0;
  let fitsWithEllipsis = 0;
  let end = 0;
  // One pass that stops once past `limit`, so cost follows the budget, not the text's length.
  for (const codePoint of text) {
    used += measure(codePoint);
    if (used > limit) return room < 0 ? '' : text.slice(0, fitsWithEllipsis) + ELLIPSIS;
    end += codePoint.length;
    if (used <= room) fitsWithEllipsis = end;
  }
  return text;
}

/** Cuts raw text so that its escaped form fits `max`, then escapes it: the budget is the escaped length. */
export function escapeTruncated(text: string, max: number): string {
  return escapeMrkdwn(truncate(text, max, escapedLength));
}

// Invisible and direction-changing characters let a sender disguise text (e.g. reverse a file
// extension with U+202E) or smuggle in look-alike strings; they carry nothing a summary needs.
const INVISIBLE = /[\u034F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// Unicode whitespace (\s covers line/paragraph separators and NBSP) and control characters
// (C0, DEL, C1) would break a one-line layout or render as boxes.
const BREAKING = /[\s\p{Cc}]+/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces unpaired surrogates with U+FFFD: they are not Unicode text, `encodeURIComponent`
 * throws on them, and `JSON.stringify` inflates each to six characters.
 */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * One line of visible text: strips zero-width and bidi-control characters, collapses every run of
 * whitespace, line breaks and control characters to one space, and trims. Email subjects can hold
 * newlines that would break a summary's layout.
 */
export function oneLine(text: string): string {
  return toWellFormed(text).replace(INVISIBLE, '').replace(BREAKING, ' ').trim();
}

/** What stands in for `|` in a link label: U+00A6 BROKEN BAR (Latin-1, so every client can draw it). */
const LABEL_BAR = '\u00A6';

/**
 * Email text as the label of a `<url|label>` link we write: cut to `max` escaped characters and
 * escaped, with every `|` turned into `¦`. Escaping already stops the label from ending the link or
 * opening another one (`>`, `<`); no `|` means the only separator in the link is ours, so no parser
 * can read part of the label as a target.
 */
export function escapeLinkLabel(text: string, max: number): string {
  return escapeTruncated(text.replace(/\|/g, LABEL_BAR), max);
}

/** What stands in for each backtick of a run of three or more: U+02CB MODIFIER LETTER GRAVE ACCENT. */
const FENCE_TICK = '\u02CB';

/**
 * Turns every run of three or more backticks into look-alikes. A ``` fence, unlike `*` or `_`,
 * spans lines, so one in an email could turn the rest of a section (other messages, their links)
 * into a code block. Single and double backticks stay: they cannot leave their line. Same length.
 */
export function breakCodeFences(text: string): string {
  return text.replace(/`{3,}/g, (run) => FENCE_TICK.repeat(run.length));
}
