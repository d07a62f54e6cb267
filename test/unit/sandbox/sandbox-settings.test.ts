import { ConfigError } from '../../../src/core/config';
import { sandboxBanner } from '../../../src/sandbox/banner';
import { readSandboxSettings, SANDBOX_DEFAULTS } from '../../../src/sandbox/sandbox-settings';

describe('readSandboxSettings', () => {
  it('defaults to port 3000 and a 300 ms delay', () => {
    expect(readSandboxSettings({})).toEqual({ port: 3000, delayMs: 300, tldr: true, app: {} });
    expect(SANDBOX_DEFAULTS).toEqual({ port: 3000, delayMs: 300 });
  });

  it('takes SANDBOX_PORT over PORT, and passes the app settings that apply', () => {
    expect(
      readSandboxSettings({
        PORT: '8080',
        SANDBOX_PORT: '0',
        SANDBOX_DELAY_MS: '0',
        LOG_LEVEL: 'warn',
        INBOX_VISIBILITY: 'private',
        ARCADE_BASE_URL: 'https://ignored.example',
      }),
    ).toEqual({ port: 0, delayMs: 0, tldr: true, app: { LOG_LEVEL: 'warn', INBOX_VISIBILITY: 'private' } });
    expect(readSandboxSettings({ PORT: '8080' }).port).toBe(8080);
    expect(readSandboxSettings({ SANDBOX_TLDR: 'off' }).tldr).toBe(false);
    expect(() => readSandboxSettings({ SANDBOX_TLDR: 'maybe' })).toThrow('SANDBOX_TLDR must be on or off');
  });

  it('reports every bad value at once, naming the variable', () => {
    let error: unknown;
    try {
      readSandboxSettings({ PORT: '70000', SANDBOX_DELAY_MS: '1e3' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT must be a whole number from 0 to 65535, got "70000"',
      'SANDBOX_DELAY_MS must be a whole number from 0 to 10000, got "1e3"',
    ]);
  });
});

describe('sandboxBanner', () => {
  it('says loudly that it is a sandbox, prints exactly one URL, and how to run for real', () => {
    const banner = sandboxBanner({
      url: 'http://127.0.0.1:3000/',
      delayMs: 300,
      ignored: ['ARCADE_BASE_URL'],
    });
    expect(banner).toMatch(/SANDBOX MODE/);
    expect(banner).toMatch(/Nothing leaves this machine/);
    expect(banner.match(/https?:\/\//g)).toEqual(['http://']);
    expect(banner).toContain('300 ms');
    expect(banner).toContain('Ignored here');
    expect(banner).toMatch(/SLACK_BOT_TOKEN[\s\S]*ARCADE_API_KEY/);
    for (const line of banner.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
