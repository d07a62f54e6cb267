import type { Logger } from '@slack/bolt';
import { startScheduleClock } from './schedule-clock';
import type { ScheduleRunner } from './schedule-runner';
import { createMemoryScheduleStore, type Schedule, type ScheduleStore } from './schedule-store';

/**
 * Where schedules are kept and what makes their slots run: memory and a minute timer, or Redis
 * and a BullMQ queue (durable-schedules.ts). The runner and the commands are the same for both.
 */
export interface ScheduleEngine {
  readonly store: ScheduleStore;
  /** Schedules outlive a restart (the confirmation says which). */
  readonly durable: boolean;
  /** The runner's hook once a schedule moved to its next slot. */
  onNextSlot?(schedule: Schedule): Promise<void>;
  /** Starts running slots with `runner`. */
  start(runner: ScheduleRunner): Promise<void>;
  /** Stops starting slots; waits up to `graceMs` for those in flight. */
  stop(graceMs: number): Promise<void>;
}

/** Memory: schedules last until the app restarts; a plain timer ticks the runner each minute. */
export function createMemoryScheduleEngine(options: { logger: Logger; timer: boolean }): ScheduleEngine {
  let stopClock: (() => void) | undefined;
  return {
    store: createMemoryScheduleStore(),
    durable: false,
    async start(runner) {
      if (options.timer) stopClock = startScheduleClock(runner, options.logger);
    },
    async stop() {
      stopClock?.();
      stopClock = undefined;
    },
  };
}
