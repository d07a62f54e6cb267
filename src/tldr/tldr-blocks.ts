/**
 * A parsed TL;DR → the blocks put on top of a summary: the lines, each piece of text escaped and
 * each `[n]` the app's own link to message n, then a line saying it is AI-written and by which
 * model. Within render-inbox's allowance for extra blocks (MAX_EXTRA_JSON) for any answer.
 */

import type { types } from '@slack/bolt';
import { gmailMessageUrl } from '../blocks/gmail-link';
import { escapeMrkdwn, escapeTruncated } from '../blocks/mrkdwn';
import { MAX_EXTRA_JSON } from '../blocks/render-inbox';
import type { Inbox } from '../inbox/inbox';
import type { TldrAnswer, TldrSegment } from './tldr-answer';

type KnownBlock = types.KnownBlock;

/** Tried in order: the first link length under which the blocks fit wins (the last always fits). */
const URL_BUDGETS = [500, 300, 200] as const;
const SHORTEST_URL = 120;
/** The TL;DR's share of a summary's room: the summary keeps most of it. */
export const MAX_TLDR_JSON = Math.min(4000, MAX_EXTRA_JSON);

/** The TL;DR blocks for `answer` about `inbox`, written by `model`. */
export function tldrBlocks(answer: TldrAnswer, inbox: Inbox, model: string): KnownBlock[] {
  for (const urlBudget of [...URL_BUDGETS, SHORTEST_URL]) {
    const blocks = build(answer, inbox, model, urlBudget, answer.lines.length);
    if (JSON.stringify(blocks).length <= MAX_TLDR_JSON) return blocks;
  }
  // Links as short as they get: drop lines from the end until it fits (one line always does).
  for (let lines = answer.lines.length - 1; lines >= 1; lines -= 1) {
    const blocks = build(answer, inbox, model, SHORTEST_URL, lines);
    if (JSON.stringify(blocks).length <= MAX_TLDR_JSON) return blocks;
  }
  return build({ lines: [] }, inbox, model, 0, 0);
}

function build(
  answer: TldrAnswer,
  inbox: Inbox,
  model: string,
  urlBudget: number,
  lines: number,
): KnownBlock[] {
  const body = answer.lines
    .slice(0, lines)
    .map((line) =>
      `• ${line.map((segment) => segmentText(segment, inbox, urlBudget)).join('')}`.replace(/ {2,}/g, ' '),
    );
  return [
    {
      type: 'section',
      // verbatim: nothing in the text becomes a link or mention but the links written here.
      text: { type: 'mrkdwn', text: [':memo: *TL;DR*', ...body].join('\n'), verbatim: true },
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: aiWrittenNote(model), verbatim: true }],
    },
  ];
}

function segmentText(segment: TldrSegment, inbox: Inbox, urlBudget: number): string {
  if (segment.kind === 'text') return escapeMrkdwn(segment.text);
  const message = inbox.messages[segment.n - 1];
  if (!message) return '';
  const url = gmailMessageUrl(message, inbox.account, urlBudget).replace(/\|/g, '%7C');
  return ` <${escapeMrkdwn(url)}|[${segment.n}]>`;
}

/** The mark every TL;DR carries: who wrote it, from what, and that it can be wrong. */
export function aiWrittenNote(model: string): string {
  const name = escapeTruncated(model.replace(/`/g, "'"), 100);
  return `:sparkles: AI-written by \`${name}\` from senders, subjects and previews; it can be wrong. Each [n] opens that message.`;
}
