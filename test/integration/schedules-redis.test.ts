import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { blockActionsPayload, postSlashCommand } from '../../src/stand-ins/slack-requests';
import type { Harness } from '../support/boot-app';
import { RECORD_SECRET } from '../support/boot-app';
import { type EntryProcess, startEntryProcess } from '../support/process-entry';
import { describeWithRedis, startRedisServer } from '../support/redis-server';
import { useRedisWorld } from '../support/redis-world';
import { waitFor } from '../support/wait-for';

/**
 * Scheduled digests with REDIS_URL: kept in Redis, run from a BullMQ queue by every instance, each
 * slot posted once across instances, restarts and `kill -9` of the instance running it. The
 * schedules' clock is the real one shifted, so that a 9:00 slot comes a few seconds into the test
 * (BullMQ's delays are real time).
 */

/** The slot every test aims at: 9:00 UTC on Tuesday 3 March 2026. */
const SLOT = Date.UTC(2026, 2, 3, 9, 0);
const SECRET = 'schedules-redis-signing-secret';
const LOCK_MS = 1500;

const person = (index: number) => ({
  userId: `U${String(index).padStart(4, '0')}`,
  arcadeUserId: `slack:T0001:U${String(index).padStart(4, '0')}`,
  token: `ya29.digest-${index}`,
  channel: `C${String(index).padStart(4, '0')}`,
});

describeWithRedis('scheduled digests in Redis (BullMQ)', () => {
  const world = useRedisWorld();
  const processes: EntryProcess[] = [];
  afterEach(async () => {
    for (const entry of processes.splice(0)) {
      entry.child.kill('SIGKILL');
      await entry.exited;
    }
  });

  /** A clock offset that puts "now" `msBeforeSlot` before the slot. */
  const offsetFor = (msBeforeSlot: number) => SLOT - msBeforeSlot - Date.now();

  function connect(index: number): ReturnType<typeof person> {
    const p = person(index);
    world.slack.users.set(p.userId, { name: `person${index}`, tz: 'UTC' });
    world.arcade.grant(p.arcadeUserId, { token: p.token, email: `p${index}@example.com` });
    world.gmail.addMailbox(p.token, { email: `p${index}@example.com`, messages: makeMessages(3) });
    return p;
  }

  const instance = (offsetMs: number) =>
    world.instance({ tuning: { scheduleNow: () => Date.now() + offsetMs, digestLockMs: LOCK_MS } });

  async function schedule(h: Harness, p: ReturnType<typeof person>, text = 'every day at 9:00') {
    const { responseUrl } = await h.command({ text, user_id: p.userId, channel_id: p.channel });
    const [reply] = await waitFor(() => repliesTo(responseUrl), { message: 'the schedule confirmation' });
    return String(reply?.body.text);
  }

  /** The private replies to one command or click, once there is one. */
  const repliesTo = (responseUrl: string) => {
    const posts = world.slack.responseUrlPosts.filter((post) => responseUrl.endsWith(`/${post.id}`));
    return posts.length > 0 && posts;
  };
  const digestsIn = (channel: string) => world.slack.messages.filter((m) => m.channel === channel);
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('two instances: every slot is posted once, and the confirmation does not say "until restart"', async () => {
    const offset = offsetFor(5_000);
    const [a, b] = [await instance(offset), await instance(offset)];
    const people = Array.from({ length: 6 }, (_, index) => connect(index + 1));
    for (const [index, p] of people.entries()) {
      const text = await schedule(index % 2 === 0 ? a : b, p);
      expect(text).toContain(`<!date^${SLOT / 1000}^`);
      expect(text).not.toContain('until the app restarts');
    }
    await waitFor(() => people.every((p) => digestsIn(p.channel).length > 0), {
      timeoutMs: 15_000,
      message: 'every digest',
    });
    // Past another lock period, when a double run would have shown.
    await settle(LOCK_MS * 2);
    for (const p of people) expect(digestsIn(p.channel)).toHaveLength(1);
    const lists = world.gmail.calls.filter((call) => call.path.endsWith('/messages'));
    expect(lists).toHaveLength(people.length);
  }, 30_000);

  it('survives a restart: another instance lists the schedule, delivers it at its minute, and Remove stops it', async () => {
    const offset = offsetFor(6_000);
    const a = await instance(offset);
    const p = connect(1);
    await schedule(a, p);
    await a.stop();
    world.forget(a);

    const b = await instance(offset);
    const { responseUrl } = await b.command({ text: 'schedules', user_id: p.userId, channel_id: p.channel });
    const [list] = await waitFor(() => repliesTo(responseUrl));
    expect(JSON.stringify(list?.body.blocks)).toContain('every day at 9:00');
    await waitFor(() => digestsIn(p.channel).length === 1, { timeoutMs: 15_000, message: 'the digest' });

    // Removed on b: nothing is left queued for it in Redis but finished jobs.
    const remove = list?.body.blocks?.[0]?.accessory;
    expect(remove).toMatchObject({ action_id: 'remove_schedule' });
    await b.interact(
      blockActionsPayload({
        actionId: 'remove_schedule',
        value: remove?.value,
        userId: p.userId,
        responseUrl: world.slack.newResponseUrl(),
      }),
    );
    await waitFor(async () => (await world.redis.keys('inbox:schedule:*')).length === 0);
  }, 30_000);

  it('a slot missed while every instance was down is sent once when one comes back within the hour', async () => {
    const offset = offsetFor(1_500);
    const a = await instance(offset);
    const people = [connect(1), connect(2)];
    for (const p of people) await schedule(a, p);
    await a.stop();
    world.forget(a);
    await settle(2_500);

    // Back 10 minutes after the slot: each missed slot is sent, once, by either instance.
    const [b, c] = [await instance(offset + 10 * 60_000), await instance(offset + 10 * 60_000)];
    await waitFor(() => people.every((p) => digestsIn(p.channel).length > 0), { timeoutMs: 10_000 });
    await settle(LOCK_MS * 2);
    for (const p of people) expect(digestsIn(p.channel)).toHaveLength(1);
    expect(b.logs.join('\n') + c.logs.join('\n')).not.toMatch(/digest .* failed/);
  }, 30_000);

  it('back more than an hour late: the slot is skipped, and the next digest says one was missed', async () => {
    const offset = offsetFor(1_000);
    const a = await instance(offset);
    const p = connect(1);
    await schedule(a, p);
    await a.stop();
    world.forget(a);
    await settle(2_000);

    const b = await instance(offset + 2 * 3_600_000);
    // The queued slot ran on b and was counted as skipped rather than sent.
    await waitFor(
      async () => {
        const [key] = await world.redis.keys('inbox:schedule:*');
        if (!key) return false;
        const stored = JSON.parse(JSON.parse(String(await world.redis.get(key))).record);
        return stored.skipped === 1 && stored.nextRun === SLOT + 24 * 3_600_000;
      },
      { timeoutMs: 10_000, message: 'the late slot to be counted as skipped' },
    );
    expect(digestsIn(p.channel)).toHaveLength(0);

    // The next digest (Send now, rather than waiting a day) says one was missed.
    const { responseUrl } = await b.command({ text: 'schedules', user_id: p.userId, channel_id: p.channel });
    const [list] = await waitFor(() => repliesTo(responseUrl));
    const send = list?.body.blocks?.[1]?.elements?.[0];
    await b.interact(
      blockActionsPayload({
        actionId: 'send_schedule_now',
        value: send.value,
        userId: p.userId,
        responseUrl: world.slack.newResponseUrl(),
      }),
    );
    const [digest] = await waitFor(() => digestsIn(p.channel).length > 0 && digestsIn(p.channel));
    expect(digest?.text).toMatch(/^1 earlier digest\(s\) could not be sent; this one covers them/);
  }, 30_000);

  it('kill -9 of the instance running a digest: another takes it over and it is posted once', async () => {
    const offset = offsetFor(6_000);
    const env = {
      SLACK_BOT_TOKEN: world.slack.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: world.slack.apiUrl,
      ARCADE_API_KEY: world.arcade.apiKey,
      ARCADE_BASE_URL: world.arcade.baseUrl,
      GMAIL_API_URL: world.gmail.rootUrl,
      PORT: '0',
      REDIS_URL: world.redis.url,
      RECORD_SECRET,
      LOG_LEVEL: 'info',
      TEST_TUNING: JSON.stringify({ scheduleOffsetMs: offset, digestLockMs: LOCK_MS }),
    };
    const holder = startEntryProcess(env, 'test/support/tuned-entry.ts');
    processes.push(holder);
    const port = await waitFor(() => holder.output().match(/localhost:(\d+)\/slack\/events/)?.[1], {
      timeoutMs: 20_000,
      message: 'the app process to listen',
    });
    const p = connect(1);
    const responseUrl = world.slack.newResponseUrl();
    await postSlashCommand(`http://127.0.0.1:${port}/slack/events`, SECRET, {
      response_url: responseUrl,
      user_id: p.userId,
      channel_id: p.channel,
      text: 'every day at 9:00',
    });
    await waitFor(() => repliesTo(responseUrl));
    // Gmail answers slowly, so the holder is mid-digest when it is killed.
    world.gmail.delayMs = 4_000;
    await waitFor(() => world.gmail.calls.some((call) => call.path.endsWith('/messages')), {
      timeoutMs: 15_000,
      message: 'the holder to start the digest',
    });
    holder.child.kill('SIGKILL');
    await holder.exited;
    const killedAt = Date.now();
    world.gmail.delayMs = 0;

    await instance(offset);
    await waitFor(() => digestsIn(p.channel).length === 1, {
      timeoutMs: 20_000,
      message: 'the digest after takeover',
    });
    const takeoverMs = Date.now() - killedAt;
    await settle(LOCK_MS * 2);
    expect(digestsIn(p.channel)).toHaveLength(1);
    process.stdout.write(`digest kill -9: posted by the other instance ${takeoverMs} ms after the kill\n`);
  }, 45_000);

  // Last in the file: it stops the file's redis-server and brings a new one up on the same port.
  it('Redis going away does not freeze the app, and the digest worker takes jobs again once Redis is back', async () => {
    const offset = offsetFor(4_000);
    const a = await instance(offset);
    const p = connect(1);
    await schedule(a, p);
    const { port } = world.redis;
    await world.redis.stop();
    // The app still acks (before the fix BullMQ's worker spun and the process answered nothing).
    const started = Date.now();
    const help = await a.command({ text: 'help', user_id: p.userId, channel_id: p.channel });
    expect(help.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    await settle(5_000);
    expect(digestsIn(p.channel)).toHaveLength(0);

    // An empty Redis on the same port (the old one's data is gone with it): the worker resumes.
    const back = await startRedisServer({ port });
    try {
      await waitFor(() => a.logs.some((line) => line.includes('Redis is back, taking digests again')), {
        timeoutMs: 15_000,
        message: 'the worker to resume',
      });
      expect(a.logs.filter((line) => line.includes('digest worker:')).length).toBeLessThan(10);
    } finally {
      await back.stop();
    }

    // Stopping while Redis is away again ends within the shutdown grace (2 s here), rather than
    // waiting on BullMQ's blocking connection until the process is killed.
    const stopping = Date.now();
    world.forget(a);
    await a.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000 + 1_500);
  }, 40_000);
});
