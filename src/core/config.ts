import { createEnvReader, type EnvReader, isPlaceholder, MIN_SECRET_LENGTH } from './env-reader';
/**
 * The only reader of the environment. Every setting is read once, validated as a whole, and every
 * problem is reported in one error that names the variable, so a bad deploy fails at start-up with
 * a readable list instead of deep inside an SDK.
 */

export type SlackTransport =
  | { mode: 'http'; signingSecret: string; port: number }
  | { mode: 'socket'; appToken: string; port: number };

/** How a Slack person becomes an Arcade user id (see src/identity/identity.ts). */
export type UserIdSource = 'slack' | 'email';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** LOG_FORMAT: readable lines for a terminal, or one JSON object per line for log shippers. */
export type LogFormat = 'text' | 'json';

/** GET /metrics (Prometheus) on a listener of its own, off the public port; off unless METRICS_PORT is set. */
export interface MetricsConfig {
  port: number;
  /** METRICS_HOST, default 127.0.0.1: only this machine can scrape unless the operator opens it. */
  host: string;
}

/** Where a summary goes: the channel for everyone (as typed), or only to the person who asked. */
export type Visibility = 'channel' | 'private';

/**
 * The custom user verifier (README "Security"): Arcade sends the browser to `<publicUrl>/verify`
 * after Google's consent, and the app proves who is there with Sign in with Slack.
 */
export interface VerifierConfig {
  /** The https origin where this app is reachable from browsers, without a trailing slash. */
  publicUrl: string;
  /** The Slack app's OAuth client (Basic Information → App Credentials), used for Sign in with Slack. */
  slackClientId: string;
  slackClientSecret: string;
  /** Signs the OAuth `state` and the verifier cookie (HMAC-SHA256). */
  secret: string;
}

export interface Config {
  slack: { botToken: string; apiUrl: string; transport: SlackTransport };
  arcade: { apiKey: string; baseUrl: string; userIdSource: UserIdSource };
  gmail: { apiUrl: string };
  /** How long the app waits for a person to finish Arcade's consent before telling them it expired. */
  consentTimeoutMs: number;
  /**
   * CONSENT_LONG_POLLS and CONSENT_CHECKS_PER_SECOND: status long-polls held at once at most, and
   * quick status calls per second for the consents beyond them (src/auth/consent-watcher.ts).
   */
  consents: { longPolls: number; checksPerSecond: number };
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Set when METRICS_PORT is: where GET /metrics is served. */
  metrics?: MetricsConfig;
  /** Where summaries go unless a command asks for a private one. */
  visibility: Visibility;
  /** Set when VERIFIER_ENABLED=true; undefined means Arcade's own verifier (development). */
  verifier?: VerifierConfig;
  /**
   * REDIS_URL: pending consents live in Redis, survive restarts and are shared by several
   * instances. Undefined: in memory, in this process only. Holds a password when the server has one.
   */
  redisUrl?: string;
  /**
   * RECORD_SECRET: keys the HMAC over records kept in Redis and over Share button values. Required
   * with REDIS_URL; without it, Share buttons are sealed with a key derived from the Slack secret.
   */
  recordSecret?: string;
  /** How long shutdown waits for summaries already being built (SHUTDOWN_GRACE_SECONDS). */
  shutdownGraceMs: number;
  /** SUMMARY_CONCURRENCY and SUMMARY_QUEUE_LIMIT: summaries built at once at most, and waiting to start (src/core/background.ts). */
  summaries: { concurrency: number; queueLimit: number };
  /** Set when SUMMARY_MODEL is: an AI-written TL;DR is added to each summary (docs/tldr.md). */
  summaryModel?: SummaryModelConfig;
}

/** The OpenAI-compatible Chat Completions server that writes the TL;DR (docs/tldr.md). */
export interface SummaryModelConfig {
  /** SUMMARY_MODEL: the model name the server knows (`gpt-4o-mini`, `llama3.1:8b`, …). */
  model: string;
  /** OPENAI_BASE_URL: the API root, ending in `/v1` for most servers. */
  baseUrl: string;
  /** OPENAI_API_KEY; undefined for a self-hosted server that needs none. */
  apiKey?: string;
  /** SUMMARY_TIMEOUT_SECONDS: after this, the summary stays as it is. */
  timeoutMs: number;
}

/** Thrown by loadConfig with every problem found, one per line. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(
      `The app cannot start; fix these settings (see README "Settings"):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

export const DEFAULTS = {
  port: 3000,
  arcadeBaseUrl: 'https://api.arcade.dev',
  slackApiUrl: 'https://slack.com/api/',
  gmailApiUrl: 'https://gmail.googleapis.com/',
  consentTimeoutSeconds: 600,
  logLevel: 'info' as LogLevel,
  shutdownGraceSeconds: 10,
  openaiBaseUrl: 'https://api.openai.com/v1',
  summaryTimeoutSeconds: 15,
  summaryConcurrency: 64,
  summaryQueueLimit: 2000,
  consentLongPolls: 256,
  consentChecksPerSecond: 25,
} as const;

/**
 * `response_url` lives 30 minutes, and the app answers a finished consent through it, so the
 * wait cannot usefully outlast it.
 */
const CONSENT_TIMEOUT_RANGE = { min: 30, max: 1800 };

/** HMAC keys shorter than this are guessable offline from one signed state. */
export const MIN_VERIFIER_SECRET_LENGTH = 32;

export { MIN_SECRET_LENGTH } from './env-reader';

/** Hosts where a plain-http PUBLIC_URL is allowed: a browser on the same machine (development, tests). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Reads and validates the settings; throws ConfigError listing every problem. */
export function loadConfig(environment: NodeJS.ProcessEnv): Config {
  const env = createEnvReader(environment);
  const { problems, read, required, secretShape, prefixed, url, integer, oneOf } = env;
  const botTokenHint = 'the Bot User OAuth Token (xoxb-…) from the Slack app\'s "OAuth & Permissions" page';
  const botToken = required('SLACK_BOT_TOKEN', botTokenHint);
  if (secretShape('SLACK_BOT_TOKEN', botToken, botTokenHint))
    prefixed('SLACK_BOT_TOKEN', botToken, 'xoxb-', 'a bot token');
  const appToken = read('SLACK_APP_TOKEN');
  if (
    secretShape(
      'SLACK_APP_TOKEN',
      appToken,
      'an App-Level Token (xapp-…) from "Basic Information", or leave it unset for HTTP mode',
    )
  )
    prefixed('SLACK_APP_TOKEN', appToken ?? '', 'xapp-', 'an app-level token');
  const port = integer('PORT', DEFAULTS.port, 0, 65535);
  let transport: SlackTransport;
  if (appToken) {
    transport = { mode: 'socket', appToken, port };
  } else {
    const signingSecret = required(
      'SLACK_SIGNING_SECRET',
      'needed in HTTP mode; copy it from the Slack app\'s "Basic Information" page, or set SLACK_APP_TOKEN to use Socket Mode',
    );
    secretShape('SLACK_SIGNING_SECRET', signingSecret, 'the Signing Secret from "Basic Information"');
    transport = { mode: 'http', signingSecret, port };
  }

  const apiKeyHint = 'create one in the Arcade dashboard (https://api.arcade.dev/dashboard)';
  const apiKey = required('ARCADE_API_KEY', apiKeyHint);
  secretShape('ARCADE_API_KEY', apiKey, apiKeyHint);
  const config: Config = {
    slack: { botToken, apiUrl: url('SLACK_API_URL', DEFAULTS.slackApiUrl), transport },
    arcade: {
      apiKey,
      baseUrl: url('ARCADE_BASE_URL', DEFAULTS.arcadeBaseUrl),
      userIdSource: oneOf('ARCADE_USER_ID_SOURCE', ['slack', 'email'] as const, 'slack'),
    },
    gmail: { apiUrl: url('GMAIL_API_URL', DEFAULTS.gmailApiUrl) },
    consentTimeoutMs:
      1000 *
      integer(
        'CONSENT_TIMEOUT_SECONDS',
        DEFAULTS.consentTimeoutSeconds,
        CONSENT_TIMEOUT_RANGE.min,
        CONSENT_TIMEOUT_RANGE.max,
      ),
    consents: {
      longPolls: integer('CONSENT_LONG_POLLS', DEFAULTS.consentLongPolls, 1, 100_000),
      checksPerSecond: integer('CONSENT_CHECKS_PER_SECOND', DEFAULTS.consentChecksPerSecond, 1, 1000),
    },
    logLevel: oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, DEFAULTS.logLevel),
    logFormat: oneOf('LOG_FORMAT', ['text', 'json'] as const, 'text'),
    visibility: oneOf('INBOX_VISIBILITY', ['channel', 'private'] as const, 'channel'),
    shutdownGraceMs: 1000 * integer('SHUTDOWN_GRACE_SECONDS', DEFAULTS.shutdownGraceSeconds, 0, 600),
    summaries: {
      concurrency: integer('SUMMARY_CONCURRENCY', DEFAULTS.summaryConcurrency, 1, 1000),
      queueLimit: integer('SUMMARY_QUEUE_LIMIT', DEFAULTS.summaryQueueLimit, 0, 100_000),
    },
  };
  const redisUrl = redis(read('REDIS_URL'), problems);
  if (redisUrl) config.redisUrl = redisUrl;
  const recordSecret = read('RECORD_SECRET');
  if (recordSecret !== undefined) {
    if (recordSecret.length < MIN_VERIFIER_SECRET_LENGTH || isPlaceholder(recordSecret)) {
      // The length is named, never the value.
      problems.push(
        `RECORD_SECRET must be a random string of at least ${MIN_VERIFIER_SECRET_LENGTH} characters (it has ${recordSecret.length}); generate one with: openssl rand -hex 32`,
      );
    } else {
      config.recordSecret = recordSecret;
    }
  } else if (read('REDIS_URL') !== undefined) {
    problems.push(
      `RECORD_SECRET is missing: needed with REDIS_URL, it keys the HMAC that protects stored requests (a random string of at least ${MIN_VERIFIER_SECRET_LENGTH} characters: openssl rand -hex 32)`,
    );
  }
  if (read('METRICS_PORT') !== undefined) {
    config.metrics = {
      port: integer('METRICS_PORT', 0, 0, 65535),
      host: read('METRICS_HOST') ?? '127.0.0.1',
    };
  } else if (read('METRICS_HOST') !== undefined) {
    problems.push('METRICS_HOST is set but METRICS_PORT is not: set METRICS_PORT to serve GET /metrics');
  }
  const summaryModel = summaryModelSettings(env);
  if (summaryModel) config.summaryModel = summaryModel;
  const verifierEnabled = oneOf('VERIFIER_ENABLED', ['true', 'false'] as const, 'false') === 'true';
  if (verifierEnabled) {
    const hint = 'needed with VERIFIER_ENABLED=true (see README "Security")';
    const publicUrl = publicOrigin(
      required('PUBLIC_URL', `${hint}: the https address browsers reach this app at`),
      problems,
    );
    const slackClientId = required(
      'SLACK_CLIENT_ID',
      `${hint}: the Slack app's Client ID from "Basic Information"`,
    );
    const clientSecretHint = `${hint}: the Slack app's Client Secret from "Basic Information"`;
    const slackClientSecret = required('SLACK_CLIENT_SECRET', clientSecretHint);
    secretShape('SLACK_CLIENT_SECRET', slackClientSecret, clientSecretHint);
    const secret = required(
      'VERIFIER_SECRET',
      `${hint}: a random string of at least ${MIN_VERIFIER_SECRET_LENGTH} characters`,
    );
    if (secret && secret.length < MIN_VERIFIER_SECRET_LENGTH) {
      // The length is named, never the value.
      problems.push(
        `VERIFIER_SECRET must be at least ${MIN_VERIFIER_SECRET_LENGTH} characters long (it has ${secret.length}); generate one with: openssl rand -hex 32`,
      );
    }
    config.verifier = { publicUrl, slackClientId, slackClientSecret, secret };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * SUMMARY_MODEL and the settings that only mean something with it. Hosts that cannot work
 * without a key (OpenAI's, Azure's) need OPENAI_API_KEY; a self-hosted server may take none.
 */
function summaryModelSettings(env: EnvReader): SummaryModelConfig | undefined {
  const { problems, read, url, secretShape, integer } = env;
  const model = read('SUMMARY_MODEL');
  if (model === undefined) {
    for (const name of ['OPENAI_BASE_URL', 'SUMMARY_TIMEOUT_SECONDS']) {
      if (read(name) !== undefined)
        problems.push(`${name} is set but SUMMARY_MODEL is not: set SUMMARY_MODEL to turn AI summaries on`);
    }
    return undefined;
  }
  if (!/^[\w.:/@+-]{1,100}$/.test(model)) {
    problems.push(
      `SUMMARY_MODEL must be a model name (letters, digits and . _ : / @ + -, at most 100), got "${model.slice(0, 100)}"`,
    );
  }
  const baseUrl = url('OPENAI_BASE_URL', DEFAULTS.openaiBaseUrl);
  let host = '';
  try {
    const parsed = new URL(baseUrl);
    host = parsed.hostname;
    // Not echoed: it holds a password.
    if (parsed.username || parsed.password)
      problems.push('OPENAI_BASE_URL must not contain a user name or password; use OPENAI_API_KEY');
    else if (parsed.search || parsed.hash)
      problems.push(`OPENAI_BASE_URL must be the API root without a query, got "${baseUrl}"`);
  } catch {
    // Reported by url().
  }
  const apiKey = read('OPENAI_API_KEY');
  const keyHint =
    'the API key of the model server (for OpenAI: https://platform.openai.com/api-keys), or unset SUMMARY_MODEL';
  if (apiKey === undefined && (host === 'api.openai.com' || host.endsWith('.openai.azure.com')))
    problems.push(`OPENAI_API_KEY is missing: ${host} needs ${keyHint}`);
  secretShape('OPENAI_API_KEY', apiKey, keyHint);
  // The openai SDK reads this one from the environment whatever it is given, and would add its
  // headers to every request to the model server.
  if (read('OPENAI_CUSTOM_HEADERS') !== undefined)
    problems.push(
      'OPENAI_CUSTOM_HEADERS is set: the openai library would add those headers to every model request on its own; unset it',
    );
  const timeoutMs = 1000 * integer('SUMMARY_TIMEOUT_SECONDS', DEFAULTS.summaryTimeoutSeconds, 1, 120);
  return { model, baseUrl, ...(apiKey ? { apiKey } : {}), timeoutMs };
}

/** REDIS_URL: redis:// or rediss:// (TLS). Never echoed whole: it may hold a password. */
function redis(value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    problems.push(
      'REDIS_URL must be a URL such as redis://localhost:6379 or rediss://user:password@host:6380',
    );
    return undefined;
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    problems.push('REDIS_URL must start with redis:// or rediss:// (TLS), e.g. redis://localhost:6379');
    return undefined;
  }
  if (!parsed.hostname) {
    problems.push('REDIS_URL must name a host, e.g. redis://localhost:6379');
    return undefined;
  }
  if (parsed.password && decodeURIComponent(parsed.password).length < MIN_SECRET_LENGTH) {
    problems.push(
      `REDIS_URL's password is too short to be real (at least ${MIN_SECRET_LENGTH} characters); use the server's real password`,
    );
    return undefined;
  }
  return value;
}

/**
 * PUBLIC_URL as an origin. https is required because the verifier's cookie and Slack's redirect
 * carry a person's sign-in; plain http is accepted only for a browser on this machine.
 */
function publicOrigin(value: string, problems: string[]): string {
  if (!value) return '';
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    problems.push(`PUBLIC_URL must be an https URL such as https://inbox.example.com, got "${value}"`);
    return '';
  }
  if (parsed.username || parsed.password) {
    // Not echoed: it holds a password.
    problems.push('PUBLIC_URL must not contain a user name or password');
  } else if (
    parsed.protocol !== 'https:' &&
    !(parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))
  ) {
    problems.push(`PUBLIC_URL must use https (plain http only for localhost), got "${value}"`);
  } else if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash) {
    problems.push(
      `PUBLIC_URL must be the address only, without a path or query (the app serves /verify itself), got "${value}"`,
    );
  }
  return parsed.origin;
}

/**
 * Every secret the settings hold, for the logger to scrub wherever it appears: tokens, keys, the
 * signing secret, the verifier's client and signing secrets, the model server's key, and the
 * password in REDIS_URL (raw and percent-decoded). One list, so no place that builds a logger can forget one.
 */
export function configSecrets(config: Config): string[] {
  const { transport } = config.slack;
  return [
    config.slack.botToken,
    transport.mode === 'http' ? transport.signingSecret : transport.appToken,
    config.arcade.apiKey,
    ...(config.verifier ? [config.verifier.slackClientSecret, config.verifier.secret] : []),
    ...(config.summaryModel?.apiKey ? [config.summaryModel.apiKey] : []),
    ...redisPassword(config.redisUrl),
    ...(config.recordSecret ? [config.recordSecret] : []),
  ];
}

function redisPassword(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const { password } = new URL(url);
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}
