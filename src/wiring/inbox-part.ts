import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../core/config';
import { createInboxFlow, type InboxFlow, type InboxFlowDeps } from '../inbox/inbox-flow';
import type { Metrics } from '../metrics/metrics';
import { createStoredReplies } from '../slack/replies';
import type { ResponseUrlCheck } from '../slack/response-url';
import type { Tldr } from '../tldr/start-tldr';

/** One `/inbox` after the ack, answered from a stored request's fields when a consent ends. */
export function buildInboxFlow(
  config: Config,
  deps: Pick<
    InboxFlowDeps,
    'resolveUserId' | 'access' | 'reader' | 'pending' | 'shareKey' | 'summaryThread'
  > & {
    client: WebClient;
    slackFetch: typeof fetch;
    isSlackUrl: ResponseUrlCheck;
    tldr: Tldr | undefined;
    metrics: Metrics;
    logger: Logger;
  },
): InboxFlow {
  const { client, tldr } = deps;
  return createInboxFlow({
    resolveUserId: deps.resolveUserId,
    access: deps.access,
    reader: deps.reader,
    pending: deps.pending,
    repliesFor: (request) =>
      createStoredReplies({
        client,
        fetch: deps.slackFetch,
        responseUrl: request.responseUrl,
        channelId: request.channelId,
        userId: request.identity.userId,
        isSlackUrl: deps.isSlackUrl,
      }),
    logger: deps.logger,
    consentTimeoutMs: config.consentTimeoutMs,
    verifier: config.verifier !== undefined,
    metrics: deps.metrics,
    ...(tldr ? { tldr: tldr.writer } : {}),
    shareKey: deps.shareKey,
    ...(deps.summaryThread ? { summaryThread: deps.summaryThread } : {}),
  });
}
