import type { App } from '@slack/bolt';
import type { AppHome } from '../connection/app-home';
import type { BackgroundTasks } from '../core/background';
import { identityFromEvent } from './slack-identity';

/**
 * `app_home_opened`: publishes the person's Home tab (connection, Connect/Disconnect, usage).
 * Bolt acks events itself; the work runs in the background. The Messages tab opens the same event
 * with `tab: "messages"` and is left alone; an event without `tab` draws the Home tab.
 */
export function registerAppHome(app: App, deps: { home: AppHome; tasks: BackgroundTasks }): void {
  app.event('app_home_opened', async ({ event, body }) => {
    // `tab` is optional in @slack/types: only an explicit Messages tab is left alone.
    if (event.tab === 'messages') return;
    const identity = identityFromEvent(body as { team_id?: string; enterprise_id?: string }, event.user);
    deps.tasks.run(`App Home for ${event.user}`, () => deps.home.show(identity));
  });
}
