import { startEntryProcess } from '../../support/process-entry';
import { waitFor } from '../../support/wait-for';

/**
 * The real process entry (src/index.ts) choosing its mode from the environment. It runs in an empty
 * temporary directory, so that a developer's own .env can never turn these into production starts.
 */
describe('npm start without accounts', () => {
  it('with no Slack or Arcade setting, serves the sandbox page at the one URL it prints, and stops on SIGTERM', async () => {
    const { child, output, exited } = startEntryProcess({ SANDBOX_PORT: '0', SANDBOX_DELAY_MS: '0' });
    try {
      const url = await waitFor(() => output().match(/Open (http:\/\/127\.0\.0\.1:\d+\/)/)?.[1], {
        timeoutMs: 15_000,
        message: 'the sandbox banner',
      });
      expect(output()).toMatch(/SANDBOX MODE/);
      expect(output().match(/https?:\/\//g)).toHaveLength(1);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/inbox sandbox');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('with some but not all settings, refuses and lists what is missing instead of starting the sandbox', async () => {
    const { output, exited } = startEntryProcess({ SLACK_BOT_TOKEN: 'xoxb-1', SANDBOX_PORT: '0' });
    expect(await exited).toBe(1);
    expect(output()).toContain('Missing:');
    expect(output()).toContain('ARCADE_API_KEY');
    expect(output()).toContain('SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)');
    expect(output()).not.toMatch(/SANDBOX MODE/);
  });

  it('with a deployment setting but no Slack/Arcade ones, refuses the sandbox and names the setting', async () => {
    const { output, exited } = startEntryProcess({ REDIS_URL: 'redis://127.0.0.1:1', SANDBOX_PORT: '0' });
    expect(await exited).toBe(1);
    expect(output()).toContain('these settings say this is a deployment: REDIS_URL');
    expect(output()).not.toMatch(/SANDBOX MODE/);
  });

  it('with a bad sandbox setting, says which and exits 1', async () => {
    const { output, exited } = startEntryProcess({ SANDBOX_DELAY_MS: 'slow' });
    expect(await exited).toBe(1);
    expect(output()).toContain('SANDBOX_DELAY_MS must be a whole number');
  });
});
