import { createClient } from 'redis';
import { deriveKey } from '../../../src/core/sealing';
import { createMemoryPendingStore } from '../../../src/pending/memory-store';
import type { PendingRequest, PendingStore } from '../../../src/pending/pending-store';
import { createRedisPendingStore } from '../../../src/pending/redis-store';
import { responseUrlCheck } from '../../../src/slack/response-url';
import { createFlowOwners } from '../../../src/verifier/flow-owners';
import { describeWithRedis, type RedisServer, startRedisServer } from '../../support/redis-server';
import { collectLogs } from '../core/helpers';

const SEAL = {
  recordKey: deriveKey('pending-store-test-record-secret-0123456789', 'redis-record'),
  isSlackUrl: responseUrlCheck('https://slack.com/api/'),
};

const ALICE = 'slack:T0001:U0001';

function request(id: string, authId = 'auth_1', user = ALICE): PendingRequest {
  return {
    requestId: id,
    arcadeUserId: user,
    authId,
    identity: { teamId: 'T0001', userId: 'U0001' },
    request: { count: 5, query: 'is:unread' },
    channelId: 'C0001',
    visibility: 'channel',
    responseUrl: `https://hooks.slack.com/commands/T0001/${id}/secret`,
  };
}

/** The contract both stores keep; the Redis one is also checked across two connections. */
function contract(make: () => Promise<{ store: PendingStore; other: PendingStore }>) {
  let store: PendingStore;
  let other: PendingStore;
  beforeEach(async () => {
    ({ store, other } = await make());
  });
  afterEach(async () => {
    await store.close();
    if (other !== store) await other.close();
  });

  it('keeps the first deadline for one flow and starts afresh for a newer flow', async () => {
    const deadline = Date.now() + 60_000;
    expect(await store.add(request('r1'), deadline)).toEqual({
      arcadeUserId: ALICE,
      authId: 'auth_1',
      deadline,
    });
    expect((await other.add(request('r2'), deadline + 5000)).deadline).toBe(deadline);
    expect((await store.add(request('r3', 'auth_2'), deadline + 9000)).deadline).toBe(deadline + 9000);
    expect(await other.consent(ALICE)).toMatchObject({ authId: 'auth_2' });
    expect((await other.requests(ALICE)).map((r) => r.requestId).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(await other.consents()).toEqual([
      { arcadeUserId: ALICE, authId: 'auth_2', deadline: deadline + 9000 },
    ]);
  });

  it('marks the current flow opened for every connection, and a newer flow starts unopened', async () => {
    const deadline = Date.now() + 60_000;
    await store.markOpened(ALICE);
    expect(await other.consent(ALICE)).toBeUndefined();
    await store.add(request('r1'), deadline);
    await other.markOpened(ALICE);
    expect(await store.consent(ALICE)).toEqual({
      arcadeUserId: ALICE,
      authId: 'auth_1',
      deadline,
      opened: true,
    });
    expect(await store.consents()).toEqual([
      { arcadeUserId: ALICE, authId: 'auth_1', deadline, opened: true },
    ]);
    await store.add(request('r2'), deadline + 5000);
    expect((await other.consent(ALICE))?.opened).toBe(true);
    await store.add(request('r3', 'auth_2'), deadline + 9000);
    expect(await other.consent(ALICE)).toEqual({
      arcadeUserId: ALICE,
      authId: 'auth_2',
      deadline: deadline + 9000,
    });
  });

  it('gives a lease to one owner at a time; renew and release only by the holder', async () => {
    await store.add(request('r1'), Date.now() + 60_000);
    expect(await store.lease(ALICE, 'a', 5000)).toBe(true);
    expect(await other.lease(ALICE, 'b', 5000)).toBe(false);
    expect(await other.renew(ALICE, 'b', 5000)).toBe(false);
    expect(await store.renew(ALICE, 'a', 5000)).toBe(true);
    await other.release(ALICE, 'b');
    expect(await other.lease(ALICE, 'b', 5000)).toBe(false);
    await store.release(ALICE, 'a');
    expect(await other.lease(ALICE, 'b', 5000)).toBe(true);
  });

  it('claims a delivery exactly once, however many ask at once', async () => {
    const claims = await Promise.all([
      ...Array.from({ length: 5 }, () => store.claimDelivery('r1')),
      ...Array.from({ length: 5 }, () => other.claimDelivery('r1')),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('binds a verifier flow to the first person, on every connection, until it is finished for all', async () => {
    const owners = createFlowOwners(store);
    const elsewhere = createFlowOwners(other);
    const claims = await Promise.all([owners.claim('fl_1', 'T1/BOB'), elsewhere.claim('fl_1', 'T1/MALLORY')]);
    expect([...claims].sort()).toEqual(['taken', 'yours']);
    const winner = claims[0] === 'yours' ? 'T1/BOB' : 'T1/MALLORY';
    const loser = winner === 'T1/BOB' ? 'T1/MALLORY' : 'T1/BOB';
    expect(await elsewhere.claim('fl_1', winner)).toBe('yours');
    expect(await owners.claim('fl_1', loser)).toBe('taken');
    expect(await owners.isFinished('fl_1')).toBe(false);
    await owners.finish('fl_1');
    expect(await elsewhere.isFinished('fl_1')).toBe(true);
    expect(await elsewhere.claim('fl_1', winner)).toBe('finished');
    // Another flow is untouched.
    expect(await elsewhere.claim('fl_2', loser)).toBe('yours');
  });

  it('finish removes what was answered, returns late arrivals, then clears the consent and lease', async () => {
    const deadline = Date.now() + 60_000;
    await store.add(request('r1'), deadline);
    await store.lease(ALICE, 'a', 5000);
    await other.add(request('r2'), deadline);
    // r2 arrived after the owner read the requests: it gets the same outcome.
    expect((await store.finish(ALICE, 'auth_1', ['r1'], 'a')).map((r) => r.requestId)).toEqual(['r2']);
    expect(await store.finish(ALICE, 'auth_1', ['r2'], 'a')).toEqual([]);
    expect(await other.consent(ALICE)).toBeUndefined();
    expect(await other.consents()).toEqual([]);
    expect(await other.lease(ALICE, 'b', 5000)).toBe(true);
  });

  it('finish of a replaced flow keeps the newer flow and its requests', async () => {
    const deadline = Date.now() + 60_000;
    await store.add(request('r1'), deadline);
    await other.add(request('r2', 'auth_2'), deadline);
    expect(await store.finish(ALICE, 'auth_1', ['r1'], 'a')).toEqual([]);
    expect(await other.consent(ALICE)).toMatchObject({ authId: 'auth_2' });
    expect((await other.requests(ALICE)).map((r) => r.requestId)).toEqual(['r2']);
  });
}

describe('memory pending store', () => {
  contract(async () => {
    const store = createMemoryPendingStore();
    return { store, other: store };
  });
  it('is not durable: shutdown must tell the people waiting', () => {
    expect(createMemoryPendingStore().durable).toBe(false);
  });
});

describeWithRedis('Redis pending store', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(async () => {
    await redis.flush();
  });

  const open = async () => {
    const store = createRedisPendingStore({ url: redis.url, logger: collectLogs().logger, ...SEAL });
    await store.open();
    return store;
  };

  describe('contract, over two connections', () => {
    contract(async () => ({ store: await open(), other: await open() }));
  });

  it('gives the reply link a time to live that ends shortly after the consent deadline', async () => {
    const store = await open();
    try {
      const deadline = Date.now() + 120_000;
      await store.add(request('r1'), deadline);
      for (const key of ['inbox:requests:slack:T0001:U0001', 'inbox:consent:slack:T0001:U0001']) {
        const ttl = await redis.pttl(key);
        expect(ttl).toBeGreaterThan(120_000);
        expect(ttl).toBeLessThanOrEqual(180_000);
      }
      expect(await store.claimDelivery('r1')).toBe(true);
      expect(await redis.pttl('inbox:delivered:r1')).toBeGreaterThan(29 * 60_000);
    } finally {
      await store.close();
    }
  });

  it('lets a lease run out so that another owner can take it', async () => {
    const [a, b] = [await open(), await open()];
    try {
      expect(await a.lease(ALICE, 'a', 150)).toBe(true);
      expect(await b.lease(ALICE, 'b', 150)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await b.lease(ALICE, 'b', 150)).toBe(true);
      expect(await a.renew(ALICE, 'a', 150)).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('reports an unreachable server at open()', async () => {
    const store = createRedisPendingStore({
      url: 'redis://127.0.0.1:1',
      logger: collectLogs().logger,
      ...SEAL,
      connectTimeoutMs: 500,
    });
    await expect(store.open()).rejects.toThrow();
    await store.close();
  });

  // issue 10, item 8: a write to Redis cannot redirect a summary.
  it('drops, with a warning, a stored request that was altered, unsealed, moved or not Slack-bound', async () => {
    const logs = collectLogs();
    const store = createRedisPendingStore({ url: redis.url, logger: logs.logger, ...SEAL });
    await store.open();
    try {
      await store.add(request('r1'), Date.now() + 60_000);
      await store.add(request('r2'), Date.now() + 60_000);
      await store.add(request('r3'), Date.now() + 60_000);
      const hash = 'inbox:requests:slack:T0001:U0001';
      const raw = await store.requests(ALICE);
      expect(raw.map((r) => r.requestId).sort()).toEqual(['r1', 'r2', 'r3']);
      const attacker = createClient({ url: redis.url });
      await attacker.connect();
      const sealed = JSON.parse(String(await attacker.hGet(hash, 'r1')));
      const evil = { ...request('r1'), responseUrl: 'https://evil.example/steal' };
      // The record edited under its old MAC, a plain record as older versions wrote, one copied from another person.
      await attacker.hSet(hash, 'r1', JSON.stringify({ ...sealed, record: JSON.stringify(evil) }));
      await attacker.hSet(
        hash,
        'r2',
        JSON.stringify({ ...request('r2'), responseUrl: 'https://evil.example/x' }),
      );
      await attacker.hSet(hash, 'r3', String(await attacker.hGet(hash, 'r3')).replace('U0001', 'U0002'));
      await attacker.close();

      expect(await store.requests(ALICE)).toEqual([]);
      expect(logs.at('warn').filter((line) => /dropping a pending request/.test(line))).toHaveLength(3);
      expect(logs.text()).not.toContain('evil.example');
    } finally {
      await store.close();
    }
  });

  it("drops a correctly sealed request whose reply link is not Slack's", async () => {
    const logs = collectLogs();
    const store = createRedisPendingStore({ url: redis.url, logger: logs.logger, ...SEAL });
    await store.open();
    try {
      await store.add({ ...request('r1'), responseUrl: 'https://evil.example/steal' }, Date.now() + 60_000);
      expect(await store.requests(ALICE)).toEqual([]);
      expect(logs.text()).toMatch(/reply link that is not Slack's/);
    } finally {
      await store.close();
    }
  });
});
