import { startScheduleClock } from '../../../src/schedules/schedule-clock';

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} } as never;

describe('the schedule clock', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ticks just after each minute starts, and never again once stopped', async () => {
    jest.setSystemTime(Date.UTC(2026, 2, 3, 8, 0, 40));
    let ticks = 0;
    const stop = startScheduleClock({ tick: async () => void ticks++ }, silent);
    await jest.advanceTimersByTimeAsync(19_000);
    expect(ticks).toBe(0);
    await jest.advanceTimersByTimeAsync(1_100);
    expect(ticks).toBe(1);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(ticks).toBe(2);
    stop();
    await jest.advanceTimersByTimeAsync(180_000);
    expect(ticks).toBe(2);
  });

  it('does not start a tick while the previous one is still running', () => {
    jest.setSystemTime(Date.UTC(2026, 2, 3, 8, 0, 0));
    let ticks = 0;
    const never = () => {
      ticks++;
      return new Promise<void>(() => {});
    };
    const stop = startScheduleClock({ tick: never }, silent);
    jest.advanceTimersByTime(5 * 60_000);
    expect(ticks).toBe(1);
    stop();
  });
});
