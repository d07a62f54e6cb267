import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { bootApp, type Harness } from '../support/boot-app';
import { waitFor } from '../support/wait-for';

/**
 * GET /metrics (METRICS_PORT): Prometheus text from the real app after real commands over the wire;
 * only bounded labels, never a person's id, email, channel or search; never on the public port.
 */
const ALICE = 'slack:T0001:U0001';
const BOB = 'slack:T0001:U0002';

async function scrape(port: number | undefined): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** The value of one sample, e.g. `inbox_commands_total{kind="help"}`; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('metrics', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('counts commands, summaries, consents and outside calls, with no personal data in labels', async () => {
    h = await bootApp({ env: { METRICS_PORT: '0' } });
    h.arcade.grant(ALICE, { token: 'ya29.alice-token', email: 'alice@example.com' });
    h.gmail.addMailbox('ya29.alice-token', { email: 'alice@example.com', messages: makeMessages(3) });
    h.gmail.addMailbox('ya29.bob-after-consent', { email: 'bob@example.com', messages: makeMessages(2) });

    expect((await h.command({ text: 'help' })).status).toBe(200);
    expect((await h.command({ text: '3 from:carol@example.com' })).status).toBe(200);
    await waitFor(() => h.slack.messages.length === 1);
    // Bob has to connect first: a consent starts, is pending, then completes.
    expect((await h.command({ user_id: 'U0002', channel_id: 'C0002' })).status).toBe(200);
    const flow = await waitFor(() => h.arcade.pendingFlow(BOB));
    await waitFor(() => h.arcade.statusPolls(flow.id) > 0);
    const during = await scrape(h.app.metricsPort);
    expect(sample(during.text, 'inbox_pending_consents')).toBe(1);
    expect(sample(during.text, 'inbox_consents_total{event="started"}')).toBe(1);

    h.arcade.completeFlow(BOB, { token: 'ya29.bob-after-consent', email: 'bob@example.com' });
    await waitFor(() => h.slack.messages.length === 2);

    const { status, type, text } = await scrape(h.app.metricsPort);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'inbox_commands_total{kind="help"}')).toBe(1);
    expect(sample(text, 'inbox_commands_total{kind="summary"}')).toBe(2);
    expect(sample(text, 'inbox_ack_seconds_count{kind="summary"}')).toBe(2);
    expect(sample(text, 'inbox_summaries_total{outcome="delivered",reason="channel"}')).toBe(2);
    expect(sample(text, 'inbox_summary_seconds_count')).toBe(1);
    expect(sample(text, 'inbox_consents_total{event="completed"}')).toBe(1);
    expect(sample(text, 'inbox_pending_consents')).toBe(0);
    expect(sample(text, 'inbox_outside_calls_total{service="gmail",status="200"}')).toBeGreaterThan(0);
    expect(sample(text, 'inbox_outside_calls_total{service="arcade",status="200"}')).toBeGreaterThan(0);
    expect(sample(text, 'inbox_outside_calls_total{service="slack",status="200"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    for (const personal of ['U0001', 'U0002', 'T0001', 'C0001', 'alice', 'bob', 'carol', 'slack:']) {
      expect(text).not.toContain(personal);
    }
  });

  it('counts a failed summary by its reason', async () => {
    h = await bootApp({ env: { METRICS_PORT: '0' } });
    h.arcade.grant(ALICE, { token: 'ya29.alice-token', email: 'alice@example.com' });
    h.gmail.addMailbox('ya29.alice-token', { email: 'alice@example.com', messages: makeMessages(3) });
    h.gmail.failNext('list', { status: 503 }, 10);
    await h.command();
    const text = await waitFor(async () => {
      const scraped = (await scrape(h.app.metricsPort)).text;
      return (
        sample(scraped, 'inbox_summaries_total{outcome="failed",reason="service_unavailable"}') === 1 &&
        scraped
      );
    });
    expect(sample(text, 'inbox_outside_calls_total{service="gmail",status="503"}')).toBeGreaterThan(0);
  });

  it('is off by default, and never served on the public port', async () => {
    h = await bootApp();
    expect(h.app.metricsPort).toBeUndefined();
    const response = await fetch(`http://127.0.0.1:${h.port}/metrics`);
    await response.text();
    expect(response.status).toBe(404);
  });
});
