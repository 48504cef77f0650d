import * as assert from 'node:assert';
import { CancelledError, DeadlineSignal, withDeadline } from '../../server/src/rerank/types';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rerank types: withDeadline', () => {
  it('returns the scores when the work finishes in time', async () => {
    const r = await withDeadline(async () => Float32Array.from([3, 1]), 1000);
    assert.strictEqual(r.status, 'ok');
    assert.deepStrictEqual(Array.from(r.scores!), [3, 1]);
  });

  it('stops waiting at the deadline and tells the work through its signal', async () => {
    let seen: DeadlineSignal | undefined;
    const r = await withDeadline(async (signal) => {
      seen = signal;
      await delay(200);
      return new Float32Array(1);
    }, 20);
    assert.strictEqual(r.status, 'deadline');
    assert.strictEqual(r.scores, null);
    // How long it waited is the benchmark's business; here, that the deadline is what ended it.
    assert.ok(seen!.deadlineExpired && seen!.isCancellationRequested);
  });

  it('does not start when already cancelled or out of time', async () => {
    let started = false;
    const work = async () => {
      started = true;
      return new Float32Array(0);
    };
    assert.strictEqual((await withDeadline(work, 100, { isCancellationRequested: true })).status, 'cancelled');
    assert.strictEqual((await withDeadline(work, 0)).status, 'deadline');
    assert.strictEqual(started, false);
  });

  it('turns failures and cancellations into statuses, never rejections', async () => {
    const failed = await withDeadline(async () => {
      throw new Error('reranker run failed: bad input\nstack...');
    }, 100);
    assert.deepStrictEqual(failed, { scores: null, ms: failed.ms, status: 'error', detail: 'reranker run failed: bad input' });
    const cancelled = await withDeadline(async () => {
      throw new CancelledError();
    }, 100);
    assert.strictEqual(cancelled.status, 'cancelled');
    const sync = await withDeadline(() => {
      throw new Error('boom');
    }, 100);
    assert.strictEqual(sync.status, 'error');
  });
});
