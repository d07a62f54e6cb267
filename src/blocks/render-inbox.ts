/**
 * Inbox → Slack message, laid out for a glance (docs/summary.md): a header with the counts, the
 * conversations that need the person in full, other people's mail one line each, and bulk mail
 * folded to one line per group. Every piece of email text is normalised, cut to a budget measured
 * in escaped characters, then escaped; the whole message (a caller's extra blocks included) is
 * measured, and entries are dropped (and counted in a footer) rather than letting Slack refuse it.
 */

import type { types } from '@slack/bolt';
import type { Inbox, InboxMessage } from '../inbox/inbox';
import type { BulkGroup } from '../triage/classify-message';
import { type BulkItem, type ThreadItem, triageMessages } from '../triage/triage-inbox';
import { parseFrom } from './from-header';
import { gmailInboxUrl, gmailMessageUrl, gmailSearchUrl } from './gmail-link';
import { MAX_BLOCKS, MAX_BLOCKS_JSON, MAX_SECTION_TEXT } from './limits';
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

/** What a caller may add around a summary, and who it is for. */
export interface RenderOptions {
  /** The Slack user id of the person whose inbox it is (a TypeError otherwise). */
  requesterId: string;
  /**
   * Blocks put first (e.g. a TL;DR) or last (e.g. a Share button), counted in the message's
   * budget: the summary shortens itself to leave them room. Together at most MAX_EXTRA_BLOCKS
   * blocks and MAX_EXTRA_JSON characters of JSON (a RangeError otherwise); they must be within
   * Block Kit's limits themselves, and are not escaped here.
   */
  top?: KnownBlock[];
  bottom?: KnownBlock[];
}

/** The most blocks a caller may add with `top` and `bottom` together. */
export const MAX_EXTRA_BLOCKS = 10;
/** The most `JSON.stringify` characters a caller's extra blocks may take, leaving the summary ≥ 7k. */
export const MAX_EXTRA_JSON = 5_000;

/** Escaped-character budgets for one entry's text; later tiers trade detail for room. */
interface Budget {
  subject: number;
  name: number;
  address: number;
  snippet: number;
  /** The longest message link; a longer Message-ID search falls back to the thread link. */
  url: number;
  /** Senders named in a bulk group's line. */
  senders: number;
}

/**
 * Tried in order; the first under which every entry fits wins. Under the last, entries that do
 * not fit are dropped: other people's mail first, then bulk groups, then what needs the person,
 * each from the end. More entries with less text beats fewer with more.
 */
const BUDGETS: readonly Budget[] = [
  { subject: 150, name: 50, address: 60, snippet: 200, url: 500, senders: 3 },
  { subject: 120, name: 40, address: 50, snippet: 140, url: 500, senders: 3 },
  { subject: 100, name: 40, address: 50, snippet: 100, url: 400, senders: 3 },
  { subject: 80, name: 30, address: 40, snippet: 80, url: 300, senders: 3 },
  { subject: 70, name: 30, address: 40, snippet: 60, url: 250, senders: 2 },
  { subject: 70, name: 25, address: 40, snippet: 40, url: 250, senders: 2 },
  { subject: 60, name: 25, address: 40, snippet: 0, url: 200, senders: 1 },
];

/** Messages considered at all: twice the most a person can ask for. Bounds the work for any input. */
const MAX_SHOWN = 50;
const QUERY_BUDGET = 200;
const ACCOUNT_BUDGET = 100;
const FOOTER_URL_BUDGET = 1000;
const GROUP_URL_BUDGET = 400;
const SCAN_LIMIT = 4000;
/** Between two entries in one section: email text is one line each, so a blank line is unambiguous. */
const ENTRY_SEPARATOR = '\n\n';
const LINE_SEPARATOR = '\n';

/** The dot, and the word: meaning never rests on an emoji alone (a missing font, a screen reader). */
const MARKS = { unread: ':large_blue_circle: _Unread_ · ', starred: ':star: ', important: ':exclamation: ' };

const GROUPS: Record<BulkGroup, { label: string; emoji: string; category?: string }> = {
  updates: { label: 'Updates', emoji: ':bell:', category: 'updates' },
  forums: { label: 'Forums', emoji: ':speech_balloon:', category: 'forums' },
  social: { label: 'Social', emoji: ':busts_in_silhouette:', category: 'social' },
  promotions: { label: 'Promotions', emoji: ':label:', category: 'promotions' },
  lists: { label: 'Newsletters and lists', emoji: ':newspaper:' },
  automatic: { label: 'Automatic replies', emoji: ':robot_face:' },
};

/**
 * Renders a summary of `inbox` for the person `options.requesterId`, within Block Kit's limits
 * for any email content. https://docs.slack.dev/reference/block-kit/blocks
 */
export function renderInbox(inbox: Inbox, options: RenderOptions): RenderedInbox {
  const top = options.top ?? [];
  const bottom = options.bottom ?? [];
  const extraJson = [...top, ...bottom].reduce((sum, block) => sum + JSON.stringify(block).length + 1, 0);
  if (top.length + bottom.length > MAX_EXTRA_BLOCKS || extraJson > MAX_EXTRA_JSON) {
    throw new RangeError(
      `extra blocks too large: ${top.length + bottom.length} blocks, ${extraJson} JSON characters`,
    );
  }
  const messages = inbox.messages;
  const unread = messages.filter((m) => m.unread).length;
  const context: Context = {
    requester: mention(options.requesterId),
    account: inbox.account ? escapeTruncated(clean(inbox.account), ACCOUNT_BUDGET) : '',
    query: displayQuery(inbox.request.query),
    rawAccount: inbox.account,
    rawQuery: inbox.request.query,
    skipped: Number.isSafeInteger(inbox.skipped) && inbox.skipped > 0 ? inbox.skipped : 0,
    total: messages.length,
    unread,
  };
  const wrap = (blocks: KnownBlock[]) => [...top, ...blocks, ...bottom];
  if (messages.length === 0) {
    const empty = renderEmpty(context);
    return { text: empty.text, blocks: wrap(empty.blocks) };
  }

  const triaged = triageMessages(messages.slice(0, MAX_SHOWN));
  context.needsYou = triaged.needsYou.length;
  context.onlyBulk = triaged.needsYou.length === 0 && triaged.people.length === 0;
  const rows: Row[] = [
    ...triaged.needsYou.map((item) => threadRow('needs', item, inbox.account)),
    ...triaged.people.map((item) => threadRow('people', item, inbox.account)),
    ...triaged.bulk.map((item) => bulkRow(item, context)),
  ];
  const room = { json: MAX_BLOCKS_JSON - extraJson, blocks: MAX_BLOCKS - top.length - bottom.length };
  const fits = (blocks: KnownBlock[]) =>
    blocks.length <= room.blocks && JSON.stringify(blocks).length <= room.json;

  const build = (texts: readonly string[], kept: readonly number[]): KnownBlock[] => {
    const shown = kept.reduce((sum, i) => sum + (rows[i] as Row).messages, 0);
    const footer = footerBlock(context, context.total - shown);
    const blocks = layout(context, rows, texts, kept);
    return footer ? [...blocks, footer] : blocks;
  };
  for (const [tier, budget] of BUDGETS.entries()) {
    const texts = rows.map((row) => row.text(budget));
    let kept = rows.map((_, i) => i);
    let blocks = build(texts, kept);
    if (tier < BUDGETS.length - 1 && !fits(blocks)) continue;
    for (const drop of dropOrder(rows)) {
      if (fits(blocks)) break;
      kept = kept.filter((i) => i !== drop);
      blocks = build(texts, kept);
    }
    if (!fits(blocks)) throw new Error('unreachable: a summary without entries always fits');
    return { text: fallbackText(context), blocks: wrap(blocks) };
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
  unread: number;
  /** Conversations that need the person. */
  needsYou?: number;
  /** Nothing but bulk mail. */
  onlyBulk?: boolean;
}

type Part = 'needs' | 'people' | 'bulk';

/** One entry of the summary: a conversation or a bulk group, drawn under a budget tier. */
interface Row {
  part: Part;
  /** Inbox messages it stands for. */
  messages: number;
  text(budget: Budget): string;
}

/** Which rows go first when the message is too big: the least a person needs, from the end. */
function dropOrder(rows: readonly Row[]): number[] {
  const order: Part[] = ['people', 'bulk', 'needs'];
  return order.flatMap((part) =>
    rows
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => row.part === part)
      .map(({ i }) => i)
      .reverse(),
  );
}

const HEADINGS: Record<Part, string> = {
  needs: '*Needs you*',
  people: '*Also from people*',
  bulk: '*Newsletters and notifications*',
};

/** The header, then each non-empty part: a heading line, its entries packed into sections. */
function layout(
  context: Context,
  rows: readonly Row[],
  texts: readonly string[],
  kept: readonly number[],
): KnownBlock[] {
  const blocks: KnownBlock[] = [headerBlock(context)];
  for (const part of ['needs', 'people', 'bulk'] as const) {
    const entries = kept.filter((i) => rows[i]?.part === part).map((i) => texts[i] as string);
    if (entries.length === 0) continue;
    const separator = part === 'needs' ? ENTRY_SEPARATOR : LINE_SEPARATOR;
    for (const text of pack([HEADINGS[part], ...entries], separator)) blocks.push(section(text));
  }
  return blocks;
}

/**
 * Consecutive entries, as many to a section as its text cap allows (one block per entry would spend
 * ~70 JSON characters each on framing). The heading is joined to the first entry by one line break.
 * Every entry fits a section alone: the largest budget tier allows about 1,100 characters.
 */
function pack(entries: readonly string[], separator: string): string[] {
  const sections: string[] = [];
  let current = '';
  for (const [i, entry] of entries.entries()) {
    const glue = i === 1 ? LINE_SEPARATOR : separator;
    if (current && current.length + glue.length + entry.length > MAX_SECTION_TEXT) {
      sections.push(current);
      current = entry;
    } else {
      current = current ? current + glue + entry : entry;
    }
  }
  if (current) sections.push(current);
  return sections;
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

/**
 * ```
 * :inbox_tray: *<@U…>'s 12 newest Gmail messages* (alice@example.com)
 * 5 unread · *3 need you*
 * ```
 */
function headerBlock(context: Context): SectionBlock {
  const matching = context.query ? ` matching \`${context.query}\`` : '';
  const where = context.account ? ` (${context.account})` : '';
  const needs = context.needsYou ?? 0;
  const attention = needs === 0 ? 'nothing needs you' : `*${needs} ${needs === 1 ? 'needs' : 'need'} you*`;
  const lines = [
    `${context.query ? ':mag:' : ':inbox_tray:'} *${headline(context)}*${matching}${where}`,
    `${unreadText(context)} · ${attention}`,
  ];
  if (context.onlyBulk) lines.push('_Only newsletters and notifications: nothing from people._');
  return section(lines.join('\n'));
}

function headline(context: Context): string {
  return context.total === 1
    ? `${context.requester}'s newest Gmail message`
    : `${context.requester}'s ${context.total} newest Gmail messages`;
}

function unreadText(context: Context): string {
  return context.unread === 0 ? 'none unread' : `${context.unread} unread`;
}

/** Counts only: email text stays out of notifications, which show on lock screens and in other apps. */
function fallbackText(context: Context): string {
  const search = context.query ? ' matching a search' : '';
  const needs = context.needsYou ?? 0;
  return `${headline(context)}${search} (${unreadText(context)}, ${needs === 0 ? 'nothing needs you' : `${needs} need${needs === 1 ? 's' : ''} you`})`;
}

/** A sender as text: both name and address, since a display name alone is how a stranger impersonates. */
interface SenderView {
  name: string;
  address: string;
}

function senderView(from: string): SenderView {
  const { name = '', address = '' } = parseFrom(from);
  const shownAddress = clean(address);
  const shownName = clean(name);
  // A display name that is the address itself says nothing more.
  return {
    name: shownName.toLowerCase() === shownAddress.toLowerCase() ? '' : shownName,
    address: shownAddress,
  };
}

/**
 * One line of visible text from at most SCAN_LIMIT raw characters (no budget shows more than a few
 * hundred, and hostile megabyte headers should cost no more than ordinary ones), with no code fence
 * that could reach into the next entry of a section.
 */
function clean(text: string): string {
  return breakCodeFences(oneLine(text.slice(0, SCAN_LIMIT)));
}

/**
 * A conversation. What needs the person, in two or three lines; the subject links to the newest
 * message:
 * ```
 * :large_blue_circle: _Unread_ · :star: *<https://mail.google.com/…|Subject>*
 * Name &lt;address&gt; · 3 messages · <!date^…|…>
 * Snippet
 * ```
 * Other people's mail in one line: `• <https://…|Subject> · Name &lt;address&gt; · <!date^…|…>`.
 */
function threadRow(part: 'needs' | 'people', item: ThreadItem, account: string | undefined): Row {
  const newest = item.messages[0] as InboxMessage;
  const subject = clean(item.subject);
  const snippet = clean(newest.snippet);
  const from = senderView(newest.from);
  const date = slackDate(newest.receivedAt);
  const count = item.messages.length > 1 ? `${item.messages.length} messages · ` : '';
  const marks =
    (item.unread ? MARKS.unread : '') +
    (item.reasons.includes('starred') ? MARKS.starred : '') +
    (item.reasons.includes('important') ? MARKS.important : '');
  return {
    part,
    messages: item.messages.length,
    text(budget) {
      const label = escapeLinkLabel(subject, budget.subject);
      const url = gmailMessageUrl(newest, account, budget.url);
      const byline = `${sender(from, budget)} · ${count}${date}`;
      if (part === 'people') {
        const title = label ? link(url, label) : `_${link(url, '(no subject)')}_`;
        return `• ${title} · ${byline}`;
      }
      const title = label ? `*${link(url, label)}*` : `_${link(url, '(no subject)')}_`;
      const shown = budget.snippet > 0 ? escapeTruncated(snippet, budget.snippet) : '';
      return [`${marks}${title}`, byline, ...(shown ? [shown] : [])].join('\n');
    },
  };
}

/**
 * A bulk group in one line, its label linking to the group in Gmail:
 * `:bell: <https://…|Updates>: 5, 3 unread · GitHub (github.com) ×3, Google Calendar (google.com), +1 more`
 */
function bulkRow(item: BulkItem, context: Context): Row {
  const spec = GROUPS[item.group];
  const senders = item.senders.map((s) => ({ view: senderView(s.from), count: s.count }));
  const count = item.messages.length;
  const unread = item.unread > 0 ? `, ${item.unread} unread` : '';
  return {
    part: 'bulk',
    messages: count,
    text(budget) {
      const url = groupUrl(item, context, GROUP_URL_BUDGET);
      const named = senders.slice(0, budget.senders).map(({ view, count: n }) => {
        const who = bulkSender(view, budget);
        return n > 1 ? `${who} ×${n}` : who;
      });
      const rest = senders.length - named.length;
      const list = [...named, ...(rest > 0 ? [`+${rest} more`] : [])].join(', ');
      return `${spec.emoji} ${link(url, spec.label)}: ${count}${unread} · ${list}`;
    },
  };
}

/**
 * Where a group's label leads: Gmail's search for that tab (`category:updates`) within the inbox or
 * the person's search; for groups Gmail has no tab for, a search for their senders; failing that
 * (too long), the search or inbox itself.
 */
function groupUrl(item: BulkItem, context: Context, maxLength: number): string {
  const base = context.rawQuery?.trim() ? `(${context.rawQuery.trim()})` : 'in:inbox';
  const category = GROUPS[item.group].category;
  const addresses = [...new Set(item.senders.map((s) => parseFrom(s.from).address?.trim() ?? ''))].filter(
    (a) => /^[^\s()"]+@[^\s()"]+$/.test(a),
  );
  const filter = category
    ? `category:${category}`
    : addresses.length > 0 && addresses.length === item.senders.length
      ? `from:(${addresses.join(' OR ')})`
      : undefined;
  const fallback = context.rawQuery?.trim()
    ? gmailSearchUrl(context.rawQuery, context.rawAccount, maxLength)
    : gmailInboxUrl(context.rawAccount, maxLength);
  if (!filter) return fallback;
  const url = gmailSearchUrl(`${base} ${filter}`, context.rawAccount, maxLength);
  // gmailSearchUrl falls back to the inbox when the search does not fit; the person's search is better.
  return url.includes('#search/') ? url : fallback;
}

/**
 * `<url|label>` for one of our own URLs (every variable part is percent-encoded, so it holds no `|`,
 * `<`, `>` or `&`; made safe again here should that ever change) and a label from `escapeLinkLabel`.
 * https://docs.slack.dev/messaging/formatting-message-text#linking-urls
 */
function link(url: string, label: string): string {
  return `<${escapeMrkdwn(url.replace(/\|/g, '%7C'))}|${label}>`;
}

function sender(view: SenderView, budget: Budget): string {
  const name = escapeTruncated(view.name, budget.name);
  const address = escapeTruncated(view.address, budget.address);
  if (name && address) return `${name} &lt;${address}&gt;`;
  return address || name || '_(unknown sender)_';
}

/** In a folded line, a sender's name with the address's domain, which a name cannot fake. */
function bulkSender(view: SenderView, budget: Budget): string {
  const domain = view.address.includes('@') ? view.address.slice(view.address.lastIndexOf('@') + 1) : '';
  const name = escapeTruncated(view.name, budget.name);
  if (name && domain) return `${name} (${escapeTruncated(domain, budget.address)})`;
  return escapeTruncated(view.address, budget.address) || name || '_(unknown sender)_';
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
