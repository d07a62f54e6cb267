import { inspect } from 'node:util';
import { type Logger, LogLevel } from '@slack/bolt';
import pino from 'pino';

/**
 * One logger (pino underneath) for the app, Bolt and the Slack and Arcade SDKs, so that one
 * redaction pass covers every line. Tokens and keys must never reach a log: the configured secrets
 * are replaced wherever they appear, and so is anything shaped like a credential. Query strings are
 * cut from every URL and path (they carry flow ids and sign-in codes), and the SDKs' debug lines that
 * dump whole payloads (mail content, response_url, Socket Mode envelopes) keep only their label.
 */

const CREDENTIAL_PATTERNS: RegExp[] = [
  /\bxox[abposre]-[A-Za-z0-9-]+/g, // Slack bot/user/config/refresh tokens (xoxe- included)
  /\bxapp-[A-Za-z0-9-]+/g, // Slack app-level tokens
  /\bya29\.[A-Za-z0-9._-]+/g, // Google OAuth access tokens
  /\b1\/\/[A-Za-z0-9._-]{20,}/g, // Google refresh tokens
  /\barc_[A-Za-z0-9_-]+/g, // Arcade API keys
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWTs (ID tokens, signed states)
  /\bhttps?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'<>]*/g, // response_url and incoming webhooks
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  // Userinfo in a URL (redis://user:password@host).
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"']*:)[^\s/@"']+(?=@)/gi,
  /("?(?:access_token|refresh_token|id_token|token|authorization|api_?key|client_secret|password|passwd|secret|response_url)"?\s*[:=]\s*"?)(?:(?:Basic|Bearer)\s+)?[^"\s,&}]+/gi,
];

/** `/verify?flow_id=…`, `https://host/x?code=…`: the path stays, the query goes. */
const QUERY_STRING = /((?:\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*|(?<![\w.])\/[^\s?#"'<>]*))\?[^\s#"'<>]+/gi;

/**
 * The SDKs' debug lines that carry a whole payload: a Web API request body or result (blocks made of
 * mail), a Socket Mode envelope (the command, its response_url), an ack body. Only the label stays.
 */
const PAYLOAD_LINES: RegExp[] = [
  /^(http request (?:body|result|headers))/,
  /^(Received a message on the WebSocket)/,
  /^(Sending a WebSocket message)/,
  /^(Unable to parse an incoming WebSocket message)/,
  /^(Calling ack\(\) - type: [\w-]+)/,
  /^(ack\(\) (?:call begins|response stored|response sent))/,
  /^(WebSocket received p[io]ng from Slack server)/,
  /^(AWS event)/,
];

/** Replaces secrets and credential-shaped strings; exported for error texts shown to people too. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  // Longest first, so that a secret containing another is scrubbed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of CREDENTIAL_PATTERNS) {
    // A capture group holds a label to keep (`Bearer `, `"token": "`); without one the callback
    // receives the match offset, a number.
    out = out.replace(
      pattern,
      (_match, keep: unknown) => `${typeof keep === 'string' ? keep : ''}[redacted]`,
    );
  }
  // `Basic <base64 of user:password>`: only what decodes to a user:password pair, so that prose
  // ("Basic Information") stays readable.
  out = out.replace(/\b(Basic\s+)([A-Za-z0-9+/]{4,}={0,2})/gi, (match, keep: string, value: string) =>
    /^[\x20-\x7e]*:[\x20-\x7e]*$/.test(Buffer.from(value, 'base64').toString('latin1'))
      ? `${keep}[redacted]`
      : match,
  );
  return out.replace(QUERY_STRING, '$1?[query omitted]');
}

/** A debug line of an SDK that dumps a payload, cut down to its label; other lines unchanged. */
export function omitPayload(message: string): string {
  for (const pattern of PAYLOAD_LINES) {
    const label = pattern.exec(message)?.[1];
    if (label) return `${label} [payload omitted]`;
  }
  return message;
}

/** A log call's parts as its line's text, payloads cut (before redaction, which the logger adds). */
export function formatLogParts(parts: readonly unknown[]): string {
  return omitPayload(parts.map(format).join(' '));
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A structured field value made safe: strings redacted, errors described, depth bounded. */
function safeField(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Error) return redact(describeError(value), secrets);
  if (depth >= 3) return redact(format(value), secrets);
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => safeField(item, secrets, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // A field named like a credential is dropped whatever its shape.
      out[key] = /token|secret|password|authorization|api_?key|response_url|cookie/i.test(key)
        ? '[redacted]'
        : safeField(item, secrets, depth + 1);
    }
    return out;
  }
  return redact(format(value), secrets);
}

/** LOG_FORMAT: `text` for people at a terminal, `json` (one object per line) for log shippers. */
export type LogFormat = 'text' | 'json';

export interface LoggerOptions {
  level: `${LogLevel}`;
  /** Exact values to scrub (tokens, keys, signing secret) wherever they appear. */
  secrets: readonly string[];
  /** Default `text`. */
  format?: LogFormat;
  /** Where lines go; defaults to stdout (warn and error to stderr). Tests pass a collector. */
  write?: (line: string, level: LogLevel) => void;
  name?: string;
}

/** The app's logger: Bolt's Logger interface, plus siblings under another name sharing the level. */
export interface AppLogger extends Logger {
  /** The same logger (same level, output and redaction) writing under `name`. */
  named(name: string): AppLogger;
}

interface Line {
  time: string;
  level: `${LogLevel}`;
  name?: string;
  message: string;
  fields?: Record<string, unknown>;
}

function textLine(line: Line): string {
  const fields = line.fields
    ? Object.entries(line.fields)
        .map(([key, value]) => ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join('')
    : '';
  return `${line.time} ${line.level.toUpperCase()} [${line.name ?? ''}] ${line.message}${fields}`;
}

/**
 * Creates the logger. Bolt calls `setLevel` and the Slack SDKs call `setName` on what they are
 * given; the level is shared by every sibling (`named`), the name is not.
 */
export function createLogger(options: LoggerOptions): AppLogger {
  const lineFormat = options.format ?? 'text';
  const write =
    options.write ??
    ((line: string, lineLevel: LogLevel) => {
      (lineLevel === LogLevel.WARN || lineLevel === LogLevel.ERROR ? process.stderr : process.stdout).write(
        `${line}\n`,
      );
    });
  const instance = pino(
    {
      level: options.level,
      base: null,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    {
      write(serialized: string) {
        const json = serialized.trimEnd();
        const parsed = JSON.parse(json) as Line;
        write(lineFormat === 'json' ? json : textLine(parsed), parsed.level as LogLevel);
      },
    },
  );

  const build = (initialName: string): AppLogger => {
    let name = initialName;
    const emit = (lineLevel: `${LogLevel}`, messages: unknown[]): void => {
      if (!instance.isLevelEnabled(lineLevel)) return;
      const last = messages[messages.length - 1];
      const hasFields = messages.length > 1 && isPlainObject(last);
      const parts = hasFields ? messages.slice(0, -1) : messages;
      const message = redact(formatLogParts(parts), options.secrets);
      const fields = hasFields ? (safeField(last, options.secrets) as Record<string, unknown>) : undefined;
      const log: (bindings: object, text: string) => void = instance[lineLevel].bind(instance);
      log({ name, ...(fields ? { fields } : {}) }, message);
    };
    return {
      debug: (...messages: unknown[]) => emit('debug', messages),
      info: (...messages: unknown[]) => emit('info', messages),
      warn: (...messages: unknown[]) => emit('warn', messages),
      error: (...messages: unknown[]) => emit('error', messages),
      setLevel: (next: LogLevel) => {
        instance.level = next;
      },
      getLevel: () => instance.level as LogLevel,
      setName: (next: string) => {
        name = next;
      },
      named: (next: string) => build(next),
    };
  };
  return build(options.name ?? 'inbox');
}

/** `logger.named(name)` for the app's own logger; another Logger (a test's) is shared as it is. */
export function namedLogger(logger: Logger, name: string): Logger {
  const named = (logger as Partial<AppLogger>).named;
  return typeof named === 'function' ? named.call(logger, name) : logger;
}
