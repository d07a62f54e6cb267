import {
  DEFAULT_COUNT,
  MAX_COUNT,
  MAX_QUERY_LENGTH,
  type ParsedCommand,
  parseInboxCommand,
} from '../../../src/inbox/command-args';

const summary = (count: number, query?: string): ParsedCommand => ({
  kind: 'summary',
  request: query === undefined ? { count } : { count, query },
});

/** The problem text of an invalid command; fails the test for any other result. */
function problemOf(text: string): string {
  const parsed = parseInboxCommand(text);
  if (parsed.kind !== 'invalid') throw new Error(`expected invalid, got ${JSON.stringify(parsed)}`);
  return parsed.problem;
}

describe('parseInboxCommand', () => {
  it('exports limits that fit each other and Slack', () => {
    expect(DEFAULT_COUNT).toBe(10);
    expect(MAX_QUERY_LENGTH).toBe(500);
    // Slack allows 50 blocks in a message.
    expect(MAX_COUNT).toBeGreaterThanOrEqual(DEFAULT_COUNT);
    expect(MAX_COUNT).toBeLessThanOrEqual(50);
  });

  it.each(['', '   ', '\t\n'])('gives the default summary for empty text %j', (text) => {
    // toStrictEqual: no `query: undefined` key travels on to Gmail.
    expect(parseInboxCommand(text)).toStrictEqual(summary(10));
  });

  it.each(['help', 'HELP', 'Help', '--help', '?', '  help  '])(
    'recognises %j as a request for help',
    (text) => {
      expect(parseInboxCommand(text)).toEqual({ kind: 'help' });
    },
  );

  it('treats help followed by more words as a search', () => {
    expect(parseInboxCommand('help desk')).toEqual(summary(10, 'help desk'));
  });

  it.each([
    ['25', summary(25)],
    ['1', summary(1)],
    [String(MAX_COUNT), summary(MAX_COUNT)],
    ['007', summary(7)],
  ])('reads %j as a count', (text, expected) => {
    expect(parseInboxCommand(text)).toStrictEqual(expected);
  });

  it('reads a leading count followed by a search', () => {
    expect(parseInboxCommand('25 is:unread from:alice')).toEqual(summary(25, 'is:unread from:alice'));
  });

  it.each([
    ['is:unread 25', 'is:unread 25'],
    ['invoice 2024', 'invoice 2024'],
    ['-5', '-5'],
    ['+5', '+5'],
    ['2.5', '2.5'],
    ['25x', '25x'],
    ['\uFF12\uFF15', '\uFF12\uFF15'], // full-width digits are text, not a count
  ])('keeps %j as a search with the default count', (text, query) => {
    expect(parseInboxCommand(text)).toEqual(summary(10, query));
  });

  it.each(['0', '00', String(MAX_COUNT + 1), '51', '999999999999'])(
    'rejects the count %j with the allowed range',
    (text) => {
      const problem = problemOf(text);
      expect(problem).toContain(`from 1 to ${MAX_COUNT}`);
      expect(problem).toContain(text);
    },
  );

  it('rejects an out-of-range count even when a search follows', () => {
    expect(problemOf('0 is:unread')).toContain(`from 1 to ${MAX_COUNT}`);
  });

  it('trims leading and trailing whitespace around the count and the search', () => {
    expect(parseInboxCommand('  \t 5   from:bob  \n')).toEqual(summary(5, 'from:bob'));
    expect(parseInboxCommand('   subject:report   ')).toEqual(summary(10, 'subject:report'));
  });

  it('turns control characters into spaces', () => {
    expect(parseInboxCommand('5\u0000is:unread\u0007from:alice\u007f')).toEqual(
      summary(5, 'is:unread from:alice'),
    );
    expect(parseInboxCommand('\u001b[31m')).toEqual(summary(10, '[31m'));
    expect(parseInboxCommand('\u0000\u001f\u007f')).toStrictEqual(summary(10));
  });

  it('treats C1 control characters (U+0080 to U+009F) like the others', () => {
    expect(parseInboxCommand('is:unread\u0085from:alice\u009b')).toEqual(summary(10, 'is:unread from:alice'));
  });

  it('accepts a search of exactly the maximum length', () => {
    const query = 'a'.repeat(MAX_QUERY_LENGTH);
    expect(parseInboxCommand(query)).toEqual(summary(10, query));
    expect(parseInboxCommand(`3 ${query}`)).toEqual(summary(3, query));
  });

  it.each([
    ['a search alone', 'x'.repeat(501)],
    ['a search after a count', `20 ${'from:someone '.repeat(40)}`],
  ])('rejects %s longer than the maximum with a clear message', (_label, text) => {
    const problem = problemOf(text);
    expect(problem).toContain(String(MAX_QUERY_LENGTH));
    expect(problem).toMatch(/search/i);
    expect(problem).toMatch(/\d+ characters/);
  });

  it.each(['from:müller@exämple.de', '件名:請求書', 'subject:"café ☕" 😀', 'from:\u0645\u062D\u0645\u062F'])(
    'passes the unicode search %j through unchanged',
    (query) => {
      expect(parseInboxCommand(query)).toEqual(summary(10, query));
      expect(parseInboxCommand(`12 ${query}`)).toEqual(summary(12, query));
    },
  );

  it.each(['from:<mailto:a@b.com|a@b.com>', '<https://example.com|example.com>', 'to:<@U0123ABCD>'])(
    'keeps Slack-escaped text %j as a search',
    (text) => {
      expect(parseInboxCommand(text)).toEqual(summary(10, text));
    },
  );

  describe('status and disconnect', () => {
    it.each([
      ['status', 'status'],
      [' STATUS ', 'status'],
      ['disconnect', 'disconnect'],
      ['Disconnect', 'disconnect'],
    ] as const)('reads %j on its own as the %s command', (text, kind) => {
      expect(parseInboxCommand(text)).toEqual({ kind });
    });

    it.each(['status report', 'disconnect notice', '5 status', 'private status'])(
      'keeps %j as a search (only the whole text is a command)',
      (text) => {
        expect(parseInboxCommand(text).kind).toBe('summary');
      },
    );
  });

  describe('private', () => {
    const privately = (count: number, query?: string): ParsedCommand => ({
      kind: 'summary',
      request: query === undefined ? { count } : { count, query },
      privately: true,
    });

    it.each([
      ['private', privately(10)],
      ['PRIVATE', privately(10)],
      ['private 5', privately(5)],
      ['private is:unread', privately(10, 'is:unread')],
      ['  private   5 from:bob  ', privately(5, 'from:bob')],
      ['private status', privately(10, 'status')],
    ])('reads a leading keyword in %j as a private summary', (text, expected) => {
      expect(parseInboxCommand(text)).toStrictEqual(expected);
    });

    it.each([
      ['is:private', summary(10, 'is:private')],
      ['5 private', summary(5, 'private')],
      ['privately', summary(10, 'privately')],
      ['label:private 3', summary(10, 'label:private 3')],
    ])('keeps %j as a search: only a leading word is the keyword', (text, expected) => {
      expect(parseInboxCommand(text)).toStrictEqual(expected);
    });

    it('still validates the count after the keyword', () => {
      expect(problemOf('private 99')).toContain(`from 1 to ${MAX_COUNT}`);
    });

    it('answers help after the keyword', () => {
      expect(parseInboxCommand('private help')).toEqual({ kind: 'help' });
    });

    it('never adds the flag to a plain summary', () => {
      expect(parseInboxCommand('5')).toStrictEqual(summary(5));
    });
  });
});
