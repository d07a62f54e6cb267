import type { gmail_v1 } from '@googleapis/gmail';
import { decodeHTML } from 'entities';
import type { InboxMessage } from '../inbox';

/** The headers a summary needs; Message-ID makes an "Open in Gmail" link that works from a cold click. */
export const METADATA_HEADERS = ['From', 'Subject', 'Message-ID'];

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
  return {
    id: message.id ?? '',
    threadId: message.threadId ?? message.id ?? '',
    from: header('From') ?? '',
    subject: header('Subject') ?? '',
    receivedAt: Number.isFinite(internalDate) ? internalDate : 0,
    unread: message.labelIds?.includes('UNREAD') ?? false,
    snippet: decodeSnippet(message.snippet),
    ...(messageId ? { rfc822MessageId: messageId } : {}),
  };
}
