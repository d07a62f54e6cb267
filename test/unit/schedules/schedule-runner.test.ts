import {
  createScheduleRunner,
  type DigestResult,
  type DigestSlot,
} from '../../../src/schedules/schedule-runner';
import { createMemoryScheduleStore, type Schedule } from '../../../src/schedules/schedule-store';
import { scheduleFixture } from '../../support/schedule-fixture';

const at = (iso: string) => Date.parse(iso);

const schedule = (overrides: Partial<Schedule> = {}): Schedule =>
  scheduleFixture({
    createdAt: at('2025-03-08T12:00:00Z'),
    nextRun: at('2025-03-09T13:00:00Z'),
    ...overrides,
  });

describe('schedule runner', () => {
  function harness(result: DigestResult = 'delivered', zone: string | undefined = 'America/New_York') {
    const store = createMemoryScheduleStore();
    let clock = at('2025-03-09T12:00:00Z');
    const sent: Array<{ id: string; slot: DigestSlot }> = [];
    const errors: unknown[] = [];
    const runner = createScheduleRunner({
      store,
      now: () => clock,
      timeZoneOf: async () => zone,
      deliver: async (s, slot) => {
        sent.push({ id: s.id, slot });
        return result;
      },
      onError: (_s, error) => errors.push(error),
    });
    return { store, runner, sent, errors, setClock: (iso: string) => (clock = at(iso)) };
  }

  it('delivers a slot once at its minute, then the next day’s with the window since the last', async () => {
    const h = harness();
    await h.store.add(schedule());
    await h.runner.tick();
    expect(h.sent).toEqual([]);
    h.setClock('2025-03-09T13:00:05Z');
    await h.runner.tick();
    await h.runner.tick();
    expect(h.sent).toEqual([
      { id: 's1', slot: { slot: at('2025-03-09T13:00:00Z'), since: at('2025-03-08T12:00:00Z'), skipped: 0 } },
    ]);
    h.setClock('2025-03-10T13:00:01Z');
    await h.runner.tick();
    expect(h.sent[1]?.slot).toEqual({
      slot: at('2025-03-10T13:00:00Z'),
      since: at('2025-03-09T13:00:00Z'),
      skipped: 0,
    });
  });

  it('follows a person who moved: the refreshed time zone sets the next slot', async () => {
    const h = harness('delivered', 'Europe/Berlin');
    await h.store.add(schedule());
    h.setClock('2025-03-09T13:00:05Z');
    await h.runner.tick();
    const [stored] = await h.store.list('T1:U1');
    expect(stored?.timeZone).toBe('Europe/Berlin');
    expect(stored?.nextRun).toBe(at('2025-03-10T08:00:00Z'));
  });

  it('keeps the stored zone when Slack gives none or a zone Intl does not know', async () => {
    const h = harness('delivered', 'Nowhere/Special');
    await h.store.add(schedule());
    h.setClock('2025-03-09T13:00:05Z');
    await h.runner.tick();
    expect((await h.store.list('T1:U1'))[0]?.timeZone).toBe('America/New_York');
  });

  it('counts a skipped run (consent needed) and tells the next digest; it is not retried each tick', async () => {
    const h = harness('skipped');
    await h.store.add(schedule());
    h.setClock('2025-03-09T13:00:05Z');
    await h.runner.tick();
    await h.runner.tick();
    expect(h.sent).toHaveLength(1);
    expect((await h.store.list('T1:U1'))[0]?.skipped).toBe(1);
    h.setClock('2025-03-10T13:00:05Z');
    await h.runner.tick();
    expect(h.sent[1]?.slot.skipped).toBe(1);
    expect(h.sent[1]?.slot.since).toBe(at('2025-03-08T12:00:00Z'));
  });

  it('skips a slot over an hour late and says so in the next digest', async () => {
    const h = harness();
    await h.store.add(schedule());
    h.setClock('2025-03-09T14:30:00Z');
    await h.runner.tick();
    expect(h.sent).toEqual([]);
    h.setClock('2025-03-10T13:00:00Z');
    await h.runner.tick();
    expect(h.sent[0]?.slot.skipped).toBe(1);
  });

  it('reports a failing delivery and carries on with the others', async () => {
    const store = createMemoryScheduleStore();
    const errors: string[] = [];
    const sent: string[] = [];
    const runner = createScheduleRunner({
      store,
      now: () => at('2025-03-09T13:00:05Z'),
      timeZoneOf: async () => undefined,
      deliver: async (s) => {
        if (s.id === 'bad') throw new Error('boom');
        sent.push(s.id);
        return 'delivered';
      },
      onError: (s) => errors.push(s.id),
    });
    await store.add(schedule({ id: 'bad' }));
    await store.add(schedule({ id: 'good', ownerKey: 'T1:U2' }));
    await runner.tick();
    expect(errors).toEqual(['bad']);
    expect(sent).toEqual(['good']);
    expect((await store.list('T1:U1'))[0]?.nextRun).toBe(at('2025-03-10T13:00:00Z'));
  });

  it('a slot run again (a takeover after the holder died) is not posted twice, and its next slot is queued each time', async () => {
    const h = harness();
    const queued: number[] = [];
    const runner = createScheduleRunner({
      store: h.store,
      now: () => at('2025-03-09T13:00:05Z'),
      timeZoneOf: async () => 'America/New_York',
      deliver: async (s, slot) => {
        h.sent.push({ id: s.id, slot });
        return 'delivered';
      },
      onError: (_s, error) => h.errors.push(error),
      onNextSlot: async (s) => {
        queued.push(s.nextRun);
      },
    });
    await h.store.add(schedule());
    const slot = at('2025-03-09T13:00:00Z');
    await runner.runSlot(schedule(), slot);
    await runner.runSlot((await h.store.get('s1')) as Schedule, slot);
    expect(h.sent).toHaveLength(1);
    expect(queued).toEqual([at('2025-03-10T13:00:00Z'), at('2025-03-10T13:00:00Z')]);
    expect(await h.store.get('s1')).toMatchObject({
      nextRun: at('2025-03-10T13:00:00Z'),
      lastDelivered: slot,
    });
    expect(h.errors).toEqual([]);
  });
});
