import type { App } from '@slack/bolt';
import type { BackgroundTasks } from '../core/background';
import type { ScheduleCommands } from '../schedules/schedule-commands';
import { identityFromEvent } from './slack-identity';

/**
 * `user_change` with `deleted: true` (the person left or was deactivated): their scheduled digests
 * stop, so nothing is posted for someone no longer there. Needs the `users:read` scope.
 * https://docs.slack.dev/reference/events/user_change
 */
export function registerUserLeft(
  app: App,
  deps: { schedules: ScheduleCommands; tasks: BackgroundTasks },
): void {
  app.event('user_change', async ({ event, body }) => {
    const user = event.user as { id?: string; deleted?: boolean };
    if (user.deleted !== true || !user.id) return;
    const identity = identityFromEvent(body as { team_id?: string; enterprise_id?: string }, user.id);
    deps.tasks.run(`schedules of departed ${user.id}`, async () => {
      await deps.schedules.stopAll(identity);
    });
  });
}
