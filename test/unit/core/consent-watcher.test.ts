import {
  type ConsentOutcome,
  type ConsentWatcher,
  type ConsentWatcherOptions,
  createConsentWatcher,
} from '../../../src/auth/consent-watcher';
import type { ConsentStatus, GmailAccess, Grant } from '../../../src/auth/gmail-access';
import {
  ArcadeKeyRejectedError,
  MisconfiguredError,
  ServiceUnavailableError,
} from '../../../src/core/errors';
import { waitFor } from '../../support/wait-for';
import { collectLogs, type Deferred, deferred, flush, type LogCollector } from './helpers';

interface StatusCall {
  authId: string;
  waitSeconds: number;
  signal: AbortSignal;
  reply: Deferred<ConsentStatus>;
}

/**
 * A hand-written GmailAccess whose checkConsent answers only when the test says so (or through
 * `answer`, which may reply at once). Like the Arcade SDK, a call rejects when its signal aborts,
 * unless `ignoreAbort` is set.
 */
function fakeAccess(
  options: { answer?: (call: StatusCall, index: number) => void; ignoreAbort?: boolean } = {},
) {
  const calls: StatusCall[] = [];
  const access: GmailAccess = {
    request: async () => {
      throw new Error('request is not part of these tests');
    },
    checkConsent: (authId, { waitSeconds, signal }) => {
      const reply = deferred<ConsentStatus>();
      const call: StatusCall = { authId, waitSeconds, signal, reply };
      if (!options.ignoreAbort) {
        signal.addEventListener('abort', () => reply.reject(new Error('Request was aborted.')), {
          once: true,
        });
      }
      calls.push(call);
      options.answer?.(call, calls.length - 1);
      return reply.promise;
    },
    disconnect: async () => 0,
    connection: async () => ({ connected: false }),
  };
  return { access, calls };
}

/** A waiter that records what it was told. */
function recorder() {
  const outcomes: ConsentOutcome[] = [];
  const waiter = async (outcome: ConsentOutcome) => {
    outcomes.push(outcome);
  };
  return { outcomes, waiter };
}

const GRANT: Grant = { token: 'ya29.test-token', account: 'alice@example.com' };
const GRANTED: ConsentStatus = { kind: 'granted', grant: GRANT };
const PENDING: ConsentStatus = { kind: 'pending' };

describe('createConsentWatcher', () => {
  let watcher: ConsentWatcher | undefined;
  let logs: LogCollector;

  const start = (access: GmailAccess, overrides: Partial<ConsentWatcherOptions> = {}): ConsentWatcher => {
    watcher = createConsentWatcher({
      access,
      logger: logs.logger,
      timeoutMs: 60_000,
      retryDelayMs: { first: 1, max: 5 },
      minPollIntervalMs: 1,
      ...overrides,
    });
    return watcher;
  };

  beforeEach(() => {
    logs = collectLogs();
    watcher = undefined;
  });
  afterEach(async () => {
    await watcher?.stop();
  });

  it('tells the waiter when consent is granted, then stops polling', async () => {
    const { access, calls } = fakeAccess();
    const w = start(access, { timeoutMs: 120_000 });
    const alice = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => calls.length === 1);
    expect(calls[0]?.authId).toBe('ac_1');
    expect(calls[0]?.waitSeconds).toBe(120);
    expect(calls[0]?.signal.aborted).toBe(false);

    calls[0]?.reply.resolve(PENDING);
    await waitFor(() => calls.length === 2);
    calls[1]?.reply.resolve(GRANTED);
    await waitFor(() => alice.outcomes.length === 1);
    expect(alice.outcomes).toEqual([{ kind: 'granted', grant: GRANT }]);
    expect(w.pending).toBe(0);
    await flush();
    expect(calls).toHaveLength(2);
  });

  it('shares one polling loop among waiters for the same user and flow, and tells every one', async () => {
    const { access, calls } = fakeAccess();
    const w = start(access);
    const waiters = [recorder(), recorder(), recorder()];
    for (const { waiter } of waiters) w.watch('slack:T1:U1', 'ac_1', waiter);
    await waitFor(() => calls.length === 1);
    await flush();
    expect(calls).toHaveLength(1);
    expect(w.pending).toBe(1);

    calls[0]?.reply.resolve(PENDING);
    await waitFor(() => calls.length === 2);
    w.watch('slack:T1:U1', 'ac_1', waiters[0]?.waiter ?? (async () => {}));
    await flush();
    expect(calls).toHaveLength(2);

    calls[1]?.reply.resolve(GRANTED);
    await waitFor(() => waiters.every((r) => r.outcomes.length >= 1));
    expect(waiters.map((r) => r.outcomes)).toEqual([
      [
        { kind: 'granted', grant: GRANT },
        { kind: 'granted', grant: GRANT },
      ],
      [{ kind: 'granted', grant: GRANT }],
      [{ kind: 'granted', grant: GRANT }],
    ]);
    expect(calls.every((call) => call.authId === 'ac_1')).toBe(true);
  });

  it('watches different people separately and counts them in pending', async () => {
    const { access, calls } = fakeAccess();
    const w = start(access);
    expect(w.pending).toBe(0);
    const alice = recorder();
    const bob = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    expect(w.pending).toBe(1);
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    expect(w.pending).toBe(1);
    w.watch('slack:T1:U2', 'ac_2', bob.waiter);
    expect(w.pending).toBe(2);
    await waitFor(() => calls.length === 2);

    calls.find((call) => call.authId === 'ac_2')?.reply.resolve({ kind: 'failed' });
    await waitFor(() => bob.outcomes.length === 1);
    expect(w.pending).toBe(1);
    expect(alice.outcomes).toEqual([]);

    calls.find((call) => call.authId === 'ac_1')?.reply.resolve(GRANTED);
    await waitFor(() => alice.outcomes.length === 2);
    expect(w.pending).toBe(0);
  });

  it('stops at once when the flow failed', async () => {
    const { access, calls } = fakeAccess({ answer: (call) => call.reply.resolve({ kind: 'failed' }) });
    const w = start(access);
    const alice = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => alice.outcomes.length === 1);
    expect(alice.outcomes).toEqual([{ kind: 'failed' }]);
    await flush();
    expect(calls).toHaveLength(1);
    expect(w.pending).toBe(0);
  });

  it('keeps a minimum interval between polls when Arcade answers pending without waiting', async () => {
    const { access, calls } = fakeAccess({ answer: (call) => call.reply.resolve(PENDING) });
    const w = start(access, { timeoutMs: 200, minPollIntervalMs: 50 });
    const alice = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => alice.outcomes.length === 1, { intervalMs: 2 });
    expect(alice.outcomes).toEqual([{ kind: 'expired' }]);
    // 200 ms at one poll per 50 ms is about 4 polls; an unthrottled loop would make thousands.
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBeLessThanOrEqual(6);
  });

  it('reports a flow Arcade no longer knows as expired', async () => {
    const { access, calls } = fakeAccess({ answer: (call) => call.reply.resolve({ kind: 'unknown' }) });
    const w = start(access);
    const alice = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => alice.outcomes.length === 1);
    expect(alice.outcomes).toEqual([{ kind: 'expired' }]);
    expect(calls).toHaveLength(1);
  });

  it('gives up at the deadline with expired (real clock)', async () => {
    const { access, calls } = fakeAccess({
      answer: (call) => {
        setTimeout(() => call.reply.resolve(PENDING), 5);
      },
    });
    const w = start(access, { timeoutMs: 50 });
    const alice = recorder();
    const started = Date.now();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => alice.outcomes.length === 1, { intervalMs: 2 });
    expect(alice.outcomes).toEqual([{ kind: 'expired' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(calls.length).toBeGreaterThan(1);
    // A long-poll never asks to wait past the deadline.
    expect(calls.every((call) => call.waitSeconds === 1)).toBe(true);
    const count = calls.length;
    await flush();
    expect(calls).toHaveLength(count);
  });

  it('gives up at the deadline with expired (injected clock), asking for no more than the time left', async () => {
    let clock = 1_000_000;
    const { access, calls } = fakeAccess({
      answer: (call) => {
        clock += 20_000;
        call.reply.resolve(PENDING);
      },
    });
    const w = start(access, { timeoutMs: 50_000, now: () => clock });
    const alice = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => alice.outcomes.length === 1);
    expect(alice.outcomes).toEqual([{ kind: 'expired' }]);
    expect(calls.map((call) => call.waitSeconds)).toEqual([50, 30, 10]);
  });

  it('retries transient errors with doubling backoff up to the cap, then reports the grant', async () => {
    const { access, calls } = fakeAccess({
      answer: (call, index) => {
        if (index < 4) call.reply.reject(new ServiceUnavailableError('Arcade', `HTTP 50${index}`));
        else call.reply.resolve(GRANTED);
      },
    });
    const w = start(access);
    const alice = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => alice.outcomes.length === 1);
    expect(alice.outcomes).toEqual([{ kind: 'granted', grant: GRANT }]);
    expect(calls).toHaveLength(5);
    const delays = logs.at('warn').map((line) => Number(/retrying in (\d+) ms/.exec(line)?.[1]));
    expect(delays).toEqual([1, 2, 4, 5]);
    expect(logs.at('warn')[0]).toContain('ServiceUnavailableError');
  });

  it('starts the backoff over after a successful status check', async () => {
    const { access } = fakeAccess({
      answer: (call, index) => {
        if (index === 0 || index === 2) call.reply.reject(new ServiceUnavailableError('Arcade', 'HTTP 503'));
        else if (index === 1) call.reply.resolve(PENDING);
        else call.reply.resolve({ kind: 'failed' });
      },
    });
    const w = start(access, { retryDelayMs: { first: 2, max: 50 } });
    const alice = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => alice.outcomes.length === 1);
    expect(alice.outcomes).toEqual([{ kind: 'failed' }]);
    expect(logs.at('warn').map((line) => /retrying in (\d+) ms/.exec(line)?.[1])).toEqual(['2', '2']);
  });

  it.each([
    ['ArcadeKeyRejectedError', new ArcadeKeyRejectedError(401)],
    ['MisconfiguredError', new MisconfiguredError('scope refused', 'fix the provider')],
  ])('ends with an error outcome at once on %s', async (_name, error) => {
    const { access, calls } = fakeAccess({ answer: (call) => call.reply.reject(error) });
    const w = start(access);
    const alice = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => alice.outcomes.length === 1);
    expect(alice.outcomes).toEqual([{ kind: 'error', error }]);
    expect(alice.outcomes[0]?.kind === 'error' && alice.outcomes[0].error).toBe(error);
    await flush();
    expect(calls).toHaveLength(1);
    expect(w.pending).toBe(0);
  });

  it('stop() aborts the status calls and tells every waiter aborted before it resolves', async () => {
    const { access, calls } = fakeAccess();
    const w = start(access);
    const alice = recorder();
    const bob = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    w.watch('slack:T1:U2', 'ac_2', bob.waiter);
    await waitFor(() => calls.length === 2);

    await w.stop();
    expect(calls.every((call) => call.signal.aborted)).toBe(true);
    expect(alice.outcomes).toEqual([{ kind: 'aborted' }]);
    expect(bob.outcomes).toEqual([{ kind: 'aborted' }]);
    expect(w.pending).toBe(0);
    expect(calls).toHaveLength(2);
  });

  it('stop() waits for a slow waiter to finish', async () => {
    const { access, calls } = fakeAccess();
    const w = start(access);
    const gate = deferred<void>();
    let finished = false;
    w.watch('slack:T1:U1', 'ac_1', async () => {
      await gate.promise;
      finished = true;
    });
    await waitFor(() => calls.length === 1);
    let stopped = false;
    const stopping = w.stop().then(() => {
      stopped = true;
    });
    await flush();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
  });

  it('stop() interrupts a backoff sleep', async () => {
    const { access, calls } = fakeAccess({
      answer: (call) => call.reply.reject(new ServiceUnavailableError('Arcade', 'HTTP 503')),
    });
    const w = start(access, { retryDelayMs: { first: 60_000, max: 60_000 } });
    const alice = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => logs.at('warn').length === 1);
    const started = Date.now();
    await w.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(alice.outcomes).toEqual([{ kind: 'aborted' }]);
    expect(calls).toHaveLength(1);
  });

  it('stop() ends the loop even when the status call ignores the abort and answers pending', async () => {
    const { access, calls } = fakeAccess({ ignoreAbort: true });
    const w = start(access);
    const alice = recorder();
    w.watch('slack:T1:U1', 'ac_1', alice.waiter);
    await waitFor(() => calls.length === 1);
    const stopping = w.stop();
    expect(calls[0]?.signal.aborted).toBe(true);
    calls[0]?.reply.resolve(PENDING);
    await stopping;
    expect(alice.outcomes).toEqual([{ kind: 'aborted' }]);
    expect(calls).toHaveLength(1);
  });

  it('tells a waiter that arrives after stop() aborted, without polling', async () => {
    const { access, calls } = fakeAccess();
    const w = start(access);
    await w.stop();
    const late = recorder();
    w.watch('slack:T1:U1', 'ac_1', late.waiter);
    await waitFor(() => late.outcomes.length === 1);
    expect(late.outcomes).toEqual([{ kind: 'aborted' }]);
    expect(w.pending).toBe(0);
    await flush();
    expect(calls).toHaveLength(0);
  });

  it('logs a waiter that throws and still tells the others', async () => {
    const { access, calls } = fakeAccess();
    const w = start(access);
    const first = recorder();
    const last = recorder();
    w.watch('slack:T1:U1', 'ac_1', first.waiter);
    w.watch('slack:T1:U1', 'ac_1', async () => {
      throw new Error('chat.postMessage failed: channel_not_found');
    });
    w.watch('slack:T1:U1', 'ac_1', last.waiter);
    await waitFor(() => calls.length === 1);
    calls[0]?.reply.resolve(GRANTED);
    await waitFor(() => last.outcomes.length === 1 && logs.at('error').length === 1);
    expect(first.outcomes).toEqual([{ kind: 'granted', grant: GRANT }]);
    expect(last.outcomes).toEqual([{ kind: 'granted', grant: GRANT }]);
    expect(logs.at('error')[0]).toContain('channel_not_found');
  });

  it('a new flow for the same person supersedes the old watch; every waiter hears the new outcome once', async () => {
    const { access, calls } = fakeAccess();
    const w = start(access);
    const early = recorder();
    const alsoEarly = recorder();
    const late = recorder();
    w.watch('slack:T1:U1', 'ac_old', early.waiter);
    w.watch('slack:T1:U1', 'ac_old', alsoEarly.waiter);
    await waitFor(() => calls.length === 1);

    w.watch('slack:T1:U1', 'ac_new', late.waiter);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(w.pending).toBe(1);
    await waitFor(() => calls.length === 2);
    expect(calls[1]?.authId).toBe('ac_new');
    await flush();
    // The old loop ended quietly: nobody heard "aborted".
    expect([...early.outcomes, ...alsoEarly.outcomes, ...late.outcomes]).toEqual([]);
    expect(calls).toHaveLength(2);

    calls[1]?.reply.resolve(GRANTED);
    await waitFor(() => late.outcomes.length === 1);
    await flush();
    for (const r of [early, alsoEarly, late]) expect(r.outcomes).toEqual([{ kind: 'granted', grant: GRANT }]);
    expect(w.pending).toBe(0);
  });

  it('drops the outcome of a superseded flow even if its status call still answers', async () => {
    const { access, calls } = fakeAccess({ ignoreAbort: true });
    const w = start(access);
    const early = recorder();
    const late = recorder();
    w.watch('slack:T1:U1', 'ac_old', early.waiter);
    await waitFor(() => calls.length === 1);
    w.watch('slack:T1:U1', 'ac_new', late.waiter);
    await waitFor(() => calls.length === 2);

    calls[0]?.reply.resolve(GRANTED);
    await flush();
    expect(early.outcomes).toEqual([]);
    expect(w.pending).toBe(1);

    calls[1]?.reply.resolve({ kind: 'failed' });
    await waitFor(() => late.outcomes.length === 1);
    await flush();
    expect(early.outcomes).toEqual([{ kind: 'failed' }]);
    expect(late.outcomes).toEqual([{ kind: 'failed' }]);
  });

  describe('with more pending consents than long-polls', () => {
    const quick = (call: StatusCall) => call.waitSeconds === 0;
    const long = (call: StatusCall) => call.waitSeconds > 0;
    const live = (calls: StatusCall[]) => calls.filter((call) => long(call) && !call.signal.aborted);

    it('keeps the long-polls it gave, checks the rest quickly from one timer, and tells the waiters a quick check finds', async () => {
      let granted = false;
      const { access, calls } = fakeAccess({
        answer: (call) => {
          if (quick(call)) call.reply.resolve(granted && call.authId === 'ac_3' ? GRANTED : PENDING);
        },
      });
      const w = start(access, { maxLongPolls: 2, minCheckIntervalMs: 10, checksPerSecond: 1000 });
      const carol = recorder();
      w.watch('slack:T1:U1', 'ac_1', recorder().waiter);
      w.watch('slack:T1:U2', 'ac_2', recorder().waiter);
      w.watch('slack:T1:U3', 'ac_3', carol.waiter);
      expect(w.pending).toBe(3);
      expect(w.longPolls).toBe(2);
      // Taking one away would cost its connection: the newest waits for quick checks instead.
      expect(calls.filter(long).map((call) => call.authId)).toEqual(['ac_1', 'ac_2']);
      await waitFor(() => calls.filter(quick).length >= 2);
      expect(new Set(calls.filter(quick).map((call) => call.authId))).toEqual(new Set(['ac_3']));
      expect(live(calls)).toHaveLength(2);

      granted = true;
      await waitFor(() => carol.outcomes.length === 1);
      expect(carol.outcomes).toEqual([{ kind: 'granted', grant: GRANT }]);
      expect(w.pending).toBe(2);
      expect(w.longPolls).toBe(2);
    });

    it('gives a long-poll at once to a person who opens the link; a freed one goes to the newest', async () => {
      const { access, calls } = fakeAccess({
        answer: (call) => {
          if (quick(call)) call.reply.resolve(PENDING);
        },
      });
      const w = start(access, { maxLongPolls: 1, minCheckIntervalMs: 10_000 });
      const bob = recorder();
      const carol = recorder();
      w.watch('slack:T1:U1', 'ac_1', recorder().waiter);
      w.watch('slack:T1:U2', 'ac_2', bob.waiter);
      expect(live(calls).map((call) => call.authId)).toEqual(['ac_1']);

      w.opened('slack:T1:U2');
      expect(live(calls).map((call) => call.authId)).toEqual(['ac_2']);
      w.watch('slack:T1:U3', 'ac_3', carol.waiter);
      expect(live(calls).map((call) => call.authId)).toEqual(['ac_2']);
      expect(w.longPolls).toBe(1);

      // Bob consents; the freed long-poll goes to the newest of the others.
      live(calls)[0]?.reply.resolve(GRANTED);
      await waitFor(() => bob.outcomes.length === 1);
      expect(bob.outcomes).toEqual([{ kind: 'granted', grant: GRANT }]);
      await waitFor(() => live(calls)[0]?.authId === 'ac_3');
      expect(live(calls)).toHaveLength(1);
      live(calls)[0]?.reply.resolve({ kind: 'failed' });
      await waitFor(() => carol.outcomes.length === 1);
      expect(carol.outcomes).toEqual([{ kind: 'failed' }]);
      await waitFor(() => live(calls)[0]?.authId === 'ac_1');
    });

    it('one opened link waits for a long-poll rather than take another opened one', async () => {
      const { access, calls } = fakeAccess({
        answer: (call) => {
          if (quick(call)) call.reply.resolve(PENDING);
        },
      });
      const w = start(access, { maxLongPolls: 1, minCheckIntervalMs: 10_000 });
      w.watch('slack:T1:U1', 'ac_1', recorder().waiter, { opened: true });
      w.watch('slack:T1:U2', 'ac_2', recorder().waiter);
      w.opened('slack:T1:U2');
      expect(live(calls).map((call) => call.authId)).toEqual(['ac_1']);
      live(calls)[0]?.reply.resolve({ kind: 'failed' });
      await waitFor(() => live(calls)[0]?.authId === 'ac_2');
    });

    it('makes at most checksPerSecond quick checks a second in all', async () => {
      const { access, calls } = fakeAccess({
        answer: (call) => {
          if (quick(call)) call.reply.resolve(PENDING);
        },
      });
      const w = start(access, { maxLongPolls: 1, minCheckIntervalMs: 0, checksPerSecond: 20 });
      for (let i = 0; i < 50; i++) w.watch(`slack:T1:U${i}`, `ac_${i}`, recorder().waiter);
      const started = Date.now();
      await waitFor(() => calls.filter(quick).length >= 5);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const elapsedMs = Date.now() - started;
      // Tokens accrue from zero, so no more than the rate over the time passed, plus one in hand.
      expect(calls.filter(quick).length).toBeLessThanOrEqual(Math.ceil((20 * elapsedMs) / 1000) + 1);
      // Round robin: no consent is asked twice before the others had their turn.
      const asked = calls.filter(quick).map((call) => call.authId);
      expect(new Set(asked).size).toBe(asked.length);
    });

    it('expires, hands over and aborts consents without a long-poll', async () => {
      const { access, calls } = fakeAccess({
        answer: (call) => {
          if (quick(call)) call.reply.resolve(PENDING);
        },
      });
      const w = start(access, { maxLongPolls: 1, minCheckIntervalMs: 10 });
      const [first, alice, bob, carol] = [recorder(), recorder(), recorder(), recorder()];
      w.watch('slack:T1:U0', 'ac_0', first.waiter);
      w.watch('slack:T1:U1', 'ac_1', alice.waiter, { deadline: Date.now() + 80 });
      w.watch('slack:T1:U2', 'ac_2', bob.waiter);
      await waitFor(() => alice.outcomes.length === 1, { timeoutMs: 3000 });
      expect(alice.outcomes).toEqual([{ kind: 'expired' }]);

      w.handOver('slack:T1:U2');
      await waitFor(() => bob.outcomes.length === 1);
      expect(bob.outcomes).toEqual([{ kind: 'handed_over' }]);
      const bobCalls = calls.filter((call) => call.authId === 'ac_2').length;

      w.watch('slack:T1:U3', 'ac_3', carol.waiter);
      await w.stop();
      expect(first.outcomes).toEqual([{ kind: 'aborted' }]);
      expect(carol.outcomes).toEqual([{ kind: 'aborted' }]);
      expect(calls.every((call) => call.signal.aborted || quick(call))).toBe(true);
      expect(calls.filter((call) => call.authId === 'ac_2')).toHaveLength(bobCalls);
      expect(w.pending).toBe(0);
    });

    it('backs off quick checks after transient errors and ends on a permanent one', async () => {
      const rejected = new ArcadeKeyRejectedError(401);
      let quickCalls = 0;
      const { access } = fakeAccess({
        answer: (call) => {
          if (!quick(call)) return;
          quickCalls += 1;
          if (quickCalls < 3) call.reply.reject(new ServiceUnavailableError('Arcade', 'HTTP 503'));
          else call.reply.reject(rejected);
        },
      });
      const w = start(access, {
        maxLongPolls: 1,
        minCheckIntervalMs: 1,
        retryDelayMs: { first: 20, max: 40 },
        checksPerSecond: 1000,
      });
      const alice = recorder();
      w.watch('slack:T1:U2', 'ac_2', recorder().waiter);
      w.watch('slack:T1:U1', 'ac_1', alice.waiter);
      await waitFor(() => alice.outcomes.length === 1);
      expect(alice.outcomes).toEqual([{ kind: 'error', error: rejected }]);
      expect(logs.at('warn').map((line) => /retrying in (\d+) ms/.exec(line)?.[1])).toEqual(['20', '40']);
    });
  });
});
