import type { Logger } from '@slack/bolt';
import { describeError } from './log';

/**
 * Work that outlives Slack's 3-second ack runs here. Bolt installs no handler for rejected
 * promises, so a background task that throws would end the process; every task is caught here, and
 * kept track of so shutdown can let summaries already being built finish.
 *
 * Tasks are admitted by event-loop lag. Acks and summaries share one thread: a burst of a thousand
 * commands that all started their summaries at once would starve the acks still waiting (measured:
 * 11 s at p99, far past Slack's 3 s) without finishing any summary sooner, since summaries are
 * CPU-bound by then. So a few tasks always run, more only while the loop keeps up, and the rest
 * wait in a queue that costs almost nothing.
 */
export interface BackgroundTasks {
  run(name: string, task: () => Promise<void>): void;
  /** Tasks running or waiting to run. */
  readonly size: number;
  /** Waits for running and queued tasks, at most `timeoutMs`; resolves true when all finished. */
  drain(timeoutMs: number): Promise<boolean>;
}

export interface AdmissionOptions {
  /** Always admitted, however busy the loop. */
  minConcurrent: number;
  /** Never more at once. */
  maxConcurrent: number;
  /** Above this smoothed event-loop lag, only `minConcurrent` tasks run. */
  lagThresholdMs: number;
  /** How often the lag is sampled. */
  sampleEveryMs: number;
  /** Beyond `minConcurrent`, at most this many are admitted per sample, so load ramps up. */
  admitPerSample: number;
}

export const DEFAULT_ADMISSION: AdmissionOptions = {
  minConcurrent: 4,
  maxConcurrent: 64,
  lagThresholdMs: 15,
  sampleEveryMs: 20,
  admitPerSample: 4,
};

/** Creates the tracker. */
export function createBackgroundTasks(
  logger: Logger,
  options: Partial<AdmissionOptions> = {},
): BackgroundTasks {
  const admission = { ...DEFAULT_ADMISSION, ...options };
  const queue: { name: string; task: () => Promise<void> }[] = [];
  const running = new Set<Promise<void>>();
  const idle: (() => void)[] = [];
  let lagMs = 0;
  let sampler: NodeJS.Timeout | undefined;

  // The lag sampler runs only while work waits, so an idle app has no timer.
  const sample = () => {
    const expected = Date.now() + admission.sampleEveryMs;
    sampler = setTimeout(() => {
      lagMs = 0.5 * lagMs + 0.5 * Math.max(0, Date.now() - expected);
      for (let admitted = 0; admitted < admission.admitPerSample; admitted++) {
        if (
          queue.length === 0 ||
          running.size >= admission.maxConcurrent ||
          lagMs >= admission.lagThresholdMs
        )
          break;
        startNext();
      }
      pump();
      if (queue.length > 0) sample();
      else sampler = undefined;
    }, admission.sampleEveryMs);
    sampler.unref();
  };

  const startNext = () => {
    const next = queue.shift();
    if (next) start(next.name, next.task);
  };

  // Up to the minimum, tasks start at once; beyond it, only the lag sampler admits them.
  const pump = () => {
    while (queue.length > 0 && running.size < admission.minConcurrent) startNext();
    if (queue.length > 0 && !sampler) sample();
    if (queue.length === 0 && running.size === 0) for (const wake of idle.splice(0)) wake();
  };

  const start = (name: string, task: () => Promise<void>) => {
    const promise = Promise.resolve()
      .then(task)
      .catch((error: unknown) => logger.error(`background task ${name} failed:`, describeError(error)))
      .finally(() => {
        running.delete(promise);
        pump();
      });
    running.add(promise);
  };

  return {
    run(name, task) {
      queue.push({ name, task });
      pump();
    },
    get size() {
      return running.size + queue.length;
    },
    async drain(timeoutMs) {
      if (queue.length === 0 && running.size === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const finished = new Promise<true>((resolve) => idle.push(() => resolve(true)));
      try {
        return await Promise.race([finished, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
