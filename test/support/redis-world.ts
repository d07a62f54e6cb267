import {
  type ArcadeStandIn,
  type ArcadeStandInOptions,
  startArcadeStandIn,
} from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';
import { type BootOptions, bootApp, type Harness } from './boot-app';
import { type RedisServer, startRedisServer } from './redis-server';

/** Several app instances on one Redis and one set of stand-ins, fresh for every test. */
export interface RedisWorld {
  readonly redis: RedisServer;
  readonly slack: SlackStandIn;
  readonly arcade: ArcadeStandIn;
  readonly gmail: GmailStandIn;
  /** Boots one more instance on the shared stand-ins and Redis; stopped after the test. */
  instance(options?: Omit<BootOptions, 'standIns'>): Promise<Harness>;
  /** For a test that stopped an instance itself: it is not stopped again after the test. */
  forget(instance: Harness): void;
}

/**
 * Registers the hooks (call inside a `describeWithRedis` block): a private redis-server for the
 * file, flushed before each test; new stand-ins each test; every instance stopped after it.
 */
export function useRedisWorld(options: { arcade?: ArcadeStandInOptions } = {}): RedisWorld {
  let redis: RedisServer | undefined;
  let standIns: { slack: SlackStandIn; arcade: ArcadeStandIn; gmail: GmailStandIn } | undefined;
  const apps: Harness[] = [];
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useRedisWorld: used outside a test');
    return value;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(async () => {
    await need(redis).flush();
    const [slack, arcade, gmail] = await Promise.all([
      startSlackStandIn(),
      startArcadeStandIn(options.arcade),
      startGmailStandIn(),
    ]);
    standIns = { slack, arcade, gmail };
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
    const ended = standIns;
    standIns = undefined;
    if (ended) await Promise.all([ended.slack.close(), ended.arcade.close(), ended.gmail.close()]);
  });

  return {
    get redis() {
      return need(redis);
    },
    get slack() {
      return need(standIns).slack;
    },
    get arcade() {
      return need(standIns).arcade;
    },
    get gmail() {
      return need(standIns).gmail;
    },
    async instance(bootOptions: Omit<BootOptions, 'standIns'> = {}) {
      const h = await bootApp({
        ...bootOptions,
        standIns: need(standIns),
        env: { REDIS_URL: need(redis).url, ...bootOptions.env },
      });
      apps.push(h);
      return h;
    },
    forget(instance) {
      const index = apps.indexOf(instance);
      if (index >= 0) apps.splice(index, 1);
    },
  };
}
