import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { bootApp, type Harness } from '../support/boot-app';
import { describeWithRedis, type RedisServer, startRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait-for';

/**
 * Redis going away while the app runs, and coming back: people already connected are not affected,
 * someone who has to connect is told what happened, and once Redis is back the same command works.
 */
const TOKEN = 'ya29.redis-outage';

describeWithRedis('Redis going away and coming back', () => {
  let redis: RedisServer;
  let h: Harness;

  beforeEach(async () => {
    redis = await startRedisServer();
    h = await bootApp({ env: { REDIS_URL: redis.url } });
    h.gmail.addMailbox(TOKEN, { email: 'grace@example.com', messages: makeMessages(4) });
    h.arcade.grant('slack:T0001:UGRACE', { token: TOKEN, email: 'grace@example.com' });
  });
  afterEach(async () => {
    await h.stop();
    await redis.stop();
    const log = h.logs.join('\n');
    for (const secret of [TOKEN, h.slack.botToken, h.arcade.apiKey]) expect(log).not.toContain(secret);
  });

  const privateReply = (responseUrl: string) =>
    waitFor(() => h.slack.responseUrlPosts.find((post) => responseUrl.endsWith(post.id)), {
      timeoutMs: 10_000,
    });

  it('keeps serving connected people, tells a newcomer to try again, and recovers when Redis returns', async () => {
    await redis.stop();

    // Someone already connected needs no pending consent: the summary arrives as usual.
    await h.command({ user_id: 'UGRACE', channel_id: 'CGRACE' });
    await waitFor(() => h.slack.messages.find((m) => m.channel === 'CGRACE'), { timeoutMs: 10_000 });

    // Someone who has to connect cannot be remembered while Redis is away: a private, clear answer.
    const first = await h.command({ user_id: 'UNEW', channel_id: 'CNEW' });
    const told = await privateReply(first.responseUrl);
    expect(told.body.response_type).toBe('ephemeral');
    expect(told.body.text).toMatch(/try `\/inbox` again|try again/i);
    expect(told.body.text).toMatch(/reference `[0-9a-f]+`/);
    expect(JSON.stringify(told.body)).not.toContain('Connect Gmail');

    // Redis comes back at the same address; the app reconnects on its own.
    redis = await startRedisServer({ port: redis.port });
    const again = await waitFor(
      async () => {
        const { responseUrl } = await h.command({ user_id: 'UNEW', channel_id: 'CNEW' });
        const reply = await privateReply(responseUrl);
        return JSON.stringify(reply.body).includes('Connect Gmail') && reply;
      },
      { timeoutMs: 20_000, intervalMs: 500, message: 'a Connect prompt once Redis is back' },
    );
    expect(again.body.response_type).toBe('ephemeral');
    h.arcade.completeFlow('slack:T0001:UNEW', { token: TOKEN, email: 'grace@example.com' });
    await waitFor(() => h.slack.messages.find((m) => m.channel === 'CNEW'), { timeoutMs: 10_000 });
  }, 60_000);
});
