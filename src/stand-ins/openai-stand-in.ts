/**
 * A stand-in for an OpenAI-compatible Chat Completions server (OpenAI, Azure OpenAI's v1 API,
 * Ollama, vLLM, LiteLLM all speak it): `POST /v1/chat/completions` with a Bearer key, answered with
 * a `chat.completion` object, or OpenAI's error envelope. It can be slow, fail (401, 429 with
 * `retry-after`, 500), and answer whatever a test wants, hostile text included. By default it
 * answers like a small deterministic model: the sandbox's built-in one.
 * https://platform.openai.com/docs/api-reference/chat/create
 */
import type { IncomingHttpHeaders } from 'node:http';
import { readBody, requestUrl, sendJson, startServer } from './http-server';

/** One request as received. */
export interface ModelCall {
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: ChatRequest | undefined;
  at: number;
  status: number;
}

/** The part of a Chat Completions request the stand-in reads. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  [field: string]: unknown;
}

/** An error answer instead of a completion. */
export interface ModelFault {
  status: number;
  /** Sent as the `retry-after` header (seconds). */
  retryAfter?: string;
  /** Sent instead of OpenAI's envelope. */
  body?: unknown;
}

/** What the "model" writes for a request; the default is {@link deterministicTldr}. */
export type Responder = (request: ChatRequest) => string;

export interface ModelStandIn {
  /** `http://127.0.0.1:PORT/v1`: the OPENAI_BASE_URL to give the app. */
  baseUrl: string;
  /** The key it accepts as `Authorization: Bearer …`; undefined accepts any or none. */
  apiKey: string | undefined;
  calls: ModelCall[];
  /** Added before every answer; may be changed at any time. */
  delayMs: number;
  /** The next `times` (default 1) completions are answered with `fault`. */
  failNext(fault: ModelFault, times?: number): void;
  /** What the model answers; may be replaced at any time. */
  respond: Responder;
  close(): Promise<void>;
}

const ERRORS: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  401: {
    message:
      'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  },
  404: {
    message: 'The model does not exist or you do not have access to it.',
    type: 'invalid_request_error',
    code: 'model_not_found',
  },
  429: {
    message: 'Rate limit reached for requests. Please try again in 1s.',
    type: 'requests',
    code: 'rate_limit_exceeded',
  },
  500: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    code: null,
  },
  503: {
    message: 'The engine is currently overloaded, please try again later.',
    type: 'server_error',
    code: null,
  },
};

/** OpenAI's error envelope: `{error: {message, type, param, code}}`. */
export function openAiErrorBody(status: number, message?: string): { error: object } {
  const known = ERRORS[status] ?? ERRORS[500];
  return {
    error: { message: message ?? known?.message, type: known?.type, param: null, code: known?.code ?? null },
  };
}

/** Starts the stand-in. `models`: names it knows (others get 404); empty knows every name. */
export async function startModelStandIn(
  options: { apiKey?: string; models?: string[] } = {},
): Promise<ModelStandIn> {
  const faults: ModelFault[] = [];
  let sequence = 0;
  const standIn: ModelStandIn = {
    baseUrl: '',
    apiKey: options.apiKey,
    calls: [],
    delayMs: 0,
    respond: deterministicTldr,
    failNext(fault, times = 1) {
      for (let i = 0; i < times; i += 1) faults.push(fault);
    },
    close: async () => undefined,
  };
  const server = await startServer(async (req, res) => {
    const url = requestUrl(req);
    const raw = await readBody(req);
    let body: ChatRequest | undefined;
    try {
      body = JSON.parse(raw) as ChatRequest;
    } catch {
      body = undefined;
    }
    const call: ModelCall = { path: url.pathname, headers: req.headers, body, at: Date.now(), status: 0 };
    standIn.calls.push(call);
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      sendJson(res, status, json, headers);
    };
    await server.pause(standIn.delayMs).done;
    if (server.closed) return;
    if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions')
      return answer(404, openAiErrorBody(404, `Unknown request URL: ${req.method} ${url.pathname}`));
    if (standIn.apiKey !== undefined && req.headers.authorization !== `Bearer ${standIn.apiKey}`)
      return answer(401, openAiErrorBody(401));
    const fault = faults.shift();
    if (fault)
      return answer(fault.status, fault.body ?? openAiErrorBody(fault.status), {
        ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}),
        'x-request-id': `req_${sequence}`,
      });
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages))
      return answer(400, openAiErrorBody(400, "Missing required parameter: 'model' or 'messages'."));
    if (options.models && options.models.length > 0 && !options.models.includes(body.model))
      return answer(404, openAiErrorBody(404, `The model \`${body.model}\` does not exist.`));
    sequence += 1;
    const content = standIn.respond(body);
    const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
    const completionTokens = Math.ceil(content.length / 4);
    answer(200, {
      id: `chatcmpl-standin${sequence}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
      system_fingerprint: null,
    });
  });
  standIn.baseUrl = `${server.url}/v1`;
  standIn.close = () => server.close();
  return standIn;
}

interface PromptEmail {
  n: number;
  from: string;
  subject: string;
  labels: string[];
}

/**
 * A small deterministic "model": reads the app's prompt (src/tldr/tldr-prompt.ts) and names what
 * looks like it needs the person, by number, with subjects copied from the mail as a real model
 * would (hostile ones included), then counts the rest.
 */
export function deterministicTldr(request: ChatRequest): string {
  const user = [...request.messages].reverse().find((m) => m.role === 'user');
  let emails: PromptEmail[] = [];
  try {
    const parsed = JSON.parse(user?.content ?? '') as { emails?: PromptEmail[] };
    emails = Array.isArray(parsed.emails) ? parsed.emails : [];
  } catch {
    return 'I could not read the list of emails.';
  }
  if (emails.length === 0) return 'Nothing in the inbox.';
  const bulk = emails.filter((e) => e.labels?.includes('bulk') || e.labels?.includes('promotions'));
  const people = emails.filter((e) => !bulk.includes(e));
  const urgent = people.filter(
    (e) => e.labels?.includes('important') || e.labels?.includes('starred') || e.labels?.includes('unread'),
  );
  const name = (from: string) =>
    from
      .replace(/<[^>]*>$/, '')
      .replace(/"/g, '')
      .trim() || from;
  const lines: string[] = [];
  if (urgent.length > 0) {
    const listed = urgent
      .slice(0, 3)
      .map((e) => `${name(e.from)}: ${e.subject || '(no subject)'} [${e.n}]`)
      .join('; ');
    lines.push(`${urgent.length} may need a reply: ${listed}.`);
  } else {
    lines.push('Nothing from people looks urgent.');
  }
  const others = people.length - urgent.length;
  if (others > 0) lines.push(`${others} more from people, already read.`);
  if (bulk.length > 0) lines.push(`${bulk.length} newsletters and notifications can wait.`);
  return lines.join('\n');
}
