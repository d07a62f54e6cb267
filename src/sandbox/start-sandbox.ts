import { randomBytes } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import { createInboxApp, type InboxApp } from '../app';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/log';
import { arcadeUserIdFromSlack } from '../identity/identity';
import { INBOX_COMMAND } from '../listeners/inbox-command';
import { type ArcadeStandIn, type Flow, startArcadeStandIn } from '../stand-ins/arcade-stand-in';
import { type GmailStandIn, startGmailStandIn } from '../stand-ins/gmail-stand-in';
import { type ModelStandIn, startModelStandIn } from '../stand-ins/openai-stand-in';
import { postEvent, postInteraction, postSlashCommand } from '../stand-ins/slack-requests';
import { appHomeOpenedEvent, type SlackStandIn, startSlackStandIn } from '../stand-ins/slack-stand-in';
import { loadAssets } from './assets';
import { consentPageHtml } from './consent-page';
import { type Conversations, createConversations, directMessageId } from './conversations';
import {
  actionOf,
  type Clicker,
  type ElementPath,
  findElement,
  homeActionBody,
  messageActionBody,
} from './interactions';
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
  /** The built-in stand-in model writes a TL;DR on each summary (docs/tldr.md). Default true. */
  tldr?: boolean;
}

/** The model name the sandbox's built-in stand-in answers to. */
export const SANDBOX_MODEL = 'sandbox-model';

/** A running sandbox. */
export interface Sandbox {
  /** The page, e.g. `http://127.0.0.1:3000/`. */
  url: string;
  delayMs: number;
  slack: SlackStandIn;
  arcade: ArcadeStandIn;
  gmail: GmailStandIn;
  /** The built-in deterministic model (Chat Completions on loopback), when the TL;DR is on. */
  model?: ModelStandIn;
  app: InboxApp;
  conversations: Conversations;
  /** The interface the app's own port listens on: loopback. */
  appAddress: string | undefined;
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
  let pageUrl = '/';
  const personOfFlow = (flow: Flow | undefined): SandboxPerson | undefined =>
    SANDBOX_PEOPLE.find((person) => arcadeUserId(person) === flow?.userId);

  const [slack, arcade, gmail] = await Promise.all([
    startSlackStandIn({
      botToken: `xoxb-sandbox-${randomBytes(8).toString('hex')}`,
      teamId: SANDBOX_TEAM_ID,
      users: Object.fromEntries(
        SANDBOX_PEOPLE.map((p) => [p.id, { name: handle(p), email: p.email, tz: p.timeZone }]),
      ),
    }),
    startArcadeStandIn({
      apiKey: `arc_sandbox_${randomBytes(8).toString('hex')}`,
      // Allowing hands out the token that opens the person's sample mailbox.
      consentGrant: (flow) => {
        const person = personOfFlow(flow);
        if (!person) return { token: `ya29.sandbox-unknown-${randomBytes(8).toString('hex')}` };
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
  const modelKey = `sk-sandbox-${randomBytes(8).toString('hex')}`;
  const model =
    options.tldr === false
      ? undefined
      : await startModelStandIn({ apiKey: modelKey, models: [SANDBOX_MODEL] });
  const standIns = [slack, arcade, gmail, ...(model ? [model] : [])];
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
      ...(model
        ? { SUMMARY_MODEL: SANDBOX_MODEL, OPENAI_BASE_URL: model.baseUrl, OPENAI_API_KEY: modelKey }
        : {}),
    });
    const logger =
      options.logger ??
      createLogger({
        level: config.logLevel,
        secrets: [slack.botToken, arcade.apiKey, signingSecret, modelKey],
      });
    // Loopback only: the sandbox's signing secret is in the page, so its app must not be reachable from elsewhere.
    app = createInboxApp(config, { logger, shutdownGraceMs: 3000, listenHost: '127.0.0.1' });
    const { port: appPort, address: appAddress } = await app.start();
    const eventsUrl = `http://127.0.0.1:${appPort}/slack/events`;

    const conversations = createConversations(slack, now);
    timer = setInterval(() => conversations.sync(), SYNC_INTERVAL_MS);
    timer.unref();

    const api = pageApi({
      slack,
      arcade,
      conversations,
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
      appAddress,
      delayMs,
      slack,
      arcade,
      gmail,
      ...(model ? { model } : {}),
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

interface ApiDeps {
  slack: SlackStandIn;
  arcade: ArcadeStandIn;
  conversations: Conversations;
  eventsUrl: string;
  signingSecret: string;
  now: () => number;
  delayMs: number;
}

/** The Slack stand-in's app id (sent in Socket Mode's hello and in every payload). */
const APP_ID = 'A0STANDIN';
const TEAM_DOMAIN = 'sandbox-co';

/** What the page's API does, as Slack would: signed requests to the app, Slack's view of the replies. */
function pageApi(deps: ApiDeps): PageApi {
  const { slack, arcade, conversations } = deps;
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
  const connected = (p: SandboxPerson) => arcade.hasGrant(arcadeUserId(p));
  const clicker = (who: SandboxPerson): Clicker => ({
    userId: who.id,
    userName: handle(who),
    teamId: SANDBOX_TEAM_ID,
    teamDomain: TEAM_DOMAIN,
    appId: APP_ID,
  });
  /** Slack shows a warning on the element when the app does not ack within 3 s; the page says so. */
  const sendInteraction = async (body: Record<string, unknown>): Promise<void> => {
    let status: number;
    try {
      status = (await postInteraction(deps.eventsUrl, deps.signingSecret, body)).status;
    } catch {
      throw new PageRequestError(502, 'the app did not answer the click (is it still running?)');
    }
    if (status !== 200) throw new PageRequestError(502, `the app answered the click with HTTP ${status}`);
  };
  // Who is connected is read from the Arcade stand-in, which the app changes on its own (Disconnect).
  let connectedKey = '';
  let connectedChanges = 0;

  return {
    version() {
      const key = SANDBOX_PEOPLE.map((p) => (connected(p) ? '1' : '0')).join('');
      if (key !== connectedKey) {
        connectedKey = key;
        connectedChanges += 1;
      }
      return conversations.version + connectedChanges;
    },
    state(viewer) {
      const who = personById(viewer ?? '') ?? (SANDBOX_PEOPLE[0] as SandboxPerson);
      const home = slack.homeView(who.id);
      return {
        viewer: who.id,
        delayMs: deps.delayMs,
        bot: { id: slack.botUserId, name: BOT_NAME },
        people: SANDBOX_PEOPLE.map((p) => ({
          id: p.id,
          name: p.name,
          email: p.email,
          about: p.about,
          connected: connected(p),
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
        // The Home tab as the app last published it for this person (views.publish), if ever.
        home: home ? { blocks: home.view.blocks, publishedAt: home.at } : null,
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
          team_domain: TEAM_DOMAIN,
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
    async action(input) {
      const who = person(input.viewer);
      const path: ElementPath = {
        blockIndex: input.blockIndex,
        element: input.element,
        ...(input.optionIndex !== undefined ? { optionIndex: input.optionIndex } : {}),
      };
      const bot = { userId: slack.botUserId, botId: slack.botId };
      if (input.surface === 'home') {
        const home = slack.homeView(who.id);
        const found = home ? findElement(home.view.blocks, path) : undefined;
        if (!home || !found) throw new PageRequestError(409, 'that Home tab has changed: look again');
        const viewId = `V${slack.homeViews.indexOf(home) + 1}`;
        return sendInteraction(
          homeActionBody({
            clicker: clicker(who),
            viewId,
            view: home.view,
            bot,
            action: actionOf(found, path, deps.now()),
          }),
        );
      }
      const where = conversation(who.id, input.channel);
      const entry = conversations
        .view(who.id)
        [where.id]?.find((candidate) => candidate.key === input.entryKey);
      if (!entry || entry.kind === 'command')
        throw new PageRequestError(409, 'that message has changed or gone');
      const found = findElement(entry.blocks, path);
      if (!found) throw new PageRequestError(409, 'that message has changed: look again');
      const responseUrl = slack.newResponseUrl();
      conversations.clickSent({
        responseUrlId: responseUrl.slice(responseUrl.lastIndexOf('/') + 1),
        userId: who.id,
        channelId: where.id,
        targetKey: entry.key,
        at: deps.now(),
      });
      return sendInteraction(
        messageActionBody({
          clicker: clicker(who),
          channel: where,
          message: {
            ts: entry.ts,
            ...(entry.text !== undefined ? { text: entry.text } : {}),
            ...(entry.blocks ? { blocks: entry.blocks } : {}),
            ephemeral: entry.kind === 'private',
          },
          bot,
          responseUrl,
          action: actionOf(found, path, deps.now()),
        }),
      );
    },
    async homeOpened(viewer) {
      const who = person(viewer);
      try {
        await postEvent(
          deps.eventsUrl,
          deps.signingSecret,
          appHomeOpenedEvent({ userId: who.id, teamId: SANDBOX_TEAM_ID, tab: 'home' }),
        );
      } catch {
        throw new PageRequestError(502, 'the app did not answer (is it still running?)');
      }
    },
    disconnect(viewer) {
      arcade.revoke(arcadeUserId(person(viewer)));
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
