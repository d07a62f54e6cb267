import { mapWithConcurrency } from '../../../src/core/concurrency';
import { type Deferred, deferred, flush } from './helpers';

/** An fn whose calls the test finishes by hand, with a count of calls in flight. */
function manualWork<R>() {
  const calls: { item: number; index: number; reply: Deferred<R> }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fn = async (item: number, index: number): Promise<R> => {
    const reply = deferred<R>();
    calls.push({ item, index, reply });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await reply.promise;
    } finally {
      inFlight -= 1;
    }
  };
  return {
    fn,
    calls,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

describe('mapWithConcurrency', () => {
  it('never has more than `limit` calls in flight and starts the next as one finishes', async () => {
    const work = manualWork<string>();
    const items = Array.from({ length: 7 }, (_, i) => i * 10);
    const result = mapWithConcurrency(items, 3, work.fn);
    await flush();
    expect(work.calls.map((call) => call.item)).toEqual([0, 10, 20]);

    work.calls[1]?.reply.resolve('b');
    await flush();
    expect(work.calls).toHaveLength(4);
    expect(work.inFlight).toBe(3);

    // Finish the rest in a scrambled order, one at a time, checking the cap each step.
    for (const position of [3, 0, 2, 5, 4, 6]) {
      const call = work.calls[position];
      if (!call) throw new Error(`call ${position} has not started`);
      call.reply.resolve(String.fromCharCode(97 + call.index));
      await flush();
      expect(work.inFlight).toBeLessThanOrEqual(3);
    }
    await expect(result).resolves.toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(work.maxInFlight).toBe(3);
    expect(work.calls.map((call) => call.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('keeps input order in the output whatever order calls finish in', async () => {
    const delays = [5, 0, 3, 1, 4, 2];
    const result = await mapWithConcurrency(delays, 6, async (delay, index) => {
      for (let i = 0; i < delay; i++) await flush();
      return `${index}:${delay}`;
    });
    expect(result).toEqual(['0:5', '1:0', '2:3', '3:1', '4:4', '5:2']);
  });

  it('starts every call at once when the limit exceeds the input', async () => {
    const work = manualWork<number>();
    const result = mapWithConcurrency([1, 2, 3], 10, work.fn);
    await flush();
    expect(work.inFlight).toBe(3);
    for (const call of work.calls) call.reply.resolve(call.item * 2);
    await expect(result).resolves.toEqual([2, 4, 6]);
  });

  it('runs one at a time when the limit is below 1', async () => {
    const work = manualWork<number>();
    const result = mapWithConcurrency([1, 2], 0, work.fn);
    await flush();
    expect(work.calls).toHaveLength(1);
    work.calls[0]?.reply.resolve(1);
    await flush();
    work.calls[1]?.reply.resolve(2);
    await expect(result).resolves.toEqual([1, 2]);
    expect(work.maxInFlight).toBe(1);
  });

  it('resolves an empty input to an empty array without calling fn', async () => {
    let called = 0;
    await expect(
      mapWithConcurrency([], 4, async () => {
        called += 1;
      }),
    ).resolves.toEqual([]);
    expect(called).toBe(0);
  });

  it('rejects with the first failure and starts no new calls after it', async () => {
    const work = manualWork<string>();
    const result = mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, work.fn);
    const outcome = result.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await flush();
    expect(work.calls).toHaveLength(2);

    const failure = new Error('gmail said no');
    work.calls[0]?.reply.reject(failure);
    // The map fails at once, without waiting for the call still in flight.
    await expect(outcome).resolves.toBe(failure);
    expect(work.calls[1]?.reply.settled).toBe(false);

    work.calls[1]?.reply.resolve('late');
    await flush();
    await flush();
    expect(work.calls).toHaveLength(2);
  });

  it('does not leave a second failure unhandled', async () => {
    const work = manualWork<string>();
    const result = mapWithConcurrency([0, 1], 2, work.fn);
    const outcome = result.catch((error: unknown) => error);
    await flush();
    const first = new Error('first');
    work.calls[0]?.reply.reject(first);
    work.calls[1]?.reply.reject(new Error('second'));
    await expect(outcome).resolves.toBe(first);
  });
});
