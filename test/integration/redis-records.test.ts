import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { type ArcadeStandIn, startArcadeStandIn } from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';
import { bootApp, type Harness } from '../support/boot-app';
import { describeWithRedis, type RedisServer, startRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait-for';

/**
 * Issue 10, item 8: Redis is not trusted. A stored request rewritten in Redis to send the summary
 * to another host is dropped with a warning; nothing is ever POSTed there.
 */
const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.redis-records';

describeWithRedis('stored requests in Redis are integrity-protected', () => {
  let redis: RedisServer;
  let slack: SlackStandIn;
  let arcade: ArcadeStandIn;
  let gmail: GmailStandIn;
  let evil: Server;
  let evilUrl: string;
  const evilHits: string[] = [];
  const apps: Harness[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    evil = createServer((req, res) => {
      evilHits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/commands/steal`;
  });
  afterAll(async () => {
    await redis?.stop();
    await new Promise((resolve) => evil.close(resolve));
  });
  beforeEach(async () => {
    await redis.flush();
    evilHits.length = 0;
    [slack, arcade, gmail] = await Promise.all([
      startSlackStandIn(),
      startArcadeStandIn(),
      startGmailStandIn(),
    ]);
    gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(4) });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
    await Promise.all([slack.close(), arcade.close(), gmail.close()]);
  });

  async function instance(): Promise<Harness> {
    const h = await bootApp({
      standIns: { slack, arcade, gmail },
      env: { REDIS_URL: redis.url },
      tuning: { leaseTtlMs: 1500, leaseScanIntervalMs: 300 },
    });
    apps.push(h);
    return h;
  }

  it.each([
    [
      'edited under its old HMAC',
      (sealed: string) => {
        const { record, mac } = JSON.parse(sealed);
        return JSON.stringify({
          mac,
          record: JSON.stringify({ ...JSON.parse(record), responseUrl: evilUrl }),
        });
      },
    ],
    [
      'written plain, without an HMAC',
      (sealed: string) => JSON.stringify({ ...JSON.parse(JSON.parse(sealed).record), responseUrl: evilUrl }),
    ],
  ])('a request %s is dropped: no POST to the other host, a warning in the log', async (_how, tamper) => {
    slack.botNotInChannels.add('C0700');
    const a = await instance();
    await a.command({ text: '3', channel_id: 'C0700' });
    await waitFor(() => slack.responseUrlPosts.length === 1);
    await waitFor(() => arcade.statusPolls() > 0);
    await a.app.stop();
    apps.splice(apps.indexOf(a), 1);

    const attacker = createClient({ url: redis.url });
    await attacker.connect();
    const [hash] = await attacker.keys('inbox:requests:*');
    expect(hash).toBeDefined();
    const fields = await attacker.hGetAll(String(hash));
    for (const [field, value] of Object.entries(fields))
      await attacker.hSet(String(hash), field, tamper(value));
    await attacker.close();

    const b = await instance();
    arcade.completeFlow(ALICE, { token: TOKEN, email: 'alice@example.com' });
    await waitFor(() => b.logs.some((line) => /dropping a pending request/.test(line)));
    await waitFor(() => b.app.pendingConsents === 0);
    // A few lease scans later, still nothing sent anywhere.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(evilHits).toEqual([]);
    expect(slack.messages.filter((m) => m.channel === 'C0700')).toHaveLength(0);
    expect(b.logs.join('\n')).not.toContain(evilUrl);
  });
});
