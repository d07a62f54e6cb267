import type { Server } from 'node:http';
import { type CustomRoute, HTTPReceiver, type Logger, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { SlackTransport } from './config';
import { type GuardStats, guardSlackEvents } from './slack-events-guard';

/** How Slack reaches the app, and what start and stop need to know about it. */
export interface SlackReceiver {
  receiver: HTTPReceiver | SocketModeReceiver;
  /** The HTTP server for /healthz and the verifier in Socket Mode (undefined over HTTP: Bolt's own). */
  healthServer(): Server | undefined;
  /** Resolves once a Socket Mode connection has finished closing (at most 2 s); at once over HTTP. */
  socketClosed(): Promise<void>;
  /** What the events guard refused (HTTP mode). */
  guardStats: GuardStats | undefined;
}

/**
 * Bolt's receiver for the configured transport: signed HTTP requests on `/slack/events` behind the
 * events guard, or a Socket Mode WebSocket with a small HTTP server of its own for `routes`.
 */
export function createSlackReceiver(options: {
  transport: SlackTransport;
  routes: CustomRoute[];
  boltLogger: Logger;
  socketLogger: Logger;
  clientOptions: () => WebClientOptions;
}): SlackReceiver {
  const { transport, routes } = options;
  if (transport.mode === 'http') {
    const http = new HTTPReceiver({
      signingSecret: transport.signingSecret,
      endpoints: '/slack/events',
      customRoutes: routes,
      logger: options.boltLogger,
    });
    return {
      receiver: http,
      guardStats: guardSlackEvents(http, { path: '/slack/events' }),
      healthServer: () => undefined,
      socketClosed: async () => undefined,
    };
  }
  // Socket Mode needs no public URL for Slack, but the health check and the verifier are served
  // by a small HTTP server of their own on PORT.
  const socket = new SocketModeReceiver({
    appToken: transport.appToken,
    logger: options.socketLogger,
    customRoutes: routes,
    // The socket-mode client mutates its options, so it gets its own copy.
    installerOptions: { port: transport.port, clientOptions: options.clientOptions() },
  });
  return {
    receiver: socket,
    guardStats: undefined,
    healthServer: () => (socket as unknown as { httpServer?: Server }).httpServer,
    // Bolt's stop() returns before the WebSocket close handshake ends, leaving its timer running.
    socketClosed: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        timer.unref();
        socket.client.once('disconnected', () => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
