/**
 * What each message is, for a busy person glancing at a summary: something that needs them, other
 * mail from a person, or bulk mail (newsletters, notifications, automatic replies) to fold away.
 * Pure; decided from Gmail's labels and the bulk-mail headers alone. The rules, with their reasons,
 * are in docs/summary.md.
 */
import type { InboxMessage } from '../inbox/inbox';

/** The folds of bulk mail, in the order a summary lists them. */
export const BULK_GROUPS = ['updates', 'forums', 'social', 'promotions', 'lists', 'automatic'] as const;

/**
 * `updates`…`promotions`: Gmail's own tabs. `lists`: list or bulk headers on mail Gmail left in
 * Primary (or with no tab at all). `automatic`: automatic replies (out-of-office and the like).
 */
export type BulkGroup = (typeof BULK_GROUPS)[number];

/** Why a message needs the person, in the order they are shown. */
export type AttentionReason = 'starred' | 'important' | 'unread';

/** A message's class. */
export type MessageClass =
  | { kind: 'needs_you'; reasons: AttentionReason[]; bulkGroup?: BulkGroup }
  | { kind: 'person' }
  | { kind: 'bulk'; group: BulkGroup };

/** `Precedence` values that mean "sent to many" (RFC 3834 §3.1.8 lists them as bulk signals). */
const BULK_PRECEDENCE = /^(bulk|list|junk)\b/i;

/**
 * The bulk group a message belongs to, or undefined for mail a person wrote. Gmail's tab wins when
 * it is one of the bulk tabs; otherwise the headers decide: `Auto-Submitted: auto-replied` is an
 * automatic reply, and any other `Auto-Submitted` but `no`, `Precedence: bulk|list|junk`,
 * `List-Id` or `List-Unsubscribe` is list mail.
 */
export function bulkGroupOf(message: InboxMessage): BulkGroup | undefined {
  switch (message.category) {
    case 'updates':
    case 'forums':
    case 'social':
    case 'promotions':
      return message.category;
    default:
      break;
  }
  const headers = message.bulkHeaders ?? {};
  const auto = headers.autoSubmitted?.trim().toLowerCase() ?? '';
  if (auto.startsWith('auto-replied')) return 'automatic';
  if (auto !== '' && !/^no\b/.test(auto)) return 'lists';
  if (BULK_PRECEDENCE.test(headers.precedence?.trim() ?? '')) return 'lists';
  if (headers.listId || headers.listUnsubscribe) return 'lists';
  return undefined;
}

/**
 * Classifies one message. Starred or important mail needs the person whatever sent it (the person,
 * or Gmail from their habits, said so); so does unread mail from a person. Read mail from a person
 * is "person"; the rest is bulk, folded by group.
 */
export function classifyMessage(message: InboxMessage): MessageClass {
  const bulkGroup = bulkGroupOf(message);
  const reasons: AttentionReason[] = [];
  if (message.starred) reasons.push('starred');
  if (message.important) reasons.push('important');
  if (message.unread && bulkGroup === undefined) reasons.push('unread');
  if (reasons.length > 0) return { kind: 'needs_you', reasons, ...(bulkGroup ? { bulkGroup } : {}) };
  return bulkGroup === undefined ? { kind: 'person' } : { kind: 'bulk', group: bulkGroup };
}
