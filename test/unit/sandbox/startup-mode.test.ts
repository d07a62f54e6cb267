import { decideStartupMode, refusalMessage, sandboxRefusalMessage } from '../../../src/startup-mode';

describe('decideStartupMode', () => {
  it('starts the sandbox when no Slack or Arcade setting is set, blank ones included', () => {
    expect(decideStartupMode({})).toEqual({ mode: 'sandbox', ignored: [] });
    expect(decideStartupMode({ SLACK_BOT_TOKEN: '  ', ARCADE_API_KEY: '' })).toEqual({
      mode: 'sandbox',
      ignored: [],
    });
  });

  it('starts the sandbox despite production-only settings, and names them as ignored', () => {
    expect(
      decideStartupMode({ ARCADE_BASE_URL: 'https://arcade.internal', PORT: '8080', LOG_LEVEL: 'debug' }),
    ).toEqual({ mode: 'sandbox', ignored: ['ARCADE_BASE_URL'] });
  });

  // issue 10, item 9: a deployment that lost its Slack/Arcade settings never becomes a sandbox.
  it.each([
    [{ VERIFIER_ENABLED: 'true' }, ['VERIFIER_ENABLED']],
    [{ PUBLIC_URL: 'https://inbox.example.com' }, ['PUBLIC_URL']],
    [{ REDIS_URL: 'redis://redis:6379', RECORD_SECRET: 'x'.repeat(40) }, ['REDIS_URL', 'RECORD_SECRET']],
    [{ NODE_ENV: 'production' }, ['NODE_ENV=production']],
    [
      { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 's', VERIFIER_SECRET: 'v' },
      ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'VERIFIER_SECRET'],
    ],
  ])('refuses the sandbox with deployment settings %j, naming them', (env, names) => {
    const startup = decideStartupMode(env);
    expect(startup).toEqual({ mode: 'refuse-sandbox', deployment: names });
    const message = sandboxRefusalMessage(startup as { deployment: string[] });
    for (const name of names) expect(message).toContain(name);
    expect(message).not.toContain('x'.repeat(40));
  });

  it('still starts the sandbox with VERIFIER_ENABLED=false or NODE_ENV=development', () => {
    expect(decideStartupMode({ VERIFIER_ENABLED: 'false', NODE_ENV: 'development' })).toEqual({
      mode: 'sandbox',
      ignored: [],
    });
  });

  it.each([
    ['Socket Mode', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', ARCADE_API_KEY: 'arc_1' }],
    ['HTTP mode', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ARCADE_API_KEY: 'arc_1' }],
  ])('runs for real when everything is set (%s)', (_mode, env) => {
    expect(decideStartupMode(env)).toEqual({ mode: 'production' });
  });

  it.each([
    [
      { SLACK_BOT_TOKEN: 'xoxb-1' },
      ['SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)', 'ARCADE_API_KEY'],
    ],
    [
      { ARCADE_API_KEY: 'arc_1' },
      ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)'],
    ],
    [{ SLACK_APP_TOKEN: 'xapp-1', ARCADE_API_KEY: 'arc_1' }, ['SLACK_BOT_TOKEN']],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, ['ARCADE_API_KEY']],
  ])('refuses a partial setup %j, listing what is missing', (env, missing) => {
    const mode = decideStartupMode(env);
    expect(mode).toEqual({ mode: 'refuse', missing, present: Object.keys(env) });
  });

  it('explains a refusal: what was found, what is missing, both ways forward', () => {
    const text = refusalMessage({
      missing: ['ARCADE_API_KEY'],
      present: ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'],
    });
    expect(text).toContain('Found: SLACK_BOT_TOKEN, SLACK_APP_TOKEN');
    expect(text).toContain('  - ARCADE_API_KEY');
    expect(text).toMatch(/to try the sandbox/);
    expect(text).toMatch(/never falls back to the sandbox/);
  });
});
