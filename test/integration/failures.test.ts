import { makeMessages } from '../../src/stand-ins/mail-fixtures';
import { bootApp, type Harness } from '../support/boot-app';
import { messageLinks } from '../support/summary-reader';
import { waitFor } from '../support/wait-for';

const ALICE = 'slack:T0001:U0001';
const TOKEN = 'ya29.alice-secret-token';

/** The one private reply a failed command gets. */
async function privateReply(h: Harness, responseUrl: string): Promise<string> {
  const post = await waitFor(() => h.slack.responseUrlPosts.find((p) => responseUrl.endsWith(p.id)));
  expect(post.body.response_type).toBe('ephemeral');
  return post.body.text as string;
}

describe('failures a person can hit', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootApp();
    h.arcade.grant(ALICE, { token: TOKEN, email: 'alice@example.com' });
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(5) });
  });
  afterEach(async () => {
    await h.stop();
    // Whatever happened, no token or key reached the log.
    const log = h.logs.join('\n');
    for (const secret of [TOKEN, h.slack.botToken, h.arcade.apiKey]) expect(log).not.toContain(secret);
  });

  it('waits out a Gmail 429 with Retry-After and still delivers', async () => {
    h.gmail.failNext('list', { status: 429, retryAfter: '1' });
    const started = Date.now();
    await h.command();
    await waitFor(() => h.slack.messages[0], { timeoutMs: 8000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(h.gmail.calls.filter((c) => c.path.endsWith('/messages'))).toHaveLength(2);
  });

  it('retries a 403 rateLimitExceeded (which the Gmail client itself never retries)', async () => {
    h.gmail.failNext('get', { status: 403, reason: 'userRateLimitExceeded' }, 2);
    await h.command();
    const posted = await waitFor(() => h.slack.messages[0]);
    expect(messageLinks(posted.blocks)).toHaveLength(5);
  });

  it('tells the person when to come back when Gmail asks for a long wait', async () => {
    h.gmail.failNext('list', { status: 429, retryAfter: '120' });
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl)).toMatch(/limiting requests.*about 2 minutes/);
    expect(h.slack.messages).toHaveLength(0);
  });

  it('says Gmail is not answering after retries of a 5xx, with a reference id that is also in the log', async () => {
    h.gmail.failNext('list', { status: 503 }, 10);
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Gmail isn't answering.*try `\/inbox` again/i);
    const reference = text.match(/reference `([0-9a-f]+)`/)?.[1];
    expect(reference).toBeDefined();
    expect(h.logs.some((line) => line.includes(`ref ${reference}`))).toBe(true);
    expect(h.gmail.calls.filter((c) => c.path.endsWith('/messages'))).toHaveLength(4);
  });

  it('tells the person the app is misconfigured when Arcade rejects the API key', async () => {
    h.arcade.failNext('authorize', { status: 401 });
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl)).toMatch(/misconfigured.*tell your Slack admin/);
    expect(h.gmail.calls).toHaveLength(0);
  });

  it('asks the person to try again when Arcade is down', async () => {
    h.arcade.failNext('authorize', { status: 502 });
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl)).toMatch(/Arcade isn't answering/);
  });

  it('apologises with a reference id for anything unexpected', async () => {
    // is_archived and other refusals are routed around (conformance.test.ts); fatal_error is not.
    h.slack.failNext('chat.postMessage', { body: { ok: false, error: 'fatal_error' } });
    const { responseUrl } = await h.command();
    const text = await privateReply(h, responseUrl);
    expect(text).toMatch(/Sorry, something went wrong.*reference `[0-9a-f]+`/);
  });

  it('explains a Workspace policy that blocks Gmail apps', async () => {
    h.gmail.failNext('list', {
      status: 403,
      reason: 'domainPolicy',
      message: 'The domain administrators have disabled Gmail apps.',
    });
    const { responseUrl } = await h.command();
    expect(await privateReply(h, responseUrl)).toMatch(/administrator has disabled Gmail access/);
  });
});

describe('identity from the Slack email (ARCADE_USER_ID_SOURCE=email)', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('uses the profile email as the Arcade user id', async () => {
    h = await bootApp({ env: { ARCADE_USER_ID_SOURCE: 'email' } });
    h.slack.users.set('U0001', { email: 'Alice@Example.com' });
    h.arcade.grant('alice@example.com', { token: TOKEN, email: 'alice@example.com' });
    h.gmail.addMailbox(TOKEN, { email: 'alice@example.com', messages: makeMessages(2) });
    await h.command();
    await waitFor(() => h.slack.messages[0]);
    expect(h.arcade.calls.find((c) => c.path === '/v1/auth/authorize')?.body).toMatchObject({
      user_id: 'alice@example.com',
    });
  });

  it('refuses an email Slack has not confirmed, and says so to the person', async () => {
    h = await bootApp({ env: { ARCADE_USER_ID_SOURCE: 'email' } });
    h.slack.users.set('U0001', { email: 'ceo@example.com', emailConfirmed: false });
    const { responseUrl } = await h.command();
    const post = await waitFor(() => h.slack.responseUrlPosts.find((p) => responseUrl.endsWith(p.id)));
    expect(post.body.text).toMatch(/has not confirmed yours/);
    expect(post.body.text).not.toContain('ceo@example.com');
    // Nobody's Gmail was asked for with an address the person may not own.
    expect(h.arcade.calls).toHaveLength(0);
    expect(h.slack.messages).toHaveLength(0);
  });

  it('tells the person what the admin must grant when Slack withholds the email', async () => {
    h = await bootApp({ env: { ARCADE_USER_ID_SOURCE: 'email' } });
    h.slack.users.set('U0001', { email: 'alice@example.com' });
    h.slack.emailScopeGranted = false;
    const { responseUrl } = await h.command();
    const post = await waitFor(() => h.slack.responseUrlPosts.find((p) => responseUrl.endsWith(p.id)));
    expect(post.body.text).toContain('users:read.email');
    expect(h.arcade.calls).toHaveLength(0);
  });
});
