import { type Schedule, scheduleOwnerKey } from '../../src/schedules/schedule-store';

export const scheduleIdentity = { teamId: 'T1', userId: 'U1' };

/** A daily 9:00 New York digest of 10 messages for T1:U1 in C1; tests override what they look at. */
export function scheduleFixture(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: 's1',
    ownerKey: scheduleOwnerKey(scheduleIdentity),
    identity: scheduleIdentity,
    channelId: 'C1',
    privately: false,
    spec: { days: { kind: 'day' }, hour: 9, minute: 0 },
    request: { count: 10 },
    timeZone: 'America/New_York',
    createdAt: 1,
    nextRun: 1_000,
    skipped: 0,
    ...overrides,
  };
}
