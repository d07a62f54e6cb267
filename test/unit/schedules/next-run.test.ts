import {
  instantOfWallTime,
  isKnownTimeZone,
  nextRunAfter,
  wallTimeAt,
} from '../../../src/schedules/next-run';
import type { ScheduleSpec } from '../../../src/schedules/schedule-spec';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const daily9: ScheduleSpec = { days: { kind: 'day' }, hour: 9, minute: 0 };

/** Runs one after another from a fixed clock, each strictly after the last. */
function runs(spec: ScheduleSpec, zone: string, fromIso: string, count: number): string[] {
  const found: string[] = [];
  let clock = at(fromIso);
  for (let index = 0; index < count; index += 1) {
    clock = nextRunAfter(spec, zone, clock);
    found.push(iso(clock));
  }
  return found;
}

describe('nextRunAfter', () => {
  it('keeps 9:00 at 9:00 in New York across the March change (EST → EDT)', () => {
    // US clocks go forward on Sunday 9 March 2025 at 2:00.
    expect(runs(daily9, 'America/New_York', '2025-03-08T00:00:00Z', 3)).toEqual([
      '2025-03-08T14:00:00.000Z',
      '2025-03-09T13:00:00.000Z',
      '2025-03-10T13:00:00.000Z',
    ]);
  });

  it('keeps 9:00 at 9:00 in Berlin across the October change (CEST → CET)', () => {
    // EU clocks go back on Sunday 26 October 2025 at 3:00.
    expect(runs(daily9, 'Europe/Berlin', '2025-10-25T00:00:00Z', 3)).toEqual([
      '2025-10-25T07:00:00.000Z',
      '2025-10-26T08:00:00.000Z',
      '2025-10-27T08:00:00.000Z',
    ]);
  });

  it('moves a time that does not exist on the spring-forward night on by the gap', () => {
    const spec: ScheduleSpec = { days: { kind: 'day' }, hour: 2, minute: 30 };
    // 2:30 never happens in New York on 9 March 2025; it comes at 3:30 EDT (07:30Z).
    expect(iso(nextRunAfter(spec, 'America/New_York', at('2025-03-09T05:00:00Z')))).toBe(
      '2025-03-09T07:30:00.000Z',
    );
  });

  it('sends a time that happens twice on the fall-back night once, at the first', () => {
    const spec: ScheduleSpec = { days: { kind: 'day' }, hour: 2, minute: 30 };
    // 2:30 happens twice in Berlin on 26 October 2025: 00:30Z (CEST) and 01:30Z (CET).
    const first = nextRunAfter(spec, 'Europe/Berlin', at('2025-10-25T23:00:00Z'));
    expect(iso(first)).toBe('2025-10-26T00:30:00.000Z');
    expect(iso(nextRunAfter(spec, 'Europe/Berlin', first))).toBe('2025-10-27T01:30:00.000Z');
  });

  it('follows the southern hemisphere: Sydney goes forward in October', () => {
    // Sydney clocks go forward on Sunday 5 October 2025 at 2:00 (AEST +10 → AEDT +11).
    expect(runs(daily9, 'Australia/Sydney', '2025-10-03T00:00:00Z', 2)).toEqual([
      '2025-10-03T23:00:00.000Z',
      '2025-10-04T22:00:00.000Z',
    ]);
  });

  it('skips weekends for a weekday schedule and finds one weekday a week', () => {
    const weekday: ScheduleSpec = { days: { kind: 'weekday' }, hour: 8, minute: 30 };
    // Friday 7 March 2025 after 8:30 in New York: next is Monday 10 March, already on EDT.
    expect(runs(weekday, 'America/New_York', '2025-03-07T14:00:00Z', 2)).toEqual([
      '2025-03-10T12:30:00.000Z',
      '2025-03-11T12:30:00.000Z',
    ]);
    const monday: ScheduleSpec = { days: { kind: 'weekly', weekday: 1 }, hour: 17, minute: 30 };
    expect(runs(monday, 'Europe/Berlin', '2025-03-24T16:30:00Z', 2)).toEqual([
      '2025-03-31T15:30:00.000Z',
      '2025-04-07T15:30:00.000Z',
    ]);
  });

  it('is strictly after the clock: a run at this very minute is the next one, not this', () => {
    expect(iso(nextRunAfter(daily9, 'UTC', at('2025-01-01T09:00:00Z')))).toBe('2025-01-02T09:00:00.000Z');
    expect(iso(nextRunAfter(daily9, 'UTC', at('2025-01-01T08:59:59Z')))).toBe('2025-01-01T09:00:00.000Z');
  });

  it('reads wall time and knows real zones from made-up ones', () => {
    expect(wallTimeAt('Asia/Kolkata', at('2025-06-01T00:00:00Z'))).toEqual({
      year: 2025,
      month: 6,
      day: 1,
      hour: 5,
      minute: 30,
    });
    expect(iso(instantOfWallTime('Asia/Kolkata', { year: 2025, month: 6, day: 1, hour: 9, minute: 0 }))).toBe(
      '2025-06-01T03:30:00.000Z',
    );
    expect(isKnownTimeZone('America/New_York')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
