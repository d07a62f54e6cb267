import type { PendingConsent, PendingRequest, PendingStore } from './pending-store';

/**
 * The default store: plain maps in this process. Nothing survives a restart, so shutdown tells each
 * person still waiting to run `/inbox` again. Leases always go to this process.
 */
export function createMemoryPendingStore(): PendingStore {
  const consents = new Map<string, PendingConsent>();
  const requests = new Map<string, Map<string, PendingRequest>>();
  const leases = new Map<string, string>();
  const delivered = new Set<string>();
  /** Flow fingerprint → who holds it at the verifier, until when (epoch ms). */
  const spent = new Map<string, { holder: string; until: number }>();
  /** App Home consents: person → the flow and until when it counts. */
  const noted = new Map<string, { authId: string; until: number }>();

  return {
    durable: false,
    async add(request, deadline) {
      const { arcadeUserId, authId } = request;
      let consent = consents.get(arcadeUserId);
      if (consent?.authId !== authId) {
        consent = { arcadeUserId, authId, deadline };
        consents.set(arcadeUserId, consent);
      }
      let waiting = requests.get(arcadeUserId);
      if (!waiting) {
        waiting = new Map();
        requests.set(arcadeUserId, waiting);
      }
      waiting.set(request.requestId, request);
      return { ...consent };
    },
    async consents() {
      return [...consents.values()].map((consent) => ({ ...consent }));
    },
    async consent(arcadeUserId) {
      const consent = consents.get(arcadeUserId);
      return consent ? { ...consent } : undefined;
    },
    async requests(arcadeUserId) {
      return [...(requests.get(arcadeUserId)?.values() ?? [])];
    },
    async markOpened(arcadeUserId) {
      const consent = consents.get(arcadeUserId);
      if (consent) consent.opened = true;
    },
    async lease(arcadeUserId, owner) {
      const holder = leases.get(arcadeUserId);
      if (holder !== undefined && holder !== owner) return false;
      leases.set(arcadeUserId, owner);
      return true;
    },
    async renew(arcadeUserId, owner) {
      return leases.get(arcadeUserId) === owner;
    },
    async release(arcadeUserId, owner) {
      if (leases.get(arcadeUserId) === owner) leases.delete(arcadeUserId);
    },
    async noteConsent(arcadeUserId, authId, ttlMs) {
      noted.set(arcadeUserId, { authId, until: Date.now() + ttlMs });
    },
    async notedConsent(arcadeUserId) {
      const note = noted.get(arcadeUserId);
      if (note && note.until <= Date.now()) noted.delete(arcadeUserId);
      return note && note.until > Date.now() ? note.authId : undefined;
    },
    async claimFlow(flowKey, holder, ttlMs) {
      const time = Date.now();
      const current = spent.get(flowKey);
      if (current && current.until > time) return current.holder;
      // Bounded by expiry: marks outlive Arcade's flows, then go.
      if (spent.size > 1000) for (const [key, mark] of spent) if (mark.until <= time) spent.delete(key);
      spent.set(flowKey, { holder, until: time + ttlMs });
      return holder;
    },
    async markFlow(flowKey, holder, ttlMs) {
      spent.set(flowKey, { holder, until: Date.now() + ttlMs });
    },
    async flowHolder(flowKey) {
      const mark = spent.get(flowKey);
      return mark && mark.until > Date.now() ? mark.holder : undefined;
    },
    async claimDelivery(requestId) {
      if (delivered.has(requestId)) return false;
      delivered.add(requestId);
      return true;
    },
    async finish(arcadeUserId, authId, answered, owner) {
      const waiting = requests.get(arcadeUserId);
      for (const id of answered) {
        waiting?.delete(id);
        // Only a claim can race with a removal, and a removed request is never claimed again.
        delivered.delete(id);
      }
      // Superseded by a newer flow: its watch answers the rest.
      if (consents.get(arcadeUserId)?.authId !== authId) return [];
      if (waiting && waiting.size > 0) return [...waiting.values()];
      requests.delete(arcadeUserId);
      consents.delete(arcadeUserId);
      if (leases.get(arcadeUserId) === owner) leases.delete(arcadeUserId);
      return [];
    },
    async open() {},
    async close() {},
  };
}
