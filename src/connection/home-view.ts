import type { types } from '@slack/bolt';
import {
  accountLabel,
  connectButton,
  disconnectDialog,
  fitsButton,
  type SummaryVisibility,
  usageLines,
} from '../blocks/notices';

type KnownBlock = types.KnownBlock;

/**
 * The App Home tab: the person's Gmail connection with a Connect or Disconnect button, how to use
 * `/inbox`, and where summaries go. Pure: (state) → view.
 * https://docs.slack.dev/surfaces/app-home
 */

/** The Disconnect button on the Home tab (the one in `/inbox disconnect` has its own id). */
export const HOME_DISCONNECT_ACTION = 'home_disconnect_gmail';

/** What the Home tab says about the person's Gmail connection. */
export type HomeState =
  | { kind: 'connected'; account?: string }
  /** `connectUrl` is a fresh Arcade consent link for this person only. */
  | { kind: 'not_connected'; connectUrl: string }
  /** The connection could not be read; `text` says why and what to do (already mrkdwn). */
  | { kind: 'unavailable'; text: string };

/** Everything the Home tab shows. */
export interface HomeViewInput {
  state: HomeState;
  visibility: SummaryVisibility;
  /** A one-line result of the last action ("Gmail disconnected."), already mrkdwn. */
  notice?: string;
  /** AI summaries are on: what the tab says about them (already mrkdwn). */
  summaryNote?: string;
  /** The person's scheduled digests, each with a Remove button (src/schedules/schedule-notices.ts). */
  schedules?: KnownBlock[];
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** Builds the Home tab view for `views.publish`. */
export function homeView({
  state,
  visibility,
  notice,
  summaryNote,
  schedules,
}: HomeViewInput): types.HomeView {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Inbox' } }];
  if (notice) blocks.push(section(notice));
  blocks.push(...connectionBlocks(state), { type: 'divider' });
  if (schedules?.length) blocks.push(...schedules, { type: 'divider' });
  blocks.push(section(usageLines(visibility).join('\n')));
  blocks.push(
    { type: 'divider' },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            visibility === 'channel'
              ? ':eyes: Summaries are posted in the channel where you type `/inbox`: everyone there sees the senders, subjects and previews. Use `/inbox private` (or a DM with this app) for anything you would not show the room.'
              : ':lock: Summaries are shown only to you; nothing reaches a channel until you press *Share to channel*.',
        },
      ],
    },
  );
  if (summaryNote) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: summaryNote }] });
  return { type: 'home', blocks };
}

function connectionBlocks(state: HomeState): KnownBlock[] {
  switch (state.kind) {
    case 'connected':
      return [
        section(
          `:white_check_mark: *Gmail connected*${state.account ? ` as *${accountLabel(state.account)}*` : ''}, read-only: the app reads senders, subjects and short previews, and can never send, change or delete mail.`,
        ),
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: HOME_DISCONNECT_ACTION,
              style: 'danger',
              text: { type: 'plain_text', text: 'Disconnect Gmail' },
              value: 'disconnect',
              confirm: disconnectDialog(),
            },
          ],
        },
      ];
    case 'not_connected':
      // A Home tab is blocks only, and no block holds a link this long; `/inbox` sends it as text.
      if (!fitsButton(state.connectUrl)) {
        return [
          section(
            ':heavy_minus_sign: *Gmail not connected.* Your Connect link is too long to show on this tab: type `/inbox` in any conversation (a DM with this app works) and you get it there, visible only to you.',
          ),
        ];
      }
      return [
        section(
          ':heavy_minus_sign: *Gmail not connected.* Connect it to use `/inbox`. The app asks for read-only access (`gmail.readonly`).',
        ),
        connectButton(state.connectUrl),
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: 'The link is only for you. If it has expired, open this tab again for a fresh one.',
            },
          ],
        },
      ];
    case 'unavailable':
      return [section(state.text)];
  }
}
