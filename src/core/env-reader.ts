/**
 * Reading settings from the environment: each reader validates one value and records what is wrong
 * in `problems` instead of throwing, so loadConfig can report every problem in one message.
 */

/**
 * Every configured secret is scrubbed from logs wherever it appears, so a two-letter "secret" would
 * shred every line; real Slack, Arcade and Redis secrets are far longer than this.
 */
export const MIN_SECRET_LENGTH = 8;

/** `.env.example`'s values, and the usual ways of writing "fill this in". */
export function isPlaceholder(value: string): boolean {
  return /\.\.\.|…|^<.*>$|^(?:changeme|change-me|todo|xxx+|your[-_ ].*)$/i.test(value);
}

/** The readers loadConfig uses, all writing into one list of problems. */
export type EnvReader = ReturnType<typeof createEnvReader>;

export function createEnvReader(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const required = (name: string, hint: string): string => {
    const value = read(name);
    if (!value) problems.push(`${name} is missing: ${hint}`);
    return value ?? '';
  };
  /** A secret that is set: not a placeholder, not absurdly short. Only its length is ever named. */
  const secretShape = (name: string, value: string | undefined, hint: string): boolean => {
    if (!value) return false;
    if (isPlaceholder(value)) {
      problems.push(`${name} is still a placeholder ("${value}", as in .env.example): ${hint}`);
      return false;
    }
    if (value.length < MIN_SECRET_LENGTH) {
      problems.push(
        `${name} is too short to be real (${value.length} characters; at least ${MIN_SECRET_LENGTH}): ${hint}`,
      );
      return false;
    }
    return true;
  };
  const prefixed = (name: string, value: string, prefix: string, what: string): void => {
    // Only the prefix is named: the value itself is a secret and must not reach a log.
    if (value && !value.startsWith(prefix))
      problems.push(`${name} must be ${what} (it starts with "${prefix}")`);
  };
  const url = (name: string, fallback: string): string => {
    const value = read(name) ?? fallback;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
    } catch {
      problems.push(`${name} must be an http(s) URL, got "${value}"`);
    }
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    // Digits only: Number() would also take "0x1F90" or "1e3".
    const value = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  };
  return { problems, read, required, secretShape, prefixed, url, integer, oneOf };
}
