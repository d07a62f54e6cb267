import { deriveKey } from '../../../src/sealing';
import { decodeShareValue, encodeShareValue } from '../../../src/slack/share-value';
import { createSummaryStore } from '../../../src/slack/summary-store';

const MESSAGE = { text: 'summary' };
const KEY = deriveKey('a-record-secret-of-at-least-32-characters', 'share-button');

describe('createSummaryStore', () => {
  it('gives a summary back once, to its owner only', () => {
    const store = createSummaryStore();
    const reference = store.put('T1:U1', MESSAGE);
    expect(store.take(reference, 'T1:U2')).toEqual({ kind: 'unknown' });
    expect(store.take(reference, 'T1:U1')).toEqual({ kind: 'found', message: MESSAGE });
    expect(store.take(reference, 'T1:U1')).toEqual({ kind: 'already_shared' });
    expect(store.take('nope', 'T1:U1')).toEqual({ kind: 'unknown' });
  });

  it('forgets summaries after their time, and the oldest when full', () => {
    let now = 0;
    const store = createSummaryStore({ ttlMs: 100, max: 2, now: () => now });
    const first = store.put('o', MESSAGE);
    const second = store.put('o', MESSAGE);
    const third = store.put('o', MESSAGE);
    expect(store.size).toBe(2);
    expect(store.take(first, 'o').kind).toBe('unknown');
    expect(store.take(second, 'o').kind).toBe('found');
    now = 100;
    expect(store.take(third, 'o').kind).toBe('unknown');
  });
});

describe('share button values', () => {
  it('round-trip, within 2,000 characters even for the longest search', () => {
    const share = {
      reference: 'r1',
      request: { count: 25, query: `"${'\\\\'.repeat(249)}"` },
      channelId: 'C0001',
    };
    const value = encodeShareValue(KEY, share);
    expect(value.length).toBeLessThanOrEqual(2000);
    expect(decodeShareValue(KEY, value)).toEqual(share);
    expect(
      decodeShareValue(
        KEY,
        encodeShareValue(KEY, { reference: 'r', request: { count: 3 }, channelId: 'D1' }),
      ),
    ).toEqual({
      reference: 'r',
      request: { count: 3 },
      channelId: 'D1',
    });
  });

  it.each([
    undefined,
    '',
    'not json',
    '{"r":1}',
    '{"r":"x","c":0,"ch":"C1"}',
    '{"r":"x","c":26,"ch":"C1"}',
    '{"r":"x","c":3,"ch":"#general"}',
    '{"r":"x","c":3,"ch":"C1","q":5}',
  ])('refuses %j', (value) => {
    expect(decodeShareValue(KEY, value)).toBeUndefined();
  });

  it('refuses a value whose channel, search, count or reference was edited, or sealed with another key', () => {
    const share = { reference: 'r1', request: { count: 5, query: 'is:unread' }, channelId: 'C0001' };
    const sealed = JSON.parse(encodeShareValue(KEY, share));
    for (const edit of [{ ch: 'C0666' }, { q: 'from:boss' }, { q: undefined }, { c: 25 }, { r: 'r2' }]) {
      expect(decodeShareValue(KEY, JSON.stringify({ ...sealed, ...edit }))).toBeUndefined();
    }
    const { m: _mac, ...unsealed } = sealed;
    expect(decodeShareValue(KEY, JSON.stringify(unsealed))).toBeUndefined();
    const otherKey = deriveKey('another-secret-of-at-least-32-characters!', 'share-button');
    expect(decodeShareValue(otherKey, JSON.stringify(sealed))).toBeUndefined();
    expect(decodeShareValue(KEY, JSON.stringify(sealed))).toEqual(share);
  });
});
