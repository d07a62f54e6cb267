import { App, type CustomRoute, type Logger, type LogLevel } from '@slack/bolt';
import type { Config } from '../core/config';
import { namedLogger } from '../core/log';
import { createSlackReceiver, type SlackReceiver } from '../core/slack-receiver';
import type { SdkClients } from './sdk-clients';

const HEALTH_ROUTE: CustomRoute = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  },
};

/** Bolt and the receiver it listens with; start and stop need both. */
export interface SlackApp {
  bolt: App;
  receiver: SlackReceiver;
}

/** Bolt over HTTP or Socket Mode, serving GET /healthz and `routes` beside Slack's events. */
export function buildSlackApp(
  config: Config,
  deps: { routes: CustomRoute[]; logger: Logger; clients: Pick<SdkClients, 'slackClientOptions'> },
): SlackApp {
  // Same level, output and redaction; the name says which library wrote the line.
  const boltLogger = namedLogger(deps.logger, 'bolt');
  const receiver = createSlackReceiver({
    transport: config.slack.transport,
    routes: [HEALTH_ROUTE, ...deps.routes],
    boltLogger,
    socketLogger: namedLogger(deps.logger, 'slack-socket-mode'),
    clientOptions: deps.clients.slackClientOptions,
  });
  const bolt = new App({
    receiver: receiver.receiver,
    token: config.slack.botToken,
    clientOptions: deps.clients.slackClientOptions(),
    logger: boltLogger,
    // Without it Bolt resets the shared logger to INFO, whatever LOG_LEVEL says.
    logLevel: config.logLevel as LogLevel,
    // auth.test runs in start(), where a refused token becomes a clear error instead of a crash.
    deferInitialization: true,
    // The app never reads context.conversation; Bolt's default store builds an Error per event (profiled).
    convoStore: false,
  });
  return { bolt, receiver };
}
