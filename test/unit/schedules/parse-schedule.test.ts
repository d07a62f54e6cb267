import { parseInboxCommand } from '../../../src/inbox/command-args';
import { parseSchedule, parseTime } from '../../../src/schedules/parse-schedule';
import { describeSchedule } from '../../../src/schedules/schedule-spec';

describe('parseTime', () => {
  it.each([
    ['9:00', 9, 0],
    ['09:00', 9, 0],
    ['17:30', 17, 30],
    ['0:05', 0, 5],
    ['9am', 9, 0],
    ['9AM', 9, 0],
    ['5:30pm', 17, 30],
    ['12am', 0, 0],
    ['12pm', 12, 0],
    ['12:15a.m.', 0, 15],
  ])('reads %j as %d:%d', (word, hour, minute) => {
    expect(parseTime(word)).toEqual({ hour, minute });
  });

  it.each(['9', '24:00', '9:60', '13pm', '0am', '9:5', 'noon', ''])('refuses %j', (word) => {
    expect(parseTime(word)).toBeUndefined();
  });
});

describe('parseSchedule', () => {
  it('reads days, an optional "at", the time and leaves the rest', () => {
    expect(parseSchedule(' day at 9:00')).toEqual({
      kind: 'schedule',
      spec: { days: { kind: 'day' }, hour: 9, minute: 0 },
      rest: '',
    });
    expect(parseSchedule('weekdays 8:30 5 is:unread')).toEqual({
      kind: 'schedule',
      spec: { days: { kind: 'weekday' }, hour: 8, minute: 30 },
      rest: '5 is:unread',
    });
    expect(parseSchedule('Monday at 5:30 pm from:boss')).toEqual({
      kind: 'schedule',
      spec: { days: { kind: 'weekly', weekday: 1 }, hour: 17, minute: 30 },
      rest: 'from:boss',
    });
  });

  it('says what is wrong with the days or the time', () => {
    const badDay = parseSchedule('fortnight at 9:00');
    expect(badDay.kind).toBe('invalid');
    expect(badDay.kind === 'invalid' && badDay.problem).toContain('`weekday`');
    const badTime = parseSchedule('day at teatime');
    expect(badTime.kind === 'invalid' && badTime.problem).toContain('`5:30pm`');
  });

  it('describes a schedule in the words a person would use', () => {
    expect(describeSchedule({ days: { kind: 'weekday' }, hour: 8, minute: 30 })).toBe(
      'every weekday at 8:30',
    );
    expect(describeSchedule({ days: { kind: 'weekly', weekday: 1 }, hour: 17, minute: 5 })).toBe(
      'every Monday at 17:05',
    );
  });
});

describe('parseInboxCommand with schedules', () => {
  it('turns a leading "every" into a schedule with the count and search that follow', () => {
    expect(parseInboxCommand('every weekday at 8:30 5 is:unread')).toEqual({
      kind: 'schedule',
      spec: { days: { kind: 'weekday' }, hour: 8, minute: 30 },
      request: { count: 5, query: 'is:unread' },
    });
    expect(parseInboxCommand('every day at 9:00')).toEqual({
      kind: 'schedule',
      spec: { days: { kind: 'day' }, hour: 9, minute: 0 },
      request: { count: 10 },
    });
  });

  it('keeps "private" first working for schedules', () => {
    expect(parseInboxCommand('private every monday at 17:30 from:boss')).toEqual({
      kind: 'schedule',
      spec: { days: { kind: 'weekly', weekday: 1 }, hour: 17, minute: 30 },
      request: { count: 10, query: 'from:boss' },
      privately: true,
    });
  });

  it('reads "schedules" alone as the list, and with more after it as a search', () => {
    expect(parseInboxCommand('schedules')).toEqual({ kind: 'schedules' });
    expect(parseInboxCommand('schedules 2025')).toEqual({
      kind: 'summary',
      request: { count: 10, query: 'schedules 2025' },
    });
  });

  it('leaves a search that starts with "every" to a count first or quotes', () => {
    expect(parseInboxCommand('10 every day')).toEqual({
      kind: 'summary',
      request: { count: 10, query: 'every day' },
    });
    expect(parseInboxCommand('"every day"')).toEqual({
      kind: 'summary',
      request: { count: 10, query: '"every day"' },
    });
  });

  it('refuses a bad count in a schedule as it does for /inbox', () => {
    const parsed = parseInboxCommand('every day at 9:00 99');
    expect(parsed.kind).toBe('invalid');
  });
});
