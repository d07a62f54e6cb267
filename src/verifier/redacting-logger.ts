import { inspect } from 'node:util';
import type { Logger } from '@slack/bolt';
import { describeError, redact } from '../log';

/**
 * Wraps a logger so that extra secrets (the Slack client secret, the verifier's signing secret)
 * are removed from every line too, whoever built the logger it wraps.
 */
export function withRedaction(logger: Logger, secrets: readonly string[]): Logger {
  const values = secrets.filter((secret) => secret.length >= 6);
  if (values.length === 0) return logger;
  const clean = (messages: unknown[]): string[] =>
    messages.map((message) => {
      const text =
        typeof message === 'string'
          ? message
          : message instanceof Error
            ? describeError(message)
            : inspect(message, { depth: 3, breakLength: Number.POSITIVE_INFINITY });
      return redact(text, values);
    });
  return {
    debug: (...messages: unknown[]) => logger.debug(...clean(messages)),
    info: (...messages: unknown[]) => logger.info(...clean(messages)),
    warn: (...messages: unknown[]) => logger.warn(...clean(messages)),
    error: (...messages: unknown[]) => logger.error(...clean(messages)),
    setLevel: (level) => logger.setLevel(level),
    getLevel: () => logger.getLevel(),
    setName: (name) => logger.setName(name),
  };
}
