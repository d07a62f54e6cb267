/** Which days a schedule runs on: every day, Monday to Friday, or one weekday (0 = Sunday … 6 = Saturday). */
export type ScheduleDays = { kind: 'day' } | { kind: 'weekday' } | { kind: 'weekly'; weekday: number };

/** A local wall-clock time on chosen days; the time zone is the person's, applied at each run. */
export interface ScheduleSpec {
  days: ScheduleDays;
  /** 0–23, local time. */
  hour: number;
  /** 0–59, local time. */
  minute: number;
}

export const WEEKDAY_NAMES = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;

/** Whether a schedule runs on a local date whose day of the week is `weekday` (0 = Sunday). */
export function runsOn(days: ScheduleDays, weekday: number): boolean {
  if (days.kind === 'day') return true;
  if (days.kind === 'weekday') return weekday >= 1 && weekday <= 5;
  return days.weekday === weekday;
}

/** The schedule in the person's own words, e.g. "every weekday at 8:30". */
export function describeSchedule(spec: ScheduleSpec): string {
  const time = `${spec.hour}:${String(spec.minute).padStart(2, '0')}`;
  const days =
    spec.days.kind === 'day'
      ? 'day'
      : spec.days.kind === 'weekday'
        ? 'weekday'
        : capitalise(WEEKDAY_NAMES[spec.days.weekday] ?? 'day');
  return `every ${days} at ${time}`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
