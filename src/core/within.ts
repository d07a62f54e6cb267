/**
 * Waits for `work` at most `timeoutMs`: true if it settled in time (a rejection counts as settled,
 * since the caller only wants to know whether to stop waiting), false if the time ran out. Used by
 * the stop sequence, where a part that cannot finish (Redis gone) must not hold the exit.
 */
export async function within(timeoutMs: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const settled = work.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
