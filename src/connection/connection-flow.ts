import { randomBytes } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import type { GmailAccess } from '../auth/gmail-access';
import {
  connectionStatusMessage,
  disconnectedMessage,
  failureMessage,
  type SlackMessage,
} from '../blocks/notices';
import { InboxError } from '../core/errors';
import { describeError } from '../core/log';
import type { ArcadeUserIdResolver, SlackIdentity } from '../identity/identity';

/**
 * `/inbox status` and `/inbox disconnect`: read or remove the person's Gmail connection in Arcade
 * (the admin user-connections API). Neither starts a consent. Every outcome, failures included, is
 * a message for the person alone.
 */
export interface ConnectionFlow {
  /** Whether Gmail is connected, and which account. Never rejects. */
  status(identity: SlackIdentity): Promise<SlackMessage>;
  /** Removes the person's Google connection(s) in Arcade. Never rejects. */
  disconnect(identity: SlackIdentity): Promise<SlackMessage>;
}

/** What the connection flow needs. */
export interface ConnectionFlowDeps {
  resolveUserId: ArcadeUserIdResolver;
  access: GmailAccess;
  logger: Logger;
  newReferenceId?: () => string;
}

/** Creates the flow. */
export function createConnectionFlow(deps: ConnectionFlowDeps): ConnectionFlow {
  const { access, logger } = deps;
  const newReferenceId = deps.newReferenceId ?? (() => randomBytes(4).toString('hex'));

  function failed(what: string, identity: SlackIdentity, error: unknown): SlackMessage {
    const referenceId = newReferenceId();
    logger[error instanceof InboxError ? 'warn' : 'error'](
      `${what} failed for ${identity.userId} [ref ${referenceId}]:`,
      describeError(error),
    );
    return failureMessage(error, referenceId);
  }

  return {
    async status(identity) {
      try {
        const connection = await access.connection(await deps.resolveUserId(identity));
        return connectionStatusMessage(connection);
      } catch (error) {
        return failed('/inbox status', identity, error);
      }
    },
    async disconnect(identity) {
      try {
        const arcadeUserId = await deps.resolveUserId(identity);
        const removed = await access.disconnect(arcadeUserId);
        logger.info(
          `${identity.userId} disconnected Gmail: ${removed} connection(s) removed for ${arcadeUserId}`,
        );
        return disconnectedMessage(removed);
      } catch (error) {
        return failed('disconnecting Gmail', identity, error);
      }
    },
  };
}
