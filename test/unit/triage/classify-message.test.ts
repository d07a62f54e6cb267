import { METADATA_HEADERS, toInboxMessage } from '../../../src/gmail/to-inbox-message';
import type { InboxMessage } from '../../../src/inbox/inbox';
import type { FakeMessage } from '../../../src/stand-ins/gmail-stand-in';
import {
  autoReplyMessage,
  calendarInvite,
  githubNotification,
  makeMessages,
  newsletterMessage,
  personReply,
  REAL_HEADERS,
  sampleMessages,
} from '../../../src/stand-ins/mail-fixtures';
import { bulkGroupOf, classifyMessage } from '../../../src/triage/classify-message';

/** A fixture as the app sees it after a metadata get: only the headers it asks for, mapped. */
const asRead = (message: FakeMessage): InboxMessage => {
  const wanted = METADATA_HEADERS.map((name) => name.toLowerCase());
  const headers = message.headers.filter((h) => wanted.includes(h.name.toLowerCase()));
  return toInboxMessage({ ...message, payload: { headers } });
};

const withLabels = (message: FakeMessage, labelIds: string[]): FakeMessage => ({ ...message, labelIds });
const withHeaders = (message: FakeMessage, extra: FakeMessage['headers']): FakeMessage => ({
  ...message,
  headers: [...message.headers, ...extra],
});

describe('classifyMessage over real header sets', () => {
  it('folds a GitHub notification into Updates, unread or not', () => {
    expect(classifyMessage(asRead(githubNotification()))).toEqual({ kind: 'bulk', group: 'updates' });
    const read = withLabels(githubNotification(), ['INBOX', 'CATEGORY_UPDATES']);
    expect(classifyMessage(asRead(read))).toEqual({ kind: 'bulk', group: 'updates' });
  });

  it('folds a GitHub notification Gmail left in Primary by its List-ID and Precedence: list', () => {
    const primary = withLabels(githubNotification(), ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL']);
    expect(classifyMessage(asRead(primary))).toEqual({ kind: 'bulk', group: 'lists' });
  });

  it('puts a GitHub notification Gmail marked important in front of the person', () => {
    const important = withLabels(githubNotification(), ['INBOX', 'UNREAD', 'IMPORTANT', 'CATEGORY_UPDATES']);
    expect(classifyMessage(asRead(important))).toEqual({
      kind: 'needs_you',
      reasons: ['important'],
      bulkGroup: 'updates',
    });
  });

  it('shows a Google Calendar invitation Gmail marked important as needing the person', () => {
    expect(classifyMessage(asRead(calendarInvite()))).toEqual({
      kind: 'needs_you',
      reasons: ['important', 'unread'],
    });
  });

  it('folds a Google Calendar reminder (Auto-Submitted: auto-generated) in Primary into lists', () => {
    const reminder = withHeaders(
      withLabels(calendarInvite(), ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL']),
      REAL_HEADERS.generated(),
    );
    expect(classifyMessage(asRead(reminder))).toEqual({ kind: 'bulk', group: 'lists' });
  });

  it('folds a newsletter with List-Unsubscribe into Promotions, and into lists when Gmail left it in Primary', () => {
    expect(classifyMessage(asRead(newsletterMessage()))).toEqual({ kind: 'bulk', group: 'promotions' });
    const primary = withLabels(newsletterMessage(), ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL']);
    expect(classifyMessage(asRead(primary))).toEqual({ kind: 'bulk', group: 'lists' });
    // With List-Unsubscribe alone (no List-Id, no Precedence) it is still list mail.
    const bare = {
      ...primary,
      headers: primary.headers.filter((h) => !/^(list-id|precedence)$/i.test(h.name)),
    };
    expect(asRead(bare).bulkHeaders).toEqual({ listUnsubscribe: expect.stringContaining('unsubscribe') });
    expect(bulkGroupOf(asRead(bare))).toBe('lists');
  });

  it("shows an unread reply from a person as needing them, and a read one as a person's mail", () => {
    expect(classifyMessage(asRead(personReply()))).toEqual({ kind: 'needs_you', reasons: ['unread'] });
    const read = withLabels(personReply(), ['INBOX', 'CATEGORY_PERSONAL']);
    expect(classifyMessage(asRead(read))).toEqual({ kind: 'person' });
  });

  it("folds an out-of-office reply (Auto-Submitted: auto-replied) from a person's own address", () => {
    expect(classifyMessage(asRead(autoReplyMessage()))).toEqual({ kind: 'bulk', group: 'automatic' });
  });

  it('treats Auto-Submitted: no as a person writing', () => {
    const written = withHeaders(personReply(), [{ name: 'Auto-Submitted', value: 'no' }]);
    expect(classifyMessage(asRead(written))).toEqual({ kind: 'needs_you', reasons: ['unread'] });
  });

  it.each(['bulk', 'list', 'junk', 'Bulk '])('folds Precedence: %j into lists', (precedence) => {
    const sent = withHeaders(withLabels(personReply(), ['INBOX', 'CATEGORY_PERSONAL']), [
      { name: 'Precedence', value: precedence },
    ]);
    expect(classifyMessage(asRead(sent))).toEqual({ kind: 'bulk', group: 'lists' });
  });

  it('keeps starred mail in front of the person, read or not, whatever sent it', () => {
    const starred = withLabels(newsletterMessage(), ['INBOX', 'STARRED', 'CATEGORY_PROMOTIONS']);
    expect(classifyMessage(asRead(starred))).toEqual({
      kind: 'needs_you',
      reasons: ['starred'],
      bulkGroup: 'promotions',
    });
  });

  it('folds Social and Forums mail by their tabs', () => {
    expect(classifyMessage(asRead(withLabels(newsletterMessage(), ['INBOX', 'CATEGORY_SOCIAL'])))).toEqual({
      kind: 'bulk',
      group: 'social',
    });
    expect(
      classifyMessage(asRead(withLabels(personReply(), ['INBOX', 'UNREAD', 'CATEGORY_FORUMS']))),
    ).toEqual({
      kind: 'bulk',
      group: 'forums',
    });
  });

  it("takes mail without any tab or bulk header as a person's (Gmail with tabs turned off)", () => {
    expect(classifyMessage(asRead(withLabels(personReply(), ['INBOX', 'UNREAD'])))).toEqual({
      kind: 'needs_you',
      reasons: ['unread'],
    });
  });

  it('sorts the sandbox inbox into what needs the person, their other mail and bulk', () => {
    const kinds = sampleMessages().map((m) => classifyMessage(asRead(m)).kind);
    expect(kinds.filter((k) => k === 'needs_you').length).toBeGreaterThanOrEqual(4);
    expect(kinds.filter((k) => k === 'person').length).toBeGreaterThanOrEqual(2);
    expect(kinds.filter((k) => k === 'bulk').length).toBeGreaterThanOrEqual(8);
  });

  it('sees makeMessages as mail from people', () => {
    for (const m of makeMessages(12)) expect(classifyMessage(asRead(m)).kind).not.toBe('bulk');
  });
});
