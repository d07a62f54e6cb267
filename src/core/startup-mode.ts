/**
 * Which way the process starts, decided from the environment alone: for real against Slack and
 * Arcade, as the local sandbox (nothing configured yet), or not at all. A half-configured production
 * start is refused rather than turned into a sandbox, so a deploy that lost one secret fails loudly
 * instead of quietly serving fake data.
 */

/** The settings that say "this is meant to run for real"; any one of them rules the sandbox out. */
export const PRODUCTION_SETTINGS = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'ARCADE_API_KEY',
] as const;

/**
 * Settings that only matter when running for real: they do not choose a mode (pointing the app at a
 * self-hosted Arcade says nothing about whether it is configured), but the sandbox reports them as
 * ignored, because it always talks to its own stand-ins with Slack-id identities.
 */
export const SANDBOX_IGNORED_SETTINGS = [
  'SLACK_API_URL',
  'ARCADE_BASE_URL',
  'GMAIL_API_URL',
  'ARCADE_USER_ID_SOURCE',
  // The sandbox has a model of its own (SANDBOX_TLDR).
  'SUMMARY_MODEL',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'SUMMARY_TIMEOUT_SECONDS',
] as const;

/**
 * Settings that mean "this is a deployment": the sandbox, which serves fake Slack and a random
 * signing secret to anyone who reaches it, refuses to start when any is set (naming it).
 */
export const SANDBOX_REFUSED_SETTINGS = [
  'VERIFIER_ENABLED',
  'PUBLIC_URL',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'VERIFIER_SECRET',
  'REDIS_URL',
  'RECORD_SECRET',
] as const;

/** The way to start, with what the caller needs to explain it. */
export type StartupMode =
  | { mode: 'production' }
  | { mode: 'sandbox'; ignored: string[] }
  | { mode: 'refuse'; missing: string[]; present: string[] }
  | { mode: 'refuse-sandbox'; deployment: string[] };

/** Decides the start-up mode; full validation of a production start stays with loadConfig. */
export function decideStartupMode(env: NodeJS.ProcessEnv): StartupMode {
  // Same rule as loadConfig: a blank value is no value.
  const isSet = (name: string): boolean => Boolean(env[name]?.trim());
  const present = PRODUCTION_SETTINGS.filter(isSet);
  if (present.length === 0) {
    const deployment: string[] = SANDBOX_REFUSED_SETTINGS.filter(
      (name) => isSet(name) && !(name === 'VERIFIER_ENABLED' && env[name]?.trim() === 'false'),
    );
    if (env.NODE_ENV?.trim() === 'production') deployment.push('NODE_ENV=production');
    if (deployment.length > 0) return { mode: 'refuse-sandbox', deployment };
    return { mode: 'sandbox', ignored: SANDBOX_IGNORED_SETTINGS.filter(isSet) };
  }

  const missing: string[] = [];
  if (!isSet('SLACK_BOT_TOKEN')) missing.push('SLACK_BOT_TOKEN');
  if (!isSet('SLACK_SIGNING_SECRET') && !isSet('SLACK_APP_TOKEN')) {
    missing.push('SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)');
  }
  if (!isSet('ARCADE_API_KEY')) missing.push('ARCADE_API_KEY');
  return missing.length === 0 ? { mode: 'production' } : { mode: 'refuse', missing, present: [...present] };
}

/** The message for a refused start: what is missing, what was found, and the two ways forward. */
export function refusalMessage(refusal: { missing: string[]; present: string[] }): string {
  return [
    'The app cannot start: some Slack/Arcade settings are set, but not all of them.',
    `Found: ${refusal.present.join(', ')}`,
    'Missing:',
    ...refusal.missing.map((name) => `  - ${name}`),
    'Set the missing ones to run for real (see README "Quick start"), or unset all of',
    `${PRODUCTION_SETTINGS.join(', ')} (in the environment and in .env) to try the sandbox.`,
    'A partly configured start never falls back to the sandbox.',
  ].join('\n');
}

/** The message for a sandbox start refused because deployment settings are present. */
export function sandboxRefusalMessage(refusal: { deployment: string[] }): string {
  return [
    'The app cannot start: no Slack/Arcade settings are set, so it would start the sandbox,',
    `but these settings say this is a deployment: ${refusal.deployment.join(', ')}.`,
    `Set ${PRODUCTION_SETTINGS.join(', ')} to run for real (see README "Quick start"),`,
    'or unset those (in the environment and in .env) to try the sandbox on this machine.',
  ].join('\n');
}
