import { createHash } from 'node:crypto';

/**
 * Who each consent flow belongs to at the verifier (issue 10, item 1). Arcade keeps a refused flow
 * awaiting verification, and the flow carries the Google consent of whoever clicked Allow. Without
 * this, whoever started a link could open its flow id after someone else consented on it and was
 * refused, sign in as themselves, and be confirmed with that person's mailbox. So a flow belongs to
 * the first Slack person who signs in on it: nobody else can ever have it confirmed, and once
 * confirmed it is finished for everyone. Backed by the pending store: shared by every instance when
 * REDIS_URL is set.
 */
export interface FlowOwners {
  /** Binds the flow to `person` if nobody holds it: 'yours', someone else's ('taken'), or 'finished'. */
  claim(flowId: string, person: string): Promise<'yours' | 'taken' | 'finished'>;
  /** The flow was confirmed: nobody may use it again. */
  finish(flowId: string): Promise<void>;
  isFinished(flowId: string): Promise<boolean>;
}

/** Longer than any Arcade flow lives; after it the id would be refused by Arcade anyway. */
export const FLOW_OWNER_TTL_MS = 24 * 60 * 60_000;
const FINISHED = 'finished';

/** What the store needs: the part of PendingStore this uses. */
export interface FlowOwnerStore {
  claimFlow(flowKey: string, holder: string, ttlMs: number): Promise<string>;
  markFlow(flowKey: string, holder: string, ttlMs: number): Promise<void>;
  flowHolder(flowKey: string): Promise<string | undefined>;
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

/** The store keeps hashes of the flow id and of the person, never either in clear. */
export function createFlowOwners(store: FlowOwnerStore, ttlMs = FLOW_OWNER_TTL_MS): FlowOwners {
  return {
    async claim(flowId, person) {
      const holder = `p:${hash(person)}`;
      const recorded = await store.claimFlow(hash(flowId), holder, ttlMs);
      if (recorded === FINISHED) return 'finished';
      return recorded === holder ? 'yours' : 'taken';
    },
    finish: (flowId) => store.markFlow(hash(flowId), FINISHED, ttlMs),
    isFinished: async (flowId) => (await store.flowHolder(hash(flowId))) === FINISHED,
  };
}
