// The limit for acks and start-up: a bare Bolt app on its HTTPReceiver, with Bolt's defaults, whose
// /inbox listener only acks, and a GET /healthz like the app's. `node bench/bare-bolt.cjs` with
// SLACK_SIGNING_SECRET and PORT (0: any); prints the port as the app does.
const { App, HTTPReceiver } = require('@slack/bolt');

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  endpoints: '/slack/events',
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"ok":true}');
      },
    },
  ],
});
// botId and botUserId given, so that Bolt never calls auth.test (as the app calls it once at start).
const app = new App({
  receiver,
  token: 'xoxb-bare-bolt',
  botId: 'B0BAREBOLT',
  botUserId: 'U0BAREBOLT',
  tokenVerificationEnabled: false,
});
app.command('/inbox', async ({ ack }) => {
  await ack();
});
app.start(Number(process.env.PORT ?? 0)).then((server) => {
  process.stdout.write(`bare bolt on http://localhost:${server.address().port}/slack/events\n`);
});
process.on('SIGTERM', () => process.exit(0));
