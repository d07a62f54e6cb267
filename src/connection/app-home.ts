import { randomBytes } from 'node:crypto';
import type { Logger, types } from '@slack/bolt';
import type { ConsentWatcher } from '../auth/consent-watcher';
import type { GmailAccess } from '../auth/gmail-access';
import { failureMessage, type SummaryVisibility } from '../blocks/notices';
import { InboxError } from '../errors';
import type { ArcadeUserIdResolver, SlackIdentity } from '../identity';
import { describeError } from '../log';
import { type HomeState, homeView } from './home-view';

/**
 * Keeps each person's App Home tab current: reads their connection when they open it, offers a
 * Connect link (and watches that consent, so the tab turns to "connected" by itself) or a
 * Disconnect button. Failures show on the tab; nothing here throws.
 */
export interface AppHome {
  /** Publishes the person's Home tab; `notice` leads it (e.g. the result of a disconnect). */
  show(identity: SlackIdentity, notice?: string): Promise<void>;
  /** Disconnect pressed on the Home tab: remove the connection, then show the tab again. */
  disconnect(identity: SlackIdentity): Promise<void>;
}

/** What the App Home service needs. */
export interface AppHomeDeps {
  resolveUserId: ArcadeUserIdResolver;
  access: GmailAccess;
  watcher: ConsentWatcher;
  logger: Logger;
  visibility: SummaryVisibility;
  /** Shown on the tab when AI summaries are on (src/tldr/ai-summary-note.ts). */
  summaryNote?: string;
  /** Records a Connect link's consent where every instance's verifier sees it (the pending store). */
  noteConsent?(arcadeUserId: string, authId: string): Promise<void>;
  /** `views.publish` for one person. */
  publish(userId: string, view: types.HomeView): Promise<void>;
  newReferenceId?: () => string;
}

/** Creates the App Home service. */
export function createAppHome(deps: AppHomeDeps): AppHome {
  const { access, logger } = deps;
  const newReferenceId = deps.newReferenceId ?? (() => randomBytes(4).toString('hex'));
  /** People whose Home tab is already waiting on a consent: one refresh each, however often they look. */
  const refreshing = new Set<string>();

  function unavailable(what: string, identity: SlackIdentity, error: unknown): HomeState {
    const referenceId = newReferenceId();
    logger[error instanceof InboxError ? 'warn' : 'error'](
      `${what} for ${identity.userId} failed [ref ${referenceId}]:`,
      describeError(error),
    );
    return { kind: 'unavailable', text: failureMessage(error, referenceId).text };
  }

  /** Refreshes the tab once the consent behind its Connect link is granted. */
  function refreshOnConsent(identity: SlackIdentity, arcadeUserId: string, authId: string): void {
    if (refreshing.has(arcadeUserId)) return;
    refreshing.add(arcadeUserId);
    deps.watcher.watch(arcadeUserId, authId, async (outcome) => {
      refreshing.delete(arcadeUserId);
      // Other outcomes leave the link on the tab; opening the tab again brings a fresh one.
      if (outcome.kind === 'granted') await show(identity, ':white_check_mark: Gmail connected.');
    });
  }

  async function currentState(identity: SlackIdentity): Promise<HomeState> {
    try {
      const arcadeUserId = await deps.resolveUserId(identity);
      const connection = await access.connection(arcadeUserId);
      if (connection.connected)
        return { kind: 'connected', ...(connection.account ? { account: connection.account } : {}) };
      const result = await access.request(arcadeUserId);
      if (result.kind === 'granted') {
        return { kind: 'connected', ...(result.grant.account ? { account: result.grant.account } : {}) };
      }
      refreshOnConsent(identity, arcadeUserId, result.authId);
      await deps.noteConsent?.(arcadeUserId, result.authId);
      return { kind: 'not_connected', connectUrl: result.url };
    } catch (error) {
      return unavailable('reading the Gmail connection for App Home', identity, error);
    }
  }

  async function show(identity: SlackIdentity, notice?: string): Promise<void> {
    const state = await currentState(identity);
    try {
      await deps.publish(
        identity.userId,
        homeView({
          state,
          visibility: deps.visibility,
          ...(notice ? { notice } : {}),
          ...(deps.summaryNote ? { summaryNote: deps.summaryNote } : {}),
        }),
      );
    } catch (error) {
      logger.warn(`could not publish the Home tab for ${identity.userId}:`, describeError(error));
    }
  }

  return {
    show,
    async disconnect(identity) {
      let notice: string;
      try {
        const arcadeUserId = await deps.resolveUserId(identity);
        const removed = await access.disconnect(arcadeUserId);
        logger.info(`${identity.userId} disconnected Gmail from App Home: ${removed} connection(s) removed`);
        notice =
          removed > 0
            ? ':white_check_mark: Gmail disconnected. To also remove the grant on Google’s side, visit <https://myaccount.google.com/permissions|your Google account permissions>.'
            : 'Your Gmail was not connected, so there was nothing to remove.';
      } catch (error) {
        const state = unavailable('disconnecting Gmail from App Home', identity, error);
        notice = state.kind === 'unavailable' ? state.text : '';
      }
      await show(identity, notice);
    },
  };
}
