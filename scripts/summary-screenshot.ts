/**
 * Draws docs/images/summary.png: Grace's `/inbox 25` in the sandbox page, in headless Chromium
 * (Debian's package, driven by playwright-core; nothing is downloaded). Run: `npx tsx scripts/summary-screenshot.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createLogger } from '../src/core/log';
import { startSandbox } from '../src/sandbox/start-sandbox';
import { SANDBOX_PEOPLE } from '../src/sandbox/workspace';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = process.argv[2] ?? join(__dirname, '..', 'docs', 'images', 'summary.png');
const WAIT = { timeout: 20_000 };

async function main(): Promise<void> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'inbox-screenshot-'));
  const sandbox = await startSandbox({
    logger: createLogger({ level: 'warn', secrets: [], write: () => {} }),
  });
  // Grace's mailbox without the robustness samples (phishing, a 5,000-character subject, no headers):
  // the picture shows a working inbox.
  const grace = SANDBOX_PEOPLE.find((person) => person.name === 'Grace Hopper');
  if (!grace) throw new Error('no sample person Grace Hopper');
  sandbox.gmail.addMailbox(grace.token, {
    email: grace.email,
    messages: grace.mailbox(Date.now()).filter((message) => message.id.startsWith('b0')),
  });
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
    viewport: { width: 860, height: 2400 },
    deviceScaleFactor: 1,
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  try {
    const page = await browser.newPage();
    await page.goto(sandbox.url);
    await page.getByLabel('You are').selectOption({ label: 'Grace Hopper' });
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('/inbox 25');
    await box.press('Enter');
    const summary = page.locator('.entry.message').filter({ hasText: 'newest Gmail messages' });
    await summary.waitFor(WAIT);
    await summary.screenshot({ path: OUT });
    process.stdout.write(`wrote ${OUT}\n`);
  } finally {
    await browser.close();
    await sandbox.stop();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
