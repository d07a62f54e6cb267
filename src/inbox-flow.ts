import { randomBytes } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import type { ConsentOutcome, ConsentWatcher } from './auth/consent-watcher';
import type { AccessResult, GmailAccess, Grant } from './auth/gmail-access';
import {
  type ConnectReason,
  connectedMessage,
  connectPrompt,
  consentExpiredMessage,
  consentFailedMessage,
  failureMessage,
  shutdownMessage,
} from './blocks/notices';
import { renderInbox } from './blocks/render-inbox';
import { GmailAccessRefusedError, InboxError } from './errors';
import type { GmailReader } from './gmail/gmail-reader';
import type { ArcadeUserIdResolver, SlackIdentity } from './identity';
import type { InboxRequest } from './inbox';
import { describeError } from './log';
import type { Replies } from './slack/replies';

/**
 * The product's flow for one `/inbox`, after the ack: identity → Arcade → (consent, waited for in
 * the background) → Gmail → Block Kit → Slack. Knows nothing of Bolt's shapes; every failure ends
 * in a private message that says what happened and what to do.
 */

export interface InboxCommand {
  identity: SlackIdentity;
  request: InboxRequest;
  replies: Replies;
}

export interface InboxFlow {
  /** Runs the command to its end. Never rejects: failures are told to the person and logged. */
  run(command: InboxCommand): Promise<void>;
}

export interface InboxFlowDeps {
  resolveUserId: ArcadeUserIdResolver;
  access: GmailAccess;
  reader: GmailReader;
  watcher: ConsentWatcher;
  logger: Logger;
  consentTimeoutMs: number;
  /** Ties a person's error message to the log line; random by default. */
  newReferenceId?: () => string;
}

/** Creates the flow over its adapters. */
export function createInboxFlow(deps: InboxFlowDeps): InboxFlow {
  const { access, reader, watcher, logger } = deps;
  const newReferenceId = deps.newReferenceId ?? (() => randomBytes(4).toString('hex'));

  async function fail(command: InboxCommand, error: unknown): Promise<void> {
    const referenceId = newReferenceId();
    const known = error instanceof InboxError;
    logger[known ? 'warn' : 'error'](
      `/inbox failed for ${command.identity.userId} [ref ${referenceId}]:`,
      describeError(error),
      known ? '' : ((error as Error)?.stack ?? ''),
    );
    try {
      await command.replies.showPrivately(failureMessage(error, referenceId));
    } catch (replyError) {
      logger.error(
        `could not tell ${command.identity.userId} about failure ${referenceId}:`,
        describeError(replyError),
      );
    }
  }

  async function startConsent(
    command: InboxCommand,
    arcadeUserId: string,
    consent: Extract<AccessResult, { kind: 'consent_required' }>,
    reason: ConnectReason,
  ): Promise<void> {
    await command.replies.showPrivately(connectPrompt(consent.url, reason, deps.consentTimeoutMs));
    watcher.watch(arcadeUserId, consent.authId, (outcome) => afterConsent(command, arcadeUserId, outcome));
  }

  async function afterConsent(
    command: InboxCommand,
    arcadeUserId: string,
    outcome: ConsentOutcome,
  ): Promise<void> {
    try {
      switch (outcome.kind) {
        case 'granted': {
          // The "Connected" update and the Gmail reads do not depend on each other: run them together.
          const connected = command.replies
            .showPrivately(connectedMessage(), { replace: true })
            .catch((error: unknown) =>
              logger.warn('could not mark the Connect prompt as connected:', describeError(error)),
            );
          try {
            await summarize(command, arcadeUserId, outcome.grant);
          } finally {
            await connected;
          }
          return;
        }
        case 'failed':
          await command.replies.showPrivately(consentFailedMessage(), { replace: true });
          return;
        case 'expired':
          await command.replies.showPrivately(consentExpiredMessage(), { replace: true });
          return;
        case 'aborted':
          await command.replies.showPrivately(shutdownMessage(), { replace: true });
          return;
        case 'error':
          await fail(command, outcome.error);
          return;
      }
    } catch (error) {
      await fail(command, error);
    }
  }

  async function publish(command: InboxCommand, grant: Grant): Promise<void> {
    const inbox = await reader.readInbox(grant.token, command.request, grant.account);
    const route = await command.replies.publish(renderInbox(inbox, { requesterId: command.identity.userId }));
    logger.info(
      `summary of ${inbox.messages.length} message(s) for ${command.identity.userId} delivered via ${route}` +
        (inbox.skipped ? ` (${inbox.skipped} vanished)` : ''),
    );
  }

  /**
   * Publishes the summary; when Gmail refuses the token, asks Arcade once more (it refreshes
   * tokens), and if the grant is dead, removes it so the person gets a fresh Connect link.
   */
  async function summarize(command: InboxCommand, arcadeUserId: string, grant: Grant): Promise<void> {
    try {
      return await publish(command, grant);
    } catch (error) {
      if (!(error instanceof GmailAccessRefusedError)) throw error;
      logger.warn(`Gmail refused the token for ${arcadeUserId} (${error.reason}); asking Arcade again`);
    }
    const again = await access.request(arcadeUserId);
    if (again.kind === 'consent_required')
      return startConsent(command, arcadeUserId, again, 'access_refused');
    if (again.grant.token !== grant.token) {
      try {
        return await publish(command, again.grant);
      } catch (error) {
        if (!(error instanceof GmailAccessRefusedError)) throw error;
      }
    }
    const removed = await access.disconnect(arcadeUserId);
    logger.info(`removed ${removed} dead Google connection(s) for ${arcadeUserId}`);
    const fresh = await access.request(arcadeUserId);
    if (fresh.kind === 'consent_required')
      return startConsent(command, arcadeUserId, fresh, 'access_refused');
    throw new GmailAccessRefusedError('invalid_token', 401);
  }

  return {
    async run(command) {
      try {
        const arcadeUserId = await deps.resolveUserId(command.identity);
        const result = await access.request(arcadeUserId);
        if (result.kind === 'granted') {
          await summarize(command, arcadeUserId, result.grant);
        } else {
          await startConsent(command, arcadeUserId, result, 'first_time');
        }
      } catch (error) {
        await fail(command, error);
      }
    },
  };
}
