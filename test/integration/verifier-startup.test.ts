import { startEntryProcess } from '../support/process-entry';

/** The real process entry refuses an incomplete custom-verifier setup before it talks to anyone. */
/** Runs the entry to its exit. */
async function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const entry = startEntryProcess(env);
  const code = await entry.exited;
  return { code, output: entry.output() };
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
