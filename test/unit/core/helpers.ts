/** Small helpers shared by the core unit tests: a log collector, a hand-settled promise, a tick flush. */
import type { Logger, LogLevel } from '@slack/bolt';
import { createLogger } from '../../../src/core/log';

export interface LogEntry {
  line: string;
  level: LogLevel;
}

export interface LogCollector {
  logger: Logger;
  entries: LogEntry[];
  /** Every line written so far, joined by newlines. */
  text(): string;
  /** Lines written at `level`. */
  at(level: `${LogLevel}`): string[];
}

/** A real logger (src/core/log.ts) whose lines go into an array instead of stdout. */
export function collectLogs(
  options: { level?: `${LogLevel}`; secrets?: string[]; name?: string } = {},
): LogCollector {
  const entries: LogEntry[] = [];
  const logger = createLogger({
    level: options.level ?? 'debug',
    secrets: options.secrets ?? [],
    ...(options.name ? { name: options.name } : {}),
    write: (line, level) => entries.push({ line, level }),
  });
  return {
    logger,
    entries,
    text: () => entries.map((entry) => entry.line).join('\n'),
    at: (level) => entries.filter((entry) => entry.level === level).map((entry) => entry.line),
  };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  readonly settled: boolean;
}

/** A promise the test settles by hand. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    promise,
    resolve: (value) => {
      settled = true;
      resolve(value);
    },
    reject: (error) => {
      settled = true;
      reject(error);
    },
    get settled() {
      return settled;
    },
  };
}

/** Lets every queued promise callback run (one macrotask turn), without waiting on a clock. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
