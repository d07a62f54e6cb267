import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { INBOX_COMMAND } from '../../src/listeners/inbox-command';

/** Slack's published manifest schema (MIT, slackapi/manifest-schema), kept beside the repo, not in it. */
const SCHEMA_PATH = join(__dirname, '../../../shared/slack/manifest.schema.1.0.0.json');

const text = readFileSync(join(__dirname, '../../manifest.yml'), 'utf8');
// biome-ignore lint/suspicious/noExplicitAny: a parsed manifest is untyped YAML
const manifest: any = parse(text);

/** The manifest with the lines behind a comment prefix switched on, as the README tells operators to. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed manifest is untyped YAML
function variant(prefix: string, edit: (parsed: any) => void = () => {}): any {
  const parsed = parse(text.split(`# ${prefix}: `).join(''));
  edit(parsed);
  return parsed;
}

describe('manifest.yml', () => {
  it('declares the command the code listens for, with raw (unescaped) text for Gmail searches', () => {
    const commands = manifest.features.slash_commands;
    expect(commands).toHaveLength(1);
    expect(commands[0].command).toBe(INBOX_COMMAND);
    expect(commands[0].should_escape).toBe(false);
    expect(commands[0].usage_hint).toMatch(/count/);
  });

  it('asks for exactly the bot scopes the code uses by default', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands', 'users:read']);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('enables what the flow relies on: interactivity for buttons, a messages tab for DM fallback, the Home tab', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'user_change']);
    expect(manifest.features.bot_user.display_name).toBeTruthy();
  });

  it('is set up for Socket Mode, so it carries no request URLs', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.slash_commands[0].url).toBeUndefined();
    expect(manifest.settings.interactivity.request_url).toBeUndefined();
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
  });

  it('names every command word in the usage hint', () => {
    for (const word of ['private', 'count', 'status', 'disconnect', 'help']) {
      expect(manifest.features.slash_commands[0].usage_hint).toContain(word);
    }
  });

  it('carries the HTTP-mode lines: the events URL for commands, interactivity and events', () => {
    const http = variant('HTTP mode', (parsed) => {
      parsed.settings.socket_mode_enabled = false;
    });
    const url = 'https://YOUR-HOST/slack/events';
    expect(http.features.slash_commands[0].url).toBe(url);
    expect(http.settings.interactivity.request_url).toBe(url);
    expect(http.settings.event_subscriptions.request_url).toBe(url);
  });

  it('carries the custom-verifier lines: the Sign in with Slack redirect URL and OpenID scopes', () => {
    const verifier = variant('With VERIFIER_ENABLED');
    expect(verifier.oauth_config.redirect_urls).toEqual(['https://YOUR-HOST/verify/slack']);
    expect(verifier.oauth_config.scopes.user).toEqual(['openid', 'email', 'profile']);
    expect(verifier.oauth_config.scopes.bot).toEqual(manifest.oauth_config.scopes.bot);
  });

  const schemaPresent = existsSync(SCHEMA_PATH);
  const compileSchema = () => {
    // The schema uses non-standard keywords (`_note`, `regex`), which strict mode refuses; its one
    // format, `uri`, only describes `$schema`, so it is accepted as given rather than pulling in ajv-formats.
    const ajv = new Ajv({ strict: false, allErrors: true, formats: { uri: true } });
    return ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  };
  (schemaPresent ? it : it.skip)(
    schemaPresent
      ? "validates against Slack's published manifest schema"
      : `SKIPPED: Slack's manifest schema is not at ${SCHEMA_PATH}`,
    () => {
      const validate = compileSchema();
      const valid = validate(manifest);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  (schemaPresent ? it : it.skip)('stays valid with the HTTP-mode and verifier lines switched on', () => {
    const validate = compileSchema();
    const both = variant('HTTP mode', (parsed) => {
      parsed.settings.socket_mode_enabled = false;
    });
    const verifier = variant('With VERIFIER_ENABLED');
    both.oauth_config = verifier.oauth_config;
    expect(validate(both) ? [] : validate.errors).toEqual([]);
  });

  (schemaPresent ? it : it.skip)('the schema check can fail: a broken manifest is refused', () => {
    const validate = compileSchema();
    const broken = structuredClone(manifest);
    broken.features.slash_commands[0].command = 'inbox';
    expect(validate(broken)).toBe(false);
  });
});
