/**
 * Inbox → Slack message. Every piece of email text is normalised, cut to a budget measured in
 * escaped characters, then escaped; the whole message is measured and messages are dropped from the
 * end (and counted in a footer) rather than letting Slack refuse it.
 */

import type { types } from '@slack/bolt';
import type { Inbox, InboxMessage } from '../inbox';
import { parseFrom } from './from-header';
import { gmailInboxUrl, gmailMessageUrl, gmailSearchUrl } from './gmail-link';
import { MAX_BLOCKS, MAX_BLOCKS_JSON } from './limits';
import { escapeMrkdwn, escapeTruncated, oneLine } from './mrkdwn';
import { slackDate } from './slack-date';

type KnownBlock = types.KnownBlock;
type SectionBlock = types.SectionBlock;
type ContextBlock = types.ContextBlock;

/** A rendered summary: `text` is the notification fallback, `blocks` what Slack shows. */
export interface RenderedInbox {
  text: string;
  blocks: KnownBlock[];
}

/** Every "Open in Gmail" button's `action_id` starts with this; the app must ack their clicks. */
export const OPEN_IN_GMAIL_ACTION_PREFIX = 'open_in_gmail_';

/** Matches the `action_id` of every "Open in Gmail" button, for `app.action(...)`. */
export const OPEN_IN_GMAIL_ACTION_ID = /^open_in_gmail_\d+$/;

/** Escaped-character budgets for one message's text; later tiers trade detail for room. */
interface Budget {
  subject: number;
  name: number;
  address: number;
  snippet: number;
}

/**
 * Tried in order; the first under which every message fits wins. Under the last, messages that do
 * not fit are dropped from the end. A message block with a Message-ID link costs ~420 JSON
 * characters before any email text, so 12k holds about 13 messages at the first tier and about 21
 * ordinary ones at the last: more messages with less text beats fewer with more.
 */
const BUDGETS: readonly Budget[] = [
  { subject: 150, name: 50, address: 50, snippet: 200 },
  { subject: 100, name: 40, address: 50, snippet: 80 },
  { subject: 70, name: 30, address: 40, snippet: 0 },
];

/** All blocks but two: one for the intro, one for the footer. */
const MAX_MESSAGE_BLOCKS = MAX_BLOCKS - 2;
const QUERY_BUDGET = 200;
const ACCOUNT_BUDGET = 100;
/** Message-IDs are well under this; a longer one costs the summary room, so its link falls back. */
const MESSAGE_URL_BUDGET = 500;
const FOOTER_URL_BUDGET = 1000;
/** Gmail ids are 16 hex digits; a `value` far longer would only eat the size budget. */
const MAX_VALUE_LENGTH = 256;
const UNREAD_MARK = ':large_blue_circle: ';
const SCAN_LIMIT = 4000;

/**
 * Renders a summary of `inbox` for the person `requesterId` (a Slack user id, or a TypeError),
 * within Block Kit's limits for any email content. https://docs.slack.dev/reference/block-kit/blocks
 */
export function renderInbox(inbox: Inbox, options: { requesterId: string }): RenderedInbox {
  const context: Context = {
    requester: mention(options.requesterId),
    account: inbox.account ? escapeTruncated(clean(inbox.account), ACCOUNT_BUDGET) : '',
    query: displayQuery(inbox.request.query),
    rawAccount: inbox.account,
    rawQuery: inbox.request.query,
    skipped: Number.isSafeInteger(inbox.skipped) && inbox.skipped > 0 ? inbox.skipped : 0,
    total: inbox.messages.length,
  };
  if (inbox.messages.length === 0) return renderEmpty(context);

  const candidates = inbox.messages.slice(0, MAX_MESSAGE_BLOCKS);
  const views = candidates.map((m) => viewOf(m, inbox.account));
  for (const [tier, budget] of BUDGETS.entries()) {
    const blocks = views.map((view, i) => messageBlock(view, i, budget));
    const sizes = blocks.map((b) => JSON.stringify(b).length);
    const fits = (shown: number) => totalJsonLength(context, candidates, shown, sizes) <= MAX_BLOCKS_JSON;
    if (tier < BUDGETS.length - 1 && !fits(blocks.length)) continue;
    let shown = blocks.length;
    while (shown > 0 && !fits(shown)) shown -= 1;
    const shownMessages = candidates.slice(0, shown);
    const footer = footerBlock(context, context.total - shown);
    return {
      text: fallbackText(context, shownMessages),
      blocks: [introBlock(context, shownMessages), ...blocks.slice(0, shown), ...(footer ? [footer] : [])],
    };
  }
  throw new Error('unreachable: the last budget tier always returns');
}

interface Context {
  /** `<@U…>` */
  requester: string;
  /** Escaped for display; '' when unknown. */
  account: string;
  /** Escaped for a code span; '' for the plain inbox. */
  query: string;
  rawAccount: string | undefined;
  rawQuery: string | undefined;
  skipped: number;
  /** Messages in the inbox, shown or not. */
  total: number;
}

/** `JSON.stringify(blocks).length` for intro + the first `shown` messages + footer, without building it. */
function totalJsonLength(
  context: Context,
  candidates: InboxMessage[],
  shown: number,
  sizes: number[],
): number {
  const footer = footerBlock(context, context.total - shown);
  const lengths = [
    JSON.stringify(introBlock(context, candidates.slice(0, shown))).length,
    ...sizes.slice(0, shown),
    ...(footer ? [JSON.stringify(footer).length] : []),
  ];
  // `[` + items joined by `,` + `]`
  return lengths.reduce((sum, n) => sum + n, 0) + lengths.length + 1;
}

function renderEmpty(context: Context): RenderedInbox {
  const where = context.account ? ` (${context.account})` : '';
  const line = context.query
    ? `:mag: No messages match \`${context.query}\` in ${context.requester}'s Gmail${where}.`
    : `:sparkles: ${context.requester}'s Gmail inbox is empty${where}.`;
  const footer = footerBlock(context, 0);
  return {
    text: context.query
      ? `No Gmail messages match ${context.requester}'s search`
      : `${context.requester}'s Gmail inbox is empty`,
    blocks: [section(line), ...(footer ? [footer] : [])],
  };
}

function introBlock(context: Context, shown: InboxMessage[]): SectionBlock {
  const matching = context.query ? ` matching \`${context.query}\`` : '';
  const where = context.account ? ` (${context.account})` : '';
  return section(
    `:inbox_tray: *${headline(context, shown.length)}*${matching}${where} · ${unreadText(shown)}`,
  );
}

function headline(context: Context, count: number): string {
  return count === 1
    ? `${context.requester}'s newest Gmail message`
    : `${context.requester}'s ${count} newest Gmail messages`;
}

function unreadText(shown: InboxMessage[]): string {
  const unread = shown.filter((m) => m.unread).length;
  return unread === 0 ? 'none unread' : `${unread} unread`;
}

/** Counts only: email text stays out of notifications, which show on lock screens and in other apps. */
function fallbackText(context: Context, shown: InboxMessage[]): string {
  const search = context.query ? ' matching a search' : '';
  return `${headline(context, shown.length)}${search} (${unreadText(shown)})`;
}

/** What a message block shows, normalised once and cut per budget tier. */
interface MessageView {
  unread: boolean;
  subject: string;
  snippet: string;
  name: string;
  address: string;
  date: string;
  url: string;
  id: string;
}

function viewOf(message: InboxMessage, account: string | undefined): MessageView {
  const { name = '', address = '' } = parseFrom(message.from);
  const shownAddress = clean(address);
  const shownName = clean(name);
  return {
    unread: message.unread,
    subject: clean(message.subject),
    snippet: clean(message.snippet),
    // A display name that is the address itself says nothing more.
    name: shownName.toLowerCase() === shownAddress.toLowerCase() ? '' : shownName,
    address: shownAddress,
    date: slackDate(message.receivedAt),
    url: gmailMessageUrl(message, account, MESSAGE_URL_BUDGET),
    id: message.id.length <= MAX_VALUE_LENGTH ? message.id : '',
  };
}

/**
 * One line of visible text from at most SCAN_LIMIT raw characters: no budget shows more than a
 * few hundred, and hostile megabyte headers should cost no more than ordinary ones.
 */
function clean(text: string): string {
  return oneLine(text.slice(0, SCAN_LIMIT));
}

function messageBlock(view: MessageView, index: number, budget: Budget): SectionBlock {
  const subject = escapeTruncated(view.subject, budget.subject);
  const snippet = budget.snippet > 0 ? escapeTruncated(view.snippet, budget.snippet) : '';
  const lines = [
    `${view.unread ? UNREAD_MARK : ''}${subject ? `*${subject}*` : '_(no subject)_'}`,
    `${sender(view, budget)} · ${view.date}`,
    ...(snippet ? [snippet] : []),
  ];
  return {
    ...section(lines.join('\n')),
    accessory: {
      type: 'button',
      text: { type: 'plain_text', text: 'Open in Gmail' },
      action_id: `${OPEN_IN_GMAIL_ACTION_PREFIX}${index}`,
      url: view.url,
      ...(view.id ? { value: view.id } : {}),
    },
  };
}

/** Name and address both: a display name alone is how a stranger impersonates someone. */
function sender(view: MessageView, budget: Budget): string {
  const name = escapeTruncated(view.name, budget.name);
  const address = escapeTruncated(view.address, budget.address);
  if (name && address) return `${name} &lt;${address}&gt;`;
  return address || name || '_(unknown sender)_';
}

function footerBlock(context: Context, hidden: number): ContextBlock | undefined {
  if (hidden <= 0 && context.skipped === 0) return undefined;
  const parts: string[] = [];
  if (hidden > 0) parts.push(`…and ${hidden} more not shown.`);
  if (context.skipped > 0) {
    const gone =
      context.skipped === 1
        ? 'message was deleted or moved before it'
        : 'messages were deleted or moved before they';
    parts.push(`${context.skipped} ${gone} could be read.`);
  }
  const url = context.query
    ? gmailSearchUrl(context.rawQuery ?? '', context.rawAccount, FOOTER_URL_BUDGET)
    : gmailInboxUrl(context.rawAccount, FOOTER_URL_BUDGET);
  parts.push(`<${escapeMrkdwn(url)}|Open Gmail>`);
  return { type: 'context', elements: [{ type: 'mrkdwn', text: parts.join(' '), verbatim: true }] };
}

/**
 * `verbatim` stops Slack from turning bare URLs, `@here` or `#channel` in email text into links
 * and mentions; explicit tokens (`<@U…>`, `<!date…>`) still render.
 * https://docs.slack.dev/reference/block-kit/composition-objects/text-object
 */
function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

function mention(userId: string): string {
  if (!/^[A-Z0-9]+$/.test(userId)) throw new TypeError(`not a Slack user id: ${JSON.stringify(userId)}`);
  return `<@${userId}>`;
}

/** A query shown in a code span: one line, no backticks (mrkdwn has no way to escape one), escaped. */
function displayQuery(query: string | undefined): string {
  return escapeTruncated(clean(query ?? '').replace(/`/g, "'"), QUERY_BUDGET);
}
