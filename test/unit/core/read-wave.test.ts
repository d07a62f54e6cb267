import {
  GMAIL_GET_UNITS,
  GMAIL_USER_UNITS_PER_SECOND,
  getsInFlight,
  MAX_GETS_IN_FLIGHT,
} from '../../../src/gmail/read-wave';
import { MAX_COUNT } from '../../../src/inbox/command-args';

describe('one wave of Gmail gets', () => {
  it('sends every get of the largest summary at once, within one second of per-user quota', () => {
    expect(getsInFlight(MAX_COUNT)).toBe(MAX_COUNT);
    // One list plus the wave fits in 250 units per user per second.
    expect(GMAIL_GET_UNITS * (1 + MAX_GETS_IN_FLIGHT)).toBeLessThanOrEqual(GMAIL_USER_UNITS_PER_SECOND);
    expect(GMAIL_GET_UNITS * (1 + MAX_GETS_IN_FLIGHT + 1)).toBeGreaterThan(GMAIL_USER_UNITS_PER_SECOND);
  });

  it('never exceeds the quota however large a count or cap is asked for', () => {
    expect(getsInFlight(500)).toBe(MAX_GETS_IN_FLIGHT);
    expect(getsInFlight(500, 1000)).toBe(MAX_GETS_IN_FLIGHT);
  });

  it('honours a smaller cap and always sends at least one', () => {
    expect(getsInFlight(25, 10)).toBe(10);
    expect(getsInFlight(0)).toBe(1);
    expect(getsInFlight(3, 0)).toBe(1);
  });
});
