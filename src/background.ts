import type { Logger } from '@slack/bolt';
import { describeError } from './log';

/**
 * Work that outlives Slack's 3-second ack runs here. Bolt installs no handler for rejected
 * promises, so a background task that throws would end the process; every task is caught here, and
 * kept track of so shutdown can let summaries already being built finish.
 */
export interface BackgroundTasks {
  run(name: string, task: () => Promise<void>): void;
  readonly size: number;
  /** Waits for running tasks, at most `timeoutMs`; resolves true when all finished. */
  drain(timeoutMs: number): Promise<boolean>;
}

/** Creates the tracker. */
export function createBackgroundTasks(logger: Logger): BackgroundTasks {
  const running = new Set<Promise<void>>();
  return {
    run(name, task) {
      const promise = Promise.resolve()
        .then(task)
        .catch((error: unknown) => logger.error(`background task ${name} failed:`, describeError(error)))
        .finally(() => running.delete(promise));
      running.add(promise);
    },
    get size() {
      return running.size;
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const finished = Promise.all([...running]).then(() => true as const);
      try {
        return await Promise.race([finished, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
