import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { blockActionsPayload, slashCommandPayload } from '../../src/stand-ins/slack-requests';
import { appHomeOpenedEvent } from '../../src/stand-ins/slack-stand-in';
import { bootApp, type Harness } from '../support/boot-app';
import { waitFor } from '../support/wait-for';

/** `/inbox status`, `/inbox disconnect` with its confirmation, and the App Home tab. */

const ALICE = 'slack:T0001:U0001';
const BOB = 'slack:T0001:U0002';
const TOKEN = 'ya29.alice';

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as captured off the wire
type Json = any;

const deletes = (h: Harness) =>
  h.arcade.calls.filter(
    (call) => call.method === 'DELETE' && call.path.startsWith('/v1/admin/user_connections/'),
  );
const authorizes = (h: Harness) => h.arcade.calls.filter((call) => call.path === '/v1/auth/authorize');
const buttons = (blocks: Json[] | undefined): Json[] =>
  (blocks ?? []).flatMap((block: Json) => (block.type === 'actions' ? block.elements : []));

/** The private replies to one response_url, oldest first. */
function repliesTo(h: Harness, responseUrl: string) {
  return h.slack.responseUrlPosts.filter((post) => responseUrl.endsWith(post.id));
}

/** A click on a Home tab button: no response_url, the view as container. */
function homeClick(actionId: string, userId = 'U0001') {
  const payload = blockActionsPayload({ actionId, userId, value: 'disconnect' });
  return {
    ...payload,
    container: { type: 'view', view_id: 'V1' },
    view: { id: 'V1', type: 'home', blocks: [] },
    channel: undefined,
  };
}

describe('/inbox status', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootApp();
  });
  afterEach(() => h.stop());

  it('says privately that Gmail is connected and for which account, without asking Arcade for a token', async () => {
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    const { status, body, responseUrl } = await h.command({ text: 'status' });
    expect(status).toBe(200);
    expect(body).toBe('');
    const [reply] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    expect(reply?.body.response_type).toBe('ephemeral');
    expect(reply?.body.text).toMatch(/connected/);
    expect(reply?.body.text).toContain('alice@example.com');
    expect(authorizes(h)).toHaveLength(0);
    expect(h.slack.messages).toHaveLength(0);
  });

  it('says Gmail is not connected without starting a consent', async () => {
    const { responseUrl } = await h.command({ text: 'Status' });
    const [reply] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    expect(reply?.body.text).toMatch(/not connected.*Run `\/inbox`/);
    expect(authorizes(h)).toHaveLength(0);
    expect(h.arcade.flows).toHaveLength(0);
  });

  it('tells the person when Arcade is down', async () => {
    h.arcade.failNext('user_connections', { status: 503 });
    const { responseUrl } = await h.command({ text: 'status' });
    const [reply] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    expect(reply?.body.text).toMatch(/Arcade isn't answering/);
  });

  it('treats "status" followed by more words as a Gmail search', async () => {
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(2) });
    await h.command({ text: 'status report' });
    await waitFor(() => h.slack.messages[0]);
    const list = h.gmail.calls.find((call) => call.path.endsWith('/messages'));
    expect(decodeURIComponent(list?.rawQuery ?? '')).toContain('q=status report');
  });
});

describe('/inbox disconnect', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
  });
  afterEach(() => h.stop());

  it('asks first, privately, with a danger button behind a confirm dialog, and touches nothing yet', async () => {
    const response = await h.command({ text: 'disconnect' });
    expect(response.status).toBe(200);
    expect(response.json?.response_type ?? 'ephemeral').toBe('ephemeral');
    const [disconnect, cancel] = buttons(response.json?.blocks);
    expect(disconnect).toMatchObject({ action_id: 'disconnect_gmail', style: 'danger' });
    expect(disconnect.confirm).toMatchObject({ style: 'danger', confirm: { text: 'Disconnect' } });
    expect(cancel).toMatchObject({ action_id: 'disconnect_cancel' });
    expect(h.arcade.calls).toHaveLength(0);
  });

  it('removes the connection in Arcade once confirmed, and says so in place of the question', async () => {
    const { responseUrl } = await h.command({ text: 'disconnect' });
    const click = await h.interact(
      blockActionsPayload({ actionId: 'disconnect_gmail', value: 'disconnect', responseUrl }),
    );
    expect(click.status).toBe(200);

    const [reply] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    expect(reply?.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(reply?.body.text).toMatch(/Gmail disconnected/);
    expect(reply?.body.text).toContain('myaccount.google.com/permissions');
    expect(deletes(h)).toHaveLength(1);

    // Afterwards, status says so and /inbox would ask to connect again.
    const after = await h.command({ text: 'status' });
    const [status] = await waitFor(
      () => repliesTo(h, after.responseUrl).length > 0 && repliesTo(h, after.responseUrl),
    );
    expect(status?.body.text).toMatch(/not connected/);
  });

  it('changes nothing on Cancel', async () => {
    const { responseUrl } = await h.command({ text: 'disconnect' });
    await h.interact(blockActionsPayload({ actionId: 'disconnect_cancel', value: 'cancel', responseUrl }));
    const [reply] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    expect(reply?.body.replace_original).toBe(true);
    expect(reply?.body.text).toMatch(/Nothing changed/);
    expect(deletes(h)).toHaveLength(0);
  });

  it("removes only the clicker's own connection, whoever's message the button was in", async () => {
    h.arcade.grant(BOB, { token: 'ya29.bob', email: 'bob@example.com' });
    const responseUrl = h.slack.newResponseUrl();
    await h.interact(blockActionsPayload({ actionId: 'disconnect_gmail', userId: 'U0002', responseUrl }));
    await waitFor(() => deletes(h).length === 1);
    const lists = h.arcade.calls.filter((call) => call.path === '/v1/admin/user_connections');
    expect(lists.every((call) => call.query.user_id === BOB)).toBe(true);
    // Alice is still connected.
    const { responseUrl: statusUrl } = await h.command({ text: 'status' });
    const [status] = await waitFor(() => repliesTo(h, statusUrl).length > 0 && repliesTo(h, statusUrl));
    expect(status?.body.text).toContain('alice@example.com');
  });

  it('says there was nothing to remove when Gmail was not connected', async () => {
    h.arcade.revoke(ALICE);
    const responseUrl = h.slack.newResponseUrl();
    await h.interact(blockActionsPayload({ actionId: 'disconnect_gmail', responseUrl }));
    const [reply] = await waitFor(() => repliesTo(h, responseUrl).length > 0 && repliesTo(h, responseUrl));
    expect(reply?.body.text).toMatch(/not connected, so there was nothing to remove/);
  });
});

describe('App Home', () => {
  let h: Harness;
  afterEach(() => h.stop());

  /** The text of every block of the newest Home tab for U0001. */
  const homeText = () => JSON.stringify(h.slack.homeView('U0001')?.view.blocks ?? []);

  it('shows a connected person their account, a Disconnect button and how to use /inbox', async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });

    await h.event(appHomeOpenedEvent({}));

    const home = await waitFor(() => h.slack.homeView('U0001'));
    expect(home.view.type).toBe('home');
    expect(homeText()).toContain('alice@example.com');
    expect(homeText()).toContain('/inbox private');
    expect(homeText()).toMatch(/everyone there sees/);
    const [disconnect] = buttons(home.view.blocks);
    expect(disconnect).toMatchObject({ action_id: 'home_disconnect_gmail', style: 'danger' });
    expect(disconnect.confirm).toBeDefined();
    // Connected: no consent was started.
    expect(h.arcade.flows).toHaveLength(0);
  });

  it("offers a Connect link to a person not connected, and turns to 'connected' by itself once they consent", async () => {
    h = await bootApp();
    await h.event(appHomeOpenedEvent({}));

    const first = await waitFor(() => h.slack.homeView('U0001'));
    const [connect] = buttons(first.view.blocks);
    const flow = h.arcade.pendingFlow(ALICE);
    expect(connect).toMatchObject({ action_id: 'connect_gmail', url: flow?.url });
    expect(h.app.pendingConsents).toBe(1);

    await waitFor(() => h.arcade.statusPolls(flow?.id) > 0);
    h.arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });

    await waitFor(() => h.slack.homeViews.length === 2);
    expect(homeText()).toContain('Gmail connected');
    expect(homeText()).toContain('alice@example.com');
  });

  it('disconnects from the Home tab and shows the tab again with a Connect button', async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });

    const click = await h.interact(homeClick('home_disconnect_gmail'));
    expect(click.status).toBe(200);

    await waitFor(() => h.slack.homeView('U0001'));
    expect(deletes(h)).toHaveLength(1);
    expect(homeText()).toMatch(/Gmail disconnected/);
    expect(buttons(h.slack.homeView('U0001')?.view.blocks)[0]).toMatchObject({ action_id: 'connect_gmail' });
  });

  it('ignores the Messages tab', async () => {
    h = await bootApp();
    await h.event(appHomeOpenedEvent({ tab: 'messages' }));
    await h.event(appHomeOpenedEvent({}));
    await waitFor(() => h.slack.homeViews.length === 1);
    expect(h.slack.homeViews).toHaveLength(1);
  });

  it('shows on the tab what went wrong when Arcade is down', async () => {
    h = await bootApp();
    h.arcade.failNext('user_connections', { status: 503 });
    await h.event(appHomeOpenedEvent({}));
    await waitFor(() => h.slack.homeView('U0001'));
    expect(homeText()).toMatch(/Arcade isn't answering/);
  });

  it('works over Socket Mode too', async () => {
    h = await bootApp({ socketMode: true });
    await h.slack.socketConnected();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    await h.event(appHomeOpenedEvent({}));
    await waitFor(() => h.slack.homeView('U0001'));
    expect(homeText()).toContain('alice@example.com');
    // And /inbox status over the socket, for good measure.
    const responseUrl = h.slack.newResponseUrl();
    await h.slack.sendEnvelope(
      'slash_commands',
      slashCommandPayload({ text: 'status', response_url: responseUrl }),
    );
    await waitFor(() => repliesTo(h, responseUrl).length > 0);
  });
});
