import type { Logger } from '@slack/bolt';
import type { Config } from '../core/config';
import type { Metrics } from '../metrics/metrics';
import { aiSummaryInfo, aiSummaryNote } from '../tldr/ai-summary-note';
import type { Tldr } from '../tldr/start-tldr';
import type { InboxAppTuning } from './tuning';

/** The TL;DR writer, loaded only when SUMMARY_MODEL is set: `openai` costs about 70 ms to load. */
function loadTldr(): typeof import('../tldr/start-tldr') {
  return require('../tldr/start-tldr');
}

/** The optional AI-written TL;DR (SUMMARY_MODEL), and the line that tells people it is on. */
export interface TldrPart {
  tldr: Tldr | undefined;
  summaryNote: string | undefined;
}

export function buildTldr(
  config: Config,
  tuning: InboxAppTuning,
  logger: Logger,
  metrics: Metrics,
): TldrPart {
  if (!config.summaryModel) return { tldr: undefined, summaryNote: undefined };
  const tldr = loadTldr().createTldr(config.summaryModel, logger, metrics, {
    ...(tuning.modelMaxRetries !== undefined ? { maxRetries: tuning.modelMaxRetries } : {}),
  });
  const ai = aiSummaryInfo(config.summaryModel);
  return { tldr, summaryNote: ai ? aiSummaryNote(ai) : undefined };
}
