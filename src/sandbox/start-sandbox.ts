import { randomBytes } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import { createInboxApp, type InboxApp } from '../app';
import { loadConfig } from '../config';
import { arcadeUserIdFromSlack } from '../identity';
import { INBOX_COMMAND } from '../listeners/inbox-command';
import { createLogger } from '../log';
import { type ArcadeStandIn, type Flow, startArcadeStandIn } from '../stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../stand-ins/gmail-stand-in';
import { blockActionsPayload, postInteraction, postSlashCommand } from '../stand-ins/slack-requests';
import { type SlackStandIn, startSlackStandIn } from '../stand-ins/slack-stand-in';
import { loadAssets } from './assets';
import { consentPageHtml } from './consent-page';
import { type Conversations, createConversations, directMessageId } from './conversations';
import { type PageApi, PageRequestError, type PageServer, startPageServer } from './page-server';
import {
  channelById,
  personById,
  SANDBOX_CHANNELS,
  SANDBOX_PEOPLE,
  SANDBOX_TEAM_ID,
  type SandboxPerson,
} from './workspace';

/**
 * The sandbox: the real app (createInboxApp, real Bolt, Arcade SDK and Gmail client, in HTTP mode)
 * wired to the Slack, Arcade and Gmail stand-ins on loopback, plus a web page that plays Slack's
 * part for a few sample people: it signs their slash commands and posts them to the app, shows
 * what the app sent back, and the Arcade stand-in plays Google's consent screen.
 */

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** The page's port; 0 (the default) picks a free one. */
  port?: number;
  /** The page's interface; loopback by default, so that nothing is reachable from elsewhere. */
  host?: string;
  /** Added to every stand-in answer, so the app's background work can be watched. Default 0. */
  delayMs?: number;
  /** Settings handed to the app as environment variables would be (LOG_LEVEL, CONSENT_TIMEOUT_SECONDS). */
  appSettings?: Record<string, string>;
  /** The app's logger; default one at the configured LOG_LEVEL writing to stdout/stderr. */
  logger?: Logger;
  /** The clock the sample mailboxes are dated from. */
  now?: () => number;
}

/** A running sandbox. */
export interface Sandbox {
  /** The page, e.g. `http://127.0.0.1:3000/`. */
  url: string;
  delayMs: number;
  slack: SlackStandIn;
  arcade: ArcadeStandIn;
  gmail: GmailStandIn;
  app: InboxApp;
  conversations: Conversations;
  /** Stops the page, then the app (which tells anyone still connecting), then the stand-ins. */
  stop(): Promise<void>;
}

const BOT_NAME = 'inbox';
const MAX_COMMAND_TEXT = 2000;
/** How often new channel messages get their arrival time noted (see Conversations.sync). */
const SYNC_INTERVAL_MS = 50;

/** Starts the stand-ins, the app and the page; on any failure, stops what already started. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const delayMs = options.delayMs ?? 0;
  const signingSecret = randomBytes(24).toString('hex');
  const gmailStatus: GmailStatus = {
    connected: new Set(SANDBOX_PEOPLE.filter((p) => p.connected).map((p) => p.id)),
    changes: 0,
  };
  let pageUrl = '/';
  const personOfFlow = (flow: Flow | undefined): SandboxPerson | undefined =>
    SANDBOX_PEOPLE.find((person) => arcadeUserId(person) === flow?.userId);

  const [slack, arcade, gmail] = await Promise.all([
    startSlackStandIn({
      botToken: `xoxb-sandbox-${randomBytes(8).toString('hex')}`,
      teamId: SANDBOX_TEAM_ID,
      users: Object.fromEntries(SANDBOX_PEOPLE.map((p) => [p.id, { name: handle(p), email: p.email }])),
    }),
    startArcadeStandIn({
      apiKey: `arc_sandbox_${randomBytes(8).toString('hex')}`,
      // Allowing hands out the token that opens the person's sample mailbox.
      consentGrant: (flow) => {
        const person = personOfFlow(flow);
        if (!person) return { token: `ya29.sandbox-unknown-${randomBytes(8).toString('hex')}` };
        gmailStatus.connected.add(person.id);
        gmailStatus.changes += 1;
        return { token: person.token, email: person.email };
      },
      consentPage: (state, flow) => {
        const person = personOfFlow(flow);
        return consentPageHtml({
          state,
          ...(person ? { person: { name: person.name, email: person.email } } : {}),
          scopes: flow?.scopes ?? [],
          sandboxUrl: pageUrl,
        });
      },
    }),
    startGmailStandIn(),
  ]);
  const standIns = [slack, arcade, gmail];
  const closeStandIns = () => Promise.all(standIns.map((standIn) => standIn.close())).then(() => undefined);

  let app: InboxApp | undefined;
  let page: PageServer | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    for (const standIn of standIns) standIn.delayMs = delayMs;
    for (const person of SANDBOX_PEOPLE) {
      gmail.addMailbox(person.token, { email: person.email, messages: person.mailbox(now()) });
      if (person.connected) arcade.grant(arcadeUserId(person), { token: person.token, email: person.email });
    }
    for (const channel of SANDBOX_CHANNELS) if (!channel.botIsMember) slack.botNotInChannels.add(channel.id);

    // The same settings an operator would give, pointing at the stand-ins (see test/support/boot-app.ts).
    const config = loadConfig({
      ...options.appSettings,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_SIGNING_SECRET: signingSecret,
      ARCADE_API_KEY: arcade.apiKey,
      ARCADE_BASE_URL: arcade.baseUrl,
      GMAIL_API_URL: gmail.rootUrl,
      PORT: '0',
    });
    const logger =
      options.logger ??
      createLogger({ level: config.logLevel, secrets: [slack.botToken, arcade.apiKey, signingSecret] });
    app = createInboxApp(config, { logger, shutdownGraceMs: 3000 });
    const { port: appPort } = await app.start();
    const eventsUrl = `http://127.0.0.1:${appPort}/slack/events`;

    const conversations = createConversations(slack, now);
    timer = setInterval(() => conversations.sync(), SYNC_INTERVAL_MS);
    timer.unref();

    const api = pageApi({
      slack,
      arcade,
      conversations,
      gmailStatus,
      eventsUrl,
      signingSecret,
      now,
      delayMs,
    });
    page = await startPageServer(api, loadAssets(), {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
    });
    pageUrl = page.url;

    const running = { app, page, timer };
    let stopping: Promise<void> | undefined;
    return {
      url: page.url,
      delayMs,
      slack,
      arcade,
      gmail,
      app,
      conversations,
      stop() {
        stopping ??= (async () => {
          clearInterval(running.timer);
          await running.page.close();
          await running.app.stop();
          await closeStandIns();
        })();
        return stopping;
      },
    };
  } catch (error) {
    clearInterval(timer);
    await page?.close();
    await app?.stop();
    await closeStandIns();
    throw error;
  }
}

/** The Arcade user id the app derives for a sample person (Slack identities, the default source). */
function arcadeUserId(person: SandboxPerson): string {
  return arcadeUserIdFromSlack({ teamId: SANDBOX_TEAM_ID, userId: person.id });
}

/** A Slack handle (`user_name`): the first name, lowercased. */
function handle(person: SandboxPerson): string {
  return (person.name.split(' ')[0] ?? person.id).toLowerCase();
}

/** Who has Gmail connected (as far as the sandbox has seen), and a count of changes for polling. */
interface GmailStatus {
  connected: Set<string>;
  changes: number;
}

interface ApiDeps {
  slack: SlackStandIn;
  arcade: ArcadeStandIn;
  conversations: Conversations;
  gmailStatus: GmailStatus;
  eventsUrl: string;
  signingSecret: string;
  now: () => number;
  delayMs: number;
}

/** What the page's API does, as Slack would: signed requests to the app, Slack's view of the replies. */
function pageApi(deps: ApiDeps): PageApi {
  const { slack, arcade, conversations, gmailStatus } = deps;
  const person = (viewer: string): SandboxPerson => {
    const found = personById(viewer);
    if (!found) throw new PageRequestError(400, `no sample person ${JSON.stringify(viewer)}`);
    return found;
  };
  const conversation = (viewer: string, channelId: string): { id: string; name: string } => {
    if (channelId === directMessageId(viewer)) return { id: channelId, name: 'directmessage' };
    const channel = channelById(channelId);
    if (!channel) throw new PageRequestError(400, `no channel ${JSON.stringify(channelId)}`);
    return channel;
  };

  return {
    version: () => conversations.version + gmailStatus.changes,
    state(viewer) {
      const who = personById(viewer ?? '') ?? (SANDBOX_PEOPLE[0] as SandboxPerson);
      return {
        viewer: who.id,
        delayMs: deps.delayMs,
        bot: { id: slack.botUserId, name: BOT_NAME },
        people: SANDBOX_PEOPLE.map((p) => ({
          id: p.id,
          name: p.name,
          email: p.email,
          about: p.about,
          connected: gmailStatus.connected.has(p.id),
        })),
        channels: SANDBOX_CHANNELS.map(({ id, name, topic, isPrivate, botIsMember }) => ({
          id,
          name,
          topic,
          isPrivate,
          botIsMember,
        })),
        directMessageId: directMessageId(who.id),
        entries: conversations.view(who.id),
      };
    },
    async command({ viewer, channel, text }) {
      const who = person(viewer);
      const where = conversation(who.id, channel);
      const match = /^\/inbox(?:\s+([\s\S]*))?$/.exec(text.trim());
      if (!match) throw new PageRequestError(400, `only ${INBOX_COMMAND} runs in the sandbox`);
      // Slack sends what follows the command, trimmed.
      const args = (match[1] ?? '').trim();
      if (args.length > MAX_COMMAND_TEXT) throw new PageRequestError(400, 'that command is too long');
      const responseUrl = slack.newResponseUrl();
      const responseUrlId = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
      conversations.commandSent({
        responseUrlId,
        userId: who.id,
        channelId: where.id,
        typed: args ? `${INBOX_COMMAND} ${args}` : INBOX_COMMAND,
        at: deps.now(),
      });
      try {
        const ack = await postSlashCommand(deps.eventsUrl, deps.signingSecret, {
          team_id: SANDBOX_TEAM_ID,
          team_domain: 'sandbox-co',
          channel_id: where.id,
          channel_name: where.name,
          user_id: who.id,
          user_name: handle(who),
          command: INBOX_COMMAND,
          text: args,
          response_url: responseUrl,
        });
        const body = isObject(ack.json) ? ack.json : undefined;
        conversations.ackReceived(responseUrlId, { status: ack.status, ...(body ? { body } : {}) });
      } catch {
        // The app could not be reached: Slack shows "dispatch_failed".
        conversations.ackReceived(responseUrlId, { status: 0 });
      }
    },
    async click({ viewer, channel, actionId, url }) {
      const who = person(viewer);
      const where = conversation(who.id, channel);
      await postInteraction(
        deps.eventsUrl,
        deps.signingSecret,
        blockActionsPayload({ userId: who.id, teamId: SANDBOX_TEAM_ID, channelId: where.id, actionId, url }),
      );
    },
    disconnect(viewer) {
      const who = person(viewer);
      arcade.revoke(arcadeUserId(who));
      gmailStatus.connected.delete(who.id);
      gmailStatus.changes += 1;
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
