import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createLogger } from '../../src/core/log';
import { type Sandbox, startSandbox } from '../../src/sandbox/start-sandbox';
import { SANDBOX_PEOPLE } from '../../src/sandbox/workspace';

/**
 * The sandbox as a newcomer uses it: the page in real headless Chromium (Debian's package, driven by
 * playwright-core; no browser download), the real app behind it, the consent page in a second tab.
 * Every wait is on a condition in the page, never a fixed sleep. Each case runs at a phone's width
 * and a desktop's, and saves screenshots to test-artifacts/screenshots/ for a person to look at.
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
/** A phone held upright, and a laptop. */
const WIDTHS = [400, 1400] as const;
const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

if (!existsSync(CHROMIUM)) {
  const why = `SKIPPED: chromium not installed (apt-get install chromium); looked for ${CHROMIUM}`;
  // Jest does not list the names of skipped tests in a run's summary; this line is shown.
  console.warn(`test/browser/sandbox.test.ts ${why}`);
  it.skip('SKIPPED: chromium not installed (apt-get install chromium)', () => {});
} else {
  describe.each(WIDTHS)('the sandbox page in Chromium, %i px wide', (width) => {
    const narrow = width < 760;
    let browser: BrowserContext;
    let userDataDir: string;
    let sandbox: Sandbox;
    let page: Page;
    const logs: string[] = [];

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      userDataDir = mkdtempSync(join(tmpdir(), 'inbox-sandbox-chromium-'));
      browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_FLAGS,
        viewport: { width, height: 900 },
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
        // These tests count the summary's own links and texts; the TL;DR on top is covered by
        // test/unit/sandbox/sandbox-http.test.ts and test/integration/tldr.test.ts.
        tldr: false,
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

    /** Saves what the page shows now, for a person to look at (test-artifacts/screenshots/). */
    async function screenshot(name: string): Promise<void> {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: false });
    }

    /** Nothing on the page is wider than the screen: no sideways scrolling, anywhere. */
    async function expectNoSidewaysScroll(): Promise<void> {
      // A string, run in the page: this project's TypeScript has no DOM types.
      const overflow = await page.evaluate(`
        [document.documentElement, document.body, ...document.querySelectorAll('.messages, .home, .entry')]
          .filter((el) => el.scrollWidth > el.clientWidth)
          .map((el) => el.tagName.toLowerCase() + '.' + el.className + ': ' + el.scrollWidth + ' > ' + el.clientWidth)
      `);
      expect(overflow).toEqual([]);
    }

    /** Opens the sidebar where it is folded away (narrow screens); a no-op where it is always shown. */
    async function withSidebar<T>(use: () => Promise<T>): Promise<T> {
      if (narrow) {
        await page.getByRole('button', { name: 'Show channels and people' }).click();
        await page.locator('#sidebar').waitFor({ state: 'visible', ...WAIT });
      }
      const result = await use();
      if (narrow && (await page.locator('body.sidebar-open').count()) > 0) {
        await page.getByRole('button', { name: 'Close the sidebar' }).click();
      }
      return result;
    }

    /** Opens the page as a sample person and waits until the page shows them. */
    async function openAs(name: string): Promise<void> {
      const person = SANDBOX_PEOPLE.find((candidate) => candidate.name === name);
      if (!person) throw new Error(`no sample person ${name}`);
      await page.goto(sandbox.url);
      await withSidebar(async () => {
        await page.getByLabel('You are').selectOption({ label: name });
        await page.locator('#viewer-about').filter({ hasText: person.about }).waitFor(WAIT);
      });
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

    it('fits the screen: focus starts in the message box, and the sidebar folds behind a button on a phone', async () => {
      await page.goto(sandbox.url);
      await page.locator('#conversation-name').filter({ hasText: 'general' }).waitFor(WAIT);
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('message');
      const toggle = page.getByRole('button', { name: 'Show channels and people' });
      expect(await toggle.isVisible()).toBe(narrow);
      expect(await page.locator('#sidebar').isVisible()).toBe(!narrow);
      await expectNoSidewaysScroll();
      await screenshot('start');
      if (narrow) {
        await toggle.click();
        await page.locator('#sidebar').waitFor({ state: 'visible', ...WAIT });
        expect(await toggle.getAttribute('aria-expanded')).toBe('true');
        await expectNoSidewaysScroll();
        await screenshot('sidebar-open');
        // Picking a conversation folds it away again.
        await page.getByRole('button', { name: /random/ }).click();
        await page.locator('#sidebar').waitFor({ state: 'hidden', ...WAIT });
        await page.locator('#conversation-name').filter({ hasText: 'random' }).waitFor(WAIT);
      }
    });

    it('first time: Connect Gmail privately, consent in a new tab, then "connected" and the summary in the channel', async () => {
      await openAs('Ada Lovelace');
      await type('/inbox 5');

      const prompt = privateMessage('connect to your Gmail');
      await prompt.waitFor(WAIT);
      await prompt.getByText('Only visible to you').waitFor(WAIT);
      expect(await page.locator('.entry.message').count()).toBe(0);
      await expectNoSidewaysScroll();
      await screenshot('connect-prompt');

      const [consent] = await Promise.all([
        browser.waitForEvent('page', WAIT),
        prompt.getByRole('link', { name: 'Connect Gmail' }).click(),
      ]);
      await consent.getByRole('heading', { name: /wants to access your Google Account/ }).waitFor(WAIT);
      await consent.getByText('ada@sandbox.example').waitFor(WAIT);
      await consent.getByRole('link', { name: 'Allow' }).click();
      await consent.getByRole('heading', { name: 'Gmail connected' }).waitFor(WAIT);
      await consent.close();

      // The prompt is replaced in place, and once the summary is in, it says so (no "Fetching…").
      const summary = channelMessage('5 newest Gmail messages');
      await summary.waitFor(WAIT);
      await privateMessage('Your summary is posted below').waitFor(WAIT);
      expect(await page.getByText('Fetching your inbox').count()).toBe(0);
      // Every Gmail link the app sent is drawn: one per conversation (two of the five share one).
      expect(await summary.locator('a[href^="https://mail.google.com/"]').count()).toBe(gmailLinksSent());
      expect(gmailLinksSent()).toBe(4);
      expect(await summary.locator('.mention').first().textContent()).toBe('@Ada Lovelace');
      // Unread is said in words, not by the dot alone.
      expect(await summary.getByText('Unread', { exact: true }).count()).toBeGreaterThan(0);
      // Slack date tokens are drawn in the browser's time zone; the newest sample mail is a minute old.
      expect(await summary.locator('time').first().textContent()).toMatch(
        /^(Today|Yesterday) at \d{1,2}:\d{2}\s?[AP]M$/,
      );
      expect(await page.getByRole('link', { name: 'Connect Gmail' }).count()).toBe(0);
      await expectNoSidewaysScroll();
      await screenshot('summary');
      await withSidebar(() =>
        page.locator('#viewer-status').filter({ hasText: 'Gmail: connected' }).waitFor(WAIT),
      );
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
      await expectNoSidewaysScroll();
    });

    it('Share to channel: a private summary goes to everyone through the app, and the private copy says so', async () => {
      await openAs('Grace Hopper');
      await type('/inbox private 3');
      const mine = privateMessage('3 newest Gmail messages');
      await mine.waitFor(WAIT);
      expect(await page.locator('.entry.message').count()).toBe(0);
      await mine.getByRole('button', { name: 'Share to channel' }).click();

      await channelMessage('3 newest Gmail messages').waitFor(WAIT);
      await privateMessage('You shared this summary in #general').waitFor(WAIT);
      expect(await page.getByRole('button', { name: 'Share to channel' }).count()).toBe(0);
      await expectNoSidewaysScroll();
      await screenshot('shared');
    });

    it('/inbox disconnect: Slack\'s confirm dialog first; "Keep it" sends nothing, Disconnect goes through the app; Cancel', async () => {
      await openAs('Grace Hopper');
      await type('/inbox disconnect');
      const question = privateMessage('Disconnect Gmail from /inbox?');
      await question.waitFor(WAIT);

      await question.getByRole('button', { name: 'Disconnect', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Disconnect Gmail?' });
      await dialog.waitFor(WAIT);
      await dialog.getByText('will no longer be able to read your Gmail').waitFor(WAIT);
      await screenshot('confirm-dialog');
      await dialog.getByRole('button', { name: 'Keep it' }).click();
      await dialog.waitFor({ state: 'hidden', ...WAIT });
      expect(sandbox.arcade.hasGrant('slack:T0SANDBOX:U0SBXGRACE')).toBe(true);

      await question.getByRole('button', { name: 'Disconnect', exact: true }).click();
      await dialog.getByRole('button', { name: 'Disconnect' }).click();
      await privateMessage('Gmail disconnected.').waitFor(WAIT);
      expect(sandbox.arcade.hasGrant('slack:T0SANDBOX:U0SBXGRACE')).toBe(false);
      await withSidebar(() =>
        page.locator('#viewer-status').filter({ hasText: 'Gmail: not connected' }).waitFor(WAIT),
      );

      await type('/inbox disconnect');
      const again = privateMessage('Disconnect Gmail from /inbox?');
      await again.waitFor(WAIT);
      await again.getByRole('button', { name: 'Cancel' }).click();
      await privateMessage('Nothing changed').waitFor(WAIT);
      await expectNoSidewaysScroll();
      await screenshot('disconnected');
    });

    it('the Home tab is what the app publishes: opening it asks the app, and its buttons work', async () => {
      await openAs('Grace Hopper');
      await withSidebar(() => page.getByRole('button', { name: 'inbox', exact: true }).click());
      await page.getByRole('tab', { name: 'Home' }).click();
      const home = page.locator('#home');
      await home.getByText('Gmail connected', { exact: false }).waitFor(WAIT);
      expect(await page.getByRole('textbox', { name: 'Message' }).isVisible()).toBe(false);
      await expectNoSidewaysScroll();
      await screenshot('home-connected');

      await home.getByRole('button', { name: 'Disconnect Gmail' }).click();
      await page
        .getByRole('dialog', { name: 'Disconnect Gmail?' })
        .getByRole('button', { name: 'Disconnect' })
        .click();
      // The app republishes the tab: a notice, and a fresh Connect link.
      await home.getByText('Gmail disconnected.').waitFor(WAIT);
      await home.getByRole('link', { name: 'Connect Gmail' }).waitFor(WAIT);
      expect(sandbox.arcade.hasGrant('slack:T0SANDBOX:U0SBXGRACE')).toBe(false);
      await expectNoSidewaysScroll();
      await screenshot('home-disconnected');

      // The Messages tab is the direct messages with the app, with the composer back.
      await page.getByRole('tab', { name: 'Messages' }).click();
      await page.getByRole('textbox', { name: 'Message' }).waitFor(WAIT);
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
