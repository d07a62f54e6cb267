import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The real process entry refuses an incomplete custom-verifier setup before it talks to anyone. */
const ROOT = join(__dirname, '../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
/** An empty working directory, so that a developer's .env cannot change what the test starts. */
const CWD = mkdtempSync(join(tmpdir(), 'inbox-verifier-startup-'));
afterAll(() => rmSync(CWD, { recursive: true, force: true }));

function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/index.ts')], {
      cwd: CWD,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

it('refuses VERIFIER_ENABLED=true without the rest of its settings, naming each, and exits 1', async () => {
  const secret = 'short-but-secret';
  const { code, output } = await run({
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 'signing',
    ARCADE_API_KEY: 'arc_1',
    VERIFIER_ENABLED: 'true',
    PUBLIC_URL: 'http://inbox.example.com',
    VERIFIER_SECRET: secret,
  });
  expect(code).toBe(1);
  expect(output).toContain('PUBLIC_URL must use https');
  expect(output).toContain('SLACK_CLIENT_ID is missing');
  expect(output).toContain('SLACK_CLIENT_SECRET is missing');
  expect(output).toContain('VERIFIER_SECRET must be at least 32 characters');
  expect(output).not.toContain(secret);
});
