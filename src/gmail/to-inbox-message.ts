import type { gmail_v1 } from '@googleapis/gmail';
import { decodeHTML } from 'entities';
import type { BulkHeaders, GmailCategory, InboxMessage } from '../inbox/inbox';

/**
 * The headers a summary needs; Message-ID makes an "Open in Gmail" link that works from a cold click,
 * and the last four tell bulk and machine-sent mail from people's (src/triage/classify-message.ts).
 * They come in the same metadata get, so they cost no extra round trip.
 */
export const METADATA_HEADERS = [
  'From',
  'Subject',
  'Message-ID',
  'List-Id',
  'List-Unsubscribe',
  'Precedence',
  'Auto-Submitted',
];

/** Bulk headers are only tested, never shown; a hostile megabyte header needs no more than this. */
const BULK_HEADER_MAX = 500;

const CATEGORIES: Record<string, GmailCategory> = {
  CATEGORY_PERSONAL: 'personal',
  CATEGORY_UPDATES: 'updates',
  CATEGORY_PROMOTIONS: 'promotions',
  CATEGORY_SOCIAL: 'social',
  CATEGORY_FORUMS: 'forums',
};

/**
 * Characters Gmail leaves in snippets as invisible preheader padding (zero-width space and
 * non-joiner, the combining grapheme joiner, soft hyphens, word joiner, BOM), which would only
 * take up room. U+200D (zero-width joiner) stays: it glues emoji such as 👩‍💻 together.
 */
const PADDING = /\u00ad|\u034f|\u200b|\u200c|\u2060|\ufeff/g;

/** Gmail sends snippets HTML-entity-escaped (`&#39;`, `&amp;`); this yields the plain text. */
export function decodeSnippet(snippet: string | null | undefined): string {
  return decodeHTML(snippet ?? '')
    .replace(PADDING, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Maps Gmail's metadata-format message to the app's domain type. */
export function toInboxMessage(message: gmail_v1.Schema$Message): InboxMessage {
  const header = (name: string): string | undefined =>
    message.payload?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value ?? undefined;
  const internalDate = Number(message.internalDate);
  const messageId = header('Message-ID')?.trim().replace(/^<|>$/g, '');
  const labels = message.labelIds ?? [];
  const category = labels.map((label) => CATEGORIES[label]).find((c) => c !== undefined);
  const bulk: BulkHeaders = {};
  const bounded = (name: string) => header(name)?.trim().slice(0, BULK_HEADER_MAX) || undefined;
  const listId = bounded('List-Id');
  const listUnsubscribe = bounded('List-Unsubscribe');
  const precedence = bounded('Precedence');
  const autoSubmitted = bounded('Auto-Submitted');
  if (listId) bulk.listId = listId;
  if (listUnsubscribe) bulk.listUnsubscribe = listUnsubscribe;
  if (precedence) bulk.precedence = precedence;
  if (autoSubmitted) bulk.autoSubmitted = autoSubmitted;
  return {
    id: message.id ?? '',
    threadId: message.threadId ?? message.id ?? '',
    from: header('From') ?? '',
    subject: header('Subject') ?? '',
    receivedAt: Number.isFinite(internalDate) ? internalDate : 0,
    unread: labels.includes('UNREAD'),
    snippet: decodeSnippet(message.snippet),
    ...(messageId ? { rfc822MessageId: messageId } : {}),
    important: labels.includes('IMPORTANT'),
    starred: labels.includes('STARRED'),
    ...(category ? { category } : {}),
    bulkHeaders: bulk,
  };
}
