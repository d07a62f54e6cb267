/**
 * Requests as Slack sends them TO the app: signed slash commands and interaction payloads over HTTP.
 * Wire facts: ../../../shared/reference/slack.md §1 (fields, signing, the exact Content-Type Bolt requires).
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';

/** The fields of a slash command request; all are strings on the wire. */
export interface SlashCommandFields {
  team_id?: string;
  team_domain?: string;
  enterprise_id?: string;
  enterprise_name?: string;
  channel_id?: string;
  channel_name?: string;
  user_id?: string;
  user_name?: string;
  command?: string;
  text?: string;
  response_url?: string;
  trigger_id?: string;
  api_app_id?: string;
  is_enterprise_install?: string;
}

/** Options that bend a request out of shape, to test how the app rejects it. */
export interface SignedRequestOptions {
  /** Unix seconds to sign with (default now); Bolt refuses ones older than 5 minutes. */
  timestampSeconds?: number;
  /** Sent instead of the correct `v0=…` signature. */
  signature?: string;
  /** Sent instead of `application/x-www-form-urlencoded`. */
  contentType?: string;
}

/** The app's answer to a request, as Slack would see it. */
export interface AppResponse {
  status: number;
  body: string;
  /** The parsed body, when the Content-Type says JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: an arbitrary ack body that tests pick apart freely
  json?: any;
  headers: Record<string, string>;
  elapsedMs: number;
}

/** A realistic `trigger_id` ('13345224609.738474920.8088930838d88f008e0'): unique per invocation. */
export function randomTriggerId(): string {
  return `${randomInt(1e10, 1e11)}.${randomInt(1e8, 1e9)}.${randomBytes(11).toString('hex').slice(0, 21)}`;
}

/**
 * A slash command body with realistic defaults, in the field order of real captures. `response_url` has no default
 * (a real-looking one would point at the internet): pass one from the stand-in's `newResponseUrl()`.
 */
export function slashCommandPayload(fields: SlashCommandFields): Record<string, string> {
  const enterprise = {
    ...(fields.enterprise_id !== undefined && { enterprise_id: fields.enterprise_id }),
    ...(fields.enterprise_name !== undefined && { enterprise_name: fields.enterprise_name }),
  };
  return {
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: fields.team_id ?? 'T0001',
    team_domain: fields.team_domain ?? 'example',
    ...enterprise,
    channel_id: fields.channel_id ?? 'C0001',
    channel_name: fields.channel_name ?? 'general',
    user_id: fields.user_id ?? 'U0001',
    user_name: fields.user_name ?? 'alice',
    command: fields.command ?? '/inbox',
    text: fields.text ?? '',
    api_app_id: fields.api_app_id ?? 'A0STANDIN',
    is_enterprise_install: fields.is_enterprise_install ?? 'false',
    ...(fields.response_url !== undefined && { response_url: fields.response_url }),
    trigger_id: fields.trigger_id ?? randomTriggerId(),
  };
}

/** Form-encodes fields as Slack does: spaces as '+', '/' as '%2F'. */
export function formEncode(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Slack's v0 request signature: lowercase hex HMAC-SHA256 of `v0:<ts>:<body>` (Bolt rejects uppercase). */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): { 'X-Slack-Request-Timestamp': string; 'X-Slack-Signature': string } {
  const hex = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return { 'X-Slack-Request-Timestamp': String(timestampSeconds), 'X-Slack-Signature': `v0=${hex}` };
}

/** Sends a signed slash command to the app's events URL (e.g. 'http://127.0.0.1:PORT/slack/events'). */
export function postSlashCommand(
  eventsUrl: string,
  signingSecret: string,
  fields: SlashCommandFields,
  opts: SignedRequestOptions = {},
): Promise<AppResponse> {
  return postSigned(eventsUrl, signingSecret, formEncode(slashCommandPayload(fields)), opts);
}

/** Sends a signed interaction (`block_actions`, …) the way Slack does: one form field `payload` holding JSON. */
export function postInteraction(
  eventsUrl: string,
  signingSecret: string,
  payload: Record<string, unknown>,
  opts: SignedRequestOptions = {},
): Promise<AppResponse> {
  return postSigned(eventsUrl, signingSecret, `payload=${encodeURIComponent(JSON.stringify(payload))}`, opts);
}

/** Sends a signed Events API body (`event_callback`, …) the way Slack does: JSON, signed like the rest. */
export function postEvent(
  eventsUrl: string,
  signingSecret: string,
  body: Record<string, unknown>,
  opts: SignedRequestOptions = {},
): Promise<AppResponse> {
  return postSigned(eventsUrl, signingSecret, JSON.stringify(body), {
    contentType: 'application/json',
    ...opts,
  });
}

/** A realistic `block_actions` payload for a click on a button in an ephemeral message (a link button, with `url`). */
export function blockActionsPayload(opts: {
  userId?: string;
  teamId?: string;
  channelId?: string;
  actionId: string;
  blockId?: string;
  url?: string;
  responseUrl?: string;
  value?: string;
}): Record<string, unknown> {
  const teamId = opts.teamId ?? 'T0001';
  const userId = opts.userId ?? 'U0001';
  const channelId = opts.channelId ?? 'C0001';
  const action = {
    type: 'button',
    action_id: opts.actionId,
    block_id: opts.blockId ?? 'b1',
    text: { type: 'plain_text', text: 'Button', emoji: true },
    ...(opts.value !== undefined && { value: opts.value }),
    ...(opts.url !== undefined && { url: opts.url }),
    action_ts: `${(Date.now() / 1000).toFixed(6)}`,
  };
  return {
    type: 'block_actions',
    user: { id: userId, username: 'alice', name: 'alice', team_id: teamId },
    api_app_id: 'A0STANDIN',
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    container: {
      type: 'message',
      message_ts: '1700000000.000100',
      channel_id: channelId,
      is_ephemeral: true,
    },
    trigger_id: randomTriggerId(),
    team: { id: teamId, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'general' },
    state: { values: {} },
    ...(opts.responseUrl !== undefined && { response_url: opts.responseUrl }),
    actions: [action],
  };
}

async function postSigned(
  url: string,
  signingSecret: string,
  body: string,
  opts: SignedRequestOptions,
): Promise<AppResponse> {
  const signed = signSlackRequest(signingSecret, body, opts.timestampSeconds);
  const headers = {
    'Content-Type': opts.contentType ?? 'application/x-www-form-urlencoded',
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    Accept: '*/*',
    'X-Slack-Request-Timestamp': signed['X-Slack-Request-Timestamp'],
    'X-Slack-Signature': opts.signature ?? signed['X-Slack-Signature'],
  };
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  const elapsedMs = performance.now() - started;
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return {
    status: response.status,
    body: text,
    ...(isJson && { json: parseJson(text) }),
    headers: Object.fromEntries(response.headers),
    elapsedMs,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
