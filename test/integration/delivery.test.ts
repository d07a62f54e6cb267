import { hostileMessage, longSubjectMessage, makeMessages } from '../../src/stand-ins/mail-fixtures';
import { assertWithinSlackLimits } from '../support/block-limits';
import { bootApp, type Harness } from '../support/boot-app';
import { messageLinks } from '../support/summary-reader';
import { waitFor } from '../support/wait-for';

const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.alice';

describe('delivering the summary', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(4) });
  });
  afterEach(() => h.stop());

  it('posts through the command reply link, in the channel, where the bot is not a member', async () => {
    h.slack.botNotInChannels.add('C0001');
    const { responseUrl } = await h.command();
    const post = await waitFor(() => h.slack.responseUrlPosts.find((p) => responseUrl.endsWith(p.id)));
    expect(post.body.response_type).toBe('in_channel');
    expect(post.body.blocks.length).toBeGreaterThan(0);
    expect(h.slack.messages).toHaveLength(0);
  });

  it('falls back to a direct message, and says why, when the reply link has expired too', async () => {
    h.slack.missingChannels.add('C0001');
    h.slack.failNext('response_url', { status: 404, body: { ok: false, error: 'expired_url' } });
    await h.command();
    await waitFor(() => h.slack.messages.length === 2);
    const [note, summary] = h.slack.messages;
    expect(note?.channel).toBe('U0001');
    expect(note?.text).toContain('<#C0001>');
    expect(summary?.channel).toBe('U0001');
    expect(summary?.blocks?.length).toBeGreaterThan(0);
  });

  it('stays inside Block Kit limits with 25 messages whose subjects are 5,000 characters long', async () => {
    const long = longSubjectMessage();
    const messages = makeMessages(25, (i) => ({
      id: `long${String(i).padStart(12, '0')}`,
      headers: long.headers,
      snippet: `${hostileMessage().snippet} `.repeat(5),
    }));
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages });

    await h.command({ text: '25' });

    // The stand-in refuses what Slack refuses (invalid_blocks, msg_blocks_too_long), so arriving is the proof.
    const posted = await waitFor(() => h.slack.messages[0]);
    assertWithinSlackLimits(posted.blocks);
    // Every message is either shown or counted in "…and N more".
    const shown = messageLinks(posted.blocks).length;
    const more = Number(JSON.stringify(posted.blocks).match(/and (\d+) more/)?.[1] ?? 0);
    expect(shown).toBeGreaterThan(0);
    expect(shown + more).toBe(25);
    expect(h.slack.responseUrlPosts).toHaveLength(0);
  });
});
