import { createBackgroundTasks } from '../../../src/core/background';
import { ServiceUnavailableError } from '../../../src/core/errors';
import { waitFor } from '../../support/wait-for';
import { collectLogs, deferred, flush } from './helpers';

// Jest 30 fails a test in which a promise rejection goes unhandled, so a task error escaping the
// tracker would fail these tests by itself; the assertions check that it was logged instead.

describe('createBackgroundTasks', () => {
  it('logs a task that rejects instead of letting the rejection escape', async () => {
    const logs = collectLogs();
    const tasks = createBackgroundTasks(logs.logger);
    tasks.run('summary', async () => {
      throw new ServiceUnavailableError('Gmail', 'HTTP 503');
    });
    await expect(tasks.drain(1000)).resolves.toBe(true);
    await flush();
    expect(logs.at('error')).toEqual([
      expect.stringContaining(
        'background task summary failed: ServiceUnavailableError code=service_unavailable: Gmail is unavailable: HTTP 503',
      ),
    ]);
    expect(tasks.size).toBe(0);
  });

  it('logs a task that throws synchronously', async () => {
    const logs = collectLogs();
    const tasks = createBackgroundTasks(logs.logger);
    const task = (() => {
      throw new Error('sync boom');
    }) as () => Promise<void>;
    expect(() => tasks.run('sync', task)).not.toThrow();
    await expect(tasks.drain(1000)).resolves.toBe(true);
    expect(logs.text()).toContain('background task sync failed: Error: sync boom');
  });

  it('logs a rejection with a value that is not an Error, redacted', async () => {
    const logs = collectLogs({ secrets: ['arcade-key-0123456'] });
    const tasks = createBackgroundTasks(logs.logger);
    tasks.run('odd', () => Promise.reject({ reason: 'arcade-key-0123456 refused' }));
    await tasks.drain(1000);
    expect(logs.at('error')).toHaveLength(1);
    expect(logs.text()).toContain('background task odd failed:');
    expect(logs.text()).not.toContain('arcade-key-0123456');
  });

  it('counts running tasks in size and forgets them when they end', async () => {
    const tasks = createBackgroundTasks(collectLogs().logger);
    expect(tasks.size).toBe(0);
    const first = deferred<void>();
    const second = deferred<void>();
    tasks.run('first', () => first.promise);
    tasks.run('second', () => second.promise);
    expect(tasks.size).toBe(2);
    first.resolve();
    await waitFor(() => tasks.size === 1, { intervalMs: 1 });
    second.reject(new Error('fails'));
    await waitFor(() => tasks.size === 0, { intervalMs: 1 });
  });

  it('drain resolves true once running tasks finish', async () => {
    const logs = collectLogs();
    const tasks = createBackgroundTasks(logs.logger);
    const gate = deferred<void>();
    let finished = false;
    tasks.run('slow', async () => {
      await gate.promise;
      finished = true;
    });
    let drained: boolean | undefined;
    const draining = tasks.drain(5000).then((value) => {
      drained = value;
    });
    await flush();
    expect(drained).toBeUndefined();
    gate.resolve();
    await draining;
    expect(drained).toBe(true);
    expect(finished).toBe(true);
  });

  it('drain resolves true at once with nothing running', async () => {
    const tasks = createBackgroundTasks(collectLogs().logger);
    await expect(tasks.drain(0)).resolves.toBe(true);
  });

  it('drain resolves false when tasks outlast the timeout, and the task still finishes later', async () => {
    const tasks = createBackgroundTasks(collectLogs().logger);
    const gate = deferred<void>();
    tasks.run('stuck', () => gate.promise);
    const started = Date.now();
    await expect(tasks.drain(20)).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(tasks.size).toBe(1);
    gate.resolve();
    await expect(tasks.drain(1000)).resolves.toBe(true);
    expect(tasks.size).toBe(0);
  });

  it('a failing task does not make drain fail or hide the others', async () => {
    const logs = collectLogs();
    const tasks = createBackgroundTasks(logs.logger);
    const done: string[] = [];
    tasks.run('bad', async () => {
      throw new Error('bad');
    });
    tasks.run('good', async () => {
      await flush();
      done.push('good');
    });
    await expect(tasks.drain(1000)).resolves.toBe(true);
    expect(done).toEqual(['good']);
    expect(logs.at('error')).toHaveLength(1);
  });
});

describe('admission of background tasks', () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  };

  it('never runs more than maxConcurrent at once, and runs every queued task in the end', async () => {
    const { logger } = collectLogs();
    const tasks = createBackgroundTasks(logger, { minConcurrent: 1, maxConcurrent: 3, busyAbove: 1.01 });
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 10 }, deferred);
    let finished = 0;
    for (const [i, gate] of gates.entries()) {
      tasks.run(`t${i}`, async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
        finished++;
      });
    }
    expect(tasks.size).toBe(10);
    await waitFor(() => running === 3);
    for (const gate of gates) gate.resolve();
    expect(await tasks.drain(2000)).toBe(true);
    expect(peak).toBe(3);
    expect(finished).toBe(10);
  });

  it('while the event loop is busy, admits only minConcurrent', async () => {
    const { logger } = collectLogs();
    const tasks = createBackgroundTasks(logger, {
      minConcurrent: 2,
      maxConcurrent: 50,
      busyAbove: 0.5,
      sampleEveryMs: 5,
    });
    let started = 0;
    const gate = deferred();
    for (let i = 0; i < 20; i++) {
      tasks.run(`t${i}`, async () => {
        started++;
        // Every task blocks the loop for 30 ms: the utilisation sampler must see it and hold the queue back.
        const until = Date.now() + 30;
        while (Date.now() < until) {}
        await gate.promise;
      });
    }
    await waitFor(() => started >= 2);
    // Let the sampler run a few times while the loop is being blocked.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(started).toBeLessThan(20);
    gate.resolve();
    expect(await tasks.drain(5000)).toBe(true);
    expect(started).toBe(20);
  });
});
