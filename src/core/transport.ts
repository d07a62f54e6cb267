import { Agent, fetch as undiciFetch } from 'undici';

/**
 * One HTTP transport per outside service, so that a burst of commands cannot turn into thousands
 * of connections. Unbounded, every concurrent request opened its own keep-alive connection, and
 * undici finds a free connection by scanning all of them: a 1,000-command burst cost about 28 ms
 * of CPU per command instead of ~10 (measured, BENCHMARKS.md). Bounded pools queue requests
 * instead, which costs nothing.
 *
 * Arcade's consent long-polls hold a connection each for up to 59 s, so they get a pool of their
 * own: sharing one with ordinary Arcade calls would make every authorize scan past them.
 */
export interface Transports {
  slackFetch: typeof fetch;
  gmailFetch: typeof fetch;
  arcadeFetch: typeof fetch;
  /** Per-request fetch options that send an Arcade call over the long-poll pool. */
  arcadeLongPoll: { dispatcher: unknown };
  close(): Promise<void>;
}

/** Connections per service: enough for dozens of summaries in flight at real-world latencies. */
export const CONNECTIONS_PER_SERVICE = 64;

/** Creates the transports; `close()` them at shutdown. */
export function createTransports(connections: number = CONNECTIONS_PER_SERVICE): Transports {
  // An outside service that stops answering must not hold a background slot for undici's default
  // five minutes: 30 s without headers or body bytes ends the request as a failure, told to the person.
  const bounded = () =>
    new Agent({ connections, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const slack = bounded();
  const gmail = bounded();
  const arcade = bounded();
  // Unbounded on purpose: one connection per pending consent, each idle while Arcade holds it.
  const longPoll = new Agent({ keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
  const over =
    (agent: Agent): typeof fetch =>
    (input, init) =>
      undiciFetch(input as Parameters<typeof undiciFetch>[0], {
        ...(init as Parameters<typeof undiciFetch>[1]),
        // A per-request dispatcher (the long-poll pool) wins over the service's pool.
        dispatcher: (init as { dispatcher?: Agent } | undefined)?.dispatcher ?? agent,
      }) as unknown as Promise<Response>;
  return {
    slackFetch: over(slack),
    gmailFetch: over(gmail),
    arcadeFetch: over(arcade),
    arcadeLongPoll: { dispatcher: longPoll },
    async close() {
      // Long-polls are aborted by then; destroy rather than wait out any Arcade still holds.
      await Promise.all([
        ...[slack, gmail, arcade].map((agent) => agent.close().catch(() => undefined)),
        longPoll.destroy().catch(() => undefined),
      ]);
    },
  };
}
