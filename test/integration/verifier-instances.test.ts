import { type ArcadeStandIn, startArcadeStandIn } from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import {
  appHomeOpenedEvent,
  SIGN_IN_COOKIE,
  type SignInUser,
  type SlackStandIn,
  startSlackStandIn,
} from '../../src/stand-ins/slack-stand-in';
import { bootApp, type Harness } from '../support/boot-app';
import { describeWithRedis, type RedisServer, startRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait-for';
import { TestBrowser } from './support/browser';

/**
 * The custom verifier with two instances sharing Redis (issue 10, items 1 and 11): whatever one
 * instance learned about a consent flow, the other's verifier honours.
 */
const ALICE: SignInUser = { userId: 'U0001', teamId: 'T0001', name: 'Alice', email: 'alice@example.com' };
const BOB: SignInUser = { userId: 'U0002', teamId: 'T0001', name: 'Bob', email: 'bob@example.com' };
const MALLORY: SignInUser = { userId: 'U0666', teamId: 'T0001', name: 'Mallory', email: 'm@example.com' };
const ALICE_ID = 'slack:T0001:U0001';
const MALLORY_ID = 'slack:T0001:U0666';
const TOKEN = 'ya29.two-instances';

describeWithRedis('custom verifier across two instances (Redis)', () => {
  let redis: RedisServer;
  let slack: SlackStandIn;
  let arcade: ArcadeStandIn;
  let gmail: GmailStandIn;
  const apps: Harness[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(async () => {
    await redis.flush();
    [slack, arcade, gmail] = await Promise.all([
      startSlackStandIn(),
      startArcadeStandIn({ consentGrant: () => ({ token: TOKEN, email: 'consented@example.com' }) }),
      startGmailStandIn(),
    ]);
    gmail.addMailbox(TOKEN, { email: 'consented@example.com', messages: makeMessages(3) });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
    await Promise.all([slack.close(), arcade.close(), gmail.close()]);
  });

  /** Booted second, `b` is where Arcade sends every browser after consent. */
  async function twoInstances(): Promise<[Harness, Harness]> {
    const a = await bootApp({
      standIns: { slack, arcade, gmail },
      env: { REDIS_URL: redis.url },
      verifier: true,
    });
    apps.push(a);
    const b = await bootApp({
      standIns: { slack, arcade, gmail },
      env: { REDIS_URL: redis.url },
      verifier: true,
    });
    apps.push(b);
    return [a, b];
  }

  function browserOf(user: SignInUser): TestBrowser {
    const browser = new TestBrowser();
    browser.setCookie(slack.origin, SIGN_IN_COOKIE, slack.newSignInSession(user));
    return browser;
  }

  const confirmCalls = () => arcade.calls.filter((call) => call.path === '/v1/auth/confirm_user');
  const text = (body: string) => body.replace(/<[^>]+>/g, ' ');

  it("accepts the Home tab's Connect link opened on one instance at the other's verifier", async () => {
    const [a] = await twoInstances();
    await a.event(appHomeOpenedEvent({}));
    const home = await waitFor(() => slack.homeView('U0001'));
    const link = JSON.stringify(home.view.blocks).match(/"url":"([^"]+\/consent\/[^"]+)"/)?.[1] ?? '';
    expect(link).not.toBe('');

    const end = await browserOf(ALICE).open(`${link}?decision=allow`);

    expect(end.status).toBe(200);
    expect(confirmCalls()[0]?.body).toMatchObject({ user_id: ALICE_ID });
  });

  it('refuses on every instance a flow refused on one: Bob refused, Mallory replays it elsewhere', async () => {
    const [a, b] = await twoInstances();
    const { responseUrl } = await a.command({ user_id: MALLORY.userId, team_id: MALLORY.teamId });
    const prompt = await waitFor(() =>
      slack.responseUrlPosts.find((post) => post.id === responseUrl.split('/').pop()),
    );
    const link = JSON.stringify(prompt.body).match(/"url":"([^"]+\/consent\/[^"]+)"/)?.[1] ?? '';
    // Bob consents on Mallory's link; the verifier he reaches is b's.
    const refused = await browserOf(BOB).open(`${link}?decision=allow&email=bob%40example.com`);
    expect(refused.status).toBe(403);
    const flowId = arcade.flows[0]?.verificationId ?? '';

    // Mallory replays the flow id on the other instance.
    const end = await browserOf(MALLORY).open(`${a.publicUrl}/verify?flow_id=${encodeURIComponent(flowId)}`);

    expect(end.status).toBe(403);
    expect(text(end.body)).toMatch(/belongs to someone else/i);
    expect(confirmCalls()).toHaveLength(0);
    expect(arcade.pendingFlow(MALLORY_ID)?.status).toBe('pending');
    expect(a.logs.join('\n')).toMatch(/ATTACK\?/);
    expect(b.logs.join('\n')).not.toContain(flowId);
  });
});
