import { randomBytes } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import type { SlackMessage } from '../blocks/notices';
import { describeError } from '../core/log';
import type { SlackIdentity } from '../identity/identity';
import type { InboxRequest } from '../inbox/inbox';
import { isKnownTimeZone, nextRunAfter } from './next-run';
import {
  scheduleAddedMessage,
  scheduleLimitMessage,
  scheduleListMessage,
  scheduleRemovedMessage,
  scheduleRemovedNote,
  timeZoneUnknownMessage,
} from './schedule-notices';
import type { ScheduleSpec } from './schedule-spec';
import { type Schedule, type ScheduleStore, scheduleOwnerKey } from './schedule-store';

export interface ScheduleCommandsDeps {
  store: ScheduleStore;
  now: () => number;
  /** The person's Slack time zone (`users.info` `tz`), undefined when Slack cannot say. */
  timeZoneOf(userId: string): Promise<string | undefined>;
  logger: Logger;
  /** Kept until the app restarts (memory), said in the confirmation. */
  durable: boolean;
}

export interface NewSchedule {
  identity: SlackIdentity;
  channelId: string;
  spec: ScheduleSpec;
  request: InboxRequest;
  privately: boolean;
}

/** `/inbox every …`, `/inbox schedules`, the Remove button and disconnect: each ends in a private message. */
export function createScheduleCommands(deps: ScheduleCommandsDeps) {
  const { store } = deps;
  return {
    async create(input: NewSchedule): Promise<SlackMessage> {
      const timeZone = await deps.timeZoneOf(input.identity.userId).catch((error: unknown) => {
        deps.logger.warn(`users.info for ${input.identity.userId} failed:`, describeError(error));
        return undefined;
      });
      if (!timeZone || !isKnownTimeZone(timeZone)) return timeZoneUnknownMessage();
      const createdAt = deps.now();
      const nextRun = nextRunAfter(input.spec, timeZone, createdAt);
      const added = await store.add({
        id: randomBytes(6).toString('hex'),
        ownerKey: scheduleOwnerKey(input.identity),
        identity: input.identity,
        channelId: input.channelId,
        privately: input.privately,
        spec: input.spec,
        request: input.request,
        timeZone,
        createdAt,
        nextRun,
        skipped: 0,
      });
      if (added === 'limit') return scheduleLimitMessage();
      deps.logger.info(
        `${input.identity.userId} scheduled a digest; next at ${new Date(nextRun).toISOString()}`,
      );
      return scheduleAddedMessage(input.spec, nextRun, timeZone, {
        privately: input.privately,
        durable: deps.durable,
      });
    },
    async list(identity: SlackIdentity): Promise<SlackMessage> {
      return scheduleListMessage(await store.list(scheduleOwnerKey(identity)));
    },
    /** The Home tab's list: a heading and each schedule with its Remove button; none: nothing. */
    async homeBlocks(identity: SlackIdentity) {
      const mine = await store.list(scheduleOwnerKey(identity));
      if (mine.length === 0) return [];
      return [
        { type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*Scheduled digests*' } },
        ...(scheduleListMessage(mine).blocks ?? []),
      ];
    },
    /** `message` for the reply link; `note`, one line, for the Home tab. */
    async remove(identity: SlackIdentity, id: string): Promise<{ message: SlackMessage; note: string }> {
      const removed = await store.remove(scheduleOwnerKey(identity), id);
      return {
        message: scheduleRemovedMessage(removed, await store.list(scheduleOwnerKey(identity))),
        note: scheduleRemovedNote(removed),
      };
    },
    /** The person's own schedule by id (the button value only names which one). */
    async find(identity: SlackIdentity, id: string): Promise<Schedule | undefined> {
      return (await store.list(scheduleOwnerKey(identity))).find((schedule) => schedule.id === id);
    },
    /** Gmail disconnected: no digest can come, so none is left waiting. */
    async stopAll(identity: SlackIdentity): Promise<number> {
      return store.removeAll(scheduleOwnerKey(identity));
    },
  };
}

export type ScheduleCommands = ReturnType<typeof createScheduleCommands>;
