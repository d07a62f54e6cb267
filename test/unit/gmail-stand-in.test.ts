/** Proves the Gmail stand-in against the real `@googleapis/gmail` client. */
import { gmail, type gmail_v1 } from '@googleapis/gmail';
import { METADATA_HEADERS, toInboxMessage } from '../../src/gmail/to-inbox-message';
import { FAKE_BODY_TEXT, type GmailStandIn, startGmailStandIn } from '../../src/stand-ins/gmail-stand-in';
import {
  FIXTURE_NOW,
  githubNotification,
  HOSTILE,
  headerlessMessage,
  hostileMessage,
  longSubjectMessage,
  makeMessages,
  namedFixtures,
  readMessage,
  threadMessages,
  unreadMessage,
} from '../../src/stand-ins/mail-fixtures';
import { waitFor } from '../support/wait-for';

const TOKEN = 'ya29.mailbox';
const EMAIL = 'me+inbox@example.com';
const auth = (token = TOKEN) => ({ headers: { Authorization: `Bearer ${token}` } });

/** What the error a client call rejected with looks like (gaxios' GaxiosError, duck-typed). */
interface ClientError {
  status: number;
  message: string;
  response: {
    data: { error: { code: number; status: string; errors: { reason: string; domain: string }[] } };
  };
}

async function rejection(call: Promise<unknown>): Promise<ClientError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!error) throw new Error('expected the call to fail');
  return error as ClientError;
}

describe('Gmail stand-in', () => {
  let server: GmailStandIn;
  let client: gmail_v1.Gmail;

  beforeEach(async () => {
    server = await startGmailStandIn();
    client = gmail({
      version: 'v1',
      rootUrl: server.rootUrl,
      fetchImplementation: globalThis.fetch,
      retry: false,
    });
    server.addMailbox(TOKEN, { email: EMAIL, messages: [...makeMessages(5), ...namedFixtures()] });
  });
  afterEach(() => server.close());

  it('round-trips list and get metadata in the real wire form', async () => {
    const list = await client.users.messages.list(
      { userId: 'me', maxResults: 3, labelIds: ['INBOX', 'UNREAD'], q: 'in:inbox is:unread' },
      auth(),
    );
    const ids = list.data.messages?.map((message) => message.id);
    expect(ids).toEqual(['19c0000000000000', 'a0000000000000a1', 'a0000000000000a2']);
    expect(list.data.nextPageToken).toEqual(expect.any(String));
    expect(list.data.resultSizeEstimate).toBe(9);
    expect(server.calls[0]?.rawQuery).toBe(
      'maxResults=3&labelIds=INBOX&labelIds=UNREAD&q=in%3Ainbox%20is%3Aunread',
    );
    expect(server.calls[0]?.headers['content-type']).toBeUndefined();

    const got = await client.users.messages.get(
      { userId: EMAIL, id: 'a0000000000000a1', format: 'metadata', metadataHeaders: ['from', 'SUBJECT'] },
      auth(),
    );
    expect(got.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(got.data).toEqual({
      id: 'a0000000000000a1',
      threadId: 'a0000000000000a1',
      labelIds: ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'],
      snippet: HOSTILE.snippet,
      sizeEstimate: expect.any(Number),
      historyId: expect.stringMatching(/^\d+$/),
      internalDate: hostileMessage().internalDate,
      payload: {
        mimeType: 'multipart/alternative',
        headers: [
          { name: 'From', value: HOSTILE.from },
          { name: 'Subject', value: HOSTILE.subject },
        ],
      },
    });
    expect(server.calls[1]?.path).toBe('/gmail/v1/users/me%2Binbox%40example.com/messages/a0000000000000a1');
    expect(server.calls[1]?.rawQuery).toBe('format=metadata&metadataHeaders=from&metadataHeaders=SUBJECT');
    expect(server.calls.map((call) => call.status)).toEqual([200, 200]);
  });

  it('returns labels, threadId and exactly the asked-for headers (bulk ones included), as Gmail v1 does', async () => {
    const github = githubNotification();
    server.addMailbox(TOKEN, { email: EMAIL, messages: [github] });
    const { data } = await client.users.messages.get(
      { userId: 'me', id: github.id, format: 'metadata', metadataHeaders: METADATA_HEADERS },
      auth(),
    );
    expect(data.threadId).toBe(github.threadId);
    expect(data.labelIds).toEqual(['INBOX', 'UNREAD', 'CATEGORY_UPDATES']);
    // Names come back as the message wrote them (List-ID), in message order; others are left out.
    expect(data.payload?.headers?.map((h) => h.name)).toEqual([
      'From',
      'Subject',
      'Message-ID',
      'List-ID',
      'List-Unsubscribe',
      'Precedence',
    ]);
    expect(toInboxMessage(data)).toMatchObject({
      category: 'updates',
      unread: true,
      bulkHeaders: { listId: 'acme/api <api.acme.github.com>', precedence: 'list' },
    });
  });

  it('pages through a listing newest first', async () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await client.users.messages.list({ userId: 'me', maxResults: 4, pageToken }, auth());
      seen.push(...(data.messages ?? []).map((message) => message.id ?? ''));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(seen).toHaveLength(13);
    const dates = await Promise.all(
      seen.map(async (id) =>
        Number((await client.users.messages.get({ userId: 'me', id }, auth())).data.internalDate),
      ),
    );
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('answers an empty listing without a messages key', async () => {
    const { data } = await client.users.messages.list({ userId: 'me', q: 'from:nobody-at-all' }, auth());
    expect(data).toEqual({ resultSizeEstimate: 0 });
  });

  it('supports the Gmail search subset the tests need', async () => {
    const search = async (q: string) =>
      ((await client.users.messages.list({ userId: 'me', q }, auth())).data.messages ?? []).map(
        (message) => message.id,
      );
    expect(await search('is:read')).toEqual(
      expect.arrayContaining([readMessage().id, threadMessages()[0]?.id, '19c0000000000002']),
    );
    expect(await search('is:unread')).not.toContain(readMessage().id);
    expect(await search('from:"Alice Example" subject:review')).toEqual([unreadMessage().id]);
    expect(await search('subject:offsite -is:read')).toEqual([threadMessages()[2]?.id]);
    expect(await search('ROADMAP')).toEqual([longSubjectMessage().id]);
    expect(await search('label:important has:attachment')).toEqual([unreadMessage().id]);
    expect(await search(`before:${FIXTURE_NOW / 1000 - 50 * 60}`)).toEqual([
      '19c0000000000003',
      threadMessages()[0]?.id,
      '19c0000000000004',
    ]);
  });

  it('returns headers, bodies or nothing by format', async () => {
    const get = (format: string) =>
      client.users.messages.get({ userId: 'me', id: headerlessMessage().id, format }, auth());
    const metadata = (await get('METADATA')).data;
    expect(metadata.payload?.headers?.map((header) => header.name)).toEqual([
      'Delivered-To',
      'Date',
      'To',
      'Message-ID',
    ]);
    const full = (await get('full')).data;
    const data = full.payload?.parts?.[0]?.body?.data ?? '';
    expect(Buffer.from(data, 'base64url').toString()).toBe(FAKE_BODY_TEXT);
    expect((await get('minimal')).data.payload).toBeUndefined();
  });

  it('answers 404 notFound for a message deleted after listing', async () => {
    const victim = threadMessages()[1]?.id ?? '';
    server.deleteAfterList(victim);
    const { data } = await client.users.messages.list({ userId: 'me', maxResults: 500 }, auth());
    expect(data.messages?.map((message) => message.id)).toContain(victim);
    const error = await rejection(client.users.messages.get({ userId: 'me', id: victim }, auth()));
    expect(error.status).toBe(404);
    expect(error.response.data).toEqual({
      error: {
        code: 404,
        message: 'Requested entity was not found.',
        errors: [{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }],
        status: 'NOT_FOUND',
      },
    });
    const profile = await client.users.getProfile({ userId: 'me' }, auth());
    expect(profile.data).toMatchObject({ emailAddress: EMAIL, messagesTotal: 12, threadsTotal: 11 });
  });

  it('injects rate limits with the real envelope and Retry-After', async () => {
    server.failNext('get', { status: 403, reason: 'rateLimitExceeded', retryAfter: '7' });
    const error = await rejection(client.users.messages.get({ userId: 'me', id: readMessage().id }, auth()));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/^Quota exceeded for quota metric 'Queries'/);
    expect((error as unknown as { response: { headers: Headers } }).response.headers.get('retry-after')).toBe(
      '7',
    );
    expect(error.response.data.error).toMatchObject({
      code: 403,
      status: 'PERMISSION_DENIED',
      errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded' }],
      details: [{ reason: 'RATE_LIMIT_EXCEEDED' }],
    });

    server.failNext('list', { status: 429 });
    const limited = await rejection(client.users.messages.list({ userId: 'me' }, auth()));
    expect(limited.response.data.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect((await client.users.messages.list({ userId: 'me' }, auth())).status).toBe(200);
  });

  it('rejects bad, missing and under-scoped tokens as Google does', async () => {
    const bad = await rejection(client.users.messages.list({ userId: 'me' }, auth('ya29.expired')));
    expect(bad.status).toBe(401);
    expect(bad.message).toMatch(/^Request had invalid authentication credentials/);
    expect(bad.response.data.error).toMatchObject({
      status: 'UNAUTHENTICATED',
      errors: [{ reason: 'authError', domain: 'global' }],
    });

    const missing = await rejection(client.users.getProfile({ userId: 'me' }));
    expect(missing.response.data.error).toMatchObject({
      code: 401,
      errors: [{ reason: 'required' }],
      details: [{ reason: 'CREDENTIALS_MISSING' }],
    });

    server.insufficientScope.add('ya29.metadata-only');
    const scoped = await rejection(client.users.messages.list({ userId: 'me' }, auth('ya29.metadata-only')));
    expect(scoped.response.data.error).toMatchObject({
      code: 403,
      status: 'PERMISSION_DENIED',
      errors: [{ reason: 'insufficientPermissions' }],
      details: [{ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' }],
    });
  });

  it('tracks concurrency and connections under delay, and closes cleanly', async () => {
    server.delayMs = 50;
    const ids = makeMessages(5).map((message) => message.id);
    await Promise.all(
      ids.map((id) => client.users.messages.get({ userId: 'me', id, format: 'metadata' }, auth())),
    );
    expect(server.maxInFlight).toBe(5);
    expect(server.tcpConnections).toBeGreaterThanOrEqual(1);
    expect(server.calls.every((call) => call.status === 200)).toBe(true);

    server.delayMs = 10_000;
    const held = rejection(client.users.getProfile({ userId: 'me' }, auth()));
    await waitFor(() => server.calls.length === 6);
    const began = Date.now();
    await server.close();
    expect(Date.now() - began).toBeLessThan(1000);
    expect((await held).message).toEqual(expect.any(String));
  });
});
