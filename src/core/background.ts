import { performance } from 'node:perf_hooks';
import type { Logger } from '@slack/bolt';
import { describeError } from './log';

/**
 * Work that outlives Slack's 3-second ack runs here. Bolt installs no handler for rejected
 * promises, so a background task that throws would end the process; every task is caught here, and
 * kept track of so shutdown can let summaries already being built finish.
 *
 * Tasks are admitted by event-loop utilisation (ELU). Acks and summaries share one thread, and one
 * core cannot build 500 summaries a second (2–4 ms of CPU each), so under load summaries must wait
 * while acks stay fast: a few tasks always run, more start only while the loop has idle time left
 * (ELU below `busyAbove` over the last sample), and the rest wait in a bounded queue. ELU rather
 * than lag: lag only shows once acks are already late, ELU shows the loop filling up before that
 * (measured in BENCHMARKS.md). A summary that would find the queue full is refused (`offer`), so
 * the person can be told at once instead of waiting for nothing.
 */
export interface BackgroundTasks {
  /** Runs the task when admitted; never refused (App Home, buttons: rare, and cheap). */
  run(name: string, task: () => Promise<void>): void;
  /** Like run, but false (and the task dropped) when `maxQueued` tasks already wait. */
  offer(name: string, task: () => Promise<void>): boolean;
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
  /** Above this event-loop utilisation (0–1) over the last sample, only `minConcurrent` tasks run. */
  busyAbove: number;
  /** How often utilisation is sampled. */
  sampleEveryMs: number;
  /** Beyond `minConcurrent`, at most this many are admitted per sample, so load ramps up. */
  admitPerSample: number;
  /** Tasks that may wait to start; `offer` refuses beyond it. */
  maxQueued: number;
}

export const DEFAULT_ADMISSION: AdmissionOptions = {
  minConcurrent: 1,
  maxConcurrent: 64,
  busyAbove: 0.5,
  sampleEveryMs: 10,
  admitPerSample: 2,
  maxQueued: 2000,
};

/** Creates the tracker. */
export function createBackgroundTasks(
  logger: Logger,
  options: Partial<AdmissionOptions> = {},
): BackgroundTasks {
  const admission = { ...DEFAULT_ADMISSION, ...options };
  const always = Math.min(admission.minConcurrent, admission.maxConcurrent);
  const queue: { name: string; task: () => Promise<void> }[] = [];
  const running = new Set<Promise<void>>();
  const idle: (() => void)[] = [];
  let sampler: NodeJS.Timeout | undefined;

  // The sampler runs only while work waits, so an idle app has no timer.
  const sample = () => {
    let since = performance.eventLoopUtilization();
    sampler = setTimeout(() => {
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, since).utilization;
      since = now;
      if (busy < admission.busyAbove) {
        for (let admitted = 0; admitted < admission.admitPerSample; admitted++) {
          if (queue.length === 0 || running.size >= admission.maxConcurrent) break;
          startNext();
        }
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

  // Up to the minimum, tasks start at once; beyond it, only the sampler admits them.
  const pump = () => {
    while (queue.length > 0 && running.size < always) startNext();
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
    offer(name, task) {
      if (queue.length >= admission.maxQueued) return false;
      queue.push({ name, task });
      pump();
      return true;
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
