import * as assert from 'node:assert/strict';
import { RequestActivity } from '../server/src/activity';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('activity: waiting for a quiet spell', () => {
  it('goes on at once when nothing was asked, after letting queued work run', async () => {
    const activity = new RequestActivity(() => 0);
    let queued = false;
    setImmediate(() => (queued = true));
    await activity.quiet(1000);
    assert.equal(queued, true, 'what was queued ran first');
  });

  it('waits while requests keep coming, and goes on once they stop for long enough', async () => {
    const clock = { now: 0 };
    const activity = new RequestActivity(() => clock.now);
    activity.touch();
    let done = false;
    const waiting = activity.quiet(20).then(() => (done = true));
    await tick(60);
    assert.equal(done, false, 'no time has passed on the clock since the request');
    clock.now = 15;
    activity.touch(); // another keystroke: the spell starts again
    clock.now = 30;
    await tick(60);
    assert.equal(done, false, 'only 15 ms since the last request');
    assert.equal(activity.sinceLast(), 15);
    clock.now = 40;
    await waiting;
    assert.equal(done, true);
  });
});
