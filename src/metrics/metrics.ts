import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The app's Prometheus metrics: one registry and a small API that the rest of the code records to.
 * Labels hold only bounded, non-personal values (kinds, reasons, services, HTTP statuses): never a
 * Slack user id, an email address, a channel or a search.
 */

/** What a `/inbox` asked for, as parsed (src/inbox/command-args.ts). */
export type CommandKind =
  | 'summary'
  | 'private'
  | 'status'
  | 'disconnect'
  | 'help'
  | 'invalid'
  | 'schedule'
  | 'schedules';

/** Where a consent ended up. `started`: the Connect prompt was shown. */
export type ConsentEvent = 'started' | 'completed' | 'failed' | 'expired';

/** Outside services the app calls. */
export type OutsideService = 'slack' | 'arcade' | 'gmail' | 'model';

/** Records what the app does; every method is cheap and never throws. */
export interface Metrics {
  /** A `/inbox` arrived; `ackSeconds` from Bolt handing it over to the listener having acked it. */
  command(kind: CommandKind, ackSeconds: number): void;
  /** A summary reached Slack via `route`; `seconds` from the command's start in the background. */
  summaryDelivered(route: string, seconds?: number): void;
  /** A summary could not be delivered; `reason` is an error code (InboxError.code) or `unexpected`. */
  summaryFailed(reason: string): void;
  consent(event: ConsentEvent): void;
  /** Reports the number of consents being waited on now, read when Prometheus scrapes. */
  pendingConsents(read: () => number): void;
  /** An HTTP call to an outside service ended: `status` is the HTTP status, or `error` (no answer). */
  outsideCall(service: OutsideService, status: number | 'error', seconds: number): void;
  /** The Prometheus text exposition of everything recorded. */
  render(): Promise<string>;
  readonly contentType: string;
  /** The underlying registry, for code that adds metrics of its own. */
  readonly registry: Registry;
}

/** Slack wants an ack within 3 s: buckets around that. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
const SUMMARY_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60];
const CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Creates a registry with the app's metrics and Node's process metrics (memory, CPU, event loop). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const commands = new Counter({
    name: 'inbox_commands_total',
    help: '/inbox commands received, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  const ack = new Histogram({
    name: 'inbox_ack_seconds',
    help: 'Time from Bolt handing a /inbox to the app until it was acked (Slack allows 3 s)',
    labelNames: ['kind'],
    buckets: ACK_BUCKETS,
    registers: [registry],
  });
  const summaries = new Counter({
    name: 'inbox_summaries_total',
    help: 'Summaries delivered (reason: the route) or failed (reason: the error code)',
    labelNames: ['outcome', 'reason'],
    registers: [registry],
  });
  const summarySeconds = new Histogram({
    name: 'inbox_summary_seconds',
    help: 'End to end, for a person already connected: from the command to the summary accepted by Slack',
    buckets: SUMMARY_BUCKETS,
    registers: [registry],
  });
  const consents = new Counter({
    name: 'inbox_consents_total',
    help: 'Gmail consents started (Connect prompt shown), completed, failed and expired',
    labelNames: ['event'],
    registers: [registry],
  });
  let readPending: () => number = () => 0;
  new Gauge({
    name: 'inbox_pending_consents',
    help: 'Consents this instance is waiting on now',
    registers: [registry],
    collect() {
      this.set(readPending());
    },
  });
  const calls = new Counter({
    name: 'inbox_outside_calls_total',
    help: 'HTTP calls to Slack, Arcade, Gmail and the summary model, by service and status (error: no answer)',
    labelNames: ['service', 'status'],
    registers: [registry],
  });
  const callSeconds = new Histogram({
    name: 'inbox_outside_call_seconds',
    help: 'Duration of HTTP calls to Slack, Arcade, Gmail and the summary model (Arcade long-polls included)',
    labelNames: ['service'],
    buckets: CALL_BUCKETS,
    registers: [registry],
  });
  // Every series exists from the start, so that rates and alerts work before the first event.
  for (const event of ['started', 'completed', 'failed', 'expired'] as const) consents.inc({ event }, 0);

  return {
    registry,
    contentType: registry.contentType,
    command(kind, ackSeconds) {
      commands.inc({ kind });
      ack.observe({ kind }, ackSeconds);
    },
    summaryDelivered(route, seconds) {
      summaries.inc({ outcome: 'delivered', reason: route });
      if (seconds !== undefined) summarySeconds.observe(seconds);
    },
    summaryFailed(reason) {
      summaries.inc({ outcome: 'failed', reason });
    },
    consent(event) {
      consents.inc({ event });
    },
    pendingConsents(read) {
      readPending = read;
    },
    outsideCall(service, status, seconds) {
      calls.inc({ service, status: String(status) });
      callSeconds.observe({ service }, seconds);
    },
    render: () => registry.metrics(),
  };
}
