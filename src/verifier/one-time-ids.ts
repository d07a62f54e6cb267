/**
 * Remembers which sign-in attempts have been used, until they would have expired anyway, so a
 * signed `state` works once. In memory: with several app instances behind a load balancer, each
 * remembers only its own (README "Security" names this limit).
 */

/** What `use` found: a first use, a repeat, or no room left. */
export type FirstUse = 'first' | 'again' | 'full';

/** The registry of used attempt ids. */
export interface OneTimeIds {
  /** 'first' the first time `id` is seen before `expiresAt`; 'again' after; 'full' when at capacity. */
  use(id: string, expiresAt: number): FirstUse;
  /** True when `id` was used already; records nothing, so asking costs no room. */
  seen(id: string): boolean;
  readonly size: number;
}

/** Creates the registry; `max` bounds memory (refusing, never forgetting, when it is reached). */
export function createOneTimeIds(options: { max?: number; now?: () => number } = {}): OneTimeIds {
  const max = options.max ?? 10_000;
  const now = options.now ?? Date.now;
  const used = new Map<string, number>();

  function prune(): void {
    const time = now();
    for (const [id, expiresAt] of used) if (expiresAt < time) used.delete(id);
  }

  return {
    use(id, expiresAt) {
      if (used.has(id)) return 'again';
      if (used.size >= max) prune();
      // Forgetting an unexpired id would let its state be replayed, so a full registry refuses instead.
      if (used.size >= max) return 'full';
      used.set(id, expiresAt);
      return 'first';
    },
    seen(id) {
      return used.has(id);
    },
    get size() {
      return used.size;
    },
  };
}
