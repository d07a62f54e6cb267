import {
  createConversations,
  directMessageId,
  dispatchFailedText,
  type Entry,
  type SlackRecords,
} from '../../../src/sandbox/conversations';
import type { PostedEphemeral, PostedMessage, ResponseUrlPost } from '../../../src/stand-ins/slack-stand-in';

const ADA = 'U0ADA';
const GRACE = 'U0GRACE';
const GENERAL = 'C0GENERAL';

function setup() {
  const records: {
    messages: PostedMessage[];
    responseUrlPosts: ResponseUrlPost[];
    ephemeralMessages: PostedEphemeral[];
    calls: unknown[];
  } & SlackRecords = {
    messages: [],
    responseUrlPosts: [],
    ephemeralMessages: [],
    calls: [],
  };
  let clock = 1000;
  const conversations = createConversations(records, () => clock);
  const tick = (ms = 10) => {
    clock += ms;
    return clock;
  };
  const command = (id: string, userId: string, typed = '/inbox', channelId = GENERAL) =>
    conversations.commandSent({ responseUrlId: id, userId, channelId, typed, at: tick() });
  // biome-ignore lint/suspicious/noExplicitAny: message bodies as the app posts them
  const post = (id: string, body: Record<string, any>, status = 200) => {
    records.responseUrlPosts.push({ id, body, at: tick(), status });
  };
  const postMessage = (channel: string, text: string) => {
    tick();
    records.messages.push({ channel, ts: `1.${records.messages.length}`, text, via: 'chat.postMessage' });
    conversations.sync();
  };
  const click = (id: string, userId: string, targetKey: string, channelId = GENERAL) =>
    conversations.clickSent({ responseUrlId: id, userId, channelId, targetKey, at: tick() });
  return { conversations, records, command, post, postMessage, click, tick };
}

const summary = (entries: Entry[] | undefined) =>
  (entries ?? []).map((entry) => `${entry.kind}:${entry.kind === 'command' ? entry.typed : entry.text}`);

describe('conversations as each person sees them', () => {
  it('shows a command and its private replies to the person who ran it, and the summary to everyone', () => {
    const { conversations, command, post, postMessage } = setup();
    command('r1', ADA, '/inbox 5');
    post('r1', { response_type: 'ephemeral', replace_original: false, text: 'Connect Gmail' });
    post('r1', { response_type: 'ephemeral', replace_original: true, text: 'Connected' });
    postMessage(GENERAL, 'summary');

    expect(summary(conversations.view(ADA)[GENERAL])).toEqual([
      'command:/inbox 5',
      // Replaced in place: one private message, now saying "Connected".
      'private:Connected',
      'message:summary',
    ]);
    expect(summary(conversations.view(GRACE)[GENERAL])).toEqual(['message:summary']);
  });

  it('adds a new private message when the reply does not replace, and removes one on delete_original', () => {
    const { conversations, command, post } = setup();
    command('r1', ADA);
    post('r1', { text: 'first' });
    post('r1', { text: 'second' });
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual([
      'command:/inbox',
      'private:first',
      'private:second',
    ]);
    post('r1', { delete_original: true });
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual(['command:/inbox', 'private:first']);
  });

  it('shows in_channel replies to everyone, and nothing Slack refused', () => {
    const { conversations, command, post } = setup();
    command('r1', ADA);
    post('r1', { response_type: 'in_channel', text: 'summary via reply link' });
    post('r1', { response_type: 'ephemeral', text: 'refused' }, 404);
    expect(summary(conversations.view(GRACE)[GENERAL])).toEqual(['message:summary via reply link']);
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual([
      'command:/inbox',
      'message:summary via reply link',
    ]);
  });

  it('shows a message in the ack privately, and "dispatch_failed" when the app did not answer', () => {
    const { conversations, command } = setup();
    command('r1', ADA, '/inbox help');
    conversations.ackReceived('r1', { status: 200, body: { text: 'usage' } });
    command('r2', ADA, '/inbox 5');
    conversations.ackReceived('r2', { status: 0 });
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual([
      'command:/inbox help',
      'private:usage',
      'command:/inbox 5',
      `private:${dispatchFailedText('/inbox 5')}`,
    ]);
    expect(dispatchFailedText('/inbox 5')).toBe('/inbox failed with the error "dispatch_failed"');
    expect(conversations.view(GRACE)[GENERAL]).toBeUndefined();
  });

  it('puts direct messages from the app in the person’s DM, addressed by user id or DM id', () => {
    const { conversations, postMessage } = setup();
    postMessage(ADA, 'dm by user id');
    postMessage(directMessageId(ADA), 'dm by conversation id');
    postMessage(GRACE, 'not for Ada');
    expect(summary(conversations.view(ADA)[directMessageId(ADA)])).toEqual([
      'message:dm by user id',
      'message:dm by conversation id',
    ]);
    expect(Object.keys(conversations.view(ADA))).toEqual([directMessageId(ADA)]);
  });

  it('orders channel messages by when they arrived, between the commands around them', () => {
    const { conversations, command, post, postMessage } = setup();
    postMessage(GENERAL, 'earlier summary');
    command('r1', ADA);
    post('r1', { text: 'prompt' });
    postMessage(GENERAL, 'later summary');
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual([
      'message:earlier summary',
      'command:/inbox',
      'private:prompt',
      'message:later summary',
    ]);
  });

  it('changes its version whenever anything someone sees may have changed, and only then', () => {
    const { conversations, command, post, records } = setup();
    const v0 = conversations.version;
    expect(conversations.version).toBe(v0);
    command('r1', ADA);
    const v1 = conversations.version;
    expect(v1).toBeGreaterThan(v0);
    post('r1', { text: 'x' });
    expect(conversations.version).toBeGreaterThan(v1);
    const v2 = conversations.version;
    records.messages.push({ channel: GENERAL, ts: '1.1', text: 'm', via: 'chat.postMessage' });
    expect(conversations.version).toBeGreaterThan(v2);
  });

  it("a click's reply link acts on the clicked message: replace_original, delete_original, or a new one", () => {
    const { conversations, command, post, postMessage, click } = setup();
    command('r1', GRACE);
    post('r1', { text: 'private summary [Share]' });
    const summaryKey = (conversations.view(GRACE)[GENERAL] ?? [])[1]?.key ?? '';
    click('k1', GRACE, summaryKey);
    postMessage(GENERAL, 'shared summary');
    post('k1', { response_type: 'ephemeral', replace_original: true, text: 'You shared it' });
    expect(summary(conversations.view(GRACE)[GENERAL])).toEqual([
      'command:/inbox',
      'private:You shared it',
      'message:shared summary',
    ]);
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual(['message:shared summary']);

    // A reply that neither replaces nor deletes is a new message: private to the clicker by default.
    post('k1', { text: 'one more thing' });
    post('k1', { response_type: 'in_channel', replace_original: false, text: 'for all' });
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual(['message:shared summary', 'message:for all']);
    expect(summary(conversations.view(GRACE)[GENERAL]).slice(-2)).toEqual([
      'private:one more thing',
      'message:for all',
    ]);

    // A click on a channel message: replace_original changes it for everyone.
    const channelKey = (conversations.view(ADA)[GENERAL] ?? [])[0]?.key ?? '';
    click('k2', ADA, channelKey);
    post('k2', { replace_original: true, text: 'edited for all' });
    expect(summary(conversations.view(GRACE)[GENERAL])).toContain('message:edited for all');
    post('k2', { delete_original: true });
    expect(summary(conversations.view(GRACE)[GENERAL])).not.toContain('message:edited for all');
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual(['message:for all']);

    // In someone's direct messages with the app, a click's replies are theirs alone.
    click('k3', GRACE, channelKey, directMessageId(GRACE));
    post('k3', { response_type: 'in_channel', text: 'in the DM' });
    expect(summary(conversations.view(GRACE)[directMessageId(GRACE)])).toEqual(['message:in the DM']);
    expect(conversations.view(ADA)[directMessageId(ADA)]).toBeUndefined();
  });

  it('shows chat.update and chat.delete of a posted message, and chat.postEphemeral to its person only', () => {
    const { conversations, records, postMessage } = setup();
    postMessage(GENERAL, 'summary');
    const v1 = conversations.version;
    // The stand-in edits its record in place; the call it records is what moves the version on.
    Object.assign(records.messages[0] ?? {}, { text: 'summary + TL;DR', via: 'chat.update' });
    records.calls.push({ method: 'chat.update' });
    expect(conversations.version).toBeGreaterThan(v1);
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual(['message:summary + TL;DR']);
    expect((conversations.view(ADA)[GENERAL] ?? [])[0]).toMatchObject({ ts: '1.0' });

    records.ephemeralMessages.push({ channel: GENERAL, user: GRACE, ts: '2.0', text: 'psst' });
    expect(summary(conversations.view(GRACE)[GENERAL])).toEqual(['message:summary + TL;DR', 'private:psst']);
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual(['message:summary + TL;DR']);

    Object.assign(records.messages[0] ?? {}, { deleted: true });
    records.calls.push({ method: 'chat.delete' });
    expect(summary(conversations.view(ADA)[GENERAL])).toEqual([]);
  });
});
