import { CATCH_UP_WINDOW_MS, planCatchUp } from '../../../src/schedules/catch-up';
import { digestQuery } from '../../../src/schedules/digest-query';
import type { ScheduleSpec } from '../../../src/schedules/schedule-spec';

const at = (iso: string) => Date.parse(iso);
const daily9: ScheduleSpec = { days: { kind: 'day' }, hour: 9, minute: 0 };

describe('digestQuery', () => {
  it('asks Gmail for what arrived since, in epoch seconds', () => {
    expect(digestQuery(at('2025-03-10T13:00:00.999Z'))).toBe('after:1741611600');
  });

  it('groups the person’s own search so an OR stays inside the window', () => {
    expect(digestQuery(1_000_000, ' from:boss OR from:cto ')).toBe('after:1000 (from:boss OR from:cto)');
    expect(digestQuery(1_000_000, '   ')).toBe('after:1000');
  });
});

describe('planCatchUp', () => {
  it('sends a slot that is due now and plans the next', () => {
    const due = at('2025-03-10T13:00:00Z');
    expect(planCatchUp(daily9, 'America/New_York', due, due + 2_000)).toEqual({
      deliver: due,
      skipped: 0,
      next: at('2025-03-11T13:00:00Z'),
    });
  });

  it('sends a slot missed while every instance was down if it is under an hour old', () => {
    const due = at('2025-03-10T13:00:00Z');
    expect(planCatchUp(daily9, 'America/New_York', due, due + CATCH_UP_WINDOW_MS).deliver).toBe(due);
  });

  it('skips a slot over an hour old, and counts it for the next digest to mention', () => {
    const due = at('2025-03-10T13:00:00Z');
    expect(planCatchUp(daily9, 'America/New_York', due, due + CATCH_UP_WINDOW_MS + 1)).toEqual({
      skipped: 1,
      next: at('2025-03-11T13:00:00Z'),
    });
  });

  it('after days down, sends only the latest slot if it is fresh and counts the rest', () => {
    const due = at('2025-03-07T14:00:00Z');
    const now = at('2025-03-10T13:30:00Z');
    expect(planCatchUp(daily9, 'America/New_York', due, now)).toEqual({
      deliver: at('2025-03-10T13:00:00Z'),
      skipped: 3,
      next: at('2025-03-11T13:00:00Z'),
    });
  });

  it('does nothing before the slot', () => {
    const due = at('2025-03-10T13:00:00Z');
    expect(planCatchUp(daily9, 'America/New_York', due, due - 1)).toEqual({ skipped: 0, next: due });
  });
});
