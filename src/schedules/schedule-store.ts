import type { SlackIdentity } from '../identity/identity';
import type { InboxRequest } from '../inbox/inbox';
import type { ScheduleSpec } from './schedule-spec';

/** Enough for a morning, a noon and an evening digest on several searches; more is a typo loop. */
export const MAX_SCHEDULES_PER_PERSON = 10;

/** One person's digest schedule, as stored. */
export interface Schedule {
  id: string;
  /** `enterprise-or-team:user`: whose schedule it is. */
  ownerKey: string;
  identity: SlackIdentity;
  /** Where it was set up: a channel, or the DM with the app. */
  channelId: string;
  /** Only the person sees each digest. */
  privately: boolean;
  spec: ScheduleSpec;
  request: InboxRequest;
  /** The person's Slack time zone, refreshed at each run. */
  timeZone: string;
  createdAt: number;
  /** The next slot's instant (epoch ms). */
  nextRun: number;
  /** The last slot delivered: the next digest's Gmail window starts there. */
  lastDelivered?: number;
  /** Slots skipped since the last digest (missed while down, or consent needed); the next says so. */
  skipped: number;
}

/** Where schedules live: memory without REDIS_URL, Redis with it. */
export interface ScheduleStore {
  /** Adds one, unless the person already has MAX_SCHEDULES_PER_PERSON. */
  add(schedule: Schedule): Promise<'added' | 'limit'>;
  list(ownerKey: string): Promise<Schedule[]>;
  /** Only the owner's own schedule is removed; false when there was none. */
  remove(ownerKey: string, id: string): Promise<boolean>;
  /** Stops every schedule of a person (Gmail disconnected, left the workspace). */
  removeAll(ownerKey: string): Promise<number>;
  /** Schedules whose next slot has come by `nowMs`. */
  due(nowMs: number): Promise<Schedule[]>;
  /** Saves a schedule after a run; a no-op if it was removed meanwhile. */
  update(schedule: Schedule): Promise<void>;
  /** One schedule by id (any owner: the runner's view), or undefined once removed. */
  get(id: string): Promise<Schedule | undefined>;
  /** Every schedule (Redis: each one's next slot is queued again at start-up, idempotently). */
  all(): Promise<Schedule[]>;
  /**
   * Whether a slot's digest was posted already: a run taken over from an instance that died
   * after posting must not post it again.
   */
  wasDelivered(id: string, slot: number): Promise<boolean>;
  markDelivered(id: string, slot: number): Promise<void>;
}

/** Owner key of a Slack identity: the same person in the same workspace (or Grid org). */
export function scheduleOwnerKey(identity: SlackIdentity): string {
  return `${identity.enterpriseId || identity.teamId}:${identity.userId}`;
}

/** Schedules in this process only: they last until the app restarts (the confirmation says so). */
export function createMemoryScheduleStore(): ScheduleStore {
  const byId = new Map<string, Schedule>();
  // Within one process a slot is never run twice, so the latest sent slot per schedule is enough.
  const lastSent = new Map<string, number>();
  const owned = (ownerKey: string) => [...byId.values()].filter((schedule) => schedule.ownerKey === ownerKey);
  return {
    async add(schedule) {
      if (owned(schedule.ownerKey).length >= MAX_SCHEDULES_PER_PERSON) return 'limit';
      byId.set(schedule.id, structuredClone(schedule));
      return 'added';
    },
    async list(ownerKey) {
      return owned(ownerKey)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((schedule) => structuredClone(schedule));
    },
    async remove(ownerKey, id) {
      if (byId.get(id)?.ownerKey !== ownerKey) return false;
      lastSent.delete(id);
      return byId.delete(id);
    },
    async removeAll(ownerKey) {
      const mine = owned(ownerKey);
      for (const schedule of mine) {
        byId.delete(schedule.id);
        lastSent.delete(schedule.id);
      }
      return mine.length;
    },
    async due(nowMs) {
      return [...byId.values()]
        .filter((schedule) => schedule.nextRun <= nowMs)
        .map((s) => structuredClone(s));
    },
    async update(schedule) {
      if (byId.has(schedule.id)) byId.set(schedule.id, structuredClone(schedule));
    },
    async get(id) {
      const schedule = byId.get(id);
      return schedule && structuredClone(schedule);
    },
    async all() {
      return [...byId.values()].map((schedule) => structuredClone(schedule));
    },
    async wasDelivered(id, slot) {
      return lastSent.get(id) === slot;
    },
    async markDelivered(id, slot) {
      if (byId.has(id)) lastSent.set(id, slot);
    },
  };
}
