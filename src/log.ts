import { inspect } from 'node:util';
import { type Logger, LogLevel } from '@slack/bolt';

/**
 * One logger for the app, Bolt and the Arcade SDK, so that one redaction pass covers every line.
 * Tokens and keys must never reach a log: the configured secrets are replaced wherever they appear,
 * and so is anything shaped like a Slack, Google, Arcade or Bearer credential.
 */

const SEVERITY: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

const CREDENTIAL_PATTERNS: RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]+/g, // Slack bot/user/config tokens
  /\bxapp-[A-Za-z0-9-]+/g, // Slack app-level tokens
  /\bya29\.[A-Za-z0-9._-]+/g, // Google OAuth access tokens
  /\b1\/\/[A-Za-z0-9._-]{20,}/g, // Google refresh tokens
  /\barc_[A-Za-z0-9_-]+/g, // Arcade API keys
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /("?(?:access_token|refresh_token|token|authorization|api_?key|client_secret)"?\s*[:=]\s*"?)[^"\s,&}]+/gi,
];

/** Replaces secrets and credential-shaped strings; exported for error texts shown to people too. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of CREDENTIAL_PATTERNS) {
    // A capture group holds a label to keep (`Bearer `, `"token": "`); without one the callback
    // receives the match offset, a number.
    out = out.replace(
      pattern,
      (_match, keep: unknown) => `${typeof keep === 'string' ? keep : ''}[redacted]`,
    );
  }
  return out;
}

/**
 * A short, safe description of an error: class, code, status and message. SDK error objects carry
 * request configs and headers, so they are never printed whole.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return inspect(error, { depth: 1, breakLength: Number.POSITIVE_INFINITY });
  const fields = error as Error & { code?: unknown; status?: unknown; statusCode?: unknown };
  const parts = [
    error.constructor?.name && error.constructor.name !== 'Error' ? error.constructor.name : error.name,
  ];
  if (fields.code !== undefined) parts.push(`code=${String(fields.code)}`);
  const status = fields.status ?? fields.statusCode;
  if (status !== undefined) parts.push(`status=${String(status)}`);
  return `${parts.join(' ')}: ${error.message}`;
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return describeError(value);
  return inspect(value, { depth: 3, breakLength: Number.POSITIVE_INFINITY });
}

export interface LoggerOptions {
  level: `${LogLevel}`;
  /** Exact values to scrub (tokens, keys, signing secret) wherever they appear. */
  secrets: readonly string[];
  /** Where lines go; defaults to stdout/stderr. Tests pass a collector. */
  write?: (line: string, level: LogLevel) => void;
  name?: string;
}

/** Creates a Bolt-compatible logger that redacts every line before writing it. */
export function createLogger(options: LoggerOptions): Logger {
  let level = options.level as LogLevel;
  let name = options.name ?? 'inbox';
  const write =
    options.write ??
    ((line: string, lineLevel: LogLevel) => {
      (SEVERITY[lineLevel] >= SEVERITY[LogLevel.WARN] ? process.stderr : process.stdout).write(`${line}\n`);
    });
  const emit = (lineLevel: LogLevel, messages: unknown[]): void => {
    if (SEVERITY[lineLevel] < SEVERITY[level]) return;
    const text = messages.map(format).join(' ');
    write(
      `${new Date().toISOString()} ${lineLevel.toUpperCase()} [${name}] ${redact(text, options.secrets)}`,
      lineLevel,
    );
  };
  return {
    debug: (...messages: unknown[]) => emit(LogLevel.DEBUG, messages),
    info: (...messages: unknown[]) => emit(LogLevel.INFO, messages),
    warn: (...messages: unknown[]) => emit(LogLevel.WARN, messages),
    error: (...messages: unknown[]) => emit(LogLevel.ERROR, messages),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
}
