import type { GmailAccess, Grant } from '../auth/gmail-access';
import { renderInbox } from '../blocks/render-inbox';
import { GmailAccessRefusedError } from '../core/errors';
import type { GmailReader } from '../gmail/gmail-reader';
import type { PublishedHandle, Replies } from '../slack/replies';
import type { Inbox, InboxRequest } from './inbox';

/**
 * The common `/inbox`, for someone already connected: Arcade's token, Gmail's reads, the Block Kit
 * and the post, end to end. It runs in the summary thread (src/summary-thread/), so that none of
 * its CPU is spent on the thread where Bolt acks. Whatever needs the app's own state (a consent to
 * wait for, a refused token to ask Arcade about again, a failure to tell the person) comes back to
 * inbox-flow.ts as an outcome or an error.
 */

/** One summary to deliver: only data, since it crosses a thread. */
export interface DeliveryJob {
  arcadeUserId: string;
  /** The Slack user who asked: the summary says who it is for. */
  requesterId: string;
  request: InboxRequest;
  channelId: string;
  /** The command's reply link (a bearer URL: never logged). */
  responseUrl: string;
  /** A TL;DR follows (SUMMARY_MODEL): the Inbox comes back with the outcome, for the model to read. */
  withInbox: boolean;
}

export type DeliveryOutcome =
  | { kind: 'delivered'; handle: PublishedHandle; shown: number; skipped: number; inbox?: Inbox }
  | { kind: 'consent_required'; authId: string; url: string }
  /** Gmail refused Arcade's token: the app asks Arcade again (inbox-flow.ts). Nothing was posted. */
  | { kind: 'access_refused'; grant: Grant; reason: GmailAccessRefusedError['reason'] };

export interface DeliveryDeps {
  access: Pick<GmailAccess, 'request'>;
  reader: Pick<GmailReader, 'readInbox'>;
  /** The job's reply routes: the channel, else its reply link, else a DM (src/slack/replies.ts). */
  repliesFor(job: DeliveryJob): Pick<Replies, 'publishEditable'>;
}

export async function deliverSummary(deps: DeliveryDeps, job: DeliveryJob): Promise<DeliveryOutcome> {
  const access = await deps.access.request(job.arcadeUserId);
  if (access.kind === 'consent_required') {
    return { kind: 'consent_required', authId: access.authId, url: access.url };
  }
  let inbox: Inbox;
  try {
    inbox = await deps.reader.readInbox(access.grant.token, job.request, access.grant.account);
  } catch (error) {
    if (error instanceof GmailAccessRefusedError) {
      return { kind: 'access_refused', grant: access.grant, reason: error.reason };
    }
    throw error;
  }
  const published = await deps
    .repliesFor(job)
    .publishEditable(renderInbox(inbox, { requesterId: job.requesterId }));
  return {
    kind: 'delivered',
    handle: published.handle,
    shown: inbox.messages.length,
    skipped: inbox.skipped,
    ...(job.withInbox ? { inbox } : {}),
  };
}
