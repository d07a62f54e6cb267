import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createLogger } from '../../src/log';
import { type Sandbox, startSandbox } from '../../src/sandbox/start-sandbox';
import { SANDBOX_PEOPLE } from '../../src/sandbox/workspace';

/**
 * The sandbox as a newcomer uses it: the page in real headless Chromium (Debian's package, driven by
 * playwright-core; no browser download), the real app behind it, the consent page in a second tab.
 * Every wait is on a condition in the page, never a fixed sleep.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Small but not zero, so that the app's background wait is real. */
const DELAY_MS = 20;
const WAIT = { timeout: 10_000 };

if (!existsSync(CHROMIUM)) {
  const why = `SKIPPED: chromium not installed (apt-get install chromium); looked for ${CHROMIUM}`;
  // Jest does not list the names of skipped tests in a run's summary; this line is shown.
  console.warn(`test/browser/sandbox.test.ts ${why}`);
  it.skip('SKIPPED: chromium not installed (apt-get install chromium)', () => {});
} else {
  describe('the sandbox page in Chromium', () => {
    let browser: BrowserContext;
    let userDataDir: string;
    let sandbox: Sandbox;
    let page: Page;
    const logs: string[] = [];

    beforeAll(async () => {
      userDataDir = mkdtempSync(join(tmpdir(), 'inbox-sandbox-chromium-'));
      browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_FLAGS,
      });
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
      if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    });

    beforeEach(async () => {
      logs.length = 0;
      sandbox = await startSandbox({
        delayMs: DELAY_MS,
        logger: createLogger({
          level: 'info',
          secrets: [],
          write: (line) => {
            logs.push(line);
            if (process.env.TEST_LOGS) process.stderr.write(`${line}\n`);
          },
        }),
      });
      page = await browser.newPage();
    });

    afterEach(async () => {
      await page?.close();
      await sandbox?.stop();
    });

    /** Opens the page as a sample person and waits until the page shows them. */
    async function openAs(name: string): Promise<void> {
      const person = SANDBOX_PEOPLE.find((candidate) => candidate.name === name);
      if (!person) throw new Error(`no sample person ${name}`);
      await page.goto(sandbox.url);
      await page.getByLabel('You are').selectOption({ label: name });
      await page.locator('#viewer-about').filter({ hasText: person.about }).waitFor(WAIT);
    }

    /** The Gmail links in the summary the app posted, as Slack received it. */
    function gmailLinksSent(): number {
      const posted = sandbox.slack.messages.at(-1);
      return JSON.stringify(posted?.blocks ?? []).match(/<https:\/\/mail\.google\.com\//g)?.length ?? 0;
    }

    async function type(command: string): Promise<void> {
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill(command);
      await box.press('Enter');
    }

    const privateMessage = (text: string | RegExp) =>
      page.locator('.entry.private').filter({ hasText: text });
    const channelMessage = (text: string | RegExp) =>
      page.locator('.entry.message').filter({ hasText: text });

    it('first time: Connect Gmail privately, consent in a new tab, then "Connected" and the summary in the channel', async () => {
      await openAs('Ada Lovelace');
      await type('/inbox 5');

      const prompt = privateMessage('connect to your Gmail');
      await prompt.waitFor(WAIT);
      await prompt.getByText('Only visible to you').waitFor(WAIT);
      expect(await page.locator('.entry.message').count()).toBe(0);

      const [consent] = await Promise.all([
        browser.waitForEvent('page', WAIT),
        prompt.getByRole('link', { name: 'Connect Gmail' }).click(),
      ]);
      await consent.getByRole('heading', { name: /wants to access your Google Account/ }).waitFor(WAIT);
      await consent.getByText('ada@sandbox.example').waitFor(WAIT);
      await consent.getByRole('link', { name: 'Allow' }).click();
      await consent.getByRole('heading', { name: 'Gmail connected' }).waitFor(WAIT);
      await consent.close();

      // The prompt is replaced in place, and the summary arrives in the channel.
      await privateMessage('Gmail connected.').waitFor(WAIT);
      const summary = channelMessage('5 newest Gmail messages');
      await summary.waitFor(WAIT);
      // Every Gmail link the app sent is drawn: one per conversation (two of the five share one).
      expect(await summary.locator('a[href^="https://mail.google.com/"]').count()).toBe(gmailLinksSent());
      expect(gmailLinksSent()).toBe(4);
      expect(await summary.locator('.mention').first().textContent()).toBe('@Ada Lovelace');
      // Slack date tokens are drawn in the browser's time zone; the newest sample mail is a minute old.
      expect(await summary.locator('time').first().textContent()).toMatch(
        /^(Today|Yesterday) at \d{1,2}:\d{2}\s?[AP]M$/,
      );
      expect(await page.getByRole('link', { name: 'Connect Gmail' }).count()).toBe(0);
      await page.locator('#viewer-status').filter({ hasText: 'Gmail: connected' }).waitFor(WAIT);
    });

    it('already connected: the summary arrives at once, and hostile email text stays text', async () => {
      await openAs('Grace Hopper');
      await type('/inbox');

      const summary = channelMessage('10 newest Gmail messages');
      await summary.waitFor(WAIT);
      expect(await page.locator('.entry.private').count()).toBe(0);
      // What needs Grace in full, her bulk mail folded to a line per group, each linked into Gmail.
      await summary.getByText('Needs you').waitFor(WAIT);
      await summary.getByText('Newsletters and notifications').waitFor(WAIT);
      expect(await summary.locator('a[href^="https://mail.google.com/"]').count()).toBe(gmailLinksSent());

      // The phishing sample tries a broadcast, a mention and a disguised link: all shown as typed.
      const text = (await summary.textContent()) ?? '';
      expect(text).toContain('<!channel> Your mailbox is full & will be closed.');
      expect(text).toContain('<https://evil.example|Click to verify>');
      expect(await summary.locator('a[href*="evil.example"]').count()).toBe(0);
      expect(await summary.locator('.mention.broadcast').count()).toBe(0);
      expect(await summary.locator('.mention').count()).toBe(1);
      // Only the page's own three scripts exist: nothing in the mail became markup.
      expect(await page.locator('script').count()).toBe(3);
    });

    it('a declined consent ends in a private "not connected" message and nothing in the channel', async () => {
      await openAs('Alan Turing');
      await type('/inbox');

      const prompt = privateMessage('connect to your Gmail');
      await prompt.waitFor(WAIT);
      const [consent] = await Promise.all([
        browser.waitForEvent('page', WAIT),
        prompt.getByRole('link', { name: 'Connect Gmail' }).click(),
      ]);
      await consent.getByRole('link', { name: 'Cancel' }).click();
      await consent.getByRole('heading', { name: 'Access denied' }).waitFor(WAIT);
      await consent.close();

      await privateMessage('Gmail was not connected').waitFor(WAIT);
      expect(await page.getByRole('link', { name: 'Connect Gmail' }).count()).toBe(0);
      expect(await page.locator('.entry.message').count()).toBe(0);
      expect(await page.locator('#viewer-status').textContent()).toBe('Gmail: not connected');
    });
  });
}
