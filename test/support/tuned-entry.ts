import { createInboxApp, type InboxAppTuning } from '../../src/app';
import { configSecrets, loadConfig } from '../../src/core/config';
import { createLogger, describeError } from '../../src/core/log';

/**
 * The app in a process of its own, configured from the environment like src/index.ts, plus what a
 * test must set and operators never do (TEST_TUNING, JSON): the schedules' clock shifted by
 * `scheduleOffsetMs` (so a slot at 9:00 comes seconds after start), and short queue locks. For
 * tests that `kill -9` the process.
 */
interface TestTuning {
  scheduleOffsetMs?: number;
  digestLockMs?: number;
}

async function main(): Promise<void> {
  const test = JSON.parse(process.env.TEST_TUNING ?? '{}') as TestTuning;
  const config = loadConfig(process.env);
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: configSecrets(config),
  });
  const offset = test.scheduleOffsetMs ?? 0;
  const tuning: InboxAppTuning = {
    logger,
    scheduleNow: () => Date.now() + offset,
    ...(test.digestLockMs ? { digestLockMs: test.digestLockMs } : {}),
  };
  const app = createInboxApp(config, tuning);
  const { port } = await app.start();
  logger.info(`/inbox is running in HTTP mode: POST http://localhost:${port}/slack/events`);
  process.on('SIGTERM', () => {
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`tuned entry failed: ${describeError(error)}\n`);
  process.exit(1);
});
