/**
 * The only importer of `openai`: one Chat Completions call to an OpenAI-compatible server
 * (OpenAI, Azure OpenAI's v1 API, Ollama, vLLM, LiteLLM). Configured explicitly, so the SDK reads
 * nothing from the environment that matters (OPENAI_CUSTOM_HEADERS, which it always reads, is
 * refused by loadConfig), over its own bounded connection pool, with a deadline per call.
 * https://platform.openai.com/docs/api-reference/chat/create
 */

import type { Logger } from '@slack/bolt';
import OpenAI, { APIError, APIUserAbortError } from 'openai';
import { Agent, fetch as undiciFetch } from 'undici';
import type { SummaryModelConfig } from '../core/config';
import { namedLogger } from '../core/log';
import { createMeteredFetch } from '../metrics/metered-fetch';
import type { Metrics } from '../metrics/metrics';
import type { PromptMessage } from './tldr-prompt';

/** Why a call produced no answer; only these words and an HTTP status reach the log. */
export type ModelFailure =
  | 'timeout'
  | 'aborted'
  | 'refused'
  | 'rate_limited'
  | 'server_error'
  | 'unreachable'
  | 'bad_answer';

/** A call that produced no usable text; `status` is the model server's HTTP status, when it answered. */
export class ModelCallError extends Error {
  readonly code: ModelFailure;
  constructor(
    failure: ModelFailure,
    readonly status?: number,
  ) {
    super(`the model server call failed (${failure}${status ? `, HTTP ${status}` : ''})`);
    this.name = 'ModelCallError';
    this.code = failure;
  }
}

/** One completion at a time per call; `close()` at shutdown. */
export interface ModelClient {
  /** The model's text, or a ModelCallError. `signal` ends the call (the deadline, or shutdown). */
  complete(messages: PromptMessage[], signal: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

export interface ModelClientOptions {
  config: SummaryModelConfig;
  logger: Logger;
  metrics?: Pick<Metrics, 'outsideCall'>;
  /** Connections to the model server at most; further calls queue (and their deadline runs). */
  connections?: number;
  /** SDK retries of a 408/409/429/5xx or a dropped connection, within the same deadline. Default 1. */
  maxRetries?: number;
}

/** Enough for a burst of summaries; a model server is usually the slowest party by far. */
export const MODEL_CONNECTIONS = 16;
/** The answer's length cap: three short lines need far fewer; it bounds cost and time. */
export const MAX_COMPLETION_TOKENS = 300;

/**
 * The SDK's platform headers say which OS, CPU and Node version the app runs on; the model server
 * does not need to know. A null in `defaultHeaders` removes a header.
 */
const WITHHELD_HEADERS = {
  'X-Stainless-Lang': null,
  'X-Stainless-Package-Version': null,
  'X-Stainless-OS': null,
  'X-Stainless-Arch': null,
  'X-Stainless-Runtime': null,
  'X-Stainless-Runtime-Version': null,
};

/** Creates the client; it opens no connection until the first call. */
export function createModelClient(options: ModelClientOptions): ModelClient {
  const { config } = options;
  const agent = new Agent({
    connections: options.connections ?? MODEL_CONNECTIONS,
    keepAliveTimeout: 30_000,
    // The deadline ends calls sooner; these only stop a connection from outliving it by much.
    headersTimeout: config.timeoutMs + 1000,
    bodyTimeout: config.timeoutMs + 1000,
  });
  const pooled: typeof fetch = (input, init) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    }) as unknown as Promise<Response>;
  const metered = options.metrics ? createMeteredFetch(pooled, 'model', options.metrics as Metrics) : pooled;
  const client = new OpenAI({
    // A self-hosted server may want no key; the SDK refuses to start without one.
    apiKey: config.apiKey ?? 'no-key',
    baseURL: config.baseUrl,
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    timeout: config.timeoutMs,
    maxRetries: options.maxRetries ?? 1,
    fetch: metered,
    defaultHeaders: WITHHELD_HEADERS,
    logger: namedLogger(options.logger, 'openai'),
    logLevel: 'warn',
  });

  return {
    async complete(messages, signal) {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          {
            model: config.model,
            messages,
            max_completion_tokens: MAX_COMPLETION_TOKENS,
            n: 1,
            stream: false,
          },
          { signal },
        );
      } catch (error) {
        throw toModelCallError(error, signal);
      }
      const choice = completion?.choices?.[0];
      const content = choice?.message?.content;
      if (typeof content !== 'string' || choice?.message?.refusal) throw new ModelCallError('bad_answer');
      return content;
    },
    async close() {
      await agent.close().catch(() => undefined);
    },
  };
}

/** Only a kind and a status: a model server's error text may quote the prompt, that is, mail. */
function toModelCallError(error: unknown, signal: AbortSignal): ModelCallError {
  if (signal.aborted || error instanceof APIUserAbortError) {
    return new ModelCallError(signal.reason === 'timeout' ? 'timeout' : 'aborted');
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    if (status === 429) return new ModelCallError('rate_limited', status);
    if (status >= 500) return new ModelCallError('server_error', status);
    if (status === 408) return new ModelCallError('timeout', status);
    return new ModelCallError('refused', status);
  }
  if ((error as { name?: string })?.name === 'APIConnectionTimeoutError')
    return new ModelCallError('timeout');
  if (error instanceof APIError) return new ModelCallError('unreachable');
  return new ModelCallError('bad_answer');
}
