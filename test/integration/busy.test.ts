import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { bootApp, type Harness } from '../support/boot-app';
import { waitFor } from '../support/wait-for';

/**
 * Summary admission over the wire: with one summary at a time and room for one more to wait, a
 * third /inbox is told in its ack, privately, that the app is busy, and nothing is started for it.
 */
describe('/inbox when the summary queue is full', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootApp({ env: { SUMMARY_CONCURRENCY: '1', SUMMARY_QUEUE_LIMIT: '1' } });
    for (const user of ['U0001', 'U0002', 'U0003', 'U0004']) {
      const token = `ya29.${user}-token`;
      h.arcade.grant(`slack:T0001:${user}`, { token, email: `${user}@example.com` });
      h.gmail.addMailbox(token, { email: `${user}@example.com`, messages: makeMessages(5) });
    }
    // Every answer held, so the first summary is still being built when the others arrive.
    h.gmail.delayMs = 300;
  });
  afterEach(() => h.stop());

  it('tells the person privately in the ack, starts nothing for them, and serves the ones queued', async () => {
    const first = await h.command({ user_id: 'U0001', channel_id: 'C0001', text: '3' });
    const second = await h.command({ user_id: 'U0002', channel_id: 'C0002', text: '3' });
    const third = await h.command({ user_id: 'U0003', channel_id: 'C0003', text: '3' });

    expect(first.status).toBe(200);
    expect(first.body).toBe('');
    expect(second.body).toBe('');
    expect(third.status).toBe(200);
    const note = JSON.parse(third.body) as { text: string; response_type?: string };
    expect(note.text).toMatch(/busy.*try again in a minute/i);
    // A slash command's ack is seen only by the person, unless it says in_channel.
    expect(note.response_type).not.toBe('in_channel');

    await waitFor(() => h.slack.messages.length >= 2, { timeoutMs: 10_000 });
    expect(h.slack.messages.map((m) => m.channel).sort()).toEqual(['C0001', 'C0002']);
    // Nothing was read for the refused person.
    expect(h.arcade.calls.filter((c) => c.path === '/v1/auth/authorize')).toHaveLength(2);

    // Once the queue has room again, the next command is served.
    h.gmail.delayMs = 0;
    const later = await h.command({ user_id: 'U0004', channel_id: 'C0004', text: '3' });
    expect(later.body).toBe('');
    await waitFor(() => h.slack.messages.some((m) => m.channel === 'C0004'));
    expect(h.slack.messages.some((m) => m.channel === 'C0003')).toBe(false);
  });
});
