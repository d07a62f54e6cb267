import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { slashCommandPayload } from '../../src/stand-ins/slack-requests';
import { appHomeOpenedEvent, SIGN_IN_COOKIE, type SignInUser } from '../../src/stand-ins/slack-stand-in';
import { bootApp, type Harness, VERIFIER_SECRET } from '../support/boot-app';
import { messageLinks } from '../support/summary-reader';
import { waitFor } from '../support/wait-for';
import { TestBrowser, type Visit } from './support/browser';

/**
 * The custom user verifier end to end: the real app's /verify routes, driven by a cookie-keeping
 * browser through the Arcade stand-in's consent page (verifier mode), the Slack stand-in's Sign in
 * with Slack, and Arcade's confirm_user.
 */

const ALICE: SignInUser = { userId: 'U0001', teamId: 'T0001', name: 'Alice', email: 'alice@example.com' };
const BOB: SignInUser = { userId: 'U0002', teamId: 'T0001', name: 'Bob', email: 'bob@example.com' };
const MALLORY: SignInUser = {
  userId: 'U0666',
  teamId: 'T0001',
  name: 'Mallory',
  email: 'mallory@example.com',
};
const ALICE_ID = 'slack:T0001:U0001';
const BOB_ID = 'slack:T0001:U0002';
const MALLORY_ID = 'slack:T0001:U0666';
const TOKEN = 'ya29.granted-through-the-verifier';

/** Every token a consent hands out here is TOKEN, so Gmail's stand-in can hold the mailbox in advance. */
async function boot(options: Parameters<typeof bootApp>[0] = {}): Promise<Harness> {
  const h = await bootApp({
    verifier: true,
    arcade: { consentGrant: () => ({ token: TOKEN, email: 'consented@example.com' }) },
    ...options,
  });
  h.gmail.addMailbox(TOKEN, { email: 'consented@example.com', messages: makeMessages(4) });
  return h;
}

/** Runs `/inbox` as `user` and returns the Connect Gmail link from the private prompt. */
async function connectLink(h: Harness, user: SignInUser): Promise<string> {
  const { responseUrl } = await h.command({ user_id: user.userId, team_id: user.teamId });
  const id = responseUrl.split('/').pop();
  const prompt = await waitFor(() => h.slack.responseUrlPosts.find((post) => post.id === id));
  const url = JSON.stringify(prompt.body).match(/"url":"([^"]+\/consent\/[^"]+)"/)?.[1];
  if (!url) throw new Error('no Connect Gmail link in the prompt');
  return url;
}

/** A browser signed in to Slack as `user` (or to nobody). */
function browserOf(h: Harness, user?: SignInUser): TestBrowser {
  const browser = new TestBrowser();
  if (user) browser.setCookie(h.slack.origin, SIGN_IN_COOKIE, h.slack.newSignInSession(user));
  return browser;
}

/** "Allow" on the (stand-in) Google consent page for the Arcade link. */
const allow = (link: string) => `${link}?decision=allow`;
const isSlackAuthorize = (url: URL) => url.pathname === '/openid/connect/authorize';
const confirmCalls = (h: Harness) => h.arcade.calls.filter((call) => call.path === '/v1/auth/confirm_user');
const tokenCalls = (h: Harness) => h.slack.calls.filter((call) => call.method === 'openid.connect.token');
const pageText = (visit: Visit) => visit.body.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'");

describe('custom user verifier (Sign in with Slack)', () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
    const log = h.logs.join('\n');
    // No secret, token, code, state or flow id reached the log, whatever the test did.
    for (const secret of [VERIFIER_SECRET, h.slack.oidcClientSecret, TOKEN])
      expect(log).not.toContain(secret);
    for (const flow of h.arcade.flows)
      if (flow.verificationId) expect(log).not.toContain(flow.verificationId);
    for (const request of h.slack.signInRequests) {
      if (request.query.state) expect(log).not.toContain(request.query.state);
      if (request.query.nonce) expect(log).not.toContain(request.query.nonce);
    }
    expect(log).not.toMatch(/xoxp-oidc-/);
    expect(log).not.toMatch(/[?&](code|state|flow_id)=/);
  });

  it('confirms the person who started the flow, sends the browser to next_uri, and delivers the summary', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);
    const browser = browserOf(h, ALICE);

    const end = await browser.open(allow(link));

    // Arcade's next_uri page is where the browser lands; visiting it completed the flow.
    expect(end.status).toBe(200);
    expect(end.url).toMatch(new RegExp(`^${h.arcade.baseUrl}/consent/[^/]+/verified$`));
    const confirms = confirmCalls(h);
    expect(confirms).toHaveLength(1);
    expect(confirms[0]?.body).toEqual({ flow_id: h.arcade.flows[0]?.verificationId, user_id: ALICE_ID });
    const summary = await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
    expect(messageLinks(summary.blocks)).toHaveLength(4);
    expect(h.arcade.flows[0]?.status).toBe('completed');
    // The hops: Arcade → /verify → Slack → /verify/slack → next_uri.
    const [consent, verify, authorize, callback] = browser.visits;
    expect(consent?.location).toMatch(new RegExp(`^${h.publicUrl}/verify\\?flow_id=`));
    expect(verify?.status).toBe(303);
    expect(authorize?.status).toBe(302);
    expect(callback?.status).toBe(303);
    // The flow id went no further than the app: not to Slack.
    const flowId = h.arcade.flows[0]?.verificationId ?? '';
    expect(verify?.location).not.toContain(flowId);
    expect(JSON.stringify(h.slack.signInRequests)).not.toContain(flowId);
    // The cookie is gone once the attempt is over.
    expect(browser.cookie(`${h.publicUrl}/verify/slack`, 'inbox_verify')).toBeUndefined();
  });

  it('refuses a forwarded link: Mallory starts, Bob completes, nothing is confirmed and Mallory gets no grant', async () => {
    h = await boot();
    const malloryLink = await connectLink(h, MALLORY);

    // Mallory forwards her link; Bob, signed in to Slack as himself, clicks through and consents.
    const bob = browserOf(h, BOB);
    const end = await bob.open(`${malloryLink}?decision=allow&email=bob%40example.com`);

    expect(end.status).toBe(403);
    expect(pageText(end)).toMatch(/not yours/i);
    expect(pageText(end)).toMatch(/Bob/);
    expect(pageText(end)).toMatch(/not connected to anyone/i);
    // Bob has no link of his own outstanding: Arcade is not even asked to confirm.
    expect(confirmCalls(h)).toHaveLength(0);
    expect(h.arcade.pendingFlow(MALLORY_ID)?.status).toBe('pending');
    // Mallory's command is still waiting; no summary of anyone's mail was posted.
    expect(h.app.pendingConsents).toBe(1);
    expect(h.slack.messages).toHaveLength(0);
    // A fresh authorize for Mallory still needs consent: no grant was stored.
    const again = await connectLink(h, MALLORY);
    expect(again).toBe(malloryLink);
  });

  it('never confirms a refused flow for whoever started it: Bob is refused, then Mallory replays the flow id as herself', async () => {
    h = await boot();
    const malloryLink = await connectLink(h, MALLORY);
    const bob = browserOf(h, BOB);
    const refused = await bob.open(`${malloryLink}?decision=allow&email=bob%40example.com`);
    expect(refused.status).toBe(403);
    // Arcade still awaits verification of the flow that carries Bob's consent.
    expect(h.arcade.pendingFlow(MALLORY_ID)?.verification).toBe('awaiting');
    const flowId = h.arcade.flows[0]?.verificationId ?? '';
    expect(flowId).not.toBe('');

    // Mallory learned the flow id (Bob's history, a proxy log) and opens it in her own browser.
    const mallory = browserOf(h, MALLORY);
    const end = await mallory.open(`${h.publicUrl}/verify?flow_id=${encodeURIComponent(flowId)}`);

    expect(end.status).toBe(403);
    expect(pageText(end)).toMatch(/belongs to someone else/i);
    expect(confirmCalls(h)).toHaveLength(0);
    expect(h.arcade.pendingFlow(MALLORY_ID)?.status).toBe('pending');
    expect(h.slack.messages).toHaveLength(0);
    // Logged as an attack, without the flow id (checked for every test in afterEach).
    expect(h.logs.join('\n')).toMatch(/ATTACK\? .*U0666 tried to confirm flow #[0-9a-f]{10}/);
  });

  it('a flood of minted states with no cookie takes no room: a real sign-in still succeeds', async () => {
    h = await boot({ tuning: { verifierSignInCapacity: 20 } });
    // Three times the room, each a /verify visit whose minted state comes back without its cookie.
    for (let i = 0; i < 60; i++) {
      const start = await fetch(`${h.publicUrl}/verify?flow_id=fl_flood${i}`, { redirect: 'manual' });
      const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
      const back = await fetch(`${h.publicUrl}/verify/slack?code=x&state=${encodeURIComponent(state)}`);
      expect(back.status).toBe(400);
      await back.text();
    }
    const link = await connectLink(h, ALICE);
    const end = await browserOf(h, ALICE).open(allow(link));
    expect(end.status).toBe(200);
    expect(confirmCalls(h)).toHaveLength(1);
  });

  it('never confirms a flow twice: a confirmed flow id opened again is refused at once', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);
    expect((await browserOf(h, ALICE).open(allow(link))).status).toBe(200);
    const flowId = h.arcade.flows[0]?.verificationId ?? '';

    const replay = await browserOf(h, MALLORY).open(
      `${h.publicUrl}/verify?flow_id=${encodeURIComponent(flowId)}`,
    );

    expect(replay.status).toBe(410);
    expect(confirmCalls(h)).toHaveLength(1);
    // Refused before Sign in with Slack: no second sign-in was even started.
    expect(h.slack.signInRequests.filter((request) => request.query.state)).toHaveLength(1);
  });

  it('refuses a forwarded link through Arcade too, when the victim has a Connect link of their own', async () => {
    h = await boot();
    const malloryLink = await connectLink(h, MALLORY);
    await connectLink(h, BOB);

    const end = await browserOf(h, BOB).open(`${malloryLink}?decision=allow&email=bob%40example.com`);

    expect(end.status).toBe(403);
    expect(pageText(end)).toMatch(/belongs to someone else/i);
    // Asked for Bob, Arcade answered user_mismatch: Mallory's flow stays unconfirmed.
    const [confirm] = confirmCalls(h);
    expect(confirm?.body).toMatchObject({ user_id: BOB_ID });
    expect(h.arcade.pendingFlow(MALLORY_ID)?.verification).toBe('awaiting');
    expect(h.arcade.pendingFlow(MALLORY_ID)?.status).toBe('pending');
    expect(h.slack.messages).toHaveLength(0);
  });

  it('refuses a sign-in from the same user id in another workspace', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);

    const end = await browserOf(h, { ...ALICE, teamId: 'T0OTHER', teamName: 'Other' }).open(allow(link));

    expect(end.status).toBe(403);
    expect(pageText(end)).toMatch(/not yours/i);
    expect(pageText(end)).toContain('Other workspace');
    expect(confirmCalls(h)).toHaveLength(0);
  });

  it('refuses a tampered state before asking Slack for anything', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);
    const browser = browserOf(h, ALICE);
    const { pending } = await browser.open(allow(link), isSlackAuthorize);
    const authorize = new URL(pending ?? '');
    const state = authorize.searchParams.get('state') ?? '';
    const [body = '', signature = ''] = state.split('.');
    // A different attempt id, signed with nothing: what an attacker could build.
    const forged = Buffer.from(JSON.stringify({ a: 'attacker', e: Date.now() + 600_000 })).toString(
      'base64url',
    );
    expect(forged).not.toBe(body);
    authorize.searchParams.set('state', `${forged}.${signature}`);

    const end = await browser.open(authorize.toString());

    expect(end.status).toBe(400);
    expect(pageText(end)).toMatch(/could not be checked/i);
    expect(tokenCalls(h)).toHaveLength(0);
    expect(confirmCalls(h)).toHaveLength(0);
  });

  it('refuses a replayed callback: each state works once', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);
    const browser = browserOf(h, ALICE);
    await browser.open(allow(link));
    const callback = browser.visits.find((visit) => visit.url.startsWith(`${h.publicUrl}/verify/slack`));
    expect(callback).toBeDefined();

    const replay = await browser.get(callback?.url ?? '');
    const elsewhere = await browserOf(h).get(callback?.url ?? '');

    for (const visit of [replay, elsewhere]) {
      expect(visit.status).toBe(400);
      expect(pageText(visit)).toMatch(/already used/i);
    }
    expect(confirmCalls(h)).toHaveLength(1);
    expect(tokenCalls(h)).toHaveLength(1);
  });

  it('refuses a sign-in that comes back after the state expired', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);
    const browser = browserOf(h, ALICE);
    const { pending } = await browser.open(allow(link), isSlackAuthorize);

    h.advanceVerifierClock(11 * 60_000);
    const end = await browser.open(pending ?? '');

    expect(end.status).toBe(400);
    expect(pageText(end)).toMatch(/took too long/i);
    expect(pageText(end)).toContain('10 minutes');
    expect(tokenCalls(h)).toHaveLength(0);
    expect(confirmCalls(h)).toHaveLength(0);
  });

  it('tells the person clearly when they cancel Sign in with Slack', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);

    const end = await browserOf(h, { ...ALICE, decision: 'deny' }).open(allow(link));

    expect(end.status).toBe(200);
    expect(pageText(end)).toMatch(/cancelled/i);
    expect(pageText(end)).toContain('/inbox');
    expect(tokenCalls(h)).toHaveLength(0);
    expect(confirmCalls(h)).toHaveLength(0);
  });

  it('refuses a sign-in finished in a browser that did not start it', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);
    // Browser A opens the link; its Slack step is carried off to browser B (signed in as Alice, no cookie).
    const { pending } = await browserOf(h).open(allow(link), isSlackAuthorize);

    const end = await browserOf(h, ALICE).open(pending ?? '');

    expect(end.status).toBe(400);
    expect(pageText(end)).toMatch(/same browser/i);
    expect(confirmCalls(h)).toHaveLength(0);
  });

  it('sets a short-lived HttpOnly, SameSite=Lax cookie scoped to /verify, and asks Slack for exactly OIDC', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);
    const browser = browserOf(h, ALICE);
    await browser.open(allow(link), isSlackAuthorize);
    const verify = browser.visits.find((visit) => visit.url.startsWith(`${h.publicUrl}/verify?`));

    const cookie = verify?.setCookies[0] ?? '';
    expect(cookie).toMatch(/^inbox_verify=[\w-]+\.[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/verify');
    expect(cookie).toContain('Max-Age=600');
    // http://127.0.0.1 here; with an https PUBLIC_URL it is Secure (next test).
    expect(cookie).not.toContain('Secure');
    expect(verify?.headers.get('cache-control')).toBe('no-store');
    expect(verify?.headers.get('referrer-policy')).toBe('no-referrer');
    const authorize = new URL(verify?.location ?? '');
    expect(authorize.origin).toBe(h.slack.origin);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: 'code',
      scope: 'openid email profile',
      client_id: h.slack.oidcClientId,
      state: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
      nonce: expect.stringMatching(/^[\w-]{16,}$/),
      redirect_uri: `${h.publicUrl}/verify/slack`,
    });
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    h = await boot({ verifier: { publicUrl: 'https://inbox.example.test' } });
    const visit = await new TestBrowser().get(`http://127.0.0.1:${h.port}/verify?flow_id=fl_123`);
    expect(visit.status).toBe(303);
    expect(visit.setCookies[0]).toMatch(/; Secure$/);
    expect(new URL(visit.location ?? '').searchParams.get('redirect_uri')).toBe(
      'https://inbox.example.test/verify/slack',
    );
  });

  it('explains a verifier URL opened without a flow id', async () => {
    h = await boot();
    const visit = await new TestBrowser().get(`${h.publicUrl}/verify`);
    expect(visit.status).toBe(400);
    expect(pageText(visit)).toMatch(/incomplete/i);
    expect(visit.setCookies).toHaveLength(0);
  });

  it('says the link expired when Arcade no longer awaits the flow', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);
    const browser = browserOf(h, ALICE);
    const { pending } = await browser.open(allow(link), isSlackAuthorize);
    h.arcade.expireVerification(ALICE_ID);

    const end = await browser.open(pending ?? '');

    expect(end.status).toBe(410);
    expect(pageText(end)).toMatch(/expired or was already used/i);
    expect(confirmCalls(h)).toHaveLength(1);
    expect(h.slack.messages).toHaveLength(0);
  });

  it('ends on a clear page with a reference when Slack refuses the code', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);
    h.slack.failNext('openid.connect.token', { body: { ok: false, error: 'invalid_code' } });

    const end = await browserOf(h, ALICE).open(allow(link));

    expect(end.status).toBe(502);
    const reference = pageText(end).match(/reference ([0-9a-f]{8})/)?.[1];
    expect(reference).toBeDefined();
    expect(h.logs.some((line) => line.includes(`ref ${reference}`) && line.includes('invalid_code'))).toBe(
      true,
    );
    expect(confirmCalls(h)).toHaveLength(0);
  });

  it('tells the person the app is misconfigured when Arcade rejects the key at confirm_user', async () => {
    h = await boot();
    const link = await connectLink(h, ALICE);
    h.arcade.failNext('confirm_user', { status: 401 });

    const end = await browserOf(h, ALICE).open(allow(link));

    expect(end.status).toBe(500);
    expect(pageText(end)).toMatch(/misconfigured/i);
  });

  it('with ARCADE_USER_ID_SOURCE=email, confirms the verified Slack email and refuses an unverified one', async () => {
    h = await boot({ env: { ARCADE_USER_ID_SOURCE: 'email' } });
    h.slack.users.set('U0001', { email: 'Alice@Example.com' });
    const link = await connectLink(h, ALICE);

    const unverified = await browserOf(h, { ...ALICE, emailVerified: false }).open(allow(link));
    expect(unverified.status).toBe(403);
    expect(pageText(unverified)).toMatch(/verified email/i);
    expect(confirmCalls(h)).toHaveLength(0);

    // The refused flow stays Alice's: she may finish it once her email is verified.
    const end = await browserOf(h, { ...ALICE, email: 'ALICE@example.com' }).open(allow(link));
    expect(end.status).toBe(200);
    expect(confirmCalls(h)[0]?.body).toMatchObject({ user_id: 'alice@example.com' });
    await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
  });

  it("accepts the App Home tab's Connect link, and the tab turns to connected", async () => {
    h = await boot();
    await h.event(appHomeOpenedEvent({}));
    const home = await waitFor(() => h.slack.homeView('U0001'));
    const link = JSON.stringify(home.view.blocks).match(/"url":"([^"]+\/consent\/[^"]+)"/)?.[1] ?? '';

    const end = await browserOf(h, ALICE).open(allow(link));

    expect(end.status).toBe(200);
    expect(confirmCalls(h)[0]?.body).toMatchObject({ user_id: ALICE_ID });
    await waitFor(() => h.slack.homeViews.length === 2);
    expect(JSON.stringify(h.slack.homeView('U0001')?.view.blocks)).toContain('Gmail connected');
  });

  it('says in the Connect prompt that a Slack sign-in follows Google', async () => {
    h = await boot();
    const { responseUrl } = await h.command();
    const prompt = await waitFor(() => h.slack.responseUrlPosts.find((p) => responseUrl.endsWith(p.id)));
    expect(JSON.stringify(prompt.body)).toContain('Sign in with Slack');
  });
});

describe('custom user verifier in Socket Mode', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('serves /verify from its own small HTTP server and completes the flow', async () => {
    h = await boot({ socketMode: true });
    await h.slack.socketConnected();
    const responseUrl = h.slack.newResponseUrl();
    await h.slack.sendEnvelope('slash_commands', slashCommandPayload({ response_url: responseUrl }));
    const prompt = await waitFor(() => h.slack.responseUrlPosts.find((p) => responseUrl.endsWith(p.id)));
    const link = JSON.stringify(prompt.body).match(/"url":"([^"]+\/consent\/[^"]+)"/)?.[1] ?? '';

    const end = await browserOf(h, ALICE).open(allow(link));

    expect(end.status).toBe(200);
    expect(confirmCalls(h)).toHaveLength(1);
    await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
  });
});
