import {
  breakCodeFences,
  escapedLength,
  escapeLinkLabel,
  escapeMrkdwn,
  escapeTruncated,
  oneLine,
  toWellFormed,
  truncate,
} from '../../../src/blocks/mrkdwn';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deterministic pseudo-random strings rich in the characters these functions must get right. */
function randomStrings(count: number, seed = 7): string[] {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const atoms = [
    '&',
    '<',
    '>',
    '&amp;',
    '&lt;',
    'a',
    ' ',
    '\n',
    '😀',
    '👍🏽',
    '\uD83D',
    '\uDE00',
    'é',
    '日',
    '\u202E',
  ];
  return Array.from({ length: count }, () => {
    const length = Math.floor(next() * 40);
    return Array.from({ length }, () => atoms[Math.floor(next() * atoms.length)]).join('');
  });
}

const decodeEntities = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('escapeMrkdwn', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here>', '&lt;!here&gt;'],
    ['<!everyone>', '&lt;!everyone&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<#C1|x>', '&lt;#C1|x&gt;'],
    ['<!subteam^S123>', '&lt;!subteam^S123&gt;'],
    ['<https://evil.example|Click>', '&lt;https://evil.example|Click&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['&lt;already escaped&gt;', '&amp;lt;already escaped&amp;gt;'],
    ['&amp;', '&amp;amp;'],
    ['a<b>c&d', 'a&lt;b&gt;c&amp;d'],
  ])('escapes %j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('changes nothing but &, < and >', () => {
    const harmless = 'plain *bold* _it_ ~s~ `code` "q" \'s\' | \\ @here #general \n\t 😀 é 日本 &#39;';
    expect(escapeMrkdwn(harmless)).toBe(harmless.replace('&#39;', '&amp;#39;'));
    expect(escapeMrkdwn('')).toBe('');
  });

  it('leaves no angle bracket and round-trips for any string', () => {
    for (const s of randomStrings(300)) {
      const escaped = escapeMrkdwn(s);
      expect(escaped).not.toMatch(/[<>]/);
      expect(escaped).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(decodeEntities(escaped)).toBe(s);
    }
  });
});

describe('escapedLength', () => {
  it('is the length escapeMrkdwn produces', () => {
    for (const s of randomStrings(200, 11)) expect(escapedLength(s)).toBe(escapeMrkdwn(s).length);
  });
});

describe('truncate', () => {
  it('returns text that fits unchanged', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('', 0)).toBe('');
    expect(truncate('😀😀', 4)).toBe('😀😀');
  });

  it('ends a cut with … within max', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcdef', 1)).toBe('…');
  });

  it('never splits a surrogate pair', () => {
    expect(truncate('😀😀😀', 4)).toBe('😀…');
    expect(truncate('😀😀😀', 3)).toBe('😀…');
    expect(truncate('😀😀😀', 2)).toBe('…');
    expect(truncate('a👍🏽b', 3)).toBe('a…');
  });

  it('gives an empty string for a max with no room', () => {
    expect(truncate('abc', 0)).toBe('');
    expect(truncate('abc', -5)).toBe('');
    expect(truncate('abc', Number.NaN)).toBe('');
    expect(truncate('abcdef', 3.9)).toBe('ab…');
  });

  it('measures with the given function', () => {
    expect(truncate('a&b&c', 8, escapedLength)).toBe('a&b…');
  });

  it('keeps the invariants for any string and max', () => {
    for (const [i, s] of randomStrings(300, 3).entries()) {
      const max = i % 45;
      const cut = truncate(s, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      if (cut !== s && max > 0) {
        expect(cut.endsWith('…')).toBe(true);
        expect(s.startsWith(cut.slice(0, -1))).toBe(true);
      }
      if (!LONE_SURROGATE.test(s)) expect(cut).not.toMatch(LONE_SURROGATE);
    }
  });
});

describe('escapeTruncated', () => {
  it('budgets the escaped length and never cuts an entity', () => {
    expect(escapeTruncated('a&b', 7)).toBe('a&amp;b');
    expect(escapeTruncated('a&b', 6)).toBe('a…');
    expect(escapeTruncated('a&bc', 7)).toBe('a&amp;…');
    expect(escapeTruncated('a&b', 5)).toBe('a…');
    expect(escapeTruncated('<<<<', 9)).toBe('&lt;&lt;…');
    expect(escapeTruncated('<!channel>', 100)).toBe('&lt;!channel&gt;');
  });

  it('fits max and yields whole entities for any string', () => {
    for (const [i, s] of randomStrings(300, 5).entries()) {
      const max = i % 60;
      const out = escapeTruncated(s, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/[<>]/);
      expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
      const raw = decodeEntities(out);
      const cutWithEllipsis = raw.endsWith('…') && s.startsWith(raw.slice(0, -1));
      expect(raw === s || cutWithEllipsis || (max === 0 && raw === '')).toBe(true);
    }
  });
});

describe('oneLine', () => {
  it('collapses line breaks, whitespace and control characters to single spaces', () => {
    expect(oneLine('  Re: hello\r\n\tworld  ')).toBe('Re: hello world');
    expect(oneLine('a\u2028b\u2029c\u0085d\u000be\u0000f\u007fg\u00a0h')).toBe('a b c d e f g h');
    expect(oneLine('\n\n\n')).toBe('');
  });

  it.each(
    [0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068]
      .concat([0x2069, 0xfeff, 0x034f])
      .map((cp) => [cp.toString(16).toUpperCase(), String.fromCodePoint(cp)]),
  )('strips invisible U+%s', (_, c) => {
    expect(oneLine(`pay${c}pal`)).toBe('paypal');
  });

  it('defuses a right-to-left override disguising a file name', () => {
    expect(oneLine('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
  });

  it('keeps visible text of every script and emoji', () => {
    expect(oneLine('Grüße 😀 日本語 مرحبا 👍🏽')).toBe('Grüße 😀 日本語 مرحبا 👍🏽');
  });

  it('replaces unpaired surrogates', () => {
    expect(oneLine('a\uD83Db\uDE00c😀')).toBe('a\uFFFDb\uFFFDc😀');
    expect(toWellFormed('\uDE00\uD83D')).toBe('\uFFFD\uFFFD');
  });
});

describe('escapeLinkLabel', () => {
  it('escapes, cuts to the escaped budget and leaves no |', () => {
    expect(escapeLinkLabel('x|<https://evil|y>', 100)).toBe('x¦&lt;https://evil¦y&gt;');
    expect(escapeLinkLabel('Weekly digest | Acme & co', 100)).toBe('Weekly digest ¦ Acme &amp; co');
    expect(escapeLinkLabel('a|b|c|d', 4)).toBe('a¦b…');
    expect(escapeLinkLabel('', 10)).toBe('');
  });

  it('can never end a link, start another or hold a separator, for any string', () => {
    for (const [i, s] of randomStrings(300, 13).entries()) {
      const out = escapeLinkLabel(`${s}|`, i % 60);
      expect(out.length).toBeLessThanOrEqual(i % 60);
      expect(out).not.toMatch(/[<>|]/);
      expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  });
});

describe('breakCodeFences', () => {
  it('turns runs of three or more backticks into look-alikes of the same length', () => {
    expect(breakCodeFences('```js x``` ````')).toBe('ˋˋˋjs xˋˋˋ ˋˋˋˋ');
    expect(breakCodeFences('```').length).toBe(3);
  });

  it('keeps inline code, which cannot leave its line', () => {
    expect(breakCodeFences('fix `foo` and ``bar``')).toBe('fix `foo` and ``bar``');
  });
});
