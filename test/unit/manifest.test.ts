import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { INBOX_COMMAND } from '../../src/listeners/inbox-command';

/** Slack's published manifest schema (MIT, slackapi/manifest-schema), kept beside the repo, not in it. */
const SCHEMA_PATH = join(__dirname, '../../../shared/slack/manifest.schema.1.0.0.json');

// biome-ignore lint/suspicious/noExplicitAny: a parsed manifest is untyped YAML
const manifest: any = parse(readFileSync(join(__dirname, '../../manifest.yml'), 'utf8'));

describe('manifest.yml', () => {
  it('declares the command the code listens for, with raw (unescaped) text for Gmail searches', () => {
    const commands = manifest.features.slash_commands;
    expect(commands).toHaveLength(1);
    expect(commands[0].command).toBe(INBOX_COMMAND);
    expect(commands[0].should_escape).toBe(false);
    expect(commands[0].usage_hint).toMatch(/count/);
  });

  it('asks for exactly the bot scopes the code uses by default', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands']);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('enables what the flow relies on: interactivity for link buttons, a messages tab for DM fallback', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.bot_user.display_name).toBeTruthy();
  });

  it('is set up for Socket Mode, so it carries no request URLs', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.slash_commands[0].url).toBeUndefined();
    expect(manifest.settings.interactivity.request_url).toBeUndefined();
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

  (schemaPresent ? it : it.skip)('the schema check can fail: a broken manifest is refused', () => {
    const validate = compileSchema();
    const broken = structuredClone(manifest);
    broken.features.slash_commands[0].command = 'inbox';
    expect(validate(broken)).toBe(false);
  });
});
