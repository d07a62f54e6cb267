import { ConfigError } from '../core/config';
import { describeError } from '../core/log';
import { sandboxBanner } from './banner';
import { readSandboxSettings } from './sandbox-settings';
import { startSandbox } from './start-sandbox';

/**
 * The process side of sandbox mode (src/index.ts calls it when no Slack or Arcade setting is set):
 * settings, start, banner, and a clean stop on SIGINT/SIGTERM. Exits 1 with a readable message when
 * the settings are wrong or the port is taken.
 */
export async function runSandbox(env: NodeJS.ProcessEnv, ignored: readonly string[]): Promise<void> {
  const fail = (message: string): never => {
    process.stderr.write(`${message}\n`);
    process.exit(1);
  };
  let settings: ReturnType<typeof readSandboxSettings>;
  try {
    settings = readSandboxSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }

  // Background work owns its errors; this is the last net so that one miss can never end the process.
  process.on('unhandledRejection', (reason) =>
    process.stderr.write(`sandbox: unhandled rejection: ${describeError(reason)}\n`),
  );

  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({
      port: settings.port,
      delayMs: settings.delayMs,
      tldr: settings.tldr,
      appSettings: settings.app,
    });
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      return fail(
        `The sandbox cannot start: port ${settings.port} is in use. Set SANDBOX_PORT to another port (0 picks a free one).`,
      );
    }
    return fail(`The sandbox could not start: ${describeError(error)}`);
  }
  process.stdout.write(sandboxBanner({ url: sandbox.url, delayMs: settings.delayMs, ignored }));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received: stopping the sandbox\n`);
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => fail(`stopping the sandbox failed: ${describeError(error)}`),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
