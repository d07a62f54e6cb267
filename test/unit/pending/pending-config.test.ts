import { ConfigError, configSecrets, loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/log';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdefABCDEF0123',
  SLACK_SIGNING_SECRET: 'f00dfeed0123456789abcdef01234567',
  ARCADE_API_KEY: 'arc_o1TestKey0123456789',
  RECORD_SECRET: 'pending-config-record-secret-0123456789ab',
};

function problems(env: Record<string, string>): string {
  try {
    loadConfig({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('loadConfig accepted the settings');
}

describe('REDIS_URL and SHUTDOWN_GRACE_SECONDS', () => {
  it('requires RECORD_SECRET with REDIS_URL, refuses a short one, and scrubs it from logs', () => {
    const { RECORD_SECRET: _unset, ...withoutSecret } = BASE;
    expect(() => loadConfig({ ...withoutSecret, REDIS_URL: 'redis://localhost:6379' })).toThrow(
      /RECORD_SECRET is missing: needed with REDIS_URL/,
    );
    const message = problems({ REDIS_URL: 'redis://localhost:6379', RECORD_SECRET: 'short-secret-123' });
    expect(message).toMatch(/RECORD_SECRET must be a random string of at least 32 characters \(it has 16\)/);
    expect(message).not.toContain('short-secret-123');
    expect(configSecrets(loadConfig({ ...BASE, REDIS_URL: 'redis://localhost:6379' }))).toContain(
      BASE.RECORD_SECRET,
    );
  });

  it('keeps pending consents in memory and waits 10 s at shutdown by default', () => {
    const config = loadConfig(BASE);
    expect(config.redisUrl).toBeUndefined();
    expect(config.shutdownGraceMs).toBe(10_000);
  });

  it.each([
    'redis://localhost:6379',
    'rediss://user:s3cret-pass@redis.example.com:6380/2',
    'redis://127.0.0.1',
  ])('accepts %s', (url) => {
    expect(loadConfig({ ...BASE, REDIS_URL: ` ${url} ` }).redisUrl).toBe(url);
  });

  it('refuses other schemes and non-URLs without echoing a password', () => {
    const message = problems({ REDIS_URL: 'http://user:hunter2-secret@redis.example.com' });
    expect(message).toMatch(/REDIS_URL must start with redis:\/\/ or rediss:\/\//);
    expect(message).not.toContain('hunter2-secret');
    expect(problems({ REDIS_URL: 'localhost:6379' })).toMatch(/REDIS_URL must start with redis:\/\//);
    expect(problems({ REDIS_URL: 'not a url' })).toMatch(/REDIS_URL must be a URL/);
  });

  it('reads SHUTDOWN_GRACE_SECONDS from 0 to 600', () => {
    expect(loadConfig({ ...BASE, SHUTDOWN_GRACE_SECONDS: '0' }).shutdownGraceMs).toBe(0);
    expect(loadConfig({ ...BASE, SHUTDOWN_GRACE_SECONDS: '30' }).shutdownGraceMs).toBe(30_000);
    expect(problems({ SHUTDOWN_GRACE_SECONDS: '601' })).toMatch(
      /SHUTDOWN_GRACE_SECONDS must be a whole number from 0 to 600/,
    );
    expect(problems({ SHUTDOWN_GRACE_SECONDS: '-1' })).toMatch(/SHUTDOWN_GRACE_SECONDS/);
  });

  it('scrubs the Redis password from logs, as written and percent-decoded', () => {
    const config = loadConfig({ ...BASE, REDIS_URL: 'rediss://default:p%40ss-word@host:6380' });
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      secrets: configSecrets(config),
      write: (line) => lines.push(line),
    });
    logger.warn('connecting to rediss://default:p%40ss-word@host:6380 with p@ss-word');
    expect(lines.join('\n')).not.toMatch(/p%40ss-word|p@ss-word/);
    expect(configSecrets(loadConfig({ ...BASE, REDIS_URL: 'redis://localhost:6379' }))).not.toContain('');
  });
});
