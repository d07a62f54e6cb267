/** What a probe may answer: a value when the condition holds, a falsy value while it does not yet. */
export type Probed<T> = T | undefined | null | false;

/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Pause between probes (default 10 ms). */
  intervalMs?: number;
  /** Says what was awaited; it leads the timeout error. */
  message?: string;
}

/**
 * Polls `probe` until it returns a truthy value and resolves with that value: tests wait on conditions, never on
 * fixed sleeps. A probe that throws counts as "not yet"; its last error is quoted if the wait times out.
 */
export async function waitFor<T>(
  probe: () => Probed<T> | Promise<Probed<T>>,
  { timeoutMs = 5000, intervalMs = 10, message }: WaitForOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = message ?? 'condition';
      const why = lastError === undefined ? '' : ` (last probe threw: ${describe(lastError)})`;
      throw new Error(`waitFor timed out after ${timeoutMs} ms: ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
