import type { Logger } from '@slack/bolt';
import { describeError } from '../core/log';
import type { ScheduleRunner } from './schedule-runner';

const MINUTE_MS = 60_000;

/**
 * Ticks the runner at the start of every minute (a digest set for 8:30 goes at 8:30:00, not up
 * to a minute late). Plain timers, unref'd so they never hold the process open; a tick still
 * running when the next minute comes is not started twice. Returns the stop function.
 */
export function startScheduleClock(
  runner: Pick<ScheduleRunner, 'tick'>,
  logger: Logger,
  now: () => number = Date.now,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(fire, MINUTE_MS - (now() % MINUTE_MS) + 50);
    timer.unref();
  };
  const fire = () => {
    schedule();
    if (running) return;
    running = true;
    runner
      .tick()
      .catch((error: unknown) => logger.error('running scheduled digests failed:', describeError(error)))
      .finally(() => {
        running = false;
      });
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
