import { type ArcadeStandIn, startArcadeStandIn } from '../../src/stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import { postSlashCommand } from '../../src/stand-ins/slack-requests';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in';
import { startEntryProcess } from '../support/process-entry';
import { waitFor } from '../support/wait-for';

/** The real process entry (src/index.ts), run as operators run it: settings from the environment. */
const SECRET = 'process-test-signing-secret';

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
    const { child, output, exited } = startEntryProcess({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      ARCADE_API_KEY: arcade.apiKey,
      ARCADE_BASE_URL: arcade.baseUrl,
      GMAIL_API_URL: gmail.rootUrl,
      PORT: '0',
    });
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
