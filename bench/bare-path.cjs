// The limit for the end-to-end rows: the same four round trips the app makes for a connected
// person's `/inbox N` (Arcade authorize; Gmail list; N metadata gets at once; Slack
// chat.postMessage), made by a bare node:http server with Node's own fetch and no SDK, no
// signature check, no rendering. It measures what the stand-ins, the timers and this machine cost,
// so that the app's ratio against it is the app's own overhead. `node bench/bare-path.cjs` with
// PORT (0: any), ARCADE_BASE_URL, ARCADE_API_KEY, GMAIL_API_URL, SLACK_API_URL and SLACK_BOT_TOKEN;
// prints the port as the app does.
const { createServer } = require('node:http');

const env = process.env;
const json = (response) => {
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${new URL(response.url).host}`);
  return response.json();
};

async function summary(userId, channelId, count) {
  const authorization = await fetch(`${env.ARCADE_BASE_URL.replace(/\/$/, '')}/v1/auth/authorize`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.ARCADE_API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      user_id: `slack:T0001:${userId}`,
      auth_requirement: {
        provider_id: 'google',
        oauth2: { scopes: ['https://www.googleapis.com/auth/gmail.readonly'] },
      },
    }),
  }).then(json);
  const gmail = `${env.GMAIL_API_URL.replace(/\/$/, '')}/gmail/v1/users/me/messages`;
  const auth = { headers: { Authorization: `Bearer ${authorization.context.token}` } };
  const listed = await fetch(`${gmail}?maxResults=${count}&labelIds=INBOX`, auth).then(json);
  const messages = await Promise.all(
    (listed.messages ?? []).map(({ id }) =>
      fetch(`${gmail}/${id}?format=metadata&metadataHeaders=From&metadataHeaders=Subject`, auth).then(json),
    ),
  );
  const text = messages.map((m) => m.snippet ?? '').join('\n');
  await fetch(`${env.SLACK_API_URL.replace(/\/$/, '')}/chat.postMessage`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.SLACK_BOT_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel: channelId, text }),
  }).then(json);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    res.writeHead(200).end();
    if (req.url !== '/slack/events') return;
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    summary(form.get('user_id'), form.get('channel_id'), Number(form.get('text')) || 10).catch((error) =>
      process.stderr.write(`bare path failed: ${error.message}\n`),
    );
  });
});
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`bare path on http://localhost:${server.address().port}/slack/events\n`);
});
process.on('SIGTERM', () => process.exit(0));
