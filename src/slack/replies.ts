import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { PostRefusal, SlackMessage } from '../blocks/notices';
import { deliveredByDmNote } from '../blocks/notices';
import { MisconfiguredError, ServiceUnavailableError } from '../core/errors';
import type { ResponseUrlCheck } from './response-url';

/**
 * Where one command's answers go. Private notices go through the command's `response_url`
 * (ephemeral: only the invoker sees them, and it works where the bot is not a member). The summary
 * goes to the channel with `chat.postMessage`; where the bot is not a member, through `response_url`
 * as an in-channel message; where that link has expired (30 minutes, 5 uses), by direct message.
 * https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
 */
export interface Replies {
  /** Shows a message only to the person; `replace` swaps it for the previous private message. */
  showPrivately(message: SlackMessage, options?: { replace?: boolean }): Promise<void>;
  /** Publishes the summary; resolves with the route that carried it. */
  publish(message: SlackMessage): Promise<DeliveryRoute>;
  /** Publishes as `publish` does, and says how to change that message later (a TL;DR on top). */
  publishEditable(message: SlackMessage): Promise<PublishedMessage>;
  /** Replaces the content of a message published for this command, wherever it was published. */
  editPublished(handle: PublishedHandle, message: SlackMessage): Promise<void>;
}

export type DeliveryRoute = 'channel' | 'response_url' | 'dm';

/**
 * Where a published message is, as data, so that another thread can change it: the channel and ts
 * `chat.postMessage` answered (the channel, or the DM), or the command's reply link that posted it.
 */
export type PublishedHandle =
  | { route: 'channel' | 'dm'; channel?: string; ts?: string }
  | { route: 'response_url' };

/** A published message that can be changed in place. */
export interface PublishedMessage {
  route: DeliveryRoute;
  handle: PublishedHandle;
  /**
   * Replaces its content: `chat.update` with the channel and ts `chat.postMessage` answered (the
   * channel, or the DM), or `replace_original` through the reply link that posted it.
   */
  edit(message: SlackMessage): Promise<void>;
}

export interface RepliesOptions {
  client: WebClient;
  respond: RespondFn;
  channelId: string;
  userId: string;
}

/**
 * Slack errors that mean "the bot cannot post here", not "Slack is broken": the reply link (which
 * posts as the person's command) may still get through, and a DM always reaches them.
 * https://docs.slack.dev/reference/methods/chat.postMessage#errors
 */
const REFUSALS: Record<string, PostRefusal> = {
  not_in_channel: 'not_a_member',
  channel_not_found: 'not_a_member',
  is_archived: 'is_archived',
  restricted_action: 'restricted_action',
  restricted_action_read_only_channel: 'restricted_action_read_only_channel',
  restricted_action_thread_only_channel: 'restricted_action_thread_only_channel',
  no_permission: 'no_permission',
  ekm_access_denied: 'ekm_access_denied',
};
/** Slack errors only an admin can fix. */
const SETUP_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'account_inactive',
  'missing_scope',
]);

/** Creates the reply routes for one command. */
export function createReplies({ client, respond: rawRespond, channelId, userId }: RepliesOptions): Replies {
  const respond = checkedRespond(rawRespond);
  const directMessage = (message: SlackMessage) =>
    translate(() =>
      client.chat.postMessage({ channel: userId, ...message, unfurl_links: false, unfurl_media: false }),
    );
  async function editPublished(handle: PublishedHandle, message: SlackMessage): Promise<void> {
    if (handle.route === 'response_url') {
      // The latest message of this reply link: the one `replace_original` acts on.
      await respond({ response_type: 'in_channel', replace_original: true, ...message });
      return;
    }
    // `chat.update` of a message `chat.postMessage` posted (it answered with its channel and ts).
    const { channel, ts } = handle;
    if (!channel || !ts) throw new Error('Slack did not say where the message was posted');
    await translate(() => client.chat.update({ channel, ts, ...message }));
  }
  const published = (handle: PublishedHandle): PublishedMessage => ({
    route: handle.route,
    handle,
    edit: (message) => editPublished(handle, message),
  });

  async function publishEditable(message: SlackMessage): Promise<PublishedMessage> {
    let refusal: PostRefusal;
    try {
      const posted = await translate(() =>
        client.chat.postMessage({
          channel: channelId,
          ...message,
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      return published({ route: 'channel', ...where(posted) });
    } catch (error) {
      if (!(error instanceof PostRefusedError)) throw error;
      refusal = error.refusal;
    }
    try {
      // A new message, never a replacement: from a Share click, the clicked private message stays.
      await respond({ response_type: 'in_channel', replace_original: false, ...message });
      return published({ route: 'response_url' });
    } catch (error) {
      if (!isRespondFailure(error)) throw error;
    }
    await directMessage({ text: deliveredByDmNote(channelId, refusal) });
    return published({ route: 'dm', ...where(await directMessage(message)) });
  }

  return {
    async showPrivately(message, options) {
      try {
        await respond({
          response_type: 'ephemeral',
          replace_original: options?.replace ?? false,
          ...message,
        });
      } catch (error) {
        // The reply link has expired or been used up; a DM still reaches only this person.
        if (!isRespondFailure(error)) throw error;
        await directMessage(message);
      }
    },

    async publish(message) {
      return (await publishEditable(message)).route;
    },

    publishEditable,
    editPublished,
  };
}

/** The channel and ts of a posted message, when Slack's answer has them. */
function where(posted: { channel?: string; ts?: string }): { channel?: string; ts?: string } {
  return {
    ...(typeof posted.channel === 'string' ? { channel: posted.channel } : {}),
    ...(typeof posted.ts === 'string' ? { ts: posted.ts } : {}),
  };
}

/**
 * Bolt's `respond` for a stored reply link: a JSON POST to `response_url` over the app's Slack
 * transport, failing on a non-2xx answer as Bolt's does. Lets any instance answer a command it did
 * not receive. The URL is a bearer link: it is never put in an error or a log line.
 */
export function respondVia(
  fetchFn: typeof fetch,
  responseUrl: string,
  isSlackUrl: ResponseUrlCheck = () => true,
): RespondFn {
  return async (message) => {
    // Not Slack's: refused like an expired link, so the person is answered by DM instead.
    if (!isSlackUrl(responseUrl)) throw new ResponseUrlError(0, 'not_a_slack_response_url');
    const body = typeof message === 'string' ? { text: message } : message;
    const response = await fetchFn(responseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      await response.arrayBuffer().catch(() => undefined);
      throw new ResponseUrlError(response.status);
    }
    return response;
  };
}

/**
 * A `respond` that also fails on a 2xx answer whose JSON body says `"ok": false`: Slack reports
 * some refusals that way, and Bolt's `respond` checks the status only. The body is read here
 * (a bare "ok" or an empty body is a success), so the connection goes back to the pool.
 */
function checkedRespond(respond: RespondFn): RespondFn {
  return async (message) => {
    const response = await respond(message);
    // Bolt's fetch or the app's undici one: two Response classes, so no instanceof.
    if (typeof response?.text !== 'function' || (response as { bodyUsed?: boolean }).bodyUsed)
      return response;
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return response;
    }
    if (typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === false) {
      throw new ResponseUrlError(response.status, (body as { error?: unknown }).error);
    }
    return response;
  };
}

/** The reply link refused a post (expired, used up, or Slack failed); same code as Bolt's RespondError. */
export class ResponseUrlError extends Error {
  readonly code = 'slack_bolt_respond_error';
  /** Slack's error code from an `{"ok":false}` body, when it sent one. */
  readonly slackError: string | undefined;
  constructor(
    readonly status: number,
    slackError?: unknown,
  ) {
    const named = typeof slackError === 'string' ? slackError.slice(0, 100) : undefined;
    super(`Failed to respond to the response_url: ${status}${named ? ` (${named})` : ''}`);
    this.name = 'ResponseUrlError';
    this.slackError = named;
  }
}

/** The reply routes for a command answered from stored fields (after a restart, or on another instance). */
export function createStoredReplies(options: {
  client: WebClient;
  fetch: typeof fetch;
  responseUrl: string;
  channelId: string;
  userId: string;
  /** Only Slack's hosts are posted to (src/slack/response-url.ts). */
  isSlackUrl?: ResponseUrlCheck;
}): Replies {
  return createReplies({
    client: options.client,
    respond: respondVia(options.fetch, options.responseUrl, options.isSlackUrl),
    channelId: options.channelId,
    userId: options.userId,
  });
}

/** Slack refused the post in this channel (see REFUSALS); publish routes around it. */
class PostRefusedError extends Error {
  constructor(readonly refusal: PostRefusal) {
    super(`Slack refused the post (${refusal})`);
  }
}

function isRespondFailure(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'slack_bolt_respond_error';
}

/** Maps web-api errors onto the app's, keeping "not a member" apart so publish can route around it. */
async function translate<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const coded = error as { code?: unknown; data?: { error?: unknown } } | null;
    const slackError = typeof coded?.data?.error === 'string' ? coded.data.error : undefined;
    if (coded?.code === 'slack_webapi_platform_error' && slackError) {
      const refusal = Object.hasOwn(REFUSALS, slackError) ? REFUSALS[slackError] : undefined;
      if (refusal) throw new PostRefusedError(refusal);
      if (SETUP_ERRORS.has(slackError)) {
        throw new MisconfiguredError(
          `Slack refused the bot token (${slackError})`,
          "Slack refused the app's bot token or scopes; reinstall the app and check SLACK_BOT_TOKEN.",
        );
      }
    }
    if (coded?.code === 'slack_webapi_request_error' || coded?.code === 'slack_webapi_http_error') {
      throw new ServiceUnavailableError('Slack', String((error as Error).message), { cause: error });
    }
    throw error;
  }
}
