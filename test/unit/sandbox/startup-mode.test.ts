import { decideStartupMode, refusalMessage } from '../../../src/startup-mode';

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
