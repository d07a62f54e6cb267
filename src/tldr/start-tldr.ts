/**
 * The TL;DR machinery for one app: the model client and the writer over it. Loaded by the
 * composition root only when SUMMARY_MODEL is set, since `openai` alone adds about 70 ms to
 * start-up (BENCHMARKS.md).
 */

import type { Logger } from '@slack/bolt';
import type { SummaryModelConfig } from '../core/config';
import type { Metrics } from '../metrics/metrics';
import { createModelClient } from './model-client';
import { createTldrWriter, type TldrWriter } from './tldr-writer';

export interface Tldr {
  writer: TldrWriter;
  /** Ends running calls (their summaries stay as posted), then closes the connection pool. */
  stop(): Promise<void>;
}

/** Tuning for tests: SDK retries (default 1). */
export interface TldrTuning {
  maxRetries?: number;
}

export function createTldr(
  config: SummaryModelConfig,
  logger: Logger,
  metrics?: Pick<Metrics, 'outsideCall'>,
  tuning: TldrTuning = {},
): Tldr {
  const client = createModelClient({
    config,
    logger,
    ...(metrics ? { metrics } : {}),
    ...(tuning.maxRetries !== undefined ? { maxRetries: tuning.maxRetries } : {}),
  });
  const writer = createTldrWriter({
    complete: client.complete,
    model: config.model,
    timeoutMs: config.timeoutMs,
    logger,
  });
  return {
    writer,
    async stop() {
      await writer.stop();
      await client.close();
    },
  };
}
