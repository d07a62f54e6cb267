import { consentPageHtml, escapeHtml } from '../../../src/sandbox/consent-page';
import { type ArcadeStandIn, startArcadeStandIn } from '../../../src/stand-ins/arcade-stand-in';

const SCOPE = 'https://www.googleapis.com/auth/gmail.readonly';

describe('the sandbox consent page', () => {
  it('asks in Google’s words, for the person, with Allow and Cancel links, and says it is not Google', () => {
    const html = consentPageHtml({
      state: 'ask',
      person: { name: 'Ada Lovelace', email: 'ada@sandbox.example' },
      scopes: [SCOPE],
      sandboxUrl: 'http://127.0.0.1:3000/',
    });
    expect(html).toContain('wants to access your Google Account');
    expect(html).toContain('View your email messages and settings');
    expect(html).toContain('ada@sandbox.example');
    expect(html).toContain('href="?decision=allow"');
    expect(html).toContain('href="?decision=deny"');
    expect(html).toMatch(/This is not Google/);
  });

  it.each([
    ['allowed', 'Gmail connected'],
    ['denied', 'Access denied'],
    ['already_decided', 'already used'],
    ['unknown', 'Unknown request'],
  ] as const)('shows the outcome %s with a way back to the sandbox', (state, heading) => {
    const html = consentPageHtml({ state, scopes: [], sandboxUrl: 'http://127.0.0.1:3000/' });
    expect(html).toContain(heading);
    expect(html).toContain('href="http://127.0.0.1:3000/"');
    expect(html).not.toContain('?decision=');
  });

  it('escapes every variable part', () => {
    const html = consentPageHtml({
      state: 'ask',
      person: { name: '<img src=x onerror=alert(1)>', email: '"a"@x' },
      scopes: ['<script>'],
      sandboxUrl: '"><script>',
    });
    expect(html).not.toMatch(/<img|<script>|"><script>/);
    expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });
});

describe('the Arcade stand-in consent hooks the sandbox uses', () => {
  let arcade: ArcadeStandIn;
  afterEach(() => arcade.close());

  async function startFlow(): Promise<string> {
    const response = await fetch(`${arcade.baseUrl}/v1/auth/authorize`, {
      method: 'POST',
      headers: { Authorization: arcade.apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        user_id: 'slack:T0SANDBOX:U1',
        auth_requirement: { provider_id: 'google', oauth2: { scopes: [SCOPE] } },
      }),
    });
    return ((await response.json()) as { url: string }).url;
  }

  it('renders its pages with the given function and hands out the given grant on allow', async () => {
    const states: string[] = [];
    arcade = await startArcadeStandIn({
      consentGrant: (flow) => ({ token: `token-for-${flow.userId}`, email: 'one@example.com' }),
      consentPage: (state, flow) => {
        states.push(state);
        return `<p>${state} ${flow?.userId ?? '-'}</p>`;
      },
    });
    const url = await startFlow();
    expect(await (await fetch(url)).text()).toBe('<p>ask slack:T0SANDBOX:U1</p>');
    expect(await (await fetch(`${url}?decision=allow`)).text()).toBe('<p>allowed slack:T0SANDBOX:U1</p>');
    expect(await (await fetch(`${url}?decision=deny`)).text()).toBe(
      '<p>already_decided slack:T0SANDBOX:U1</p>',
    );
    expect(await (await fetch(`${arcade.baseUrl}/consent/nope`)).text()).toBe('<p>unknown -</p>');
    expect(states).toEqual(['ask', 'allowed', 'already_decided', 'unknown']);

    // A second authorize is answered from the stored grant: the token the hook chose.
    const again = await fetch(`${arcade.baseUrl}/v1/auth/authorize`, {
      method: 'POST',
      headers: { Authorization: arcade.apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        user_id: 'slack:T0SANDBOX:U1',
        auth_requirement: { provider_id: 'google', oauth2: { scopes: [SCOPE] } },
      }),
    });
    expect(await again.json()).toMatchObject({
      status: 'completed',
      context: { token: 'token-for-slack:T0SANDBOX:U1', user_info: { email: 'one@example.com' } },
    });
  });

  it('keeps its own page and a random token without the hooks', async () => {
    arcade = await startArcadeStandIn();
    const url = await startFlow();
    expect(await (await fetch(url)).text()).toContain('Stand-in Google consent');
    await fetch(`${url}?decision=allow`);
    expect(arcade.flows[0]?.status).toBe('completed');
  });
});
