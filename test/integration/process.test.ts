import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type ArcadeStandIn, startArcadeStandIn } from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { postSlashCommand } from '../../src/stand-ins/slack-requests';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';
import { startEntryProcess, startNpmStart } from '../support/process-entry';
import { waitFor } from '../support/wait-for';

/** The real process entry (src/index.ts), run as operators run it: settings from the environment. */
const SECRET = 'process-test-signing-secret';

/** The settings that point the app at the three stand-ins, on any free port. */
function standInSettings(
  slack: SlackStandIn,
  arcade: ArcadeStandIn,
  gmail: GmailStandIn,
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    ARCADE_API_KEY: arcade.apiKey,
    ARCADE_BASE_URL: arcade.baseUrl,
    GMAIL_API_URL: gmail.rootUrl,
    PORT: '0',
  };
}

describe('the process', () => {
  let slack: SlackStandIn;
  let arcade: ArcadeStandIn;
  let gmail: GmailStandIn;
  beforeEach(async () => {
    [slack, arcade, gmail] = await Promise.all([
      startSlackStandIn(),
      startArcadeStandIn(),
      startGmailStandIn(),
    ]);
  });
  afterEach(async () => {
    await Promise.all([slack.close(), arcade.close(), gmail.close()]);
  });

  it('refuses a partial setup, naming what is missing, and exits 1 (never a silent sandbox)', async () => {
    const { output, exited } = startEntryProcess({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(await exited).toBe(1);
    for (const name of ['SLACK_SIGNING_SECRET', 'ARCADE_API_KEY']) expect(output()).toContain(name);
  });

  it('on SIGTERM tells a person still connecting to run /inbox again, and exits 0', async () => {
    const { child, output, exited } = startEntryProcess(standInSettings(slack, arcade, gmail));
    const port = await waitFor(() => output().match(/localhost:(\d+)\/slack\/events/)?.[1], {
      timeoutMs: 15_000,
    });
    const responseUrl = slack.newResponseUrl();
    const ack = await postSlashCommand(`http://127.0.0.1:${port}/slack/events`, SECRET, {
      response_url: responseUrl,
    });
    expect(ack.status).toBe(200);
    await waitFor(() => arcade.statusPolls() > 0, { timeoutMs: 10_000 });

    child.kill('SIGTERM');

    expect(await exited).toBe(0);
    const told = slack.responseUrlPosts.map((post) => String(post.body.text));
    expect(told.some((text) => /restarted.*\/inbox/.test(text))).toBe(true);
    expect(output()).not.toContain(slack.botToken);
    expect(output()).not.toContain(arcade.apiKey);
  });
});

/**
 * `npm start`, exactly as the README starts the app, signalled the two ways supervisors do: the
 * main pid alone (`docker stop`, systemd's default for a single process, most process managers) and
 * the whole process group (a terminal's Ctrl-C, `kill -- -pgid`). Either way the app drains, hands
 * back its pending consents and exits, and no process of the group is left behind.
 */
describe('npm start', () => {
  let slack: SlackStandIn;
  let arcade: ArcadeStandIn;
  let gmail: GmailStandIn;
  beforeAll(async () => {
    // What `npm start` does first; built here once, so that each test starts a built app.
    const build = spawn(process.execPath, [join(__dirname, '../../scripts/build.mjs'), '--if-stale'], {
      cwd: join(__dirname, '../..'),
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SECRET,
        ARCADE_API_KEY: 'arc_test_key',
      },
      stdio: 'ignore',
    });
    expect(await new Promise((resolve) => build.on('exit', resolve))).toBe(0);
  }, 180_000);
  beforeEach(async () => {
    [slack, arcade, gmail] = await Promise.all([
      startSlackStandIn(),
      startArcadeStandIn(),
      startGmailStandIn(),
    ]);
  });
  afterEach(async () => {
    await Promise.all([slack.close(), arcade.close(), gmail.close()]);
  });

  // The build is one bundled file with Google's client left outside (loaded after start): a summary
  // through it proves that every package the bundle holds, and the one it requires, still work.
  it('serves a connected person their summary from the built bundle', async () => {
    const token = 'ya29.process-test-token';
    arcade.grant('slack:T0001:U0001', { token, email: 'u0001@example.com' });
    gmail.addMailbox(token, { email: 'u0001@example.com', messages: makeMessages(3) });
    const app = startNpmStart(standInSettings(slack, arcade, gmail));
    try {
      const port = await waitFor(() => app.output().match(/localhost:(\d+)\/slack\/events/)?.[1], {
        timeoutMs: 15_000,
        message: 'npm start to announce its port',
      });
      const ack = await postSlashCommand(`http://127.0.0.1:${port}/slack/events`, SECRET, {
        user_id: 'U0001',
        channel_id: 'C0001',
        text: '3',
      });
      expect(ack.status).toBe(200);
      await waitFor(() => slack.messages.find((m) => m.channel === 'C0001'), { timeoutMs: 10_000 });
      const summary = JSON.stringify(slack.messages.find((m) => m.channel === 'C0001')?.blocks);
      expect(summary).toContain('3 newest');
      process.kill(app.pid, 'SIGTERM');
      expect(await app.exited).toBe(0);
    } finally {
      for (const pid of app.groupMembers()) process.kill(pid, 'SIGKILL');
    }
  }, 30_000);

  it('with no settings, serves the sandbox page and its scripts from the built bundle', async () => {
    const app = startNpmStart({ SANDBOX_PORT: '0', SANDBOX_DELAY_MS: '0' });
    try {
      const url = await waitFor(() => app.output().match(/Open (http:\/\/\S+) and type/)?.[1], {
        timeoutMs: 15_000,
        message: 'the sandbox banner',
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const script = await fetch(new URL('/assets/page.js', url));
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      process.kill(app.pid, 'SIGTERM');
      expect(await app.exited).toBe(0);
    } finally {
      for (const pid of app.groupMembers()) process.kill(pid, 'SIGKILL');
    }
  }, 30_000);

  it.each([
    ['SIGTERM', 'npm alone'],
    ['SIGTERM', 'the whole group'],
    ['SIGINT', 'npm alone'],
    ['SIGINT', 'the whole group'],
  ] as const)(
    '%s to %s: drains, tells a person still connecting, exits 0, leaves no process',
    async (signal, target) => {
      const app = startNpmStart({ ...standInSettings(slack, arcade, gmail), LOG_LEVEL: 'info' });
      try {
        const port = await waitFor(() => app.output().match(/localhost:(\d+)\/slack\/events/)?.[1], {
          timeoutMs: 15_000,
          message: 'npm start to announce its port',
        });
        // npm, and node in its place of the shell (exec): nothing else runs in the group.
        expect(app.groupMembers().length).toBeLessThanOrEqual(2);
        const responseUrl = slack.newResponseUrl();
        const ack = await postSlashCommand(`http://127.0.0.1:${port}/slack/events`, SECRET, {
          response_url: responseUrl,
        });
        expect(ack.status).toBe(200);
        await waitFor(() => arcade.statusPolls() > 0, { timeoutMs: 10_000 });

        process.kill(target === 'npm alone' ? app.pid : -app.pid, signal);

        expect(await app.exited).toBe(0);
        expect(app.output()).toContain(`${signal} received`);
        const told = slack.responseUrlPosts.map((post) => String(post.body.text));
        expect(told.some((text) => /restarted.*\/inbox/.test(text))).toBe(true);
        await waitFor(() => app.groupMembers().length === 0, {
          timeoutMs: 5000,
          message: 'every process of the group to exit',
        });
      } finally {
        for (const pid of app.groupMembers()) process.kill(pid, 'SIGKILL');
      }
    },
    30_000,
  );
});
