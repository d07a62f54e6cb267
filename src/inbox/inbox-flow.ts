import { randomBytes } from 'node:crypto';
import type { Logger, types } from '@slack/bolt';
import type { ConsentOutcome } from '../auth/consent-watcher';
import type { AccessResult, GmailAccess, Grant } from '../auth/gmail-access';
import {
  alreadySharedMessage,
  type ConnectReason,
  connectedDoneMessage,
  connectedMessage,
  connectPrompt,
  consentExpiredMessage,
  consentFailedMessage,
  failureMessage,
  type SlackMessage,
  shareBlocks,
  sharedNote,
  shareNeedsConnectMessage,
  shutdownMessage,
} from '../blocks/notices';
import { renderInbox } from '../blocks/render-inbox';
import type { Visibility } from '../core/config';
import { GmailAccessRefusedError, InboxError } from '../core/errors';
import { describeError } from '../core/log';
import type { GmailReader } from '../gmail/gmail-reader';
import type { ArcadeUserIdResolver, SlackIdentity } from '../identity/identity';
import type { Metrics } from '../metrics/metrics';
import type { PendingConsents } from '../pending/pending-consents';
import type { PendingRequest } from '../pending/pending-store';
import type { DeliveryRoute, Replies } from '../slack/replies';
import { encodeShareValue, type ShareReference } from '../slack/share-value';
import { createSummaryStore, newSummaryReference, type SummaryStore } from '../slack/summary-store';
import type { TldrWriter } from '../tldr/tldr-writer';
import type { DeliveryJob, DeliveryOutcome } from './deliver-summary';
import type { InboxRequest } from './inbox';

/**
 * The product's flow for one `/inbox`, after the ack: identity → Arcade → (consent, waited for in
 * the background) → Gmail → Block Kit → Slack (the channel, or only the person with a "Share to
 * channel" button). Knows nothing of Bolt's shapes; every failure ends in a private message that
 * says what happened and what to do.
 */

export interface InboxCommand {
  identity: SlackIdentity;
  request: InboxRequest;
  replies: Replies;
  /** Where the command was typed: a private summary's Share button posts there. */
  channelId: string;
  /** Default 'channel': posted for everyone. 'private': only the person sees it, and may share it. */
  visibility?: Visibility;
  /** The command's reply link (a bearer URL: never logged), stored while the person consents. */
  responseUrl: string;
}

/** A click on a private summary's "Share to channel" button. */
export interface ShareCommand {
  /** Who clicked, from the signed interaction; only the summary's owner can share it. */
  identity: SlackIdentity;
  share: ShareReference;
  /** Reply routes for the channel in `share`, with the clicked message's reply link. */
  replies: Replies;
}

/** One `/inbox` to its end, and Share clicks on private summaries. */
export interface InboxFlow {
  /** Runs the command to its end. Never rejects: failures are told to the person and logged. */
  run(command: InboxCommand): Promise<void>;
  /** Posts a private summary for everyone in its channel. Never rejects. */
  share(command: ShareCommand): Promise<void>;
  /**
   * Finishes a request that waited on consent, from its stored form (on whichever instance watched
   * the consent): a summary, or a private word on why not. Never rejects.
   */
  resume(request: PendingRequest, outcome: ConsentOutcome): Promise<void>;
}

/** The adapters the flow runs over. */
export interface InboxFlowDeps {
  resolveUserId: ArcadeUserIdResolver;
  access: GmailAccess;
  reader: GmailReader;
  /** Where requests wait on consent (memory or Redis), and who watches it. */
  pending: Pick<PendingConsents, 'add'>;
  /** Reply routes for a stored request. */
  repliesFor(request: PendingRequest): Replies;
  logger: Logger;
  consentTimeoutMs: number;
  /** Seals Share button values (src/slack/share-value.ts). */
  shareKey: Buffer;
  /** Private summaries awaiting a Share click; a fresh in-memory store by default. */
  summaries?: SummaryStore;
  /** The custom user verifier is on: the Connect prompt says a Slack sign-in follows Google. */
  verifier?: boolean;
  /** Ties a person's error message to the log line; random by default. */
  newReferenceId?: () => string;
  /** Summaries delivered and failed, consents started and ended (src/metrics). */
  metrics?: Pick<Metrics, 'summaryDelivered' | 'summaryFailed' | 'consent'>;
  /** SUMMARY_MODEL is set: each summary, once posted, gets an AI-written TL;DR on top (src/tldr/). */
  tldr?: Pick<TldrWriter, 'write'>;
  /**
   * Runs the common `/inbox` (connected, for the channel) end to end off the thread where Bolt
   * acks (src/summary-thread/); without it, all of it runs here.
   */
  summaryThread?: { deliver(job: DeliveryJob): Promise<DeliveryOutcome> };
}

type KnownBlock = types.KnownBlock;

/** Where a summary went: one of the reply routes, or privately to the person. */
type Delivery = DeliveryRoute | 'private';

/** What delivery waits for (the "Connected" note) and when the person asked (for the latency metric). */
interface PublishTiming {
  afterNote?: Promise<void>;
  startedAt?: number;
}

/** Who owns a private summary: the same person in the same workspace (or Enterprise Grid org). */
function ownerKey(identity: SlackIdentity): string {
  return `${identity.enterpriseId || identity.teamId}:${identity.userId}`;
}

/** Creates the flow over its adapters. */
export function createInboxFlow(deps: InboxFlowDeps): InboxFlow {
  const { access, reader, logger } = deps;
  const newReferenceId = deps.newReferenceId ?? (() => randomBytes(4).toString('hex'));
  const summaries = deps.summaries ?? createSummaryStore();

  async function fail(command: { identity: SlackIdentity; replies: Replies }, error: unknown): Promise<void> {
    const referenceId = newReferenceId();
    const known = error instanceof InboxError;
    deps.metrics?.summaryFailed(known ? error.code : 'unexpected');
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
    // Stored before the prompt is shown: a request the store cannot take gets an error, not a dead link.
    await deps.pending.add({
      arcadeUserId,
      authId: consent.authId,
      identity: command.identity,
      request: command.request,
      channelId: command.channelId,
      visibility: command.visibility ?? 'channel',
      responseUrl: command.responseUrl,
    });
    await command.replies.showPrivately(
      connectPrompt(consent.url, reason, deps.consentTimeoutMs, { verifier: deps.verifier === true }),
    );
    deps.metrics?.consent('started');
  }

  async function afterConsent(
    command: InboxCommand,
    arcadeUserId: string,
    outcome: ConsentOutcome,
  ): Promise<void> {
    try {
      switch (outcome.kind) {
        case 'granted': {
          deps.metrics?.consent('completed');
          // The "Connected" update and the Gmail reads do not depend on each other: run them together.
          const connected = command.replies
            .showPrivately(connectedMessage(), { replace: true })
            .catch((error: unknown) =>
              logger.warn('could not mark the Connect prompt as connected:', describeError(error)),
            );
          let route: Delivery | undefined;
          try {
            route = await summarize(command, arcadeUserId, outcome.grant, { afterNote: connected });
          } finally {
            await connected;
          }
          // The note said "Fetching your inbox…"; now it is in. (A private summary took its place.)
          if (route && route !== 'private') {
            await command.replies
              .showPrivately(connectedDoneMessage(route === 'dm' ? 'dm' : 'channel'), { replace: true })
              .catch((error: unknown) =>
                logger.warn('could not mark the Connect prompt as done:', describeError(error)),
              );
          }
          return;
        }
        case 'failed':
          deps.metrics?.consent('failed');
          await command.replies.showPrivately(consentFailedMessage(), { replace: true });
          return;
        case 'expired':
          deps.metrics?.consent('expired');
          await command.replies.showPrivately(consentExpiredMessage(), { replace: true });
          return;
        case 'aborted':
          await command.replies.showPrivately(shutdownMessage(), { replace: true });
          return;
        case 'handed_over':
          // Another instance answers from the store.
          return;
        case 'error':
          await fail(command, outcome.error);
          return;
      }
    } catch (error) {
      await fail(command, error);
    }
  }

  /**
   * Reads and delivers the summary; resolves with where it went. `afterNote`: the "Connected" note
   * still on its way, which a private summary then replaces (so it waits for it, or the note would
   * replace the summary). `startedAt` (Date.now()) only for a person already connected: it times the
   * summary end to end.
   */
  async function publish(command: InboxCommand, grant: Grant, timing: PublishTiming = {}): Promise<Delivery> {
    const inbox = await reader.readInbox(grant.token, command.request, grant.account);
    const requesterId = command.identity.userId;
    let route: Delivery;
    // Posted first, exactly as without a model; the TL;DR, if it comes, is put on top of that message.
    let addTldr: ((top: KnownBlock[]) => Promise<void>) | undefined;
    if (command.visibility === 'private') {
      const reference = newSummaryReference();
      const value = encodeShareValue(deps.shareKey, {
        reference,
        request: command.request,
        channelId: command.channelId,
      });
      // The Share blocks are inside the message's budget; the channel later gets the summary without them.
      const share = shareBlocks(value);
      const shown = renderInbox(inbox, { requesterId, bottom: share });
      const summary = { text: shown.text, blocks: shown.blocks.slice(0, shown.blocks.length - share.length) };
      summaries.put(ownerKey(command.identity), summary, reference);
      await timing.afterNote;
      await command.replies.showPrivately(shown, { replace: timing.afterNote !== undefined });
      route = 'private';
      addTldr = async (top) => {
        const next = renderInbox(inbox, { requesterId, top, bottom: share });
        const withoutShare = {
          text: next.text,
          blocks: next.blocks.slice(0, next.blocks.length - share.length),
        };
        // Already shared: the private copy is now the "shared" note, which must stay.
        if (!summaries.update(reference, ownerKey(command.identity), withoutShare)) return;
        await command.replies.showPrivately(next, { replace: true });
      };
    } else {
      const published = await command.replies.publishEditable(renderInbox(inbox, { requesterId }));
      route = published.route;
      addTldr = (top) => published.edit(renderInbox(inbox, { requesterId, top }));
    }
    delivered(command, route, { shown: inbox.messages.length, skipped: inbox.skipped }, timing.startedAt);
    deps.tldr?.write({ inbox, owner: requesterId, apply: addTldr });
    return route;
  }

  /** Counts and logs a delivered summary; `startedAt` times it end to end. */
  function delivered(
    command: InboxCommand,
    route: Delivery,
    inbox: { shown: number; skipped: number },
    startedAt: number | undefined,
  ): void {
    deps.metrics?.summaryDelivered(
      route,
      startedAt === undefined ? undefined : (Date.now() - startedAt) / 1000,
    );
    logger.info(
      `summary of ${inbox.shown} message(s) for ${command.identity.userId} delivered via ${route === 'private' ? 'a private reply' : route}` +
        (inbox.skipped ? ` (${inbox.skipped} vanished)` : ''),
    );
  }

  /**
   * The common `/inbox` in the summary thread: Arcade, Gmail and the post happen there; a consent
   * to wait for, a refused token and the TL;DR are handled here, as for a summary made here.
   */
  async function runInThread(
    thread: NonNullable<InboxFlowDeps['summaryThread']>,
    command: InboxCommand,
    arcadeUserId: string,
    startedAt: number,
  ): Promise<void> {
    const outcome = await thread.deliver({
      arcadeUserId,
      requesterId: command.identity.userId,
      request: command.request,
      channelId: command.channelId,
      responseUrl: command.responseUrl,
      withInbox: deps.tldr !== undefined,
    });
    switch (outcome.kind) {
      case 'consent_required':
        await startConsent(command, arcadeUserId, outcome, 'first_time');
        return;
      case 'access_refused':
        logger.warn(`Gmail refused the token for ${arcadeUserId} (${outcome.reason}); asking Arcade again`);
        await recoverRefused(command, arcadeUserId, outcome.grant, { startedAt });
        return;
      case 'delivered': {
        const { handle, inbox } = outcome;
        delivered(command, handle.route, outcome, startedAt);
        if (inbox) {
          const requesterId = command.identity.userId;
          deps.tldr?.write({
            inbox,
            owner: requesterId,
            apply: (top) => command.replies.editPublished(handle, renderInbox(inbox, { requesterId, top })),
          });
        }
        return;
      }
    }
  }

  /**
   * The summary to share: the very one the person saw, when this process still holds it; after a
   * restart, read afresh with the same count and search. Undefined when Gmail is not connected.
   */
  async function summaryToShare(command: ShareCommand): Promise<SlackMessage | 'already_shared' | undefined> {
    const stored = summaries.take(command.share.reference, ownerKey(command.identity));
    if (stored.kind === 'found') return stored.message;
    if (stored.kind === 'already_shared') return 'already_shared';
    const arcadeUserId = await deps.resolveUserId(command.identity);
    // Sharing never starts a consent (an authorize call would open one): the person is told to run /inbox.
    if (!(await access.connection(arcadeUserId)).connected) return undefined;
    const result = await access.request(arcadeUserId);
    if (result.kind !== 'granted') return undefined;
    const inbox = await reader.readInbox(result.grant.token, command.share.request, result.grant.account);
    return renderInbox(inbox, { requesterId: command.identity.userId });
  }

  /**
   * Publishes the summary; when Gmail refuses the token, asks Arcade once more (it refreshes
   * tokens), and if the grant is dead, removes it so the person gets a fresh Connect link.
   */
  async function summarize(
    command: InboxCommand,
    arcadeUserId: string,
    grant: Grant,
    timing: PublishTiming = {},
  ): Promise<Delivery | undefined> {
    try {
      return await publish(command, grant, timing);
    } catch (error) {
      if (!(error instanceof GmailAccessRefusedError)) throw error;
      logger.warn(`Gmail refused the token for ${arcadeUserId} (${error.reason}); asking Arcade again`);
    }
    return recoverRefused(command, arcadeUserId, grant, timing);
  }

  /** Gmail refused `grant`: a fresh token from Arcade, else a fresh consent once the dead grant is removed. */
  async function recoverRefused(
    command: InboxCommand,
    arcadeUserId: string,
    grant: Grant,
    timing: PublishTiming,
  ): Promise<Delivery | undefined> {
    const again = await access.request(arcadeUserId);
    if (again.kind === 'consent_required') {
      await startConsent(command, arcadeUserId, again, 'access_refused');
      return undefined;
    }
    if (again.grant.token !== grant.token) {
      try {
        return await publish(command, again.grant, timing);
      } catch (error) {
        if (!(error instanceof GmailAccessRefusedError)) throw error;
      }
    }
    const removed = await access.disconnect(arcadeUserId);
    logger.info(`removed ${removed} dead Google connection(s) for ${arcadeUserId}`);
    const fresh = await access.request(arcadeUserId);
    if (fresh.kind === 'consent_required') {
      await startConsent(command, arcadeUserId, fresh, 'access_refused');
      return undefined;
    }
    throw new GmailAccessRefusedError('invalid_token', 401);
  }

  return {
    async resume(request, outcome) {
      const command: InboxCommand = {
        identity: request.identity,
        request: request.request,
        replies: deps.repliesFor(request),
        channelId: request.channelId,
        visibility: request.visibility,
        responseUrl: request.responseUrl,
      };
      await afterConsent(command, request.arcadeUserId, outcome);
    },

    async share(command) {
      try {
        const summary = await summaryToShare(command);
        if (summary === 'already_shared') return await command.replies.showPrivately(alreadySharedMessage());
        if (!summary) return await command.replies.showPrivately(shareNeedsConnectMessage());
        const route = await command.replies.publish(summary);
        logger.info(`${command.identity.userId} shared a summary via ${route}`);
        // By DM, the person was already told why; otherwise the private copy gives way to a note.
        if (route === 'dm') return;
        await command.replies
          .showPrivately(sharedNote(command.share.channelId), { replace: true })
          .catch((error: unknown) =>
            logger.warn('could not replace the shared summary:', describeError(error)),
          );
      } catch (error) {
        await fail(command, error);
      }
    },

    async run(command) {
      const startedAt = Date.now();
      try {
        const arcadeUserId = await deps.resolveUserId(command.identity);
        // Private summaries stay here: their Share button needs this process's summary store.
        if (deps.summaryThread && command.visibility !== 'private') {
          return await runInThread(deps.summaryThread, command, arcadeUserId, startedAt);
        }
        const result = await access.request(arcadeUserId);
        if (result.kind === 'granted') {
          await summarize(command, arcadeUserId, result.grant, { startedAt });
        } else {
          await startConsent(command, arcadeUserId, result, 'first_time');
        }
      } catch (error) {
        await fail(command, error);
      }
    },
  };
}
