import { type SlackStandIn, startSlackStandIn } from '../../../src/stand-ins/slack-stand-in';
import { createSlackSignIn, SignInError } from '../../../src/verifier/slack-sign-in';
import { collectLogs } from '../core/helpers';

/** Sign in with Slack against the Slack stand-in: the code is obtained as a browser would. */
describe('createSlackSignIn', () => {
  let slack: SlackStandIn;
  const logs = collectLogs();
  const redirectUri = 'https://inbox.example.test/verify/slack';
  beforeEach(async () => {
    slack = await startSlackStandIn();
  });
  afterEach(() => slack.close());

  const signIn = (overrides: { apiUrl?: string; clientSecret?: string } = {}) =>
    createSlackSignIn({
      apiUrl: overrides.apiUrl ?? slack.apiUrl,
      clientId: slack.oidcClientId,
      clientSecret: overrides.clientSecret ?? slack.oidcClientSecret,
      logger: logs.logger,
      retry: { retries: 0 },
    });

  /** Follows the authorize URL as a signed-in browser and returns the code. */
  async function codeFor(
    authorizeUrl: string,
    user = { userId: 'U1', teamId: 'T1', email: 'a@example.com' },
  ) {
    const session = slack.newSignInSession({ ...user, name: 'A' });
    const response = await fetch(authorizeUrl, { redirect: 'manual', headers: { cookie: `d=${session}` } });
    return new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';
  }

  it("builds the authorize URL at the API's origin, with the OpenID Connect parameters", () => {
    const url = new URL(signIn().authorizeUrl({ state: 'st', nonce: 'no', redirectUri }));
    expect(`${url.origin}${url.pathname}`).toBe(`${slack.origin}/openid/connect/authorize`);
    const defaults = createSlackSignIn({
      apiUrl: 'https://slack.com/api/',
      clientId: 'c',
      clientSecret: 's',
      logger: logs.logger,
    });
    expect(defaults.authorizeUrl({ state: 's', nonce: 'n', redirectUri })).toMatch(
      /^https:\/\/slack\.com\/openid\/connect\/authorize\?response_type=code&scope=openid\+email\+profile&client_id=c&state=s&nonce=n&redirect_uri=/,
    );
  });

  it('redeems the code and reports who signed in', async () => {
    const client = signIn();
    const code = await codeFor(client.authorizeUrl({ state: 's', nonce: 'n1', redirectUri }), {
      userId: 'U9',
      teamId: 'T9',
      email: 'nine@example.com',
    });
    await expect(client.identify({ code, redirectUri, nonce: 'n1' })).resolves.toEqual({
      userId: 'U9',
      teamId: 'T9',
      email: 'nine@example.com',
      emailVerified: true,
      name: 'A',
      teamName: 'Stand-in',
    });
  });

  it('refuses an id_token whose nonce is not the one this browser was given', async () => {
    const client = signIn();
    const code = await codeFor(client.authorizeUrl({ state: 's', nonce: 'n1', redirectUri }));
    await expect(client.identify({ code, redirectUri, nonce: 'other' })).rejects.toMatchObject({
      code: 'invalid_id_token',
    });
  });

  it('refuses an id_token from another issuer', async () => {
    const client = signIn({ apiUrl: slack.apiUrl.replace('127.0.0.1', 'localhost') });
    const code = await codeFor(signIn().authorizeUrl({ state: 's', nonce: 'n', redirectUri }));
    await expect(client.identify({ code, redirectUri, nonce: 'n' })).rejects.toMatchObject({
      code: 'invalid_id_token',
      detail: 'unexpected issuer',
    });
  });

  it('reports a refused code or secret as refused, without the secret in the error or the log', async () => {
    const client = signIn({ clientSecret: 'wrong-secret-value' });
    const code = await codeFor(client.authorizeUrl({ state: 's', nonce: 'n', redirectUri }));
    const error = await client.identify({ code, redirectUri, nonce: 'n' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect(error).toMatchObject({
      code: 'refused',
      detail: 'openid.connect.token answered bad_client_secret',
    });
    expect(logs.text()).not.toContain('wrong-secret-value');
    expect(logs.text()).not.toContain(code);
  });

  it('reports an unreachable Slack as unavailable', async () => {
    const client = signIn();
    await slack.close();
    await expect(client.identify({ code: 'c', redirectUri, nonce: 'n' })).rejects.toMatchObject({
      code: 'unavailable',
    });
  });
});
