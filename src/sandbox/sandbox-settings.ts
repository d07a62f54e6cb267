import { ConfigError } from '../core/config';

/**
 * The sandbox's own settings, read from the environment and validated as a whole like the app's
 * (every problem in one ConfigError). The app settings that make sense without real accounts
 * (LOG_LEVEL, CONSENT_TIMEOUT_SECONDS, INBOX_VISIBILITY) are passed through, and validated by the app.
 */

/** Validated sandbox settings. */
export interface SandboxSettings {
  /** The page's port (SANDBOX_PORT, else PORT, else 3000; 0 picks a free one). */
  port: number;
  /** Added to every stand-in answer (SANDBOX_DELAY_MS), so the app's background wait is visible. */
  delayMs: number;
  /** SANDBOX_TLDR (on, the default, or off): the built-in stand-in model writes a TL;DR on each summary. */
  tldr: boolean;
  /** App settings that also apply in the sandbox, as given. */
  app: Record<string, string>;
}

export const SANDBOX_DEFAULTS = { port: 3000, delayMs: 300 } as const;

/** The app settings the sandbox honours; the rest of the production settings do not apply to it. */
const PASSED_TO_APP = ['LOG_LEVEL', 'CONSENT_TIMEOUT_SECONDS', 'INBOX_VISIBILITY'] as const;
const MAX_DELAY_MS = 10_000;

/** Reads the sandbox's settings; throws ConfigError listing every problem. */
export function readSandboxSettings(env: NodeJS.ProcessEnv): SandboxSettings {
  const problems: string[] = [];
  const read = (name: string): string | undefined => env[name]?.trim() || undefined;
  const integer = (name: string, raw: string | undefined, fallback: number, max: number): number => {
    if (raw === undefined) return fallback;
    // Digits only, as in loadConfig: Number() would also take "0x1F90" or "1e3".
    if (/^\d{1,9}$/.test(raw) && Number(raw) <= max) return Number(raw);
    problems.push(`${name} must be a whole number from 0 to ${max}, got "${raw}"`);
    return fallback;
  };

  const portName = read('SANDBOX_PORT') !== undefined ? 'SANDBOX_PORT' : 'PORT';
  const port = integer(portName, read(portName), SANDBOX_DEFAULTS.port, 65535);
  const delayMs = integer(
    'SANDBOX_DELAY_MS',
    read('SANDBOX_DELAY_MS'),
    SANDBOX_DEFAULTS.delayMs,
    MAX_DELAY_MS,
  );
  const tldrRaw = read('SANDBOX_TLDR')?.toLowerCase();
  if (tldrRaw !== undefined && tldrRaw !== 'on' && tldrRaw !== 'off')
    problems.push(`SANDBOX_TLDR must be on or off, got "${tldrRaw}"`);
  const app: Record<string, string> = {};
  for (const name of PASSED_TO_APP) {
    const value = read(name);
    if (value !== undefined) app[name] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { port, delayMs, tldr: tldrRaw !== 'off', app };
}
