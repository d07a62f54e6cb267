import { runsOn, type ScheduleSpec } from './schedule-spec';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface WallTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building them is far slower than using them. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether Intl knows the zone (Slack's `tz` is an IANA name, but a stale or odd one must not crash a run). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at the instant `utcMs`. */
export function wallTimeAt(timeZone: string, utcMs: number): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

function wallAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
}

/** The zone's offset from UTC (ms) at an instant. */
function offsetAt(timeZone: string, utcMs: number): number {
  const floored = Math.floor(utcMs / MINUTE) * MINUTE;
  return wallAsUtc(wallTimeAt(timeZone, floored)) - floored;
}

/**
 * The instant a local wall time happens in `timeZone`. A time that happens twice (clocks go back)
 * gives the first; a time that never happens (clocks go forward) moves forward by the gap, so a
 * 2:30 digest on the spring-forward night comes at 3:30, not never.
 */
export function instantOfWallTime(timeZone: string, wall: WallTime): number {
  const naive = wallAsUtc(wall);
  // Offsets half a day either side cover any transition near this wall time.
  const before = offsetAt(timeZone, naive - 12 * HOUR);
  const after = offsetAt(timeZone, naive + 12 * HOUR);
  const candidates = [naive - before, naive - after]
    .filter((instant) => wallAsUtc(wallTimeAt(timeZone, instant)) === naive)
    .sort((a, b) => a - b);
  return candidates[0] ?? naive - before;
}

/**
 * The first run strictly after `afterMs` of a schedule, in `timeZone`. Pure: the clock is an
 * argument, so tests cross daylight-saving changes with fixed instants.
 */
export function nextRunAfter(spec: ScheduleSpec, timeZone: string, afterMs: number): number {
  const today = wallTimeAt(timeZone, afterMs);
  const todayUtc = Date.UTC(today.year, today.month - 1, today.day);
  // A weekly schedule comes round within 8 local dates, counting today.
  for (let offset = 0; offset <= 8; offset += 1) {
    const date = new Date(todayUtc + offset * DAY);
    if (!runsOn(spec.days, date.getUTCDay())) continue;
    const instant = instantOfWallTime(timeZone, {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: spec.hour,
      minute: spec.minute,
    });
    if (instant > afterMs) return instant;
  }
  throw new Error(`no run found within 8 days for ${JSON.stringify(spec)} in ${timeZone}`);
}
