import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { GmailAccess } from '../auth/gmail-access';
import { describeError } from '../core/log';
import type { GmailReader } from '../gmail/gmail-reader';
import type { ArcadeUserIdResolver } from '../identity/identity';
import { createDigestDelivery } from '../schedules/digest-delivery';
import { startScheduleClock } from '../schedules/schedule-clock';
import { createScheduleCommands, type ScheduleCommands } from '../schedules/schedule-commands';
import { digestFailedMessage } from '../schedules/schedule-notices';
import { createScheduleRunner, type ScheduleRunner } from '../schedules/schedule-runner';
import { createMemoryScheduleStore } from '../schedules/schedule-store';
import type { InboxAppTuning } from './tuning';

/** Scheduled digests: what the listeners use, and what start and stop run. */
export interface SchedulesPart {
  commands: ScheduleCommands;
  runner: ScheduleRunner;
  /** Starts whatever runs digests on time (the minute clock). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Everything scheduled digests need, in one place: the store, the commands, the runner and its clock. */
export function buildSchedules(
  tuning: InboxAppTuning,
  deps: {
    client: WebClient;
    resolveUserId: ArcadeUserIdResolver;
    access: GmailAccess;
    reader: GmailReader;
    logger: Logger;
  },
): SchedulesPart {
  const { client, logger } = deps;
  // Memory only in this build: schedules last until the app restarts (docs/schedules.md).
  const store = createMemoryScheduleStore();
  const now = tuning.scheduleNow ?? Date.now;
  const timeZoneOf = async (userId: string) => {
    const answer = await client.users.info({ user: userId });
    return (answer.user as { tz?: string } | undefined)?.tz;
  };
  const commands = createScheduleCommands({ store, now, timeZoneOf, logger, durable: false });
  const runner = createScheduleRunner({
    store,
    now,
    timeZoneOf: (schedule) => timeZoneOf(schedule.identity.userId),
    deliver: createDigestDelivery({
      resolveUserId: deps.resolveUserId,
      access: deps.access,
      reader: deps.reader,
      client,
      logger,
    }),
    onError: (schedule, error) => {
      logger.error(`digest ${schedule.id} for ${schedule.identity.userId} failed:`, describeError(error));
      // Only the person: a channel need not hear about one person's Gmail.
      client.chat
        .postMessage({ channel: schedule.identity.userId, ...digestFailedMessage(schedule) })
        .catch((notice: unknown) =>
          logger.warn('could not tell about a failed digest:', describeError(notice)),
        );
    },
  });
  let stopClock: (() => void) | undefined;
  return {
    commands,
    runner,
    async start() {
      if (tuning.scheduleTimer !== false) stopClock = startScheduleClock(runner, logger);
    },
    async stop() {
      stopClock?.();
      stopClock = undefined;
    },
  };
}
