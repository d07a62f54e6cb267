import { planCatchUp } from './catch-up';
import { isKnownTimeZone } from './next-run';
import type { Schedule, ScheduleStore } from './schedule-store';

/** What one delivered slot needs to know beyond the schedule itself. */
export interface DigestSlot {
  /** The slot's instant: names it (exactly-once) and ends the Gmail window. */
  slot: number;
  /** Start of the Gmail window: the previous digest, or when the schedule was made. */
  since: number;
  /** Slots that went unsent since the previous digest. */
  skipped: number;
}

/** What a run of one slot came to. */
export type DigestResult = 'delivered' | 'skipped';

export interface ScheduleRunnerDeps {
  store: ScheduleStore;
  /** The clock, so tests can move time; Date.now by default. */
  now?: () => number;
  /** The person's current Slack time zone, or undefined when Slack cannot say (the stored one is kept). */
  timeZoneOf(schedule: Schedule): Promise<string | undefined>;
  /** Sends one digest; 'skipped' when it could not (consent needed), which the next digest mentions. */
  deliver(schedule: Schedule, slot: DigestSlot): Promise<DigestResult>;
  /** Digests in flight at once, so 10,000 due in one minute do not starve the acks. */
  concurrency?: number;
  /** Errors of one schedule's run; the others carry on. */
  onError(schedule: Schedule, error: unknown): void;
  /**
   * Called once a schedule has moved to its next slot, before the current one is sent (Redis:
   * queues that slot's job, so the chain survives the sender dying mid-run).
   */
  onNextSlot?(schedule: Schedule): Promise<void>;
}

export interface ScheduleRunner {
  /** Runs every due slot once; resolves when all of them have ended. */
  tick(): Promise<void>;
  /**
   * Runs one slot of a schedule: sends it (or counts it skipped, when over an hour late) and
   * moves the schedule on. A slot already posted is not posted again, so a run taken over from an
   * instance that died can simply be run again. Errors reach `onError`.
   */
  runSlot(schedule: Schedule, dueMs: number): Promise<void>;
  /**
   * Sends a schedule's digest at once ("Send now"): what arrived since the previous digest, which
   * it then counts as; the next scheduled one stays where it was. 'busy' when it is running already.
   */
  sendNow(schedule: Schedule): Promise<DigestResult | 'busy'>;
}

/**
 * Runs slots: each refreshes the person's time zone, sends its digest (or counts it skipped), and
 * moves to its next slot. In memory a minute timer calls `tick`; with Redis the queue's worker
 * calls `runSlot` (schedule-queue.ts). Within one process a slot runs once because a schedule is
 * not picked up again while its run is in flight.
 */
export function createScheduleRunner(deps: ScheduleRunnerDeps): ScheduleRunner {
  const now = deps.now ?? Date.now;
  const limit = Math.max(1, deps.concurrency ?? 50);
  const running = new Set<string>();

  async function runOne(schedule: Schedule, dueMs: number): Promise<void> {
    const fresh = await deps.timeZoneOf(schedule).catch(() => undefined);
    const timeZone = fresh && isKnownTimeZone(fresh) ? fresh : schedule.timeZone;
    const plan = planCatchUp(schedule.spec, timeZone, dueMs, now());
    let next: Schedule = {
      ...schedule,
      timeZone,
      nextRun: Math.max(plan.next, schedule.nextRun),
      skipped: schedule.skipped + plan.skipped,
    };
    // Moved on before sending, so a slow or failing delivery is never sent twice by a later tick.
    await deps.store.update(next);
    await deps.onNextSlot?.(next);
    if (plan.deliver !== undefined && (await deps.store.wasDelivered(schedule.id, plan.deliver))) return;
    if (plan.deliver !== undefined) {
      const slot = {
        slot: plan.deliver,
        since: schedule.lastDelivered ?? schedule.createdAt,
        skipped: next.skipped,
      };
      let result: DigestResult = 'skipped';
      try {
        result = await deps.deliver(next, slot);
        // Right after the post: a takeover from here on finds it sent.
        if (result === 'delivered') await deps.store.markDelivered(schedule.id, plan.deliver);
      } finally {
        next =
          result === 'delivered'
            ? { ...next, lastDelivered: plan.deliver, skipped: 0 }
            : { ...next, skipped: next.skipped + 1 };
        await deps.store.update(next);
      }
    }
  }

  async function runGuarded(schedule: Schedule, dueMs: number): Promise<void> {
    running.add(schedule.id);
    try {
      await runOne(schedule, dueMs);
    } catch (error) {
      deps.onError(schedule, error);
    } finally {
      running.delete(schedule.id);
    }
  }

  return {
    runSlot: runGuarded,
    async sendNow(schedule) {
      if (running.has(schedule.id)) return 'busy';
      running.add(schedule.id);
      try {
        const sentAt = now();
        const result = await deps.deliver(schedule, {
          slot: sentAt,
          since: schedule.lastDelivered ?? schedule.createdAt,
          skipped: schedule.skipped,
        });
        if (result === 'delivered')
          await deps.store.update({ ...schedule, lastDelivered: sentAt, skipped: 0 });
        return result;
      } finally {
        running.delete(schedule.id);
      }
    },
    async tick() {
      const due = (await deps.store.due(now())).filter((schedule) => !running.has(schedule.id));
      let index = 0;
      const worker = async () => {
        while (index < due.length) {
          const schedule = due[index++] as Schedule;
          await runGuarded(schedule, schedule.nextRun);
        }
      };
      await Promise.all(Array.from({ length: Math.min(limit, due.length) }, worker));
    },
  };
}
