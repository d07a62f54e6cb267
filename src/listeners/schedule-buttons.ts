import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppHome } from '../connection/app-home';
import type { BackgroundTasks } from '../core/background';
import type { ScheduleCommands } from '../schedules/schedule-commands';
import { REMOVE_SCHEDULE_ACTION } from '../schedules/schedule-notices';
import { identityFromAction } from './slack-identity';

/** The Remove button on `/inbox schedules`: only the clicker's own schedule is removed. */
export function registerScheduleButtons(
  app: App,
  deps: { schedules: ScheduleCommands; tasks: BackgroundTasks; home: Pick<AppHome, 'show'> },
): void {
  app.action<BlockAction<ButtonAction>>(REMOVE_SCHEDULE_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    // Whose schedule: from the signed click; the button value only names which one.
    const identity = identityFromAction(body);
    deps.tasks.run(`remove schedule by ${identity.userId}`, async () => {
      const { message, note } = await deps.schedules.remove(identity, action.value ?? '');
      // On the Home tab there is no reply link: the tab is drawn again, with the outcome on top.
      if (body.container?.type === 'view') return deps.home.show(identity, note);
      await respond({ response_type: 'ephemeral', replace_original: true, ...message });
    });
  });
}
