import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppHome } from '../connection/app-home';
import type { BackgroundTasks } from '../core/background';
import type { ScheduleCommands } from '../schedules/schedule-commands';
import { REMOVE_SCHEDULE_ACTION, SEND_SCHEDULE_NOW_ACTION } from '../schedules/schedule-notices';
import type { ScheduleRunner } from '../schedules/schedule-runner';
import { identityFromAction } from './slack-identity';

/** The Remove button on `/inbox schedules`: only the clicker's own schedule is removed. */
export function registerScheduleButtons(
  app: App,
  deps: {
    schedules: ScheduleCommands;
    runner: Pick<ScheduleRunner, 'sendNow'>;
    tasks: BackgroundTasks;
    home: Pick<AppHome, 'show'>;
  },
): void {
  app.action<BlockAction<ButtonAction>>(SEND_SCHEDULE_NOW_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const identity = identityFromAction(body);
    deps.tasks.run(`digest now for ${identity.userId}`, async () => {
      const schedule = await deps.schedules.find(identity, action.value ?? '');
      const result = schedule ? await deps.runner.sendNow(schedule) : 'gone';
      // The digest itself arrives where the schedule delivers; this only says what happened.
      const note = {
        delivered: 'Sent: this digest is in its usual place now; the next one still comes at its time.',
        skipped: 'Not sent: Gmail needs connecting first (see the direct message from the app).',
        busy: 'That digest is being sent right now.',
        gone: 'That schedule was already gone (removed, or the app restarted).',
      }[result];
      if (body.container?.type === 'view') return deps.home.show(identity, note);
      await respond({ response_type: 'ephemeral', replace_original: false, text: note });
    });
  });

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
