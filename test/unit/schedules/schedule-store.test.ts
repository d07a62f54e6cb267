import { createLogger } from '../../../src/core/log';
import { deriveKey } from '../../../src/core/sealing';
import {
  createRedisScheduleStore,
  createScheduleRedisClient,
  type RedisClient,
} from '../../../src/schedules/redis-schedule-store';
import {
  createMemoryScheduleStore,
  MAX_SCHEDULES_PER_PERSON,
  type ScheduleStore,
} from '../../../src/schedules/schedule-store';
import { describeWithRedis, type RedisServer, startRedisServer } from '../../support/redis-server';
import { scheduleFixture } from '../../support/schedule-fixture';

const logs: string[] = [];
const logger = createLogger({ level: 'warn', secrets: [], write: (line) => logs.push(line) });

const schedule = scheduleFixture;

/** What both stores keep; the Redis one over two connections, as two instances see it. */
function contract(make: () => Promise<{ store: ScheduleStore; other: ScheduleStore }>) {
  it('keeps a per-person maximum and lets only the owner remove', async () => {
    const { store, other } = await make();
    for (let index = 0; index < MAX_SCHEDULES_PER_PERSON; index += 1) {
      expect(await store.add(schedule({ id: `s${index}`, createdAt: index }))).toBe('added');
    }
    expect(await other.add(schedule({ id: 'one-too-many' }))).toBe('limit');
    expect(await store.add(schedule({ id: 'other', ownerKey: 'T1:U2' }))).toBe('added');
    expect(await other.remove('T1:U2', 's0')).toBe(false);
    expect(await other.remove('T1:U1', 's0')).toBe(true);
    expect((await store.list('T1:U1')).map((s) => s.id)[0]).toBe('s1');
    expect(await other.removeAll('T1:U1')).toBe(MAX_SCHEDULES_PER_PERSON - 1);
    expect(await store.list('T1:U1')).toEqual([]);
    expect((await store.all()).map((s) => s.id)).toEqual(['other']);
  });

  it('finds what is due, saves runs, and never brings back a removed schedule', async () => {
    const { store, other } = await make();
    await store.add(schedule({ id: 'a', nextRun: 1_000 }));
    await store.add(schedule({ id: 'b', nextRun: 5_000 }));
    expect((await other.due(2_000)).map((s) => s.id)).toEqual(['a']);
    await other.update({ ...schedule({ id: 'a' }), nextRun: 9_000, lastDelivered: 1_000 });
    expect(await store.get('a')).toMatchObject({ nextRun: 9_000, lastDelivered: 1_000 });
    expect(await store.due(2_000)).toEqual([]);
    await store.remove('T1:U1', 'b');
    await other.update(schedule({ id: 'b', nextRun: 6_000 }));
    expect(await store.get('b')).toBeUndefined();
  });

  it('remembers which slot was posted, for whoever runs it next', async () => {
    const { store, other } = await make();
    await store.add(schedule({ id: 'a' }));
    expect(await other.wasDelivered('a', 1_000)).toBe(false);
    await store.markDelivered('a', 1_000);
    expect(await other.wasDelivered('a', 1_000)).toBe(true);
    expect(await other.wasDelivered('a', 2_000)).toBe(false);
  });
}

describe('memory schedule store', () => {
  contract(async () => {
    const store = createMemoryScheduleStore();
    return { store, other: store };
  });
});

describeWithRedis('Redis schedule store', () => {
  let redis: RedisServer;
  const clients: RedisClient[] = [];
  const recordKey = deriveKey('test-record-secret', 'redis-schedule');
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(async () => {
    await redis.flush();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  async function open(key = recordKey): Promise<ScheduleStore> {
    const client = createScheduleRedisClient(redis.url, logger);
    await client.connect();
    clients.push(client);
    return createRedisScheduleStore({ client, logger, prefix: 'inbox:', recordKey: key });
  }

  describe('contract, over two connections', () => {
    contract(async () => ({ store: await open(), other: await open() }));
  });

  it('ignores a schedule altered in Redis or written with another RECORD_SECRET', async () => {
    const store = await open();
    await store.add(schedule({ id: 'a', channelId: 'C1' }));
    const stranger = await open(deriveKey('another-secret', 'redis-schedule'));
    expect(await stranger.get('a')).toBeUndefined();
    expect(await stranger.list('T1:U1')).toEqual([]);

    // Someone with write access to Redis points the digest at another channel.
    const client = clients[0] as RedisClient;
    const stored = JSON.parse(String(await client.get('inbox:schedule:a')));
    stored.record = stored.record.replace('"C1"', '"C666"');
    await client.set('inbox:schedule:a', JSON.stringify(stored));
    expect(await store.get('a')).toBeUndefined();
    expect(await store.due(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(logs.join('\n')).toContain('ignoring schedule a in Redis: its HMAC does not match');
  });
});
