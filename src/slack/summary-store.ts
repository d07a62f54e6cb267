import { randomBytes } from 'node:crypto';
import type { SlackMessage } from '../blocks/notices';

/**
 * Private summaries waiting for a "Share to channel" click, so that the channel gets exactly the
 * summary the person saw. Held in memory for as long as the private message's reply link lives
 * (30 minutes), then forgotten; a summary shared once cannot be shared again from the same button.
 * The button carries only a random reference, never email content or a token. After a restart the
 * share falls back to reading Gmail again (src/inbox/inbox-flow.ts).
 */

/** What a lookup finds. */
export type StoredSummary =
  | { kind: 'found'; message: SlackMessage }
  | { kind: 'already_shared' }
  | { kind: 'unknown' };

/** The store of private summaries awaiting a Share click. */
export interface SummaryStore {
  /**
   * Keeps `message` for `owner` (a Slack person key); returns the reference for the button. A caller
   * that must draw the button before it has the message passes a `newSummaryReference()`.
   */
  put(owner: string, message: SlackMessage, reference?: string): string;
  /** Takes the summary for sharing: only its owner can, and only once. */
  take(reference: string, owner: string): StoredSummary;
  /**
   * Swaps in a newer version of a summary not yet shared (its TL;DR added); false when it was
   * shared, expired or is unknown, and the private copy must then be left alone.
   */
  update(reference: string, owner: string, message: SlackMessage): boolean;
  readonly size: number;
}

/** A fresh reference for a Share button: 96 random bits, so it cannot be guessed. */
export function newSummaryReference(): string {
  return randomBytes(12).toString('base64url');
}

/** `response_url` lives 30 minutes; a private summary's button is no use after that anyway. */
export const SUMMARY_TTL_MS = 30 * 60_000;

interface Entry {
  owner: string;
  message?: SlackMessage;
  expiresAt: number;
}

/** Creates the store; `max` bounds memory (the oldest entries go first). */
export function createSummaryStore(
  options: { ttlMs?: number; max?: number; now?: () => number } = {},
): SummaryStore {
  const ttlMs = options.ttlMs ?? SUMMARY_TTL_MS;
  const max = options.max ?? 500;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  function prune(): void {
    const time = now();
    for (const [reference, entry] of entries) if (entry.expiresAt <= time) entries.delete(reference);
    // Map iteration is insertion order: the first keys are the oldest.
    for (const reference of entries.keys()) {
      if (entries.size < max) break;
      entries.delete(reference);
    }
  }

  return {
    put(owner, message, reference = newSummaryReference()) {
      prune();
      entries.set(reference, { owner, message, expiresAt: now() + ttlMs });
      return reference;
    },
    take(reference, owner) {
      const entry = entries.get(reference);
      if (!entry || entry.expiresAt <= now() || entry.owner !== owner) return { kind: 'unknown' };
      if (!entry.message) return { kind: 'already_shared' };
      const { message } = entry;
      // Kept as a marker until it expires, so a second click does not post the summary twice.
      delete entry.message;
      return { kind: 'found', message };
    },
    update(reference, owner, message) {
      const entry = entries.get(reference);
      if (!entry?.message || entry.expiresAt <= now() || entry.owner !== owner) return false;
      entry.message = message;
      return true;
    },
    get size() {
      return entries.size;
    },
  };
}
