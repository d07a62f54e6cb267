/**
 * What `/inbox help` and the Home tab say when AI summaries are on: that a model writes a TL;DR,
 * which one, on which host, and from what. Pure, and free of the `openai` package.
 */

import { escapeTruncated } from '../blocks/mrkdwn';
import type { SummaryModelConfig } from '../core/config';

/** What people are told about the model: its name and the host it runs on, never the key. */
export interface AiSummaryInfo {
  model: string;
  host: string;
}

/** The model and host from the settings; undefined when AI summaries are off. */
export function aiSummaryInfo(config: SummaryModelConfig | undefined): AiSummaryInfo | undefined {
  if (!config) return undefined;
  let host = '';
  try {
    host = new URL(config.baseUrl).host;
  } catch {
    host = 'the configured server';
  }
  return { model: config.model, host };
}

/** One mrkdwn line; the admin's values are escaped and kept short like any other text. */
export function aiSummaryNote(info: AiSummaryInfo): string {
  const model = escapeTruncated(info.model.replace(/`/g, "'"), 100);
  const host = escapeTruncated(info.host.replace(/`/g, "'"), 100);
  return `:sparkles: *AI summaries are on:* each summary gets a short TL;DR written by \`${model}\` at \`${host}\`, which is sent the senders, subjects, dates, labels and previews of the messages shown (never a message body). It is marked as AI-written, and it can be wrong.`;
}
