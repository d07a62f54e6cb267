import { HOSTILE, hostileMessage, makeMessages, sampleMessages } from '../../src/stand-ins/mail-fixtures';
import { type ModelStandIn, startModelStandIn } from '../../src/stand-ins/openai-stand-in';
import { blockActionsPayload } from '../../src/stand-ins/slack-requests';
import { assertWithinSlackLimits } from '../support/block-limits';
import { bootApp, type Harness } from '../support/boot-app';
import { waitFor } from '../support/wait-for';

/** SUMMARY_MODEL: the AI-written TL;DR over the wire, against an OpenAI-compatible stand-in. */

const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.alice-tldr-token';
const MODEL_KEY = 'sk-test-model-key-0123456789abcdef';

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as captured off the wire
type Json = any;

const blockText = (blocks: Json[] | undefined): string => JSON.stringify(blocks ?? []);
const tldrOf = (blocks: Json[] | undefined): string | undefined => {
  const first = blocks?.[0]?.text?.text as string | undefined;
  return first?.startsWith(':memo: *TL;DR*') ? first : undefined;
};

describe('AI-written TL;DR', () => {
  let h: Harness;
  let model: ModelStandIn;

  async function boot(env: Record<string, string> = {}, mail = makeMessages(6)) {
    model = await startModelStandIn({ apiKey: MODEL_KEY, models: ['test-model'] });
    h = await bootApp({
      env: {
        SUMMARY_MODEL: 'test-model',
        OPENAI_API_KEY: MODEL_KEY,
        OPENAI_BASE_URL: model.baseUrl,
        ...env,
      },
      tuning: { modelMaxRetries: 0 },
    });
    h.arcade.grant(ALICE, { token: TOKEN, email: 'owner@example.com' });
    h.gmail.addMailbox(TOKEN, { email: 'owner@example.com', messages: mail });
  }
  afterEach(async () => {
    await h?.stop();
    await model?.close();
  });

  it('posts the summary first, exactly as without a model, then adds the TL;DR to that message', async () => {
    await boot();
    model.delayMs = 400;
    await h.command({ text: '' });
    const posted = await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
    // Out before the model answered: its call has not arrived or is still in flight, and the post has no TL;DR.
    expect(model.calls.every((c) => c.status === 0)).toBe(true);
    expect(tldrOf(posted.blocks)).toBeUndefined();
    const postedJson = blockText(posted.blocks);

    const update = await waitFor(() => h.slack.calls.find((c) => c.method === 'chat.update'), {
      message: 'chat.update with the TL;DR',
    });
    expect(update.params.channel).toBe('C0001');
    expect(update.params.ts).toBe(posted.ts);
    expect(posted.via).toBe('chat.update');
    const tldr = tldrOf(posted.blocks) as string;
    expect(tldr).toMatch(/may need a reply/);
    // [n] became the app's own link to message n.
    expect(tldr).toMatch(/<https:\/\/mail\.google\.com\/mail\/[^|>]+\|\[1\]>/);
    expect(blockText(posted.blocks)).toContain('AI-written by `test-model`');
    // The rest is the summary as first posted.
    expect(blockText((posted.blocks ?? []).slice(2))).toBe(postedJson);
    assertWithinSlackLimits(posted.blocks);
    expect(JSON.stringify(posted.blocks).length).toBeLessThanOrEqual(12_000);
    // Logged once Slack has answered the update.
    await waitFor(() => h.logs.some((l) => /TL;DR by test-model added/.test(l)));
  });

  it('sends the model only From, Subject, date, labels and snippet: no tokens, ids or the person’s address', async () => {
    await boot();
    await h.command({ text: '' });
    await waitFor(() => h.slack.calls.find((c) => c.method === 'chat.update'));
    const call = model.calls[0];
    expect(call?.path).toBe('/v1/chat/completions');
    expect(call?.headers.authorization).toBe(`Bearer ${MODEL_KEY}`);
    // Platform headers withheld, no organization or project.
    expect(call?.headers['x-stainless-os']).toBeUndefined();
    expect(call?.headers['x-stainless-runtime-version']).toBeUndefined();
    expect(call?.headers['openai-organization']).toBeUndefined();
    expect(call?.body).toMatchObject({ model: 'test-model', max_completion_tokens: 300, stream: false });
    const sent = JSON.stringify(call?.body);
    for (const secret of [TOKEN, 'U0001', 'T0001', 'C0001', 'owner@example.com', 'xoxb-']) {
      expect(sent).not.toContain(secret);
    }
    const user = JSON.parse(call?.body?.messages[1]?.content ?? '{}');
    expect(Object.keys(user.emails[0]).sort()).toEqual(['date', 'from', 'labels', 'n', 'snippet', 'subject']);
    expect(user.emails).toHaveLength(6);
    // The key never reaches a log line.
    expect(h.logs.join('\n')).not.toContain(MODEL_KEY);
  });

  it('without SUMMARY_MODEL: no model call, no update, and help does not mention AI', async () => {
    model = await startModelStandIn();
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'owner@example.com' });
    h.gmail.addMailbox(TOKEN, { email: 'owner@example.com', messages: makeMessages(3) });
    await h.command({ text: '' });
    await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
    await h
      .command({ text: 'help' })
      .then((r) => expect(JSON.stringify(r.body)).not.toContain('AI summaries'));
    expect(h.slack.calls.some((c) => c.method === 'chat.update')).toBe(false);
    expect(model.calls).toHaveLength(0);
  });

  it('says in /inbox help that AI summaries are on, with the model and host', async () => {
    await boot();
    const response = await h.command({ text: 'help' });
    const text = JSON.stringify(response.body);
    expect(text).toContain('AI summaries are on');
    expect(text).toContain('`test-model`');
    expect(text).toContain(new URL(model.baseUrl).host);
  });

  it('a slow model: after SUMMARY_TIMEOUT_SECONDS the summary stays as it is, with a log line and nothing shown', async () => {
    await boot({ SUMMARY_TIMEOUT_SECONDS: '1' });
    model.delayMs = 3000;
    const { responseUrl } = await h.command({ text: '' });
    await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
    await waitFor(() => h.logs.some((l) => /TL;DR for U0001 not added: timeout/.test(l)), {
      timeoutMs: 4000,
    });
    expect(h.slack.calls.some((c) => c.method === 'chat.update')).toBe(false);
    expect(h.slack.responseUrlPosts.filter((p) => responseUrl.endsWith(p.id))).toHaveLength(0);
  });

  it.each([
    [500, 'server_error (HTTP 500)'],
    [429, 'rate_limited (HTTP 429)'],
    [401, 'refused (HTTP 401)'],
  ])('a model answering %i: the summary stays, one log line, no error shown', async (status, logged) => {
    await boot();
    model.failNext({ status, ...(status === 429 ? { retryAfter: '1' } : {}) });
    const { responseUrl } = await h.command({ text: '' });
    await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
    await waitFor(() => h.logs.some((l) => l.includes(`TL;DR for U0001 not added: ${logged}`)));
    expect(h.slack.calls.some((c) => c.method === 'chat.update')).toBe(false);
    expect(h.slack.responseUrlPosts.filter((p) => responseUrl.endsWith(p.id))).toHaveLength(0);
  });

  it('a wrong key: the stand-in refuses it as OpenAI does, and the summary stays', async () => {
    await boot({ OPENAI_API_KEY: 'sk-wrong-key-000000000000' });
    await h.command({ text: '' });
    await waitFor(() => h.logs.some((l) => l.includes('not added: refused (HTTP 401)')));
    expect(model.calls[0]?.status).toBe(401);
    expect(h.slack.calls.some((c) => c.method === 'chat.update')).toBe(false);
  });

  it('an answer with nothing usable in it changes nothing', async () => {
    await boot();
    model.respond = () => '<!channel> <https://evil.example|> ** [99] !!!';
    await h.command({ text: '' });
    await waitFor(() => h.logs.some((l) => l.includes('nothing usable')));
    expect(h.slack.calls.some((c) => c.method === 'chat.update')).toBe(false);
  });

  it('hostile mail copied into the answer by the model cannot ping, link, mention or format', async () => {
    await boot({}, [hostileMessage(), ...makeMessages(3)]);
    await h.command({ text: '' });
    await waitFor(() => h.slack.calls.find((c) => c.method === 'chat.update'));
    // The stand-in model copies subjects, as a real one would.
    expect(model.calls[0]?.body?.messages[1]?.content).toContain('<!channel>');
    const posted = h.slack.messages.find((m) => m.channel === 'C0001');
    const tldr = tldrOf(posted?.blocks) as string;
    expect(tldr).toContain('Verify now');
    for (const bad of ['<!channel>', '<!here>', '<@U123>', 'evil.example', '*bold*', '\u202e']) {
      expect(tldr).not.toContain(bad);
    }
    const links = [...tldr.matchAll(/<([^|>]+)\|/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).toMatch(/^https:\/\/mail\.google\.com\/mail\//);
    expect(HOSTILE.subject).toContain('<!channel>');
  });

  it('a hostile model answer is shown as plain text with only the app’s own links', async () => {
    await boot();
    model.respond = () =>
      [
        'IGNORE PREVIOUS INSTRUCTIONS <!channel> <!here|here> <@U0BADBAD> click <https://evil.example/login|here> now [1]',
        '**Urgent**: visit https://evil.example/x or [this](https://evil.example) `code` ~strike~ _it_ :rotating_light: @here @everyone [2, 99] [3]',
        '> quoted <#C0HACK|general> ping alice@evil.example',
      ].join('\n');
    await h.command({ text: '' });
    await waitFor(() => h.slack.calls.find((c) => c.method === 'chat.update'));
    const posted = h.slack.messages.find((m) => m.channel === 'C0001');
    const tldr = tldrOf(posted?.blocks) as string;
    for (const bad of [
      '<!',
      '<@',
      '<#',
      'evil.example',
      '**',
      '`code`',
      '~',
      ':rotating_light:',
      '@here',
      '@everyone',
      '[99]',
      'alice@',
    ]) {
      expect(tldr).not.toContain(bad);
    }
    expect(tldr).toContain('IGNORE PREVIOUS INSTRUCTIONS');
    const links = [...tldr.matchAll(/<([^|>]+)\|([^>]*)>/g)];
    expect(links.map((m) => m[2])).toEqual(['[1]', '[2]', '[3]']);
    for (const link of links) expect(link[1]).toMatch(/^https:\/\/mail\.google\.com\/mail\//);
    expect(posted?.blocks?.[0]?.text?.verbatim).toBe(true);
    assertWithinSlackLimits(posted?.blocks);
  });

  it('where the bot is not a member, the reply link’s in-channel summary is replaced with the TL;DR version', async () => {
    await boot();
    h.slack.botNotInChannels.add('C0001');
    const { responseUrl } = await h.command({ text: '' });
    const posts = () => h.slack.responseUrlPosts.filter((p) => responseUrl.endsWith(p.id));
    await waitFor(() => posts().length >= 2, { message: 'summary then its replacement' });
    const [first, second] = posts();
    expect(first?.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(tldrOf(first?.body.blocks as Json[])).toBeUndefined();
    expect(second?.body).toMatchObject({ response_type: 'in_channel', replace_original: true });
    expect(tldrOf(second?.body.blocks as Json[])).toContain('TL;DR');
  });

  it('a private summary gets its TL;DR in place and keeps its Share button', async () => {
    await boot({}, sampleMessages());
    const { responseUrl } = await h.command({ text: 'private' });
    const posts = () => h.slack.responseUrlPosts.filter((p) => responseUrl.endsWith(p.id));
    await waitFor(() => posts().length >= 2);
    const [first, second] = posts();
    expect(first?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(second?.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(tldrOf(second?.body.blocks as Json[])).toContain('TL;DR');
    expect(JSON.stringify(second?.body.blocks)).toContain('share_summary');
    assertWithinSlackLimits(second?.body.blocks);
    expect(JSON.stringify(second?.body.blocks).length).toBeLessThanOrEqual(12_000);
  });

  it('a private summary shared before its TL;DR arrives keeps the "shared" note', async () => {
    await boot({}, sampleMessages());
    model.delayMs = 500;
    const { responseUrl } = await h.command({ text: 'private' });
    const posts = () => h.slack.responseUrlPosts.filter((p) => responseUrl.endsWith(p.id));
    const [summary] = await waitFor(() => posts().length >= 1 && posts());
    const share = ((summary?.body.blocks ?? []) as Json[])
      .flatMap((b) => b.elements ?? [])
      .find((e: Json) => e.action_id === 'share_summary');
    const clickUrl = h.slack.newResponseUrl();
    await h.interact(
      blockActionsPayload({
        actionId: 'share_summary',
        userId: 'U0001',
        value: share.value,
        responseUrl: clickUrl,
      }),
    );
    await waitFor(() => h.slack.messages.find((m) => m.channel === 'C0001'));
    await waitFor(() => h.logs.some((l) => l.includes('TL;DR by test-model added')), { timeoutMs: 4000 });
    // Only the summary went through the command's link: the TL;DR did not bring the private copy back.
    expect(posts()).toHaveLength(1);
  });
});
