import { createOneTimeIds } from '../../../src/verifier/one-time-ids';

describe('createOneTimeIds', () => {
  it('lets each id through once', () => {
    const ids = createOneTimeIds();
    expect(ids.use('a', Date.now() + 1000)).toBe('first');
    expect(ids.use('a', Date.now() + 1000)).toBe('again');
    expect(ids.use('b', Date.now() + 1000)).toBe('first');
  });

  it('refuses new ids when full rather than forgetting unexpired ones', () => {
    let now = 0;
    const ids = createOneTimeIds({ max: 2, now: () => now });
    ids.use('a', 100);
    ids.use('b', 200);
    expect(ids.use('c', 300)).toBe('full');
    expect(ids.use('a', 100)).toBe('again');
    // Once one has expired, its room is reused.
    now = 150;
    expect(ids.use('c', 300)).toBe('first');
    expect(ids.size).toBe(2);
  });
});
