import { bootApp, type Harness } from '../support/boot-app';

describe('/inbox every … over the wire (no schedule runner in this build yet)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootApp();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('says in the ack what it understood and that nothing was scheduled, and calls no service', async () => {
    const { status, json } = await h.command({ text: 'private every weekday at 8:30am 5 is:unread' });
    expect(status).toBe(200);
    expect(json.text).toContain('every weekday at 8:30');
    expect(json.text).toContain('nothing was scheduled');
    expect(json.text).toContain('/inbox 10 every day');
    expect(h.arcade.calls).toHaveLength(0);
    expect(h.gmail.calls).toHaveLength(0);
  });

  it('answers /inbox schedules and refuses a bad time with how to write one', async () => {
    expect((await h.command({ text: 'schedules' })).json.text).toContain('nothing was scheduled');
    expect((await h.command({ text: 'every day at teatime' })).json.text).toContain('`5:30pm`');
  });
});
