import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { blockActionsPayload } from '../../src/stand-ins/slack-requests';
import { appHomeOpenedEvent, userChangeEvent } from '../../src/stand-ins/slack-stand-in';
import { bootApp, type Harness } from '../support/boot-app';
import { waitFor } from '../support/wait-for';

/** Arcade user id of the default stand-in person (team T0001, user U0001). */
const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.alice-token';
/** Tuesday 2026-03-03 08:00 in Berlin (07:00 UTC). */
const START = Date.UTC(2026, 2, 3, 7, 0);

function repliesTo(h: Harness, responseUrl: string) {
  return h.slack.responseUrlPosts.filter((post) => responseUrl.endsWith(`/${post.id}`));
}

describe('/inbox every … over the wire (memory schedules, a clock the test moves)', () => {
  let h: Harness;
  let clock = START;
  beforeEach(async () => {
    clock = START;
    h = await bootApp({ tuning: { scheduleNow: () => clock, scheduleTimer: false } });
    h.slack.users.set('U0001', { name: 'alice', tz: 'Europe/Berlin' });
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(3) });
  });
  afterEach(async () => {
    await h.stop();
  });

  async function schedule(text: string): Promise<string> {
    const { status, responseUrl } = await h.command({ text });
    expect(status).toBe(200);
    const [reply] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    return String(reply?.body.text);
  }

  it('confirms privately with a Slack date token for the next one in the person zone, and says memory lasts until restart', async () => {
    const text = await schedule('every day at 9:00 5 from:boss');
    // 09:00 Berlin on 3 March is 08:00 UTC.
    expect(text).toContain(`<!date^${Date.UTC(2026, 2, 3, 8, 0) / 1000}^{date_short_pretty} at {time}|`);
    expect(text).toContain('Europe/Berlin');
    expect(text).toContain('kept until the app restarts');
    expect(h.slack.calls.some((call) => call.method === 'users.info')).toBe(true);
  });

  it('delivers the digest at its minute, once, to the channel, with after: in the Gmail query', async () => {
    // Two from the boss after the schedule was made, one before it: the digest shows the two.
    const at = (index: number) => String(index < 2 ? START + (10 + index) * 60_000 : START - 3_600_000);
    h.gmail.addMailbox(TOKEN, {
      email: 'alice@example.com',
      messages: makeMessages(3, (index) => ({
        internalDate: at(index),
        headers: [
          { name: 'From', value: 'Boss <boss@example.com>' },
          { name: 'Subject', value: `Report ${index}` },
          { name: 'Date', value: new Date(Number(at(index))).toUTCString() },
        ],
      })),
    });
    await schedule('every day at 9:00 5 from:boss');
    await h.app.schedules.tick();
    expect(h.slack.messages.filter((m) => m.channel === 'C0001')).toHaveLength(0);

    clock = Date.UTC(2026, 2, 3, 8, 0, 5);
    await h.app.schedules.tick();
    await h.app.schedules.tick();
    const digests = h.slack.messages.filter((m) => m.channel === 'C0001');
    expect(digests).toHaveLength(1);
    expect(digests[0]?.text).toContain('<@U0001>');
    const lists = h.gmail.calls.filter((c) => c.path.endsWith('/messages'));
    expect(lists).toHaveLength(1);
    const q = new URLSearchParams(lists[0]?.rawQuery ?? '').get('q');
    expect(q).toBe(`after:${START / 1000} (from:boss)`);
    expect(lists[0]?.rawQuery).toContain('maxResults=5');
    const shown = JSON.stringify(digests[0]?.blocks);
    expect(shown).toContain('Report 0');
    expect(shown).toContain('Report 1');
    expect(shown).not.toContain('Report 2');
    expect(shown).toContain('Your digest every day at 9:00: what arrived since <!date^');
  });

  it('says "Nothing new since" in one line when Gmail has nothing, and sends private ones by DM only', async () => {
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: [] });
    await schedule('private every day at 9:00');
    clock = Date.UTC(2026, 2, 3, 8, 1);
    await h.app.schedules.tick();
    expect(h.slack.messages.filter((m) => m.channel === 'C0001')).toHaveLength(0);
    const dm = h.slack.messages.filter((m) => m.channel !== 'C0001');
    expect(dm).toHaveLength(1);
    expect(dm[0]?.text).toMatch(/^Nothing new since <!date\^/);
  });

  it('needs consent: the person gets a DM with the Connect button, the run is skipped and not retried each minute', async () => {
    await schedule('every day at 9:00');
    h.arcade.revoke(ALICE);
    clock = Date.UTC(2026, 2, 3, 8, 0);
    await h.app.schedules.tick();
    clock += 60_000;
    await h.app.schedules.tick();
    expect(h.slack.messages.filter((m) => m.channel === 'C0001')).toHaveLength(0);
    const dms = h.slack.messages.filter((m) => m.channel !== 'C0001');
    expect(dms).toHaveLength(1);
    expect(dms[0]?.text).toContain('was skipped');
    expect(JSON.stringify(dms[0]?.blocks)).toContain('connect_gmail');
    expect(h.gmail.calls).toHaveLength(0);

    // Connected again: the next day's digest comes, covers the skipped window, and says so.
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    clock = Date.UTC(2026, 2, 4, 8, 0);
    await h.app.schedules.tick();
    const [digest] = h.slack.messages.filter((m) => m.channel === 'C0001');
    // The fixtures are older than the window: the one-line "nothing new", with the skipped count.
    expect(digest?.text).toMatch(
      /^1 earlier digest\(s\) could not be sent; this one covers them\. Nothing new since/,
    );
    const lists = h.gmail.calls.filter((c) => c.path.endsWith('/messages'));
    expect(new URLSearchParams(lists[0]?.rawQuery ?? '').get('q')).toBe(`after:${START / 1000}`);
  });

  it('Send now on the list delivers the digest at once, and the next one still comes at its time', async () => {
    await schedule('every day at 9:00');
    const { responseUrl } = await h.command({ text: 'schedules' });
    const [list] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    const send = list?.body.blocks?.[1]?.elements?.[0];
    expect(send).toMatchObject({ action_id: 'send_schedule_now', text: { text: 'Send now' } });

    // Someone else's click on the same id sends nothing.
    const other = h.slack.newResponseUrl();
    await h.interact(
      blockActionsPayload({
        actionId: 'send_schedule_now',
        value: send.value,
        userId: 'U0002',
        responseUrl: other,
      }),
    );
    const [refused] = await waitFor(() => repliesTo(h, other).length > 0 && repliesTo(h, other));
    expect(refused?.body.text).toContain('already gone');
    expect(h.slack.messages).toHaveLength(0);

    // Ten minutes after the schedule was made, one new message.
    h.gmail.addMailbox(TOKEN, {
      email: 'alice@example.com',
      messages: makeMessages(1, () => ({ internalDate: String(START + 5 * 60_000) })),
    });
    clock = START + 10 * 60_000;
    await h.interact(blockActionsPayload({ actionId: 'send_schedule_now', value: send.value, responseUrl }));
    const digest = await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
    expect(JSON.stringify(digest.blocks)).toContain('Your digest every day at 9:00');
    const note = await waitFor(() => repliesTo(h, responseUrl)[1]);
    expect(note?.body.text).toContain('Sent');
    // The scheduled one is still due at 9:00 and comes once.
    clock = Date.UTC(2026, 2, 3, 8, 0, 5);
    await h.app.schedules.tick();
    expect(h.slack.messages.filter((m) => m.channel === 'C0001')).toHaveLength(2);
  });

  it('/inbox schedules lists them privately with Remove buttons; Remove stops the digest', async () => {
    await schedule('every weekday at 8:30am 5 is:unread');
    const { responseUrl } = await h.command({ text: 'schedules' });
    const [list] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    expect(list?.body.response_type).toBe('ephemeral');
    const button = list?.body.blocks?.[0]?.accessory;
    expect(button).toMatchObject({ action_id: 'remove_schedule', text: { text: 'Remove' } });
    expect(list?.body.blocks?.[0]?.text.text).toContain('every weekday at 8:30');

    // Someone else clicking the same id removes nothing.
    const other = h.slack.newResponseUrl();
    await h.interact(
      blockActionsPayload({
        actionId: 'remove_schedule',
        value: button.value,
        userId: 'U0002',
        responseUrl: other,
      }),
    );
    const [refused] = await waitFor(() => repliesTo(h, other).length > 0 && repliesTo(h, other));
    expect(refused?.body.text).toContain('already gone');

    await h.interact(blockActionsPayload({ actionId: 'remove_schedule', value: button.value, responseUrl }));
    const removed = await waitFor(() => repliesTo(h, responseUrl).length > 1 && repliesTo(h, responseUrl)[1]);
    expect(removed?.body.text).toContain('Removed');
    expect(removed?.body.text).toContain('no scheduled digests');
    clock = Date.UTC(2026, 2, 3, 8, 0);
    await h.app.schedules.tick();
    expect(h.slack.messages).toHaveLength(0);
  });

  it('disconnecting Gmail stops the person schedules', async () => {
    await schedule('every day at 9:00');
    const { responseUrl } = await h.command({ text: 'disconnect' });
    await h.interact(blockActionsPayload({ actionId: 'disconnect_gmail', value: 'disconnect', responseUrl }));
    const [reply] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    expect(reply?.body.text).toContain('1 scheduled digest(s) were stopped');
    clock = Date.UTC(2026, 2, 3, 8, 0);
    await h.app.schedules.tick();
    expect(h.slack.messages).toHaveLength(0);
  });

  it('a digest Gmail cannot read: the person is told by DM, and the next digest covers the same window', async () => {
    await schedule('every day at 9:00');
    // As many as the retry budget (FAST_TUNING: 4 attempts), so this run fails and the next does not.
    h.gmail.failNext('list', { status: 500, reason: 'backendError' }, 4);
    clock = Date.UTC(2026, 2, 3, 8, 0);
    await h.app.schedules.tick();
    const notice = await waitFor(() => h.slack.messages.find((m) => m.channel !== 'C0001'));
    expect(notice.text).toContain('could not be sent this time');
    expect(h.slack.messages.filter((m) => m.channel === 'C0001')).toHaveLength(0);

    clock = Date.UTC(2026, 2, 4, 8, 0);
    await h.app.schedules.tick();
    const lists = h.gmail.calls.filter((c) => c.path.endsWith('/messages') && c.status === 200);
    expect(new URLSearchParams(lists.at(-1)?.rawQuery ?? '').get('q')).toBe(`after:${START / 1000}`);
  });

  it('someone leaving the workspace (user_change, deleted) stops their schedules; a profile edit does not', async () => {
    await schedule('every day at 9:00');
    await h.event(userChangeEvent({ deleted: false }));
    const { responseUrl } = await h.command({ text: 'schedules' });
    const [still] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    expect(still?.body.text).toContain('(1)');

    await h.event(userChangeEvent({ deleted: true }));
    // The event is acked at once and handled in the background: ask until the list is empty.
    await waitFor(
      async () => {
        const { responseUrl: url } = await h.command({ text: 'schedules' });
        const [reply] = await waitFor(() => repliesTo(h, url).length > 0 && repliesTo(h, url));
        return String(reply?.body.text).includes('no scheduled digests');
      },
      { intervalMs: 50 },
    );
    clock = Date.UTC(2026, 2, 3, 8, 0);
    await h.app.schedules.tick();
    expect(h.slack.messages).toHaveLength(0);
  });

  it('the Home tab lists the schedules with Remove buttons; Remove there draws the tab again without it', async () => {
    await schedule('every monday at 17:30 from:boss');
    await h.event(appHomeOpenedEvent({}));
    const drawn = await waitFor(() => h.slack.homeViews.at(-1));
    const blocks = drawn.view.blocks as {
      text?: { text?: string };
      accessory?: { action_id?: string; value?: string };
    }[];
    const row = blocks.find((block) => block.accessory?.action_id === 'remove_schedule');
    expect(row?.text?.text).toContain('every Monday at 17:30');

    const click = blockActionsPayload({ actionId: 'remove_schedule', value: row?.accessory?.value ?? '' });
    await h.interact({
      ...click,
      container: { type: 'view', view_id: 'V1' },
      view: { id: 'V1', type: 'home', blocks: [] },
      channel: undefined,
    });
    const redrawn = await waitFor(() => h.slack.homeViews.length === 2 && h.slack.homeViews[1]);
    const text = JSON.stringify(redrawn.view.blocks);
    expect(text).toContain('Removed: that digest will not come again.');
    expect(text).not.toContain('remove_schedule');
  });

  it('a channel the bot cannot post in: the digest goes to the person by DM instead', async () => {
    await schedule('every day at 9:00');
    h.slack.botNotInChannels.add('C0001');
    clock = Date.UTC(2026, 2, 3, 8, 0);
    await h.app.schedules.tick();
    expect(h.slack.messages.filter((m) => m.channel === 'C0001')).toHaveLength(0);
    expect(h.slack.messages.filter((m) => m.channel !== 'C0001')).toHaveLength(1);
  });

  it('refuses a bad time with how to write one', async () => {
    expect((await h.command({ text: 'every day at teatime' })).json.text).toContain('`5:30pm`');
  });
});

describe('/inbox every … with INBOX_VISIBILITY=private', () => {
  it('makes every digest private: by DM, never in the channel', async () => {
    let clock = START;
    const h = await bootApp({
      env: { INBOX_VISIBILITY: 'private' },
      tuning: { scheduleNow: () => clock, scheduleTimer: false },
    });
    try {
      h.slack.users.set('U0001', { name: 'alice', tz: 'America/New_York' });
      h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
      h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: [] });
      const { responseUrl } = await h.command({ text: 'every day at 9:00' });
      const [reply] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
      expect(reply?.body.text).toContain('only to you');
      // 09:00 in New York on 3 March (EST) is 14:00 UTC.
      clock = Date.UTC(2026, 2, 3, 14, 0);
      await h.app.schedules.tick();
      expect(h.slack.messages.filter((m) => m.channel === 'C0001')).toHaveLength(0);
      expect(h.slack.messages.filter((m) => m.channel !== 'C0001')).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });
});
