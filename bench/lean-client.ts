import { type Agent, request } from 'node:http';
import { formEncode, signSlackRequest, slashCommandPayload } from '../src/stand-ins/slack-requests';

/** A slash command as Slack sends it: form body and signature headers. */
export interface SignedCommand {
  body: string;
  headers: Record<string, string>;
}

export function signCommand(
  secret: string,
  fields: { userId: string; channelId: string; text: string; responseUrl: string },
): SignedCommand {
  const body = formEncode(
    slashCommandPayload({
      user_id: fields.userId,
      channel_id: fields.channelId,
      text: fields.text,
      response_url: fields.responseUrl,
    }),
  );
  return {
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': String(Buffer.byteLength(body)),
      ...signSlackRequest(secret, body),
    },
  };
}

/**
 * POSTs a command to the app and resolves with the ack's latency in ms (plain `node:http`, so the
 * client costs little next to the server it measures). `sign` runs per attempt: a caller whose
 * run outlasts Bolt's 5-minute timestamp window signs as it sends.
 */
export function timedCommand(agent: Agent, port: number, sign: () => SignedCommand): Promise<number> {
  return postOnce(agent, port, sign()).catch((error: NodeJS.ErrnoException) => {
    // A keep-alive socket the server closed as it was reused: Slack would retry too.
    if (error.code === 'ECONNRESET') return postOnce(agent, port, sign());
    throw error;
  });
}

function postOnce(agent: Agent, port: number, signed: SignedCommand): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    const req = request(
      { host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers: signed.headers, agent },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`ack ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(signed.body);
  });
}
