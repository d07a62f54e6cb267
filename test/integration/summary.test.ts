import { hostileMessage, makeMessages } from '../../src/stand-ins/mail-fixtures';
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

  it('skips a message deleted between the list and its read, and says so', async () => {
    const messages = makeMessages(5);
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages });
    h.gmail.deleteAfterList(messages[1]?.id ?? '');
    await h.command();
    const posted = await waitFor(() => h.slack.messages[0]);
    expect(messageLinks(posted.blocks)).toHaveLength(4);
    expect(JSON.stringify(posted.blocks)).toMatch(/1 message.*(deleted|vanished|no longer)/i);
  });
});
