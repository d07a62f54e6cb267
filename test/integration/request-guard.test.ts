import { connect, type Socket } from 'node:net';
import { SLACK_EVENTS_BODY_LIMIT } from '../../src/slack-events-guard';
import { hostileMessage, longSubjectMessage, makeMessages } from '../../src/stand-ins/mail-fixtures';
import { blockActionsPayload, postInteraction, postSlashCommand } from '../../src/stand-ins/slack-requests';
import { bootApp, type Harness, SIGNING_SECRET } from '../support/boot-app';
import { waitFor } from '../support/wait-for';

/**
 * Issue 10, items 3 and 4, over the wire: /slack/events refuses requests dated more than five
 * minutes from now either way, and bodies over 64 KiB before reading them, so unsigned floods
 * cannot pin memory or connections, while real commands keep working.
 */
const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.guard';
const MIB = 1024 * 1024;

describe('the /slack/events guard', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(3) });
  });
  afterEach(() => h.stop());

  const nowSeconds = () => Math.floor(Date.now() / 1000);

  it.each([
    ['one hour ahead', 3600],
    ['ten years ahead', 10 * 365 * 24 * 3600],
    ['six minutes ago', -360],
    ['six minutes ahead', 360],
  ])('refuses a correctly signed command dated %s with 401, and does nothing', async (_when, offset) => {
    const response = await postSlashCommand(
      h.eventsUrl,
      SIGNING_SECRET,
      { response_url: h.slack.newResponseUrl() },
      { timestampSeconds: nowSeconds() + offset },
    );
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.arcade.calls).toHaveLength(0);
  });

  it('accepts a command whose clock is four minutes off either way', async () => {
    for (const offset of [240, -240]) {
      const response = await postSlashCommand(
        h.eventsUrl,
        SIGNING_SECRET,
        { response_url: h.slack.newResponseUrl() },
        { timestampSeconds: nowSeconds() + offset },
      );
      expect(response.status).toBe(200);
    }
  });

  it('refuses a signed body over 64 KiB with 413', async () => {
    const response = await postSlashCommand(h.eventsUrl, SIGNING_SECRET, {
      response_url: h.slack.newResponseUrl(),
      text: 'x'.repeat(SLACK_EVENTS_BODY_LIMIT),
    });
    expect(response.status).toBe(413);
  });

  it('takes the largest interaction its own messages can cause: a click echoing a full summary', async () => {
    const long = longSubjectMessage();
    h.gmail.addMailbox(TOKEN, {
      email: 'alice@example.com',
      messages: makeMessages(25, (i) => ({
        id: `long${String(i).padStart(12, '0')}`,
        headers: long.headers,
        snippet: `${hostileMessage().snippet} `.repeat(5),
      })),
    });
    await h.command({ text: '25', channel_id: 'C0900' });
    const summary = await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0900'));
    // Slack echoes the whole message in a block_actions payload from a non-ephemeral message.
    const payload = {
      ...blockActionsPayload({ actionId: 'connect_gmail', url: 'https://mail.google.com/' }),
      container: {
        type: 'message',
        message_ts: '1700000000.000200',
        channel_id: 'C0900',
        is_ephemeral: false,
      },
      message: { type: 'message', text: summary.text, blocks: summary.blocks, ts: '1700000000.000200' },
    };
    const encoded = `payload=${encodeURIComponent(JSON.stringify(payload))}`.length;
    process.stdout.write(
      `largest own-message interaction: ${encoded} bytes (limit ${SLACK_EVENTS_BODY_LIMIT})\n`,
    );
    expect(encoded).toBeLessThan(SLACK_EVENTS_BODY_LIMIT);
    expect((await postInteraction(h.eventsUrl, SIGNING_SECRET, payload)).status).toBe(200);
  });

  it('60 connections each sending 3.9 MiB unsigned: all refused and closed, memory flat, commands still answered', async () => {
    const body = Buffer.alloc(Math.round(3.9 * MIB), 'a');
    const port = new URL(h.eventsUrl).port;
    const rssBefore = process.memoryUsage().rss;
    const outcomes: Promise<string>[] = [];
    const sockets: Socket[] = [];
    for (let i = 0; i < 60; i += 1) {
      const socket = connect(Number(port), '127.0.0.1');
      sockets.push(socket);
      outcomes.push(
        new Promise((resolve) => {
          let answer = '';
          socket.on('data', (chunk) => {
            answer += chunk.toString('latin1');
          });
          socket.on('error', () => undefined);
          socket.on('close', () => resolve(answer.split('\r\n')[0] || 'closed without an answer'));
        }),
      );
      // A third declare their size, a third stream chunked, a third look signed (current timestamp, bad signature).
      const kind = i % 3;
      const head = [
        'POST /slack/events HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Content-Type: application/x-www-form-urlencoded',
        kind === 1 ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`,
        ...(kind === 2
          ? [`X-Slack-Request-Timestamp: ${nowSeconds()}`, `X-Slack-Signature: v0=${'0'.repeat(64)}`]
          : []),
        '',
        '',
      ].join('\r\n');
      socket.write(head);
      if (kind === 1) {
        for (let offset = 0; offset < body.length; offset += 256 * 1024) {
          const part = body.subarray(offset, offset + 256 * 1024);
          socket.write(`${part.length.toString(16)}\r\n`);
          socket.write(part);
          socket.write('\r\n');
        }
      } else {
        socket.write(body);
      }
    }

    // While the flood is on, a real command is acknowledged.
    const during = await h.command({ channel_id: 'C0950' });
    expect(during.status).toBe(200);

    const answers = await Promise.all(outcomes);
    const refused = answers.filter(
      (line) => /^HTTP\/1\.1 413/.test(line) || line === 'closed without an answer',
    );
    expect(refused).toHaveLength(60);
    expect(answers.filter((line) => /^HTTP\/1\.1 (2|401)/.test(line))).toHaveLength(0);
    const stats = h.app.requestGuard;
    expect(stats?.refusedTooLarge ?? 0).toBeGreaterThanOrEqual(60);
    // The chunked ones were read only up to the limit (plus one socket read), never 3.9 MiB.
    expect(stats?.bytesReadFromRefused ?? 0).toBeLessThan(20 * (SLACK_EVENTS_BODY_LIMIT + 512 * 1024));
    const grownMb = (process.memoryUsage().rss - rssBefore) / MIB;
    process.stdout.write(
      `flood: 60 × 3.9 MiB refused; guard read ${stats?.bytesReadFromRefused} body bytes; RSS grew ${grownMb.toFixed(0)} MB\n`,
    );
    // Unguarded, Bolt buffered them all: 60 × 3.9 MiB = 234 MiB.
    expect(grownMb).toBeLessThan(120);
    await waitFor(() => h.slack.messages.some((m) => m.channel === 'C0950'));
    for (const socket of sockets) socket.destroy();
  }, 30_000);
});
