import { LogLevel } from '@slack/bolt';
import { ServiceUnavailableError } from '../../../src/core/errors';
import { createLogger, describeError, namedLogger, redact } from '../../../src/core/log';
import { collectLogs } from './helpers';

describe('redact', () => {
  it('replaces every occurrence of a configured secret', () => {
    const secret = 'f00dfeed-signing-secret';
    expect(redact(`a ${secret} b ${secret}`, [secret])).toBe('a [redacted] b [redacted]');
  });

  it('treats secrets as plain text, not patterns', () => {
    expect(redact('key=(a+b)*c.d? end', ['(a+b)*c.d?'])).not.toContain('(a+b)*c.d?');
    expect(redact('aXbXc untouched', ['a.b.c'])).toBe('aXbXc untouched');
  });

  it('ignores an empty secret instead of redacting between every character', () => {
    expect(redact('plain text', [''])).toBe('plain text');
  });

  it.each([
    ['Slack bot token', 'token xoxb-1234-5678-AbCdEfGh sent', 'xoxb-1234-5678-AbCdEfGh'],
    ['Slack user token', 'xoxp-1-2-3-abcdef', 'xoxp-1-2-3-abcdef'],
    ['Slack app token', 'app xapp-1-A0123-456-abcdef0123', 'xapp-1-A0123-456-abcdef0123'],
    ['Google access token', 'ya29.a0AfH6SMBx-y_z.Q9 in use', 'ya29.a0AfH6SMBx-y_z.Q9'],
    ['Google refresh token', 'r=1//0gAbCdEfGhIjKlMnOpQrStUvWx', '1//0gAbCdEfGhIjKlMnOpQrStUvWx'],
    ['Arcade API key', 'key arc_o1AbCdEf_123-xyz ok', 'arc_o1AbCdEf_123-xyz'],
  ])('replaces a %s', (_label, text, credential) => {
    const out = redact(text);
    expect(out).not.toContain(credential);
    expect(out).toContain('[redacted]');
  });

  it('keeps the label of a Bearer credential and hides the value', () => {
    expect(redact('Authorization: Bearer abc.DEF-ghi_123/=')).not.toMatch(/abc|DEF|ghi/);
    expect(redact('sent bearer abc123 to Gmail')).toBe('sent bearer [redacted] to Gmail');
  });

  it('hides JSON and form credential fields but keeps the rest of the text', () => {
    expect(redact('{"access_token":"abc123","expires_in":3599}')).toBe(
      '{"access_token":"[redacted]","expires_in":3599}',
    );
    expect(redact('{"refresh_token": "r-1", "scope": "gmail.readonly"}')).toBe(
      '{"refresh_token": "[redacted]", "scope": "gmail.readonly"}',
    );
    expect(redact('token=abc123&state=xyz')).toBe('token=[redacted]&state=xyz');
    expect(redact('api_key=s3cr3t client_secret: hunter2')).toBe(
      'api_key=[redacted] client_secret: [redacted]',
    );
  });

  it.each([
    'Fetched 10 messages for slack:T0123:U0456 in 120 ms',
    'consent for slack:E1:W2 ended: granted (2 waiting)',
    'gmail list failed (503); retry 1 in 250 ms',
    'the token expired; asking Arcade again',
    'Bearer',
    'an xoxb token is required',
  ])('keeps ordinary text %j', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('redact: the gaps a review found (issue 10, items 6 and 7)', () => {
  it('scrubs a configured secret whatever its length', () => {
    expect(redact('k=ab1 and ab1', ['ab1'])).toBe('k=[redacted] and [redacted]');
    // The longer secret first, so that one containing another leaves nothing behind.
    expect(redact('x secret-long y', ['secret', 'secret-long'])).toBe('x [redacted] y');
  });

  it.each([
    ['Basic credentials', 'Authorization: Basic dXNlcjpodW50ZXIy', 'dXNlcjpodW50ZXIy'],
    ['a password field', 'login with password=hunter2 failed', 'hunter2'],
    ['a JSON password', '{"password":"hunter2"}', 'hunter2'],
    [
      'a Slack refresh token',
      'rotated xoxe-1-My0xLTEyMy0xMjM0NTY3ODkw ok',
      'xoxe-1-My0xLTEyMy0xMjM0NTY3ODkw',
    ],
    [
      'a JWT',
      'id_token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJVMTIzIn0.c2lnbmF0dXJlLWJ5dGVz seen',
      'eyJzdWIiOiJVMTIzIn0',
    ],
    ['a response_url', 'posting to https://hooks.slack.com/commands/T1/123/AbCdEf', 'AbCdEf'],
    ['an incoming webhook', 'hook https://hooks.slack.com/services/T1/B2/xyz987 down', 'xyz987'],
    ['a password in a URL', 'redis://default:s3cretpass@cache:6379 is down', 's3cretpass'],
  ])('catches %s', (_label, text, credential) => {
    const out = redact(text);
    expect(out).not.toContain(credential);
    expect(out).toContain('[redacted]');
  });

  it('leaves prose that merely looks like Basic auth alone', () => {
    expect(redact('see Basic Information in the app settings')).toBe(
      'see Basic Information in the app settings',
    );
  });

  it.each([
    ['Unhandled HTTP request (HEAD) made to /verify?flow_id=f-123', 'f-123'],
    ['An unhandled HTTP request (PUT) made to /verify/slack?code=c0de&state=st4te was ignored', 'c0de'],
    ['GET https://inbox.example.com/verify?flow_id=abc#x', 'abc'],
  ])('cuts the query string from %j', (text, leaked) => {
    const out = redact(text);
    expect(out).not.toContain(leaked);
    expect(out).toContain('?[query omitted]');
  });

  it('keeps a question mark that ends a sentence', () => {
    expect(redact('did you mean /inbox? try again')).toBe('did you mean /inbox? try again');
  });
});

describe('describeError', () => {
  it('gives class, code, status and message of an Error', () => {
    const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', status: 503 });
    expect(describeError(error)).toBe('Error code=ECONNRESET status=503: socket hang up');
  });

  it('reads statusCode when there is no status', () => {
    expect(describeError(Object.assign(new Error('nope'), { statusCode: 404 }))).toBe(
      'Error status=404: nope',
    );
  });

  it("names the app's own error classes", () => {
    expect(describeError(new ServiceUnavailableError('Arcade', 'HTTP 502'))).toBe(
      'ServiceUnavailableError code=service_unavailable: Arcade is unavailable: HTTP 502',
    );
  });

  it('leaves out request configs and headers that SDK errors carry', () => {
    const error = Object.assign(new Error('Request failed'), {
      status: 401,
      config: { headers: { Authorization: 'Bearer top-secret-token' } },
    });
    const text = describeError(error);
    expect(text).toBe('Error status=401: Request failed');
  });

  it('inspects values that are not errors', () => {
    expect(describeError({ reason: 'x' })).toBe("{ reason: 'x' }");
    expect(describeError('plain')).toBe("'plain'");
    expect(describeError(undefined)).toBe('undefined');
  });
});

describe('createLogger', () => {
  it('LOG_FORMAT=json writes one object per line: time, level, name, message, fields', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      format: 'json',
      secrets: ['my-signing-secret'],
      write: (line) => lines.push(line),
    });
    logger.info('summary delivered via', 'channel', {
      messages: 3,
      token: 'xoxb-9',
      note: 'my-signing-secret',
    });
    logger.warn('second\nline');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0] as string);
    expect(first).toEqual({
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      level: 'info',
      name: 'inbox',
      message: 'summary delivered via channel',
      fields: { messages: 3, token: '[redacted]', note: '[redacted]' },
    });
    // A newline in a message stays inside its JSON string: one line per entry.
    expect(JSON.parse(lines[1] as string).message).toBe('second\nline');
  });

  it('the text format writes fields as key=value after the message', () => {
    const logs = collectLogs({ level: 'info' });
    logs.logger.info('done', { count: 2, route: 'dm' });
    expect(logs.entries[0]?.line).toMatch(/INFO \[inbox\] done count=2 route=dm$/);
  });

  it('siblings made with named() share the level but not the name', () => {
    const logs = collectLogs({ level: 'info' });
    const bolt = namedLogger(logs.logger, 'bolt');
    bolt.setLevel(LogLevel.ERROR);
    logs.logger.info('muted');
    bolt.error('from bolt');
    logs.logger.error('from app');
    expect(logs.text()).not.toContain('muted');
    expect(logs.entries.map((entry) => entry.line.match(/\[(\w+)\]/)?.[1])).toEqual(['bolt', 'inbox']);
  });

  it.each([
    'http request body: {"channel":"C1","blocks":[{"text":"Your invoice from Bob"}]}',
    'http request result: {"ok":true,"message":{"text":"Your invoice from Bob"}}',
    'Received a message on the WebSocket: {"payload":{"text":"Your invoice from Bob"}}',
    'Calling ack() - type: slash_commands, envelope_id: e1, data: {"text":"Your invoice from Bob"}',
    'ack() response sent (body: {"text":"Your invoice from Bob"})',
  ])('an SDK debug line with a payload keeps only its label: %j', (line) => {
    const logs = collectLogs({ level: 'debug' });
    logs.logger.debug(line);
    expect(logs.text()).not.toContain('Bob');
    expect(logs.text()).toContain('[payload omitted]');
  });

  it('writes a timestamped line with level and name', () => {
    const logs = collectLogs({ level: 'info', name: 'unit' });
    logs.logger.info('hello', 'world', 42);
    expect(logs.entries).toEqual([{ level: LogLevel.INFO, line: expect.any(String) }]);
    expect(logs.entries[0]?.line).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z INFO \[unit\] hello world 42$/,
    );
  });

  it('drops lines below the level', () => {
    const logs = collectLogs({ level: 'warn' });
    logs.logger.debug('d');
    logs.logger.info('i');
    logs.logger.warn('w');
    logs.logger.error('e');
    expect(logs.entries.map((entry) => entry.level)).toEqual([LogLevel.WARN, LogLevel.ERROR]);
    expect(logs.text()).not.toMatch(/\] [di]$/m);
  });

  it('changes level and name at run time', () => {
    const logs = collectLogs({ level: 'error' });
    logs.logger.info('before');
    logs.logger.setLevel(LogLevel.DEBUG);
    expect(logs.logger.getLevel()).toBe(LogLevel.DEBUG);
    logs.logger.setName('bolt');
    logs.logger.debug('after');
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]?.line).toMatch(/DEBUG \[bolt\] after$/);
    logs.logger.setLevel(LogLevel.ERROR);
    logs.logger.warn('muted again');
    expect(logs.entries).toHaveLength(1);
  });

  it('redacts configured secrets and credential shapes in every argument of every level', () => {
    const secret = 'my-signing-secret-0123';
    const logs = collectLogs({ level: 'debug', secrets: [secret] });
    logs.logger.debug('secret', secret);
    logs.logger.info({ token: 'xoxb-1-2-abc', nested: { key: secret } });
    logs.logger.warn(`header Bearer ya29.zzz and ${secret}`);
    logs.logger.error(['arc_key123', secret]);
    expect(logs.entries).toHaveLength(4);
    for (const { line } of logs.entries) {
      expect(line).toContain('[redacted]');
      expect(line).not.toContain(secret);
      expect(line).not.toMatch(/xoxb-1|ya29\.z|arc_key/);
    }
  });

  it('redacts errors passed as objects, alone or inside other values', () => {
    const key = 'arc-configured-api-key-99';
    const logs = collectLogs({ secrets: [key] });
    logs.logger.error('call failed:', new Error(`401 for key ${key} with xoxb-777-888`));
    logs.logger.error(
      Object.assign(new Error(`{"access_token":"ya29.leak"}`), { code: 'E_AUTH', status: 401 }),
    );
    logs.logger.warn({ cause: new ServiceUnavailableError('Arcade', `Authorization: ${key}`) });
    const text = logs.text();
    expect(text).not.toContain(key);
    expect(text).not.toMatch(/xoxb-777|ya29\.leak/);
    expect(logs.entries[0]?.line).toContain('call failed: Error: 401 for key [redacted] with [redacted]');
    expect(logs.entries[1]?.line).toContain('Error code=E_AUTH status=401: {"access_token":"[redacted]"}');
  });
});
