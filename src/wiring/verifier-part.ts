import type { CustomRoute, Logger } from '@slack/bolt';
import { createUserConfirmer } from '../auth/confirm-user';
import type { Config } from '../core/config';
import type { PendingConsents } from '../pending/pending-consents';
import type { PendingStore } from '../pending/pending-store';
import { createFlowOwners } from '../verifier/flow-owners';
import { createOneTimeIds } from '../verifier/one-time-ids';
import { createSlackSignIn } from '../verifier/slack-sign-in';
import { createVerifierRoutes } from '../verifier/verifier-routes';
import type { SdkClients } from './sdk-clients';
import type { InboxAppTuning } from './tuning';

/** The custom user verifier's routes (VERIFIER_ENABLED=true), else none. */
export function buildVerifierRoutes(
  config: Config,
  tuning: InboxAppTuning,
  deps: {
    clients: Pick<SdkClients, 'arcade' | 'slackRetry'>;
    store: PendingStore;
    pending: PendingConsents;
    logger: Logger;
  },
): CustomRoute[] {
  if (!config.verifier) return [];
  const { clients, store, pending, logger } = deps;
  return createVerifierRoutes({
    config: config.verifier,
    userIdSource: config.arcade.userIdSource,
    signIn: createSlackSignIn({
      apiUrl: config.slack.apiUrl,
      clientId: config.verifier.slackClientId,
      clientSecret: config.verifier.slackClientSecret,
      logger,
      retry: { ...clients.slackRetry },
      ...(tuning.verifierClock ? { now: tuning.verifierClock } : {}),
    }),
    confirmer: createUserConfirmer(clients.arcade),
    pendingAuthId: (arcadeUserId) => pending.pendingAuthId(arcadeUserId),
    // Through the pending store, so a flow bound on one instance is bound on all (REDIS_URL).
    flowOwners: createFlowOwners({
      claimFlow: (key, holder, ttlMs) => store.claimFlow(key, holder, ttlMs),
      markFlow: (key, holder, ttlMs) => store.markFlow(key, holder, ttlMs),
      flowHolder: (key) => store.flowHolder(key),
    }),
    logger,
    ...(tuning.verifierClock ? { now: tuning.verifierClock } : {}),
    ...(tuning.verifierStateTtlMs ? { stateTtlMs: tuning.verifierStateTtlMs } : {}),
    ...(tuning.verifierSignInCapacity
      ? { oneTimeIds: createOneTimeIds({ max: tuning.verifierSignInCapacity }) }
      : {}),
  });
}
