import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { waitFor } from '../../support/wait-for';

/**
 * The real process entry (src/index.ts) choosing its mode from the environment. It runs in an empty
 * temporary directory, so that a developer's own .env can never turn these into production starts.
 */
const ROOT = join(__dirname, '../../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

function startProcess(env: Record<string, string>, cwd: string) {
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/index.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('npm start without accounts', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'inbox-start-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('with no Slack or Arcade setting, serves the sandbox page at the one URL it prints, and stops on SIGTERM', async () => {
    const { child, output, exited } = startProcess({ SANDBOX_PORT: '0', SANDBOX_DELAY_MS: '0' }, cwd);
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
    const { output, exited } = startProcess({ SLACK_BOT_TOKEN: 'xoxb-1', SANDBOX_PORT: '0' }, cwd);
    expect(await exited).toBe(1);
    expect(output()).toContain('Missing:');
    expect(output()).toContain('ARCADE_API_KEY');
    expect(output()).toContain('SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)');
    expect(output()).not.toMatch(/SANDBOX MODE/);
  });

  it('with a bad sandbox setting, says which and exits 1', async () => {
    const { output, exited } = startProcess({ SANDBOX_DELAY_MS: 'slow' }, cwd);
    expect(await exited).toBe(1);
    expect(output()).toContain('SANDBOX_DELAY_MS must be a whole number');
  });
});
