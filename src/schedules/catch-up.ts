import { nextRunAfter } from './next-run';
import type { ScheduleSpec } from './schedule-spec';

/** A slot missed while every instance was down is still worth sending for this long. */
export const CATCH_UP_WINDOW_MS = 60 * 60_000;

export interface CatchUpPlan {
  /** The slot to deliver now, if any (its due instant, which also names it for exactly-once). */
  deliver?: number;
  /** Slots that came and went unsent; the next digest says so. */
  skipped: number;
  /** The first slot strictly after now. */
  next: number;
}

/**
 * What to do with a schedule whose slot `dueMs` has come by `nowMs`: send the latest slot that is
 * less than an hour old, once; count older ones as skipped. Pure, so restarts are tested with a
 * fixed clock.
 */
export function planCatchUp(spec: ScheduleSpec, timeZone: string, dueMs: number, nowMs: number): CatchUpPlan {
  const passed: number[] = [];
  for (let slot = dueMs; slot <= nowMs; slot = nextRunAfter(spec, timeZone, slot)) passed.push(slot);
  const next = nextRunAfter(spec, timeZone, nowMs);
  const latest = passed.at(-1);
  if (latest === undefined) return { skipped: 0, next: dueMs };
  if (nowMs - latest <= CATCH_UP_WINDOW_MS) return { deliver: latest, skipped: passed.length - 1, next };
  return { skipped: passed.length, next };
}
