/**
 * Links into Gmail's web UI. Google documents no URL scheme for API ids; these are the forms in wide
 * use (see ../shared/reference/gmail.md §8). `authuser=<address>` opens the right mailbox for people
 * signed in to several accounts, where `/u/0/` means "whichever account signed in first".
 */

import type { InboxMessage } from '../inbox/inbox';
import { MAX_BUTTON_URL } from './limits';
import { toWellFormed } from './mrkdwn';

const GMAIL = 'https://mail.google.com/mail/';
const FIRST_ACCOUNT = `${GMAIL}u/0/`;
const INBOX_FALLBACK = `${FIRST_ACCOUNT}#inbox`;

/**
 * The link to one message. The `#search/rfc822msgid:` form opens from a cold click;
 * `#all/<threadId>` is reported to resolve only in an already-loaded Gmail tab, so it is the
 * fallback for messages without a Message-ID or whose link would exceed `maxLength` (by default a
 * button's cap, 3000; a summary passes far less, as every link eats its size budget). Never longer
 * than `maxLength`, unless that is below 39: the length of the bare inbox link, the last resort.
 */
export function gmailMessageUrl(message: InboxMessage, account?: string, maxLength = MAX_BUTTON_URL): string {
  const msgid = bareMessageId(message.rfc822MessageId ?? '');
  const threadId = message.threadId.trim();
  const search = msgid ? `#search/rfc822msgid%3A${encode(msgid)}` : undefined;
  const thread = threadId ? `#all/${encode(threadId)}` : undefined;
  const fragments = [search, thread].filter((f): f is string => f !== undefined);
  // Prefer the right mailbox over the cold-open form: a wrong mailbox cannot show the message at all.
  const ordered = [accountRoot(account), FIRST_ACCOUNT].flatMap((root) => fragments.map((f) => root + f));
  return ordered.find((url) => url.length <= maxLength) ?? gmailInboxUrl(account, maxLength);
}

/** The mailbox's inbox, in the given account when known. */
export function gmailInboxUrl(account?: string, maxLength = MAX_BUTTON_URL): string {
  const url = `${accountRoot(account)}#inbox`;
  return url.length <= maxLength ? url : INBOX_FALLBACK;
}

/** Gmail's results for a search, or the inbox when the link would exceed `maxLength`. */
export function gmailSearchUrl(query: string, account?: string, maxLength = MAX_BUTTON_URL): string {
  const url = `${accountRoot(account)}#search/${encode(query.trim())}`;
  return query.trim() && url.length <= maxLength ? url : gmailInboxUrl(account, maxLength);
}

function accountRoot(account?: string): string {
  const address = account?.trim();
  return address ? `${GMAIL}?authuser=${encode(address)}` : FIRST_ACCOUNT;
}

/** A Message-ID as searched for: without the angle brackets RFC 5322 puts around it. */
function bareMessageId(raw: string): string {
  return raw.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
}

function encode(text: string): string {
  return encodeURIComponent(toWellFormed(text));
}
