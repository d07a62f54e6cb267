/**
 * The domain the app speaks internally: what a person asked for and what their inbox holds.
 * Gmail's wire shapes stop at `src/gmail/`; Slack's at `src/blocks/` and `src/listeners/`.
 */

/** What `/inbox [count] [gmail search]` asks for, after parsing. */
export interface InboxRequest {
  /** How many messages to show, 1..MAX_COUNT. */
  count: number;
  /** A Gmail search (`is:unread from:alice`), passed to Gmail unchanged; undefined for the plain inbox. */
  query?: string;
}

/** One message, as much as a summary needs (metadata only: Gmail bodies are never fetched). */
export interface InboxMessage {
  id: string;
  threadId: string;
  /** The `From` header as sent, e.g. `"Alice Example" <alice@example.com>`; '' when absent. */
  from: string;
  /** The `Subject` header; '' when absent. */
  subject: string;
  /** When Gmail accepted the message (epoch milliseconds, from `internalDate`). */
  receivedAt: number;
  unread: boolean;
  /** Plain text: Gmail's HTML entities already decoded, padding characters removed. Not yet escaped. */
  snippet: string;
  /** The RFC 822 `Message-ID` without angle brackets, when present: it makes a link that opens cold. */
  rfc822MessageId?: string;
  /** Gmail's `IMPORTANT` label (its own guess, or the person's marking); absent means not important. */
  important?: boolean;
  /** Gmail's `STARRED` label: the person flagged it. */
  starred?: boolean;
  /** The inbox tab Gmail sorted the message into (`CATEGORY_*` label), when it did. */
  category?: GmailCategory;
  /** Headers that mark mail sent in bulk or by a machine; only those the message carries. */
  bulkHeaders?: BulkHeaders;
}

/** Gmail's inbox tabs, from its `CATEGORY_*` labels. */
export type GmailCategory = 'personal' | 'updates' | 'promotions' | 'social' | 'forums';

/** Bulk-mail headers as sent (values trimmed and bounded); see docs/summary.md for how they count. */
export interface BulkHeaders {
  /** RFC 2919 `List-Id`: the message came through a mailing list. */
  listId?: string;
  /** RFC 2369 / 8058 `List-Unsubscribe`: newsletters and notifications carry it. */
  listUnsubscribe?: string;
  /** `Precedence: bulk | list | junk` (non-standard, widely sent). */
  precedence?: string;
  /** RFC 3834 `Auto-Submitted`: `auto-generated`, `auto-replied`, or `no`. */
  autoSubmitted?: string;
}

/** A summary's content, ready for rendering. */
export interface Inbox {
  /** The Gmail address the token belongs to, when known; used in the header and in links. */
  account?: string;
  request: InboxRequest;
  /**
   * Newest first (by `receivedAt`), as Gmail listed them. This order is the summary's numbering:
   * other parts (a TL;DR) may refer to a message by its index here. May hold fewer than requested
   * (small inbox, or messages deleted meanwhile).
   */
  messages: InboxMessage[];
  /** Messages Gmail listed but that vanished before they could be read. */
  skipped: number;
}
