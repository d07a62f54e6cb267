import type { InboxAppTuning } from '../../src/app';
import { type ArcadeStandIn, startArcadeStandIn } from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { blockActionsPayload, postSlashCommand } from '../../src/stand-ins/slack-requests';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';
import { bootApp, type Harness, RECORD_SECRET } from '../support/boot-app';
import { type EntryProcess, startEntryProcess } from '../support/process-entry';
import { describeWithRedis, type RedisServer, startRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait-for';

/**
 * Pending consents kept in a real Redis (REDIS_URL): a restart, a second instance, and `kill -9`
 * of the instance watching a consent all end with the summary delivered exactly once.
 */
const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.after-restart';
const SECRET = 'restart-test-signing-secret';

describeWithRedis('pending consents in Redis', () => {
  let redis: RedisServer;
  let slack: SlackStandIn;
  let arcade: ArcadeStandIn;
  let gmail: GmailStandIn;
  const apps: Harness[] = [];
  const processes: EntryProcess[] = [];

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
      startArcadeStandIn(),
      startGmailStandIn(),
    ]);
    gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(8) });
  });
  afterEach(async () => {
    for (const entry of processes.splice(0)) {
      entry.child.kill('SIGKILL');
      await entry.exited;
    }
    await Promise.all(apps.splice(0).map((app) => app.stop()));
    await Promise.all([slack.close(), arcade.close(), gmail.close()]);
  });

  /** An app instance on the shared stand-ins and Redis, with short leases so that takeovers are quick. */
  async function instance(env: Record<string, string> = {}, tuning: InboxAppTuning = {}): Promise<Harness> {
    const h = await bootApp({
      standIns: { slack, arcade, gmail },
      env: { REDIS_URL: redis.url, ...env },
      tuning: { leaseTtlMs: 1500, leaseScanIntervalMs: 300, ...tuning },
    });
    apps.push(h);
    return h;
  }

  const summariesIn = (channel: string) => slack.messages.filter((m) => m.channel === channel);
  const privateReplies = (responseUrl: string) =>
    slack.responseUrlPosts.filter((post) => post.id === responseUrl.split('/').pop());

  it('after a restart, watches the pending consent again and delivers the summary once', async () => {
    const a = await instance();
    const { responseUrl } = await a.command({ text: '3', channel_id: 'C0100' });
    await waitFor(() => privateReplies(responseUrl).length === 1);
    const flow = arcade.pendingFlow(ALICE);
    await waitFor(() => arcade.statusPolls(flow?.id) > 0);
    expect(await redis.keys('inbox:requests:*')).toHaveLength(1);

    await a.app.stop();
    apps.splice(apps.indexOf(a), 1);
    // Handed back to Redis, not cancelled: nobody is told to run /inbox again.
    expect(privateReplies(responseUrl)).toHaveLength(1);
    expect(await redis.keys('inbox:lease:*')).toEqual([]);

    // Counted before b starts: b may poll during its own start-up.
    const polls = arcade.statusPolls(flow?.id);
    const started = Date.now();
    const b = await instance();
    expect(b.app.pendingConsents).toBe(1);
    await waitFor(() => arcade.statusPolls(flow?.id) > polls);
    const watchedAgainMs = Date.now() - started;
    arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });

    await waitFor(() => summariesIn('C0100').length === 1);
    await waitFor(() => b.app.pendingConsents === 0 && b.app.pending.owned === 0);
    await waitFor(async () => (await redis.keys('inbox:requests:*')).length === 0);
    expect(summariesIn('C0100')).toHaveLength(1);
    // The rebuilt reply link still turned the Connect prompt into "connected".
    expect(privateReplies(responseUrl)[1]?.body).toMatchObject({ replace_original: true });
    expect(privateReplies(responseUrl)[1]?.body.text).toMatch(/connected/i);
    // The reply link never reaches a log line.
    expect([...a.logs, ...b.logs].join('\n')).not.toContain(responseUrl);
    process.stdout.write(
      `restart: consent watched again ${watchedAgainMs} ms after the new instance started\n`,
    );
  });

  it('with two instances, one watches each consent and every request is answered once', async () => {
    const [a, b] = [await instance(), await instance()];
    const first = await a.command({ text: '2', channel_id: 'C0201' });
    const second = await b.command({ text: '4', channel_id: 'C0202' });
    await waitFor(
      () => privateReplies(first.responseUrl).length === 1 && privateReplies(second.responseUrl).length === 1,
    );
    expect(arcade.flows).toHaveLength(1);
    expect(a.app.pendingConsents + b.app.pendingConsents).toBe(1);
    await waitFor(() => arcade.statusPolls() > 0);

    arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });

    await waitFor(() => summariesIn('C0201').length === 1 && summariesIn('C0202').length === 1);
    await waitFor(() => a.app.pending.owned === 0 && b.app.pending.owned === 0);
    // A scan or two later, still once each.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(summariesIn('C0201')).toHaveLength(1);
    expect(summariesIn('C0202')).toHaveLength(1);
  });

  it('a Connect link opened through another instance gives that consent the long-poll on the watching one', async () => {
    const BOB = 'slack:T0001:U0002';
    gmail.addMailbox('ya29.bob', { email: 'bob@example.com', messages: makeMessages(3) });
    // No quick check of Bob's consent can happen during the test: only a long-poll can notice it.
    const a = await instance({ CONSENT_LONG_POLLS: '1' }, { consentCheckIntervalMs: 60_000 });
    const b = await instance({ CONSENT_LONG_POLLS: '1' }, { consentCheckIntervalMs: 60_000 });
    const alice = await a.command({ text: '2', channel_id: 'C0301' });
    await waitFor(() => privateReplies(alice.responseUrl).length === 1);
    const bob = await a.command({ text: '2', channel_id: 'C0302', user_id: 'U0002' });
    await waitFor(() => privateReplies(bob.responseUrl).length === 1);
    expect(a.app.pendingConsents).toBe(2);
    const bobFlow = arcade.pendingFlow(BOB);
    const longPolls = () =>
      arcade.calls.filter(
        (c) => c.path === '/v1/auth/status' && c.query.id === bobFlow?.id && c.query.wait !== undefined,
      ).length;
    // Alice's consent came first and holds the one long-poll.
    await waitFor(() => arcade.statusPolls(arcade.pendingFlow(ALICE)?.id) > 0);
    expect(longPolls()).toBe(0);

    // The click lands on the instance that does not watch his consent.
    const clickedAt = arcade.calls.length;
    await b.interact(blockActionsPayload({ actionId: 'connect_gmail', userId: 'U0002', url: bobFlow?.url }));
    await waitFor(() => longPolls() > 0, { message: 'a long-poll for the opened consent' });
    arcade.completeFlow(BOB, { token: 'ya29.bob', email: 'bob@example.com' });
    await waitFor(() => summariesIn('C0302').length === 1);
    // Noticed by a long-poll, not by a quick check. (On a loaded machine a late lease renewal may
    // let the other instance take the consent over, with a long-poll of its own; that is allowed.)
    const bobCalls = arcade.calls
      .slice(clickedAt)
      .filter((c) => c.path === '/v1/auth/status' && c.query.id === bobFlow?.id);
    expect(bobCalls.length).toBeGreaterThan(0);
    expect(bobCalls.every((c) => c.query.wait !== undefined)).toBe(true);

    arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });
    await waitFor(() => summariesIn('C0301').length === 1);
    await waitFor(() => a.app.pending.owned === 0 && b.app.pending.owned === 0);
    expect(summariesIn('C0302')).toHaveLength(1);
  });

  it('kill -9 of the watching instance: the other takes over within seconds and delivers once', async () => {
    const env = {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      ARCADE_API_KEY: arcade.apiKey,
      ARCADE_BASE_URL: arcade.baseUrl,
      GMAIL_API_URL: gmail.rootUrl,
      PORT: '0',
      REDIS_URL: redis.url,
      RECORD_SECRET,
    };
    const start = async () => {
      const entry = startEntryProcess(env);
      processes.push(entry);
      const port = await waitFor(() => entry.output().match(/localhost:(\d+)\/slack\/events/)?.[1], {
        timeoutMs: 20_000,
        message: 'the app process to listen',
      });
      return { entry, eventsUrl: `http://127.0.0.1:${port}/slack/events` };
    };
    const [a, b] = await Promise.all([start(), start()]);
    const responseUrl = slack.newResponseUrl();
    const ack = await postSlashCommand(a.eventsUrl, SECRET, {
      response_url: responseUrl,
      channel_id: 'C0300',
      text: '5',
    });
    expect(ack.status).toBe(200);
    await waitFor(() => privateReplies(responseUrl).length === 1, { timeoutMs: 10_000 });
    const flow = arcade.pendingFlow(ALICE);
    await waitFor(() => arcade.statusPolls(flow?.id) > 0, { timeoutMs: 10_000 });
    // The instance that took the command holds the lease.
    expect(a.entry.output()).not.toMatch(/took over|lost the lease/);

    a.entry.child.kill('SIGKILL');
    await a.entry.exited;
    const killedAt = Date.now();
    arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });

    await waitFor(() => summariesIn('C0300').length === 1, {
      timeoutMs: 15_000,
      message: 'the summary after takeover',
    });
    const takeoverMs = Date.now() - killedAt;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(summariesIn('C0300')).toHaveLength(1);
    expect(takeoverMs).toBeLessThan(10_000);
    expect(b.entry.output()).not.toContain(responseUrl);
    process.stdout.write(
      `kill -9: summary delivered by the other instance ${takeoverMs} ms after the kill\n`,
    );

    b.entry.child.kill('SIGTERM');
    expect(await b.entry.exited).toBe(0);
  }, 40_000);

  it('SIGTERM hands the consent to the other instance at once, telling nobody to retry', async () => {
    const env = {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      ARCADE_API_KEY: arcade.apiKey,
      ARCADE_BASE_URL: arcade.baseUrl,
      GMAIL_API_URL: gmail.rootUrl,
      PORT: '0',
      REDIS_URL: redis.url,
      RECORD_SECRET,
    };
    const a = startEntryProcess(env);
    processes.push(a);
    const port = await waitFor(() => a.output().match(/localhost:(\d+)\/slack\/events/)?.[1], {
      timeoutMs: 20_000,
    });
    const b = await instance();
    const responseUrl = slack.newResponseUrl();
    await postSlashCommand(`http://127.0.0.1:${port}/slack/events`, SECRET, {
      response_url: responseUrl,
      channel_id: 'C0400',
    });
    await waitFor(() => privateReplies(responseUrl).length === 1, { timeoutMs: 10_000 });
    await waitFor(() => arcade.statusPolls() > 0, { timeoutMs: 10_000 });
    expect(b.app.pendingConsents).toBe(0);

    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    const stoppedAt = Date.now();
    await waitFor(() => b.app.pendingConsents === 1, { timeoutMs: 5000 });
    const handedOverMs = Date.now() - stoppedAt;
    expect(privateReplies(responseUrl)).toHaveLength(1);

    arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });
    await waitFor(() => summariesIn('C0400').length === 1);
    expect(handedOverMs).toBeLessThan(1500);
    process.stdout.write(`SIGTERM: consent watched by the other instance ${handedOverMs} ms after exit\n`);
  }, 40_000);
});
