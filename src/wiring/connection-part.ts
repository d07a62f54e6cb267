import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ConsentWatcher } from '../auth/consent-watcher';
import type { GmailAccess } from '../auth/gmail-access';
import { type AppHome, createAppHome } from '../connection/app-home';
import { type ConnectionFlow, createConnectionFlow } from '../connection/connection-flow';
import type { Config } from '../core/config';
import { describeError } from '../core/log';
import type { ArcadeUserIdResolver } from '../identity/identity';
import type { PendingStore } from '../pending/pending-store';
import type { ScheduleCommands } from '../schedules/schedule-commands';

/** `/inbox status` and `disconnect`, and the Home tab. */
export interface ConnectionPart {
  connection: ConnectionFlow;
  home: AppHome;
}

/** The connection flow and the Home tab; disconnecting Gmail either way stops the person's digests. */
export function buildConnection(
  config: Config,
  deps: {
    client: WebClient;
    resolveUserId: ArcadeUserIdResolver;
    access: GmailAccess;
    watcher: ConsentWatcher;
    store: PendingStore;
    schedules: ScheduleCommands;
    summaryNote: string | undefined;
    logger: Logger;
  },
): ConnectionPart {
  const { client, resolveUserId, access, schedules, logger } = deps;
  const plain = createConnectionFlow({ resolveUserId, access, logger });
  // No digest could be read any more once Gmail is disconnected.
  const connection: ConnectionFlow = {
    ...plain,
    async disconnect(identity) {
      const message = await plain.disconnect(identity);
      const stopped = await schedules.stopAll(identity);
      if (stopped === 0) return message;
      return { ...message, text: `${message.text} Your ${stopped} scheduled digest(s) were stopped too.` };
    },
  };
  const plainHome = createAppHome({
    resolveUserId,
    access,
    watcher: deps.watcher,
    logger,
    visibility: config.visibility,
    ...(deps.summaryNote ? { summaryNote: deps.summaryNote } : {}),
    // Like /inbox consents, so the verifier on another instance accepts the tab's Connect link.
    noteConsent: (arcadeUserId, authId) =>
      deps.store.noteConsent(arcadeUserId, authId, config.consentTimeoutMs).catch((error: unknown) => {
        // The tab still shows its link; only another instance's verifier would not know it.
        logger.warn('recording the Home tab consent in the store failed:', describeError(error));
      }),
    publish: async (userId, view) => {
      await client.views.publish({ user_id: userId, view });
    },
    scheduleBlocks: (identity) => schedules.homeBlocks(identity),
  });
  const home: AppHome = {
    ...plainHome,
    async disconnect(identity) {
      await plainHome.disconnect(identity);
      await schedules.stopAll(identity);
    },
  };
  return { connection, home };
}
