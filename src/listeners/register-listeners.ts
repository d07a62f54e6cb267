import type { App, Logger } from '@slack/bolt';
import type { AppHome } from '../connection/app-home';
import type { ConnectionFlow } from '../connection/connection-flow';
import type { BackgroundTasks } from '../core/background';
import type { Visibility } from '../core/config';
import { describeError } from '../core/log';
import type { SlackIdentity } from '../identity/identity';
import type { InboxFlow } from '../inbox/inbox-flow';
import { createCommandMetrics } from '../metrics/command-metrics';
import type { Metrics } from '../metrics/metrics';
import type { ScheduleCommands } from '../schedules/schedule-commands';
import type { ScheduleRunner } from '../schedules/schedule-runner';
import { registerAppHome } from './app-home';
import { registerConnectionButtons } from './connection-buttons';
import { INBOX_COMMAND, registerInboxCommand } from './inbox-command';
import { registerLinkButtons } from './link-buttons';
import { registerScheduleButtons } from './schedule-buttons';
import { registerUserLeft } from './user-left';

/** What the listeners hand their work to. */
export interface ListenerDeps {
  flow: InboxFlow;
  connection: ConnectionFlow;
  home: AppHome;
  schedules: ScheduleCommands;
  runner: ScheduleRunner;
  tasks: BackgroundTasks;
  visibility: Visibility;
  summaryNote: string | undefined;
  /** Seals and checks Share button values (src/slack/share-value.ts). */
  shareKey: Buffer;
  metrics: Metrics;
  logger: Logger;
  /** A person clicked Connect Gmail: their consent is watched closely from now (a long-poll). */
  consentOpened: (identity: SlackIdentity) => Promise<void>;
}

/** Every way Slack reaches the app: `/inbox`, the buttons, the Home tab and `user_change`. */
export function registerListeners(bolt: App, deps: ListenerDeps): void {
  const { flow, connection, home, schedules, tasks, summaryNote } = deps;
  bolt.use(createCommandMetrics(deps.metrics, INBOX_COMMAND) as Parameters<App['use']>[0]);
  registerInboxCommand(bolt, {
    flow,
    connection,
    tasks,
    visibility: deps.visibility,
    schedules,
    ...(summaryNote ? { summaryNote } : {}),
  });
  registerScheduleButtons(bolt, { schedules, runner: deps.runner, tasks, home });
  registerUserLeft(bolt, { schedules, tasks });
  registerConnectionButtons(bolt, { flow, connection, home, tasks, shareKey: deps.shareKey });
  registerAppHome(bolt, { home, tasks });
  registerLinkButtons(bolt, { opened: deps.consentOpened });
  bolt.error(async (error) => {
    deps.logger.error('unhandled error in a listener:', describeError(error));
  });
}
