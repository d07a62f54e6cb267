/**
 * A model's answer → plain lines of text and message numbers. The answer is as hostile as the
 * email the model read: whatever it writes, only words and `[n]` references survive. Slack tokens
 * (`<!channel>`, `<@U…>`, `<#C…>`, `<url|label>`), Markdown links, bare URLs, `@`-mentions, emoji
 * codes and formatting characters are removed here; what is left is escaped when it is rendered
 * (src/tldr/tldr-blocks.ts), and `[n]` becomes the app's own link to message n.
 */

import { toWellFormed } from '../blocks/mrkdwn';

/** A run of text, or a reference to message `n` (1-based, in the inbox's order). */
export type TldrSegment = { kind: 'text'; text: string } | { kind: 'ref'; n: number };

/** The TL;DR as the app will show it: a few lines, each text and references. */
export interface TldrAnswer {
  lines: TldrSegment[][];
}

/** Lines kept; the prompt asks for three, a chatty model gets two more at most. */
export const MAX_LINES = 5;
/** Characters of text per line, before escaping (the renderer measures again, escaped). */
export const MAX_LINE_TEXT = 240;
/** References kept in the whole TL;DR: each costs a link's worth of the message's size budget. */
export const MAX_REFS = 10;
/** Raw characters looked at: no sensible TL;DR is longer, and work stays bounded for any answer. */
const SCAN_LIMIT = 4000;

const INVISIBLE =
  /[\u034F\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0]/g;
// Control characters except the line break, which separates lines.
const CONTROL = /(?!\n)\p{Cc}/gu;
// `<…>`: Slack's tokens. A `<url|label>` keeps only its label; every other token goes entirely.
const SLACK_TOKEN = /<([^<>\n]*)>/g;
// `[label](url)`: a Markdown link keeps its label.
const MARKDOWN_LINK = /\[([^[\]\n]*)\]\([^()\n]*\)/g;
// Anything that looks like an address a client might turn into a link.
const URL_LIKE = /\b(?:[a-z][a-z0-9+.-]{1,20}:\/\/|www\.|mailto:|slack:|tel:)\S*/gi;
// An address would be a mailto link in some clients; the model has no reason to write one.
const EMAIL_ADDRESS = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// `@here`, `@channel`, `@alice`, `＠everyone`: the sign goes, the word stays.
const AT_SIGN = /(^|[^\p{L}\p{N}_.+-])[@\uFF20\uFE6B](?=[\p{L}\p{N}_])/gu;
// `!channel`, `!here`, `!everyone`: the forms inside `<!…>`, in case one survives the token rule.
const BANG_MENTION = /!(channel|here|everyone|subteam)\b/gi;
// `:rotating_light:`; a time such as 10:30:00 has no letter and stays.
const EMOJI_CODE = /:(?=[a-z0-9_+'-]*[a-z])[a-z0-9_+'-]{1,40}:/gi;
// mrkdwn and Markdown formatting; `>` quotes and `#` headings only at a line's start.
const FORMATTING = /[*_~`|]/g;
const LINE_PREFIX = /^\s*(?:[>#]+\s*|[-–•·]\s+|\d{1,2}[.)]\s+|tl;?dr:?\s*)+/i;
// `[3]`, `[3, 5]`, `[#3]`, `[3][5]`.
const REFERENCE = /\[\s*#?(\d{1,3}(?:\s*[,;&]\s*#?\d{1,3})*)\s*\]/g;

/**
 * Parses `answer` for an inbox of `messageCount` messages; undefined when nothing sensible is
 * left (empty, only symbols, only references): the summary then stays as it is.
 */
export function parseTldrAnswer(answer: unknown, messageCount: number): TldrAnswer | undefined {
  if (typeof answer !== 'string') return undefined;
  const cleaned = toWellFormed(answer.slice(0, SCAN_LIMIT))
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .replace(SLACK_TOKEN, (_token, inner: string) => {
      const bar = inner.indexOf('|');
      return bar >= 0 && !/^[!@#]/.test(inner) ? inner.slice(bar + 1) : '';
    })
    .replace(MARKDOWN_LINK, '$1')
    .replace(URL_LIKE, '')
    .replace(EMAIL_ADDRESS, '')
    .replace(AT_SIGN, '$1')
    .replace(BANG_MENTION, '$1')
    .replace(EMOJI_CODE, '');

  const lines: TldrSegment[][] = [];
  let refs = 0;
  for (const raw of cleaned.split('\n')) {
    if (lines.length >= MAX_LINES) break;
    const line = parseLine(raw.replace(LINE_PREFIX, ''), messageCount, MAX_REFS - refs);
    if (!line) continue;
    refs += line.filter((s) => s.kind === 'ref').length;
    lines.push(line);
  }
  return lines.length > 0 ? { lines } : undefined;
}

/** One line: text with formatting removed, `[n]` for n in 1..count as references; undefined if it says nothing. */
function parseLine(raw: string, count: number, refRoom: number): TldrSegment[] | undefined {
  const segments: TldrSegment[] = [];
  let textLength = 0;
  let room = refRoom;
  const pushText = (piece: string) => {
    const text = piece.replace(FORMATTING, '').replace(/\s+/g, ' ');
    if (!text.trim() || textLength >= MAX_LINE_TEXT) return;
    const kept = cut(text, MAX_LINE_TEXT - textLength);
    textLength += kept.length;
    const last = segments[segments.length - 1];
    if (last?.kind === 'text') last.text += kept;
    else segments.push({ kind: 'text', text: kept });
  };
  let at = 0;
  for (const match of raw.matchAll(REFERENCE)) {
    pushText(raw.slice(at, match.index));
    at = (match.index ?? 0) + match[0].length;
    for (const digits of (match[1] ?? '').split(/[,;&]/)) {
      const n = Number(digits.replace('#', '').trim());
      const seen = segments.some((s) => s.kind === 'ref' && s.n === n);
      if (!Number.isInteger(n) || n < 1 || n > count || seen || room <= 0) continue;
      segments.push({ kind: 'ref', n });
      room -= 1;
    }
  }
  pushText(raw.slice(at));
  // Trim the line's ends; a line of references or punctuation alone says nothing.
  const first = segments[0];
  if (first?.kind === 'text') first.text = first.text.trimStart();
  const last = segments[segments.length - 1];
  if (last?.kind === 'text') last.text = last.text.trimEnd();
  const words = segments
    .filter((s): s is { kind: 'text'; text: string } => s.kind === 'text')
    .map((s) => s.text)
    .join('');
  if ((words.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < 3) return undefined;
  return segments.filter((s) => s.kind === 'ref' || s.text !== '');
}

/** Cuts at a code-point boundary, with `…` when something was cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = [...text];
  let out = '';
  for (const point of points) {
    if (out.length + point.length > max - 1) break;
    out += point;
  }
  return `${out}…`;
}
