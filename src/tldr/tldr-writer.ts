/**
 * Adds the TL;DR to a summary already posted: asks the model, vets its answer, and hands the
 * blocks to the summary's owner to put on top. Runs beside the summary, never before it: the
 * summary is out when a job starts, and whatever the model does (fail, dawdle, answer nonsense),
 * the worst outcome is one log line and the summary as it was.
 */

import type { Logger, types } from '@slack/bolt';
import { describeError } from '../core/log';
import type { Inbox } from '../inbox/inbox';
import { ModelCallError, type ModelClient } from './model-client';
import { parseTldrAnswer } from './tldr-answer';
import { tldrBlocks } from './tldr-blocks';
import { buildTldrPrompt } from './tldr-prompt';

/** One posted summary waiting for its TL;DR. */
export interface TldrJob {
  inbox: Inbox;
  /** Puts the blocks on top of the posted summary (re-rendered, within the message's budget). */
  apply(top: types.KnownBlock[]): Promise<void>;
  /** Whose summary, for the log (a Slack user id). */
  owner: string;
}

export interface TldrWriter {
  /** The model's name, as the TL;DR's note, `/inbox help` and the Home tab show it. */
  readonly model: string;
  /** Starts the job in the background; never throws. */
  write(job: TldrJob): void;
  /** Jobs still running. */
  readonly inFlight: number;
  /** Resolves when no job is running (tests, benchmarks). */
  idle(): Promise<void>;
  /** Ends every running call (their summaries stay as posted) and waits for them. */
  stop(): Promise<void>;
}

export interface TldrWriterOptions {
  complete: ModelClient['complete'];
  model: string;
  /** From the summary's post to the TL;DR's update at most (SUMMARY_TIMEOUT_SECONDS). */
  timeoutMs: number;
  logger: Logger;
  /**
   * Jobs at once at most; beyond it a summary gets no TL;DR (logged). Bounds memory and the queue
   * at the model server in a burst, where a late TL;DR would time out anyway.
   */
  maxInFlight?: number;
}

export const MAX_TLDR_IN_FLIGHT = 200;

/** Creates the writer over a model client. */
export function createTldrWriter(options: TldrWriterOptions): TldrWriter {
  const { logger, model } = options;
  const maxInFlight = options.maxInFlight ?? MAX_TLDR_IN_FLIGHT;
  const running = new Map<Promise<void>, AbortController>();
  let stopped = false;

  async function run(job: TldrJob, controller: AbortController): Promise<void> {
    const started = performance.now();
    const timer = setTimeout(() => controller.abort('timeout'), options.timeoutMs);
    try {
      const answer = await options.complete(buildTldrPrompt(job.inbox), controller.signal);
      const parsed = parseTldrAnswer(answer, job.inbox.messages.length);
      if (!parsed) {
        logger.warn(`TL;DR for ${job.owner} not added: the model's answer had nothing usable in it`);
        return;
      }
      if (controller.signal.aborted)
        throw new ModelCallError(controller.signal.reason === 'timeout' ? 'timeout' : 'aborted');
      await job.apply(tldrBlocks(parsed, job.inbox, model));
      logger.info(
        `TL;DR by ${model} added to the summary for ${job.owner} after ${Math.round(performance.now() - started)} ms`,
      );
    } catch (error) {
      const why =
        error instanceof ModelCallError
          ? `${error.code}${error.status ? ` (HTTP ${error.status})` : ''}`
          : `the summary could not be updated: ${describeError(error)}`;
      logger.warn(`TL;DR for ${job.owner} not added: ${why}`);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    model,
    get inFlight() {
      return running.size;
    },
    write(job) {
      if (stopped || job.inbox.messages.length === 0) return;
      if (running.size >= maxInFlight) {
        logger.warn(`TL;DR for ${job.owner} not added: ${maxInFlight} already waiting on the model`);
        return;
      }
      const controller = new AbortController();
      const task = run(job, controller).finally(() => running.delete(task));
      running.set(task, controller);
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.keys());
    },
    async stop() {
      stopped = true;
      for (const controller of running.values()) controller.abort('shutdown');
      await Promise.all(running.keys());
    },
  };
}
