/** Proves the Arcade stand-in against the real `@arcadeai/arcadejs` client. */
import Arcade, {
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
} from '@arcadeai/arcadejs';
import { type ArcadeStandIn, startArcadeStandIn } from '../../src/stand-ins/arcade-stand-in';
import { waitFor } from '../support/wait-for';

const USER = 'T1:U1';
const GMAIL_READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

describe('Arcade stand-in', () => {
  let arcade: ArcadeStandIn;
  let client: Arcade;

  beforeEach(async () => {
    arcade = await startArcadeStandIn({ statusMaxWaitSeconds: 2 });
    client = new Arcade({ apiKey: arcade.apiKey, baseURL: arcade.baseUrl, maxRetries: 0 });
  });
  afterEach(() => arcade.close());

  const start = (userId = USER) => client.auth.start(userId, 'google', { scopes: [GMAIL_READONLY] });

  it('runs a flow: pending, then completed with the token after consent', async () => {
    const pending = await start();
    expect(pending).toEqual({
      id: 'ac_1',
      status: 'pending',
      url: `${arcade.baseUrl}/consent/ac_1`,
      provider_id: 'google',
      scopes: [GMAIL_READONLY],
      user_id: USER,
    });
    expect(arcade.calls[0]).toMatchObject({
      method: 'POST',
      path: '/v1/auth/authorize',
      body: {
        auth_requirement: {
          provider_id: 'google',
          provider_type: 'oauth2',
          oauth2: { scopes: [GMAIL_READONLY] },
        },
        user_id: USER,
      },
      headers: { authorization: arcade.apiKey },
    });

    arcade.completeFlow(USER, { token: 'ya29.one', email: 'u1@example.com' });
    const done = await client.auth.status({ id: 'ac_1' });
    expect(done).toMatchObject({
      id: 'ac_1',
      status: 'completed',
      context: { token: 'ya29.one', user_info: { email: 'u1@example.com' } },
    });
    const again = await start();
    expect(again).toMatchObject({ status: 'completed', context: { token: 'ya29.one' } });
    expect(arcade.flows).toHaveLength(1);
  });

  it('reuses the pending flow for the same user and scopes, not for another user', async () => {
    const [first, second] = await Promise.all([start(), start()]);
    expect(second?.id).toBe(first?.id);
    expect(second?.url).toBe(first?.url);
    expect((await start('T1:U2')).id).not.toBe(first?.id);
    expect(arcade.pendingFlow(USER)?.id).toBe(first?.id);
  });

  it('answers completed at once for a stored grant, and pending again after revoke', async () => {
    arcade.grant(USER, { token: 'ya29.granted', email: 'u1@example.com' });
    expect(await start()).toMatchObject({ status: 'completed', context: { token: 'ya29.granted' } });
    arcade.revoke(USER);
    expect(await start()).toMatchObject({ status: 'pending' });
  });

  it('holds a status long-poll and answers as soon as the flow completes', async () => {
    const { id = '' } = await start();
    const began = Date.now();
    const poll = client.auth.status({ id, wait: 45 });
    await waitFor(() => arcade.statusPolls(id) === 1);
    arcade.completeFlow(id, { token: 'ya29.early' });
    expect(await poll).toMatchObject({ status: 'completed', context: { token: 'ya29.early' } });
    expect(Date.now() - began).toBeLessThan(1000);
    expect(arcade.calls.at(-1)?.query).toEqual({ id, wait: '45' });
  });

  it('wakes a long-poll on failure, and ends an unanswered one with pending', async () => {
    const capped = await startArcadeStandIn({ statusMaxWaitSeconds: 0.1 });
    const cappedClient = new Arcade({ apiKey: capped.apiKey, baseURL: capped.baseUrl, maxRetries: 0 });
    try {
      const { id = '' } = await cappedClient.auth.start(USER, 'google');
      expect(await cappedClient.auth.status({ id, wait: 59 })).toMatchObject({ status: 'pending' });
    } finally {
      await capped.close();
    }

    const { id = '' } = await start();
    const poll = client.auth.status({ id, wait: 45 });
    await waitFor(() => arcade.statusPolls(id) === 1);
    arcade.failFlow(USER);
    expect(await poll).toMatchObject({ id, status: 'failed' });
  });

  it('rejects a wrong key with AuthenticationError and accepts the Bearer form', async () => {
    const wrong = new Arcade({ apiKey: 'arc_wrong', baseURL: arcade.baseUrl, maxRetries: 0 });
    const error = await wrong.auth.start(USER, 'google').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({
      status: 401,
      error: { name: 'invalid_authorization', message: 'Invalid API key' },
    });

    const bearer = await fetch(`${arcade.baseUrl}/v1/auth/status?id=ac_404`, {
      headers: { Authorization: `Bearer ${arcade.apiKey}` },
    });
    // Arcade's OpenAPI lists no 404 for status: an id it does not know is a 400.
    expect(bearer.status).toBe(400);
    expect(bearer.headers.get('content-type')).toBe('application/json');
  });

  it('answers 400 (never 404) for an unknown id, and for a missing user_id', async () => {
    const unknown = await client.auth.status({ id: 'ac_999' }).catch((caught: unknown) => caught);
    expect(unknown).toBeInstanceOf(BadRequestError);
    expect(unknown).not.toBeInstanceOf(NotFoundError);
    expect(unknown).toMatchObject({ error: { name: 'bad_request' } });
    await expect(client.auth.start('', 'google')).rejects.toBeInstanceOf(BadRequestError);
  });

  it('injects faults for the next calls only', async () => {
    arcade.failNext('authorize', { status: 500 }, 2);
    await expect(start()).rejects.toBeInstanceOf(InternalServerError);
    await expect(start()).rejects.toMatchObject({ status: 500, error: { name: 'internal_error' } });
    expect(await start()).toMatchObject({ status: 'pending' });

    arcade.failNext('status', { status: 429, headers: { 'Retry-After': '7' } });
    const error = await client.auth.status({ id: 'ac_1' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 429 });
    expect((error as { headers: Headers }).headers.get('retry-after')).toBe('7');
  });

  it('lists and deletes user connections', async () => {
    arcade.grant(USER, { token: 'ya29.a', email: 'u1@example.com', scopes: [GMAIL_READONLY] });
    arcade.grant('T1:U2', { token: 'ya29.b' });
    const page = await client.admin.userConnections.list({ user_id: USER, provider_id: 'google' });
    expect(page.items).toEqual([
      {
        id: 'uc_1',
        connection_id: 'uc_1',
        connection_status: 'active',
        provider_id: 'google',
        provider_type: 'oauth2',
        provider_user_info: { email: 'u1@example.com' },
        scopes: [GMAIL_READONLY],
        user_id: USER,
      },
    ]);
    expect(page.hasNextPage()).toBe(false);

    await client.admin.userConnections.delete('uc_1');
    expect((await start()).status).toBe('pending');
    await expect(client.admin.userConnections.delete('uc_1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('serves a consent page that completes or fails the flow', async () => {
    const { id = '', url = '' } = await start();
    const page = await fetch(url);
    expect(await page.text()).toContain('decision=allow');
    await (await fetch(`${url}?decision=allow`)).text();
    const done = await client.auth.status({ id });
    expect(done.context?.token).toMatch(/^ya29\.standin-[0-9a-f]+$/);

    const other = await start('T1:U3');
    await (await fetch(`${other.url}?decision=deny`)).text();
    expect((await client.auth.status({ id: other.id ?? '' })).status).toBe('failed');
  });

  it('forgets a flow: a waiting long-poll and every later one answer 400', async () => {
    const { id = '' } = await start();
    const poll = client.auth.status({ id, wait: 45 }).catch((caught: unknown) => caught);
    await waitFor(() => arcade.statusPolls(id) === 1);
    arcade.forgetFlow(id);
    expect(await poll).toBeInstanceOf(BadRequestError);
    await expect(client.auth.status({ id })).rejects.toBeInstanceOf(BadRequestError);
  });

  it('can end an unanswered long-poll with 408 instead of pending', async () => {
    const timing = await startArcadeStandIn({ statusMaxWaitSeconds: 0.1, statusWaitExpiry: 408 });
    const timingClient = new Arcade({ apiKey: timing.apiKey, baseURL: timing.baseUrl, maxRetries: 0 });
    try {
      const { id = '' } = await timingClient.auth.start(USER, 'google');
      await expect(timingClient.auth.status({ id, wait: 59 })).rejects.toMatchObject({
        status: 408,
        error: { name: 'request_timeout' },
      });
      // Without `wait` there is nothing to run out: the answer is the status.
      expect(await timingClient.auth.status({ id })).toMatchObject({ status: 'pending' });
    } finally {
      await timing.close();
    }
  });

  it('answers authorize with status "failed" when told to, then starts a normal flow', async () => {
    arcade.failNextAuthorizations();
    const failed = await start();
    expect(failed).toMatchObject({ status: 'failed', id: expect.any(String), url: expect.any(String) });
    expect(await client.auth.status({ id: failed.id ?? '' })).toMatchObject({ status: 'failed' });
    expect(await start()).toMatchObject({ status: 'pending' });
  });

  it('delays answers, counts connections, and closes while a long-poll is held', async () => {
    arcade.delayMs = 150;
    const began = Date.now();
    expect((await client.get('/v1/health')) as unknown).toEqual({ healthy: true });
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
    expect(arcade.tcpConnections).toBeGreaterThanOrEqual(1);

    arcade.delayMs = 0;
    const { id = '' } = await start();
    const poll = client.auth.status({ id, wait: 45 }).catch((caught: unknown) => caught);
    await waitFor(() => arcade.statusPolls(id) === 1);
    await arcade.close();
    expect(await poll).toBeInstanceOf(Error);
  });
});
