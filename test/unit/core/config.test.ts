import { ConfigError, configSecrets, loadConfig } from '../../../src/core/config';

const BOT_TOKEN = 'xoxb-1111-2222-abcdefABCDEF0123';
const SIGNING_SECRET = 'f00dfeed0123456789abcdef01234567';
const APP_TOKEN = 'xapp-1-A0123-4567-0123456789abcdef';
const API_KEY = 'arc_o1TestKey0123456789';

const HTTP_ENV = {
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  ARCADE_API_KEY: API_KEY,
};

/** Runs loadConfig and returns the ConfigError it must throw. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the settings');
}

describe('loadConfig', () => {
  it('accepts a minimal HTTP-mode configuration and fills in every default', () => {
    expect(loadConfig(HTTP_ENV)).toEqual({
      slack: {
        botToken: BOT_TOKEN,
        apiUrl: 'https://slack.com/api/',
        transport: { mode: 'http', signingSecret: SIGNING_SECRET, port: 3000 },
      },
      arcade: { apiKey: API_KEY, baseUrl: 'https://api.arcade.dev', userIdSource: 'slack' },
      gmail: { apiUrl: 'https://gmail.googleapis.com/' },
      consentTimeoutMs: 600_000,
      logLevel: 'info',
      logFormat: 'text',
      shutdownGraceMs: 10_000,
      summaries: { concurrency: 64, queueLimit: 2000 },
      consents: { longPolls: 256, checksPerSecond: 25 },
      visibility: 'channel',
    });
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set, and then needs no signing secret', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      ARCADE_API_KEY: API_KEY,
    });
    expect(config.slack.transport).toEqual({ mode: 'socket', appToken: APP_TOKEN, port: 3000 });
  });

  it('prefers Socket Mode when both an app token and a signing secret are set', () => {
    const config = loadConfig({ ...HTTP_ENV, SLACK_APP_TOKEN: APP_TOKEN, PORT: '8081' });
    expect(config.slack.transport).toEqual({ mode: 'socket', appToken: APP_TOKEN, port: 8081 });
  });

  it('reads every optional setting, trimming surrounding whitespace', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: `  ${BOT_TOKEN}\n`,
      SLACK_SIGNING_SECRET: ` ${SIGNING_SECRET} `,
      ARCADE_API_KEY: `\t${API_KEY}`,
      PORT: ' 8080 ',
      ARCADE_BASE_URL: 'http://127.0.0.1:9099',
      SLACK_API_URL: 'http://127.0.0.1:9098/api/',
      GMAIL_API_URL: 'http://127.0.0.1:9097/',
      CONSENT_TIMEOUT_SECONDS: '45',
      ARCADE_USER_ID_SOURCE: 'email',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      METRICS_PORT: '9464',
      SUMMARY_CONCURRENCY: '8',
      SUMMARY_QUEUE_LIMIT: '0',
      CONSENT_LONG_POLLS: '32',
      CONSENT_CHECKS_PER_SECOND: '5',
    });
    expect(config).toEqual({
      slack: {
        botToken: BOT_TOKEN,
        apiUrl: 'http://127.0.0.1:9098/api/',
        transport: { mode: 'http', signingSecret: SIGNING_SECRET, port: 8080 },
      },
      arcade: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9099', userIdSource: 'email' },
      gmail: { apiUrl: 'http://127.0.0.1:9097/' },
      consentTimeoutMs: 45_000,
      logLevel: 'debug',
      logFormat: 'json',
      metrics: { port: 9464, host: '127.0.0.1' },
      shutdownGraceMs: 10_000,
      summaries: { concurrency: 8, queueLimit: 0 },
      consents: { longPolls: 32, checksPerSecond: 5 },
      visibility: 'channel',
    });
  });

  it('reports every problem at once in one ConfigError that names each variable', () => {
    const error = configError({
      PORT: '99999',
      SLACK_API_URL: 'not a url',
      LOG_LEVEL: 'loud',
      SUMMARY_CONCURRENCY: '0',
      SUMMARY_QUEUE_LIMIT: 'many',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('config_invalid');
    expect(error.name).toBe('ConfigError');
    expect(error.problems).toHaveLength(8);
    const named = [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'ARCADE_API_KEY',
      'PORT',
      'SLACK_API_URL',
      'LOG_LEVEL',
      'SUMMARY_CONCURRENCY',
      'SUMMARY_QUEUE_LIMIT',
    ];
    for (const name of named) {
      expect(error.problems.filter((problem) => problem.startsWith(`${name} `))).toHaveLength(1);
      expect(error.message).toContain(name);
    }
    // One problem per line, so an operator reads a list.
    expect(error.message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(8);
  });

  it('names exactly the three required settings when the environment is empty', () => {
    const { problems } = configError({});
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^SLACK_BOT_TOKEN is missing/);
    expect(problems[1]).toMatch(/^SLACK_SIGNING_SECRET is missing/);
    // The hint offers Socket Mode as the alternative to a signing secret.
    expect(problems[1]).toContain('SLACK_APP_TOKEN');
    expect(problems[2]).toMatch(/^ARCADE_API_KEY is missing/);
  });

  it.each([
    ['SLACK_BOT_TOKEN', ''],
    ['SLACK_BOT_TOKEN', '   '],
    ['SLACK_SIGNING_SECRET', '\t\n'],
    ['ARCADE_API_KEY', ' \r\n '],
  ])('treats a whitespace-only %s (%j) as missing', (name, value) => {
    const { problems } = configError({ ...HTTP_ENV, [name]: value });
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${name} is missing`))]);
  });

  it('treats a whitespace-only SLACK_APP_TOKEN as unset (HTTP mode, signing secret required)', () => {
    expect(loadConfig({ ...HTTP_ENV, SLACK_APP_TOKEN: '  ' }).slack.transport.mode).toBe('http');
    const { problems } = configError({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      ARCADE_API_KEY: API_KEY,
      SLACK_APP_TOKEN: ' ',
    });
    expect(problems).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET is missing/)]);
  });

  it('falls back to defaults for whitespace-only optional settings', () => {
    const config = loadConfig({
      ...HTTP_ENV,
      PORT: ' ',
      ARCADE_BASE_URL: '  ',
      LOG_LEVEL: '\t',
      CONSENT_TIMEOUT_SECONDS: ' ',
    });
    expect(config.slack.transport.port).toBe(3000);
    expect(config.arcade.baseUrl).toBe('https://api.arcade.dev');
    expect(config.logLevel).toBe('info');
    expect(config.consentTimeoutMs).toBe(600_000);
  });

  describe('placeholders and absurdly short secrets', () => {
    it(".env.example's placeholders are named as placeholders, not sent anywhere", () => {
      const error = configError({
        SLACK_BOT_TOKEN: 'xoxb-...',
        SLACK_APP_TOKEN: 'xapp-...',
        ARCADE_API_KEY: 'arc_...',
      });
      expect(error.problems).toEqual([
        expect.stringMatching(/^SLACK_BOT_TOKEN is still a placeholder \("xoxb-\.\.\."/),
        expect.stringMatching(/^SLACK_APP_TOKEN is still a placeholder \("xapp-\.\.\."/),
        expect.stringMatching(/^ARCADE_API_KEY is still a placeholder \("arc_\.\.\."/),
      ]);
    });

    it.each(['<your token>', 'changeme', 'xoxb-…'])('recognises %j as a placeholder', (value) => {
      expect(configError({ ...HTTP_ENV, SLACK_BOT_TOKEN: value }).problems).toEqual([
        expect.stringContaining('SLACK_BOT_TOKEN is still a placeholder'),
      ]);
    });

    it.each([
      ['SLACK_SIGNING_SECRET', { ...HTTP_ENV, SLACK_SIGNING_SECRET: 'abc' }],
      ['ARCADE_API_KEY', { ...HTTP_ENV, ARCADE_API_KEY: 'arc_1' }],
      ['SLACK_BOT_TOKEN', { ...HTTP_ENV, SLACK_BOT_TOKEN: 'xoxb-1' }],
      [
        "REDIS_URL's password",
        { ...HTTP_ENV, REDIS_URL: 'redis://:pw@localhost:6379', RECORD_SECRET: 'r'.repeat(40) },
      ],
    ])('refuses a too-short %s, naming its length only', (name, env) => {
      const { problems, message } = configError(env);
      expect(problems).toEqual([expect.stringContaining(`${name} is too short to be real`)]);
      expect(message).not.toMatch(/"abc"|arc_1|xoxb-1\b|:pw@/);
    });
  });

  describe('logging and metrics', () => {
    it('refuses an unknown LOG_FORMAT', () => {
      expect(configError({ ...HTTP_ENV, LOG_FORMAT: 'xml' }).problems).toEqual([
        'LOG_FORMAT must be one of text, json, got "xml"',
      ]);
    });

    it('serves metrics only when METRICS_PORT is set, on loopback unless METRICS_HOST says otherwise', () => {
      expect(loadConfig(HTTP_ENV).metrics).toBeUndefined();
      expect(loadConfig({ ...HTTP_ENV, METRICS_PORT: '0', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({
        port: 0,
        host: '0.0.0.0',
      });
      expect(configError({ ...HTTP_ENV, METRICS_HOST: '0.0.0.0' }).problems).toEqual([
        expect.stringContaining('METRICS_HOST is set but METRICS_PORT is not'),
      ]);
    });
  });

  describe('tokens with the wrong prefix', () => {
    it('names SLACK_BOT_TOKEN and the expected prefix for a user token, without echoing it', () => {
      const userToken = 'xoxp-9999-8888-7777-SuperSecretUserTokenValue';
      const error = configError({ ...HTTP_ENV, SLACK_BOT_TOKEN: userToken });
      expect(error.problems).toEqual([expect.stringContaining('SLACK_BOT_TOKEN')]);
      expect(error.problems[0]).toContain('xoxb-');
      expect(error.message).not.toContain(userToken);
      expect(error.message).not.toContain('SuperSecretUserTokenValue');
    });

    it('names SLACK_APP_TOKEN and the expected prefix, without echoing it', () => {
      const wrong = 'xoxb-5555-AppTokenPastedInTheWrongPlace';
      const error = configError({ ...HTTP_ENV, SLACK_APP_TOKEN: wrong });
      expect(error.problems).toEqual([expect.stringContaining('SLACK_APP_TOKEN')]);
      expect(error.problems[0]).toContain('xapp-');
      expect(error.message).not.toContain(wrong);
    });

    it('never puts any secret value into the message, even among other problems', () => {
      const secrets = [
        'xoxa-2-LeakyLegacyToken',
        'xoxb-OtherTokenInAppSlot',
        'sign-secret-0123456789',
        'arc_key_0123456789',
      ];
      const error = configError({
        SLACK_BOT_TOKEN: secrets[0],
        SLACK_APP_TOKEN: secrets[1],
        SLACK_SIGNING_SECRET: secrets[2],
        ARCADE_API_KEY: secrets[3],
        PORT: 'eighty',
      });
      expect(error.problems).toHaveLength(3);
      for (const secret of secrets) expect(error.message).not.toContain(secret);
    });
  });

  describe('numbers', () => {
    it.each(['-1', '65536', '99999', 'abc', '80.5', '3000abc'])('rejects PORT=%j', (port) => {
      const { problems, message } = configError({ ...HTTP_ENV, PORT: port });
      expect(problems).toEqual([expect.stringMatching(/^PORT must be a whole number from 0 to 65535/)]);
      expect(message).toContain(`"${port}"`);
    });

    it.each(['0', '65535', '443'])('accepts PORT=%s', (port) => {
      expect(loadConfig({ ...HTTP_ENV, PORT: port }).slack.transport.port).toBe(Number(port));
    });

    it.each(['0', '29', '1801', '86400', 'ten', '60.5'])('rejects CONSENT_TIMEOUT_SECONDS=%j', (seconds) => {
      const { problems } = configError({ ...HTTP_ENV, CONSENT_TIMEOUT_SECONDS: seconds });
      expect(problems).toEqual([
        expect.stringMatching(/^CONSENT_TIMEOUT_SECONDS must be a whole number from 30 to 1800/),
      ]);
    });

    it.each([
      ['30', 30_000],
      ['1800', 1_800_000],
    ])('accepts CONSENT_TIMEOUT_SECONDS=%s at the edge of its range', (seconds, ms) => {
      expect(loadConfig({ ...HTTP_ENV, CONSENT_TIMEOUT_SECONDS: seconds }).consentTimeoutMs).toBe(ms);
    });
  });

  describe('URLs', () => {
    it.each([
      ['ARCADE_BASE_URL', 'api.arcade.dev'],
      ['SLACK_API_URL', 'not a url'],
      ['GMAIL_API_URL', 'ftp://gmail.googleapis.com/'],
      ['GMAIL_API_URL', 'file:///etc/passwd'],
    ])('rejects %s=%j', (name, value) => {
      const { problems } = configError({ ...HTTP_ENV, [name]: value });
      expect(problems).toEqual([expect.stringMatching(new RegExp(`^${name} must be an http\\(s\\) URL`))]);
    });
  });

  describe('choices', () => {
    it.each([
      ['ARCADE_USER_ID_SOURCE', 'ldap'],
      ['LOG_LEVEL', 'verbose'],
    ])('rejects %s=%j and lists the allowed values', (name, value) => {
      const { problems } = configError({ ...HTTP_ENV, [name]: value });
      expect(problems).toEqual([expect.stringMatching(new RegExp(`^${name} must be one of `))]);
      expect(problems[0]).toContain(value);
    });
  });

  describe('INBOX_VISIBILITY', () => {
    it.each(['channel', 'private'] as const)('accepts %s', (value) => {
      expect(loadConfig({ ...HTTP_ENV, INBOX_VISIBILITY: value }).visibility).toBe(value);
    });

    it('refuses anything else, naming the choices', () => {
      const { problems } = configError({ ...HTTP_ENV, INBOX_VISIBILITY: 'dm' });
      expect(problems).toEqual([expect.stringMatching(/^INBOX_VISIBILITY must be one of channel, private/)]);
    });
  });

  describe('the custom user verifier', () => {
    const VERIFIER_ENV = {
      ...HTTP_ENV,
      VERIFIER_ENABLED: 'true',
      PUBLIC_URL: 'https://inbox.example.com/',
      SLACK_CLIENT_ID: '1234567890.0987654321',
      SLACK_CLIENT_SECRET: 'c0ffee0123456789abcdef0123456789',
      VERIFIER_SECRET: 'v'.repeat(40),
    };

    it('is off by default, whatever else is set', () => {
      const { VERIFIER_ENABLED: _off, ...rest } = VERIFIER_ENV;
      expect(loadConfig(HTTP_ENV).verifier).toBeUndefined();
      expect(loadConfig(rest).verifier).toBeUndefined();
      expect(loadConfig({ ...VERIFIER_ENV, VERIFIER_ENABLED: 'false' }).verifier).toBeUndefined();
    });

    it('reads a complete setup, keeping only the origin of PUBLIC_URL', () => {
      expect(loadConfig(VERIFIER_ENV).verifier).toEqual({
        publicUrl: 'https://inbox.example.com',
        slackClientId: '1234567890.0987654321',
        slackClientSecret: 'c0ffee0123456789abcdef0123456789',
        secret: 'v'.repeat(40),
      });
    });

    it('refuses to start with an incomplete setup, naming every missing setting at once', () => {
      const { problems, message } = configError({ ...HTTP_ENV, VERIFIER_ENABLED: 'true' });
      expect(problems).toHaveLength(4);
      for (const name of ['PUBLIC_URL', 'SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'VERIFIER_SECRET']) {
        expect(problems.filter((problem) => problem.startsWith(`${name} is missing`))).toHaveLength(1);
      }
      expect(message).toContain('VERIFIER_ENABLED=true');
    });

    it('refuses a short VERIFIER_SECRET without echoing it', () => {
      const { problems, message } = configError({ ...VERIFIER_ENV, VERIFIER_SECRET: 'short-secret-123' });
      expect(problems).toEqual([expect.stringMatching(/^VERIFIER_SECRET must be at least 32 characters/)]);
      expect(message).not.toContain('short-secret-123');
    });

    it.each([
      ['plain http on a public host', 'http://inbox.example.com'],
      ['a path', 'https://inbox.example.com/inbox'],
      ['a query', 'https://inbox.example.com/?x=1'],
      ['not a URL', 'inbox.example.com'],
    ])('refuses PUBLIC_URL with %s', (_case, value) => {
      const { problems } = configError({ ...VERIFIER_ENV, PUBLIC_URL: value });
      expect(problems).toEqual([expect.stringMatching(/^PUBLIC_URL must/)]);
    });

    it('refuses a PUBLIC_URL with credentials without echoing them', () => {
      const { problems, message } = configError({
        ...VERIFIER_ENV,
        PUBLIC_URL: 'https://u:hunter2@inbox.example.com',
      });
      expect(problems).toEqual([
        expect.stringMatching(/^PUBLIC_URL must not contain a user name or password/),
      ]);
      expect(message).not.toContain('hunter2');
    });

    it.each(['http://localhost:3000', 'http://127.0.0.1:8080'])(
      'accepts plain http on loopback (%s)',
      (value) => {
        expect(loadConfig({ ...VERIFIER_ENV, PUBLIC_URL: value }).verifier?.publicUrl).toBe(value);
      },
    );

    it('refuses VERIFIER_ENABLED values other than true and false', () => {
      const { problems } = configError({ ...VERIFIER_ENV, VERIFIER_ENABLED: 'yes' });
      expect(problems).toEqual([expect.stringMatching(/^VERIFIER_ENABLED must be one of true, false/)]);
    });
  });
});

describe('configSecrets', () => {
  it('lists every secret the settings hold, so every logger scrubs them', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-bot-secret-0001',
      SLACK_SIGNING_SECRET: 'signing-secret-0002',
      ARCADE_API_KEY: 'arc_key_secret_0003',
      VERIFIER_ENABLED: 'true',
      PUBLIC_URL: 'https://inbox.example.com',
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret-0004',
      VERIFIER_SECRET: 'v'.repeat(40),
      REDIS_URL: 'redis://user:redis-pass-0005@127.0.0.1:6379',
      RECORD_SECRET: 'record-secret-0007-0123456789abcdef0123',
    });
    expect(configSecrets(config)).toEqual(
      expect.arrayContaining([
        'xoxb-bot-secret-0001',
        'signing-secret-0002',
        'arc_key_secret_0003',
        'client-secret-0004',
        'v'.repeat(40),
        'redis-pass-0005',
        'record-secret-0007-0123456789abcdef0123',
      ]),
    );
  });

  it('lists the app-level token in Socket Mode', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-bot-secret-0001',
      SLACK_APP_TOKEN: 'xapp-app-secret-0006',
      ARCADE_API_KEY: 'arc_key_secret_0003',
    });
    expect(configSecrets(config)).toContain('xapp-app-secret-0006');
  });
});

describe('loadConfig: AI summaries (SUMMARY_MODEL)', () => {
  it('is off by default, and on with a model name, OpenAI as the default host and a 15 s deadline', () => {
    expect(loadConfig(HTTP_ENV).summaryModel).toBeUndefined();
    const config = loadConfig({
      ...HTTP_ENV,
      SUMMARY_MODEL: 'gpt-4o-mini',
      OPENAI_API_KEY: 'sk-proj-0123456789',
    });
    expect(config.summaryModel).toEqual({
      model: 'gpt-4o-mini',
      baseUrl: 'https://api.openai.com/v1',
      apiKey: 'sk-proj-0123456789',
      timeoutMs: 15_000,
    });
    expect(configSecrets(config)).toContain('sk-proj-0123456789');
  });

  it('takes a self-hosted server without a key', () => {
    const config = loadConfig({
      ...HTTP_ENV,
      SUMMARY_MODEL: 'llama3.1:8b',
      OPENAI_BASE_URL: 'http://ollama.internal:11434/v1',
      SUMMARY_TIMEOUT_SECONDS: '30',
    });
    expect(config.summaryModel).toEqual({
      model: 'llama3.1:8b',
      baseUrl: 'http://ollama.internal:11434/v1',
      timeoutMs: 30_000,
    });
  });

  it('reports every problem at once, never echoing the key', () => {
    const error = configError({
      ...HTTP_ENV,
      SUMMARY_MODEL: 'bad model!',
      OPENAI_BASE_URL: 'https://user:sekrit-pass@api.openai.com/v1',
      SUMMARY_TIMEOUT_SECONDS: '0',
      OPENAI_CUSTOM_HEADERS: 'X-Leak: 1',
    });
    expect(error.problems).toEqual([
      expect.stringMatching(/^SUMMARY_MODEL must be a model name/),
      'OPENAI_BASE_URL must not contain a user name or password; use OPENAI_API_KEY',
      expect.stringMatching(/^OPENAI_API_KEY is missing: api\.openai\.com needs/),
      expect.stringMatching(/^OPENAI_CUSTOM_HEADERS is set/),
      'SUMMARY_TIMEOUT_SECONDS must be a whole number from 1 to 120, got "0"',
    ]);
    expect(error.message).not.toContain('sekrit-pass');
    expect(configError({ ...HTTP_ENV, OPENAI_BASE_URL: 'http://x/v1' }).problems).toEqual([
      'OPENAI_BASE_URL is set but SUMMARY_MODEL is not: set SUMMARY_MODEL to turn AI summaries on',
    ]);
  });
});
