import dotenv from 'dotenv';
import { ConfigError, loadConfig } from './config';
import { decideStartupMode, refusalMessage, sandboxRefusalMessage } from './startup-mode';

/**
 * The settings check the process entry does first, on its own: what `npm start` runs before it
 * spends a build on a start that would be refused anyway (scripts/build.mjs).
 */

/** The message a start with these settings would be refused with, or undefined when it would start. */
export function settingsProblem(env: NodeJS.ProcessEnv): string | undefined {
  const startup = decideStartupMode(env);
  if (startup.mode === 'refuse') return refusalMessage(startup);
  if (startup.mode === 'refuse-sandbox') return sandboxRefusalMessage(startup);
  if (startup.mode === 'sandbox') return undefined;
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

if (require.main === module) {
  // Same order as src/index.ts: .env fills in what the environment does not set.
  dotenv.config({ quiet: true });
  const problem = settingsProblem(process.env);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
