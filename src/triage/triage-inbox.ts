/**
 * An inbox arranged the way a summary reads: conversations that need the person, other people's
 * conversations, and bulk mail folded into groups. Pure; built on classify-message.ts.
 */
import type { Inbox, InboxMessage } from '../inbox/inbox';
import { type AttentionReason, BULK_GROUPS, type BulkGroup, classifyMessage } from './classify-message';

/** One conversation as a summary shows it: once, however many of its messages the inbox holds. */
export interface ThreadItem {
  threadId: string;
  /** Its messages in this inbox, newest first; `messages[0]` is the one a link opens. */
  messages: InboxMessage[];
  /** The oldest listed message's subject: how Gmail titles a conversation. */
  subject: string;
  unread: boolean;
  /** Why it needs the person (any of its messages' reasons); empty for other people's mail. */
  reasons: AttentionReason[];
}

/** One group of bulk mail, folded to a line. */
export interface BulkItem {
  group: BulkGroup;
  /** Newest first. */
  messages: InboxMessage[];
  unread: number;
  /** Who sent them, most messages first (ties: newest first); `from` is the first `From` seen. */
  senders: { from: string; count: number }[];
}

/** The summary's structure; every message of `messages` is in exactly one item. */
export interface TriagedInbox {
  needsYou: ThreadItem[];
  people: ThreadItem[];
  bulk: BulkItem[];
}

const REASON_ORDER: readonly AttentionReason[] = ['starred', 'important', 'unread'];

/**
 * Sorts `messages` (newest first, as in Inbox) into the summary's sections. A conversation needs
 * the person when any of its messages does, and is a person's when any message is; only
 * conversations made of bulk mail alone are folded, message by message, into their groups. Items
 * keep the order of their newest message.
 */
export function triageMessages(messages: readonly InboxMessage[]): TriagedInbox {
  const position = new Map(messages.map((message, index) => [message, index]));
  const classified = messages.map((message) => ({ message, triage: classifyMessage(message) }));
  const threads = new Map<string, typeof classified>();
  for (const entry of classified) {
    const key = entry.message.threadId || entry.message.id;
    const list = threads.get(key) ?? [];
    list.push(entry);
    threads.set(key, list);
  }

  const needsYou: ThreadItem[] = [];
  const people: ThreadItem[] = [];
  const bulkMessages = new Map<BulkGroup, InboxMessage[]>();
  for (const [threadId, entries] of threads) {
    const reasons = new Set<AttentionReason>();
    for (const { triage } of entries)
      if (triage.kind === 'needs_you') for (const r of triage.reasons) reasons.add(r);
    const hasPerson = entries.some(({ triage }) => triage.kind !== 'bulk');
    if (!hasPerson) {
      for (const { message, triage } of entries) {
        if (triage.kind !== 'bulk') continue;
        const list = bulkMessages.get(triage.group) ?? [];
        list.push(message);
        bulkMessages.set(triage.group, list);
      }
      continue;
    }
    const threadMessages = entries.map(({ message }) => message);
    const item: ThreadItem = {
      threadId,
      messages: threadMessages,
      subject: (threadMessages.at(-1) as InboxMessage).subject,
      unread: threadMessages.some((m) => m.unread),
      reasons: REASON_ORDER.filter((r) => reasons.has(r)),
    };
    (item.reasons.length > 0 ? needsYou : people).push(item);
  }

  const bulk = BULK_GROUPS.flatMap((group): BulkItem[] => {
    const list = bulkMessages.get(group);
    if (!list) return [];
    // Newest first within the group (the Inbox's order), whatever order the threads came in.
    const sorted = [...list].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    return [
      { group, messages: sorted, unread: sorted.filter((m) => m.unread).length, senders: sendersOf(sorted) },
    ];
  });
  return { needsYou, people, bulk };
}

/** Triage of an Inbox's messages. */
export function triageInbox(inbox: Inbox): TriagedInbox {
  return triageMessages(inbox.messages);
}

function sendersOf(messages: readonly InboxMessage[]): BulkItem['senders'] {
  const byKey = new Map<string, { from: string; count: number }>();
  for (const message of messages) {
    const key = senderKey(message.from);
    const entry = byKey.get(key);
    if (entry) entry.count += 1;
    else byKey.set(key, { from: message.from, count: 1 });
  }
  // Map order is first appearance (newest first); a stable sort keeps it among equal counts.
  return [...byKey.values()].sort((a, b) => b.count - a.count);
}

/** One sender however their name is written: the address, lower-cased, when there is one. */
function senderKey(from: string): string {
  const address = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? (/^\S+@\S+$/.test(from.trim()) ? from : '');
  return (address || from).trim().toLowerCase();
}
