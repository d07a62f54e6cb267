import { METADATA_HEADERS } from '../../src/gmail/to-inbox-message';
import {
  bulkOnlyMessages,
  hostileMessage,
  makeMessages,
  sampleMessages,
} from '../../src/stand-ins/mail-fixtures';
import { assertWithinSlackLimits } from '../support/block-limits';
import { bootApp, type Harness } from '../support/boot-app';
import { messageLinks } from '../support/summary-reader';
import { waitFor } from '../support/wait-for';

/** Arcade user id of the default stand-in person (team T0001, user U0001). */
const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.alice-token';

describe('/inbox for a person already connected to Gmail', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
  });
  afterEach(() => h.stop());

  it('acks at once, then posts the 10 newest inbox messages to the channel in one wave of Gmail reads', async () => {
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(30) });

    const response = await h.command({ text: '' });

    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    const posted = await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
    expect(posted.text).toContain('<@U0001>');
    const links = messageLinks(posted.blocks);
    expect(links).toHaveLength(10);
    expect(links[0]).toContain('authuser=alice%40example.com');

    // What crossed the wire to Gmail: one list of the INBOX label, ten metadata-only gets, nothing else.
    const lists = h.gmail.calls.filter((c) => c.path.endsWith('/messages'));
    const gets = h.gmail.calls.filter((c) => /\/messages\/[^/]+$/.test(c.path));
    expect(lists).toHaveLength(1);
    expect(lists[0]?.rawQuery).toContain('maxResults=10');
    expect(lists[0]?.rawQuery).toContain('labelIds=INBOX');
    expect(gets).toHaveLength(10);
    for (const get of gets) {
      expect(get.rawQuery).toContain('format=metadata');
      expect(get.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
    // The account came from Arcade's user_info, so no profile call was needed.
    expect(h.gmail.calls.some((c) => c.path.endsWith('/profile'))).toBe(false);

    // Arcade: one authorize for the Slack person's id, with the read-only Gmail scope.
    const authorizes = h.arcade.calls.filter((c) => c.path === '/v1/auth/authorize');
    expect(authorizes).toHaveLength(1);
    expect(authorizes[0]?.body).toMatchObject({
      user_id: ALICE,
      auth_requirement: {
        provider_id: 'google',
        oauth2: { scopes: ['https://www.googleapis.com/auth/gmail.readonly'] },
      },
    });
    // Nothing was shown privately: the summary itself is the answer.
    expect(h.slack.responseUrlPosts).toHaveLength(0);
  });

  it('passes a count and a Gmail search through to Gmail, and searches all mail rather than the inbox', async () => {
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(30) });

    await h.command({ text: '3 is:unread from:"Maya Patel"' });

    const posted = await waitFor(() => h.slack.messages[0]);
    const list = h.gmail.calls.find((c) => c.path.endsWith('/messages'));
    expect(list?.rawQuery).toContain('maxResults=3');
    expect(decodeURIComponent(list?.rawQuery ?? '')).toContain('q=is:unread from:"Maya Patel"');
    expect(list?.rawQuery).not.toContain('labelIds');
    expect(JSON.stringify(posted.blocks)).toContain('is:unread');
  });

  it('says so kindly when the inbox is empty', async () => {
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: [] });
    await h.command();
    const posted = await waitFor(() => h.slack.messages[0]);
    expect(JSON.stringify(posted.blocks)).toMatch(/empty/i);
  });

  it('escapes hostile email text so it cannot mention @channel, a user, or forge a link', async () => {
    h.gmail.addMailbox(TOKEN, {
      email: 'alice@example.com',
      messages: [hostileMessage(), ...makeMessages(3)],
    });
    await h.command();
    const posted = await waitFor(() => h.slack.messages[0]);
    const wire = JSON.stringify({ text: posted.text, blocks: posted.blocks });
    expect(wire).not.toContain('<!channel>');
    expect(wire).not.toContain('<!here>');
    expect(wire).not.toContain('<@U123>');
    expect(wire).not.toContain('<https://evil.example');
    expect(wire).toContain('&lt;!channel&gt;');
  });

  it('reads 25 messages in one wave: every get in flight at once', async () => {
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(30) });
    // Held answers make the gets overlap, so the stand-in sees how many were in flight together.
    h.gmail.delayMs = 50;
    await h.command({ text: '25' });
    const posted = await waitFor(() => h.slack.messages[0]);
    expect(messageLinks(posted.blocks)).toHaveLength(25);
    expect(h.gmail.calls.filter((c) => /\/messages\/[^/]+$/.test(c.path))).toHaveLength(25);
    expect(h.gmail.maxInFlight).toBe(25);
  });

  it('retries only the gets Gmail refused in the wave, after their Retry-After, and keeps the rest', async () => {
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(30) });
    h.gmail.failNext('get', { status: 429, retryAfter: '0.05' }, 3);
    await h.command({ text: '25' });
    const posted = await waitFor(() => h.slack.messages[0]);
    expect(messageLinks(posted.blocks)).toHaveLength(25);
    // 25 gets, three answered 429 and asked again: 28 in all, none of the others repeated.
    const gets = h.gmail.calls.filter((c) => /\/messages\/[^/]+$/.test(c.path));
    expect(gets).toHaveLength(28);
    expect(new Set(gets.map((c) => c.path)).size).toBe(25);
  });

  it('skips a message deleted between the list and its read, and says so', async () => {
    const messages = makeMessages(5);
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages });
    h.gmail.deleteAfterList(messages[1]?.id ?? '');
    await h.command();
    const posted = await waitFor(() => h.slack.messages[0]);
    expect(messageLinks(posted.blocks)).toHaveLength(4);
    expect(JSON.stringify(posted.blocks)).toMatch(/1 message.*(deleted|vanished|no longer)/i);
  });

  describe('the layout, from what Gmail sends', () => {
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as captured off the wire
    const sectionTexts = (blocks: any[] | undefined): string[] =>
      (blocks ?? []).filter((b) => b.type === 'section').map((b) => b.text.text as string);

    it('asks Gmail for labels and bulk headers in the same gets, and lays the summary out by what matters', async () => {
      h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: sampleMessages() });

      await h.command({ text: '25' });

      const posted = await waitFor(() => h.slack.messages[0]);
      assertWithinSlackLimits(posted.blocks);
      // Still one list and one wave of metadata gets: the signals cost no extra round trip.
      const gets = h.gmail.calls.filter((c) => /\/messages\/[^/]+$/.test(c.path));
      expect(h.gmail.calls.filter((c) => c.path.endsWith('/messages'))).toHaveLength(1);
      expect(gets).toHaveLength(sampleMessages().length);
      const asked = new URLSearchParams(gets[0]?.rawQuery).getAll('metadataHeaders');
      expect(asked).toEqual(METADATA_HEADERS);
      expect(asked).toEqual(
        expect.arrayContaining(['List-Id', 'List-Unsubscribe', 'Precedence', 'Auto-Submitted']),
      );

      const [header, needs, people, bulk, ...rest] = sectionTexts(posted.blocks);
      expect(rest).toEqual([]);
      expect(header).toMatch(
        /<@U0001>'s 23 newest Gmail messages\* \(alice@example\.com\)\n9 unread · \*4 need you\*/,
      );
      // What needs the person: the long conversation once (newest reply, 6 messages), unread mail
      // from a person, important and starred mail; newest first.
      expect(needs?.split('\n')[0]).toBe('*Needs you*');
      const needTitles = [...(needs ?? '').matchAll(/\*<[^|]+\|([^>]+)>\*/g)].map((m) => m[1]);
      expect(needTitles).toEqual([
        'Launch checklist for Thursday',
        '来週の打ち合わせについて',
        'Budget sign-off needed for Q2 hiring',
        'Contract redlines (v3): please review before Friday',
      ]);
      expect(needs).toContain('Priya Raman &lt;priya@acme.example&gt; · 6 messages · <!date^');
      expect(needs).toMatch(/:star: :exclamation: \*<[^|]+\|Contract redlines/);
      expect(needs?.match(/rfc822msgid%3Ab000000000000005\.fixture/g)).toHaveLength(1);
      // Read mail from people, one line each.
      expect(people?.split('\n')).toEqual([
        '*Also from people*',
        expect.stringMatching(
          /^• <[^|]+\|Expense report approved: €1,240\.50> · Finance &lt;ap@acme\.example&gt; · <!date/,
        ),
        expect.stringMatching(/^• <[^|]+\|Mock-ups for the new onboarding> · Sam Ortiz/),
      ]);
      // Bulk mail folded: one line per group, counted, with its top senders and a link to the group.
      expect(bulk?.split('\n')).toEqual([
        '*Newsletters and notifications*',
        expect.stringMatching(
          /^:bell: <[^|]+category%3Aupdates\|Updates>: 6, 3 unread · GitHub \(github\.com\) ×3, Google Calendar/,
        ),
        expect.stringMatching(/^:speech_balloon: <[^|]+\|Forums>: 1 · Rust Users Forum/),
        expect.stringMatching(/^:busts_in_silhouette: <[^|]+\|Social>: 1, 1 unread · LinkedIn/),
        expect.stringMatching(/^:label: <[^|]+\|Promotions>: 2, 1 unread · The Weekly Byte/),
        expect.stringMatching(/^:newspaper: <[^|]+\|Newsletters and lists>: 1 · People Team/),
        expect.stringMatching(/^:robot_face: <[^|]+\|Automatic replies>: 1, 1 unread · Marco Rossi/),
      ]);
      expect(posted.text).toBe("<@U0001>'s 23 newest Gmail messages (9 unread, 4 need you)");
    });

    it('uses the same layout for a search', async () => {
      h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: sampleMessages() });

      await h.command({ text: 'from:priya' });

      const posted = await waitFor(() => h.slack.messages[0]);
      const [header, needs, ...rest] = sectionTexts(posted.blocks);
      expect(header).toMatch(/^:mag: \*<@U0001>'s 2 newest Gmail messages\* matching `from:priya`/);
      expect(needs).toMatch(
        /^\*Needs you\*\n:large_blue_circle: _Unread_ · \*<[^|]+\|Launch checklist for Thursday>\*\nPriya Raman &lt;priya@acme\.example&gt; · 2 messages · /,
      );
      expect(rest).toEqual([]);
    });

    it('says in one line when the inbox holds only newsletters and notifications', async () => {
      h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: bulkOnlyMessages() });

      await h.command({ text: '25' });

      const posted = await waitFor(() => h.slack.messages[0]);
      const [header, bulk, ...rest] = sectionTexts(posted.blocks);
      expect(header?.split('\n')).toEqual([
        expect.stringContaining('newest Gmail messages'),
        expect.stringMatching(/ · nothing needs you$/),
        '_Only newsletters and notifications: nothing from people._',
      ]);
      expect(bulk?.split('\n')[0]).toBe('*Newsletters and notifications*');
      expect(messageLinks(posted.blocks)).toEqual([]);
      expect(rest).toEqual([]);
    });
  });
});
