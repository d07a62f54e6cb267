/**
 * Thrown by start() when something the app needs cannot be reached or refuses it (Slack's token,
 * Redis): reported like a settings problem, one line, no stack.
 */
export class StartupError extends Error {
  readonly code = 'startup_failed';
}
