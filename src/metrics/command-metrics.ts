import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseInboxCommand } from '../inbox/command-args';
import type { CommandKind, Metrics } from './metrics';

/** The kind of a `/inbox` text, as the listener will read it. */
export function commandKind(text: string): CommandKind {
  const parsed = parseInboxCommand(text);
  if (parsed.kind === 'summary') return parsed.privately ? 'private' : 'summary';
  return parsed.kind;
}

/**
 * Bolt global middleware: counts each slash command by kind and times it from Bolt handing it over
 * to the listener having returned. The `/inbox` listener acks before it returns and leaves every
 * slow step to the background, so that is the ack latency the app controls.
 */
export function createCommandMetrics(
  metrics: Metrics,
  command: string,
): Middleware<SlackCommandMiddlewareArgs> {
  return async (args) => {
    const body = (args as { body?: { command?: unknown; text?: unknown } }).body;
    if (body?.command !== command) return args.next();
    const started = performance.now();
    try {
      await args.next();
    } finally {
      metrics.command(commandKind(String(body.text ?? '')), (performance.now() - started) / 1000);
    }
  };
}
