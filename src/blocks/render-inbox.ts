/**
 * Inbox → Slack message. Every piece of email text is normalised, cut to a budget measured in
 * escaped characters, then escaped; the whole message is measured and messages are dropped from the
 * end (and counted in a footer) rather than letting Slack refuse it.
 */

import type { types } from '@slack/bolt';
import type { Inbox, InboxMessage } from '../inbox';
import { parseFrom } from './from-header';
import { gmailInboxUrl, gmailMessageUrl, gmailSearchUrl } from './gmail-link';
import { MAX_BLOCKS_JSON, MAX_SECTION_TEXT } from './limits';
import { breakCodeFences, escapeLinkLabel, escapeMrkdwn, escapeTruncated, oneLine } from './mrkdwn';
import { slackDate } from './slack-date';

type KnownBlock = types.KnownBlock;
type SectionBlock = types.SectionBlock;
type ContextBlock = types.ContextBlock;

/** A rendered summary: `text` is the notification fallback, `blocks` what Slack shows. */
export interface RenderedInbox {
  text: string;
  blocks: KnownBlock[];
}

/** Escaped-character budgets for one message's text; later tiers trade detail for room. */
interface Budget {
  subject: number;
  name: number;
  address: number;
  snippet: number;
  /** The longest message link; a longer Message-ID search falls back to the thread link. */
  url: number;
}

/**
 * Tried in order; the first under which every message fits wins. Under the last, messages that do
 * not fit are dropped from the end. A message costs ~270 JSON characters before any email text (its
 * link ~125, date token ~70, unread mark 20, line breaks), so 12k holds 25 ordinary messages with
 * their whole ~100-character snippets at the first tier, and 25 with maximal hostile text at the
 * one with 40-character snippets: more messages with less text beats fewer with more. Links longer
 * than a tier's `url` (only absurd Message-IDs make them) fall back to the shorter thread link.
 */
const BUDGETS: readonly Budget[] = [
  { subject: 150, name: 50, address: 60, snippet: 200, url: 500 },
  { subject: 120, name: 40, address: 50, snippet: 140, url: 500 },
  { subject: 100, name: 40, address: 50, snippet: 100, url: 400 },
  { subject: 80, name: 30, address: 40, snippet: 80, url: 300 },
  { subject: 70, name: 30, address: 40, snippet: 60, url: 250 },
  { subject: 70, name: 25, address: 40, snippet: 40, url: 250 },
  { subject: 60, name: 25, address: 40, snippet: 0, url: 200 },
];

/** Messages considered at all: twice the most a person can ask for. Bounds the work for any input. */
const MAX_SHOWN = 50;
const QUERY_BUDGET = 200;
const ACCOUNT_BUDGET = 100;
const FOOTER_URL_BUDGET = 1000;
const UNREAD_MARK = ':large_blue_circle: ';
const SCAN_LIMIT = 4000;
/** Between two messages in one section: email text is one line each, so a blank line is unambiguous. */
const MESSAGE_SEPARATOR = '\n\n';
/** `JSON.stringify` of a section block around an empty text. */
const SECTION_JSON_OVERHEAD = JSON.stringify(section('')).length;

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

  const candidates = inbox.messages.slice(0, MAX_SHOWN);
  const views = candidates.map((m) => viewOf(m, inbox.account));
  for (const [tier, budget] of BUDGETS.entries()) {
    const entries = views.map((view) => measured(messageText(view, budget)));
    const fits = (shown: number) =>
      totalJsonLength(context, candidates.slice(0, shown), entries.slice(0, shown)) <= MAX_BLOCKS_JSON;
    if (tier < BUDGETS.length - 1 && !fits(entries.length)) continue;
    let shown = entries.length;
    while (shown > 1 && !fits(shown)) shown -= 1;
    const shownMessages = candidates.slice(0, shown);
    const sections = packSections(entries.slice(0, shown)).map((group) =>
      section(group.map((entry) => entry.text).join(MESSAGE_SEPARATOR)),
    );
    const footer = footerBlock(context, context.total - shown);
    return {
      text: fallbackText(context, shownMessages),
      blocks: [introBlock(context, shownMessages), ...sections, ...(footer ? [footer] : [])],
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

/** One message's mrkdwn, with the two lengths that matter: Slack's (section cap) and JSON's (total cap). */
interface Entry {
  text: string;
  json: number;
}

function measured(text: string): Entry {
  return { text, json: JSON.stringify(text).length - 2 };
}

const SEPARATOR_JSON = measured(MESSAGE_SEPARATOR).json;

/**
 * Consecutive messages, as many to a section as its text cap allows: one block per message would
 * spend ~70 JSON characters each on block framing. Greedy, so the packing of the first n messages
 * is a prefix of the packing of all. Every message fits a section alone: the largest budget tier
 * allows about 1,100 characters.
 */
function packSections(entries: readonly Entry[]): Entry[][] {
  const groups: Entry[][] = [];
  let current: Entry[] = [];
  let length = 0;
  for (const entry of entries) {
    if (current.length > 0 && length + MESSAGE_SEPARATOR.length + entry.text.length > MAX_SECTION_TEXT) {
      groups.push(current);
      current = [];
    }
    length = current.length === 0 ? entry.text.length : length + MESSAGE_SEPARATOR.length + entry.text.length;
    current.push(entry);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** `JSON.stringify(blocks).length` for intro + `shown` packed into sections + footer, not building it. */
function totalJsonLength(context: Context, shown: InboxMessage[], entries: readonly Entry[]): number {
  const footer = footerBlock(context, context.total - shown.length);
  const lengths = [
    JSON.stringify(introBlock(context, shown)).length,
    ...packSections(entries).map(
      (group) =>
        SECTION_JSON_OVERHEAD +
        group.reduce((sum, entry) => sum + entry.json, 0) +
        SEPARATOR_JSON * (group.length - 1),
    ),
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

/** What a message shows, normalised once and cut per budget tier. */
interface MessageView {
  unread: boolean;
  subject: string;
  snippet: string;
  name: string;
  address: string;
  date: string;
  /** The message link under a budget's `url` length. */
  url: (maxLength: number) => string;
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
    url: (maxLength) => gmailMessageUrl(message, account, maxLength),
  };
}

/**
 * One line of visible text from at most SCAN_LIMIT raw characters (no budget shows more than a few
 * hundred, and hostile megabyte headers should cost no more than ordinary ones), with no code fence
 * that could reach into the next message of a section.
 */
function clean(text: string): string {
  return breakCodeFences(oneLine(text.slice(0, SCAN_LIMIT)));
}

/**
 * A message in two or three lines; the subject is the link into Gmail:
 * ```
 * :large_blue_circle: *<https://mail.google.com/…|Subject>*
 * Name &lt;address&gt; · <!date^…|…>
 * Snippet
 * ```
 */
function messageText(view: MessageView, budget: Budget): string {
  const subject = escapeLinkLabel(view.subject, budget.subject);
  const url = view.url(budget.url);
  const title = subject ? `*${link(url, subject)}*` : `_${link(url, '(no subject)')}_`;
  const snippet = budget.snippet > 0 ? escapeTruncated(view.snippet, budget.snippet) : '';
  return [
    `${view.unread ? UNREAD_MARK : ''}${title}`,
    `${sender(view, budget)} · ${view.date}`,
    ...(snippet ? [snippet] : []),
  ].join('\n');
}

/**
 * `<url|label>` for one of our own URLs (every variable part is percent-encoded, so it holds no `|`,
 * `<`, `>` or `&`; made safe again here should that ever change) and a label from `escapeLinkLabel`.
 * https://docs.slack.dev/messaging/formatting-message-text#linking-urls
 */
function link(url: string, label: string): string {
  return `<${escapeMrkdwn(url.replace(/\|/g, '%7C'))}|${label}>`;
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
