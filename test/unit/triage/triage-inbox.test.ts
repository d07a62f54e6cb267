import type { InboxMessage } from '../../../src/inbox/inbox';
import { triageMessages } from '../../../src/triage/triage-inbox';

const AT = Date.UTC(2026, 2, 2, 9, 0);

function message(id: string, overrides: Partial<InboxMessage> = {}): InboxMessage {
  return {
    id,
    threadId: id,
    from: `"Person ${id}" <${id}@people.example>`,
    subject: `Subject ${id}`,
    receivedAt: AT,
    unread: false,
    snippet: '',
    category: 'personal',
    bulkHeaders: {},
    ...overrides,
  };
}

describe('triageMessages', () => {
  it('shows a conversation once, newest message first, titled by its oldest listed message', () => {
    const messages = [
      message('c', { threadId: 'a', subject: 'Re: Plan', unread: true }),
      message('x'),
      message('b', { threadId: 'a', subject: 'Re: Plan' }),
      message('a', { subject: 'Plan' }),
    ];
    const { needsYou, people, bulk } = triageMessages(messages);
    expect(needsYou).toHaveLength(1);
    expect(needsYou[0]).toMatchObject({ threadId: 'a', subject: 'Plan', unread: true, reasons: ['unread'] });
    expect(needsYou[0]?.messages.map((m) => m.id)).toEqual(['c', 'b', 'a']);
    expect(people.map((t) => t.threadId)).toEqual(['x']);
    expect(bulk).toEqual([]);
  });

  it('lets a conversation need the person when any of its messages does', () => {
    const messages = [message('b', { threadId: 'a' }), message('a', { starred: true })];
    expect(triageMessages(messages).needsYou[0]?.reasons).toEqual(['starred']);
  });

  it('folds bulk mail by group in a fixed order, counting unread, senders by count', () => {
    const gh = '"GitHub" <notifications@github.com>';
    const messages = [
      message('p1', { category: 'promotions', unread: true }),
      message('u1', { category: 'updates', from: '"Marco via GitHub" <notifications@github.com>' }),
      message('u2', { category: 'updates', from: '"Calendar" <calendar@google.com>', unread: true }),
      message('u3', { category: 'updates', from: gh }),
      message('l1', { bulkHeaders: { listId: 'x <x.example>' } }),
    ];
    const { bulk, needsYou, people } = triageMessages(messages);
    expect(needsYou).toEqual([]);
    expect(people).toEqual([]);
    expect(bulk.map((b) => b.group)).toEqual(['updates', 'promotions', 'lists']);
    const updates = bulk[0];
    expect(updates?.messages.map((m) => m.id)).toEqual(['u1', 'u2', 'u3']);
    expect(updates?.unread).toBe(1);
    expect(updates?.senders).toEqual([
      { from: '"Marco via GitHub" <notifications@github.com>', count: 2 },
      { from: '"Calendar" <calendar@google.com>', count: 1 },
    ]);
  });

  it('puts every message in exactly one item', () => {
    const messages = Array.from({ length: 30 }, (_, i) =>
      message(`m${i}`, {
        threadId: `t${i % 7}`,
        unread: i % 2 === 0,
        category: (['personal', 'updates', 'promotions', undefined] as const)[i % 4],
        starred: i % 11 === 0,
      }),
    );
    const { needsYou, people, bulk } = triageMessages(messages);
    const ids = [...needsYou, ...people, ...bulk].flatMap((item) => item.messages.map((m) => m.id));
    expect(ids.sort()).toEqual(messages.map((m) => m.id).sort());
  });
});
