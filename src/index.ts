import dotenv from 'dotenv';
import { createInboxApp, StartupError } from './app';
import { ConfigError, configSecrets, loadConfig } from './config';
import { createLogger, describeError } from './log';
import { decideStartupMode, refusalMessage, sandboxRefusalMessage } from './startup-mode';

/**
 * Process entry: settings → app → start; SIGTERM/SIGINT stop it cleanly. With no Slack or Arcade
 * setting at all it starts the local sandbox instead; with some but not all, it refuses.
 */
async function main(): Promise<void> {
  // A .env file is a development convenience; real environment variables win over it.
  dotenv.config({ quiet: true });
  const startup = decideStartupMode(process.env);
  if (startup.mode === 'refuse') {
    process.stderr.write(`${refusalMessage(startup)}\n`);
    process.exit(1);
  }
  if (startup.mode === 'refuse-sandbox') {
    process.stderr.write(`${sandboxRefusalMessage(startup)}\n`);
    process.exit(1);
  }
  if (startup.mode === 'sandbox') {
    // Loaded only here, so a production start never loads the stand-ins.
    const { runSandbox } = await import('./sandbox/run-sandbox.js');
    return runSandbox(process.env, startup.ignored);
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: configSecrets(config),
  });

  // Background work owns its errors; this is the last net so that one miss can never end the process.
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection:', describeError(reason)));

  const app = createInboxApp(config, { logger });
  let port: number;
  try {
    ({ port } = await app.start());
  } catch (error) {
    logger.error(error instanceof StartupError ? error.message : `start-up failed: ${describeError(error)}`);
    process.exit(1);
  }
  const mode = config.slack.transport.mode;
  logger.info(
    mode === 'http'
      ? `/inbox is running in HTTP mode: POST http://localhost:${port}/slack/events, GET /healthz`
      : `/inbox is connected in Socket Mode; GET http://localhost:${port}/healthz`,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing work in progress, then exiting`);
    // A shutdown that hangs (an unreachable Redis, say) must not keep a deploy waiting forever.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 15_000).unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed:', describeError(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
