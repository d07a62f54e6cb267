import type { App } from '@slack/bolt';
import { busyMessage } from '../blocks/busy-notice';
import { disconnectConfirmMessage, helpMessage, invalidCommandMessage } from '../blocks/notices';
import type { ConnectionFlow } from '../connection/connection-flow';
import type { BackgroundTasks } from '../core/background';
import type { Visibility } from '../core/config';
import { parseInboxCommand } from '../inbox/command-args';
import type { InboxFlow } from '../inbox/inbox-flow';
import type { ScheduleCommands } from '../schedules/schedule-commands';
import { createReplies } from '../slack/replies';

/** The slash command this app answers; it must match `manifest.yml`. */
export const INBOX_COMMAND = '/inbox';

/** What the `/inbox` listener hands the work to. */
export interface InboxCommandDeps {
  flow: InboxFlow;
  connection: ConnectionFlow;
  tasks: BackgroundTasks;
  /** INBOX_VISIBILITY: where a summary goes unless the command starts with `private`. */
  visibility: Visibility;
  /** Said in `/inbox help` when AI summaries are on (src/tldr/ai-summary-note.ts). */
  summaryNote?: string;
  /** `/inbox every …` and `/inbox schedules` (src/schedules/). */
  schedules: ScheduleCommands;
}

/**
 * `/inbox`: acks at once (Slack gives up after 3 s), answers help, bad input and the disconnect
 * question in the ack itself, and hands everything that needs Arcade or Gmail to the background.
 */
export function registerInboxCommand(app: App, deps: InboxCommandDeps): void {
  app.command(INBOX_COMMAND, async ({ command, ack, respond, client }) => {
    const parsed = parseInboxCommand(command.text ?? '');
    if (parsed.kind === 'help') return ack(helpMessage(deps.visibility, deps.summaryNote));
    if (parsed.kind === 'invalid') return ack(invalidCommandMessage(parsed.problem, command.text ?? ''));
    // Nothing is removed until the person confirms with the button (and Slack's dialog).
    if (parsed.kind === 'disconnect') return ack(disconnectConfirmMessage());
    const identity = {
      teamId: command.team_id,
      ...(command.enterprise_id ? { enterpriseId: command.enterprise_id } : {}),
      userId: command.user_id,
    };
    const replies = createReplies({
      client,
      respond,
      channelId: command.channel_id,
      userId: command.user_id,
    });
    if (parsed.kind === 'schedule' || parsed.kind === 'schedules') {
      await ack();
      // users.info and the store are outside calls: answered after the ack, privately.
      deps.tasks.run(`/inbox ${parsed.kind} by ${command.user_id}`, async () =>
        replies.showPrivately(
          parsed.kind === 'schedules'
            ? await deps.schedules.list(identity)
            : await deps.schedules.create({
                identity,
                channelId: command.channel_id,
                spec: parsed.spec,
                request: parsed.request,
                // As for /inbox: INBOX_VISIBILITY=private makes every digest private.
                privately: parsed.privately === true || deps.visibility === 'private',
              }),
        ),
      );
      return;
    }
    if (parsed.kind === 'status') {
      await ack();
      deps.tasks.run(`/inbox status by ${command.user_id}`, async () =>
        replies.showPrivately(await deps.connection.status(identity)),
      );
      return;
    }
    // Queued before the ack, so that a full queue is said in the ack itself (src/core/background.ts).
    const queued = deps.tasks.offer(`/inbox by ${command.user_id}`, () =>
      deps.flow.run({
        identity,
        request: parsed.request,
        replies,
        channelId: command.channel_id,
        visibility: parsed.privately ? 'private' : deps.visibility,
        responseUrl: command.response_url,
      }),
    );
    await ack(queued ? undefined : busyMessage());
  });
}
