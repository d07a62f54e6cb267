import type { App } from '@slack/bolt';
import type { BackgroundTasks } from '../background';
import { helpMessage, invalidCommandMessage } from '../blocks/notices';
import { parseInboxCommand } from '../command-args';
import type { InboxFlow } from '../inbox-flow';
import { createReplies } from '../slack/replies';

/** The slash command this app answers; it must match `manifest.yml`. */
export const INBOX_COMMAND = '/inbox';

/**
 * `/inbox`: acks at once (Slack gives up after 3 s), answers help and bad input in the ack itself,
 * and hands everything that needs Arcade or Gmail to the background.
 */
export function registerInboxCommand(app: App, deps: { flow: InboxFlow; tasks: BackgroundTasks }): void {
  app.command(INBOX_COMMAND, async ({ command, ack, respond, client }) => {
    const parsed = parseInboxCommand(command.text ?? '');
    if (parsed.kind === 'help') return ack(helpMessage());
    if (parsed.kind === 'invalid') return ack(invalidCommandMessage(parsed.problem, command.text ?? ''));
    await ack();
    deps.tasks.run(`/inbox by ${command.user_id}`, () =>
      deps.flow.run({
        identity: {
          teamId: command.team_id,
          ...(command.enterprise_id ? { enterpriseId: command.enterprise_id } : {}),
          userId: command.user_id,
        },
        request: parsed.request,
        replies: createReplies({ client, respond, channelId: command.channel_id, userId: command.user_id }),
      }),
    );
  });
}
