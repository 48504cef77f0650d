import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runWorkerJob } from '../server/src/worker-job';

describe('worker-job: one job on a worker thread', function () {
  this.timeout(20_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-worker-job-'));
    await fs.writeFile(path.join(dir, 'double.js'), "require('worker_threads').parentPort.once('message', (n) => require('worker_threads').parentPort.postMessage(n * 2));\n");
    await fs.writeFile(path.join(dir, 'quits.js'), 'process.exit(3);\n');
    await fs.writeFile(path.join(dir, 'throws.js'), "throw new Error('broken on purpose');\n");
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('posts one request and resolves with the one reply', async () => {
    assert.deepEqual(await runWorkerJob<number, number>(path.join(dir, 'double.js'), 21, 'doubling worker'), { ok: true, reply: 42 });
  });

  it('turns a missing script, an exit without a reply and an uncaught error into errors as values', async () => {
    assert.deepEqual(await runWorkerJob(path.join(dir, 'nope.js'), 1, 'test worker'), { ok: false, error: 'the test worker script is missing' });
    assert.deepEqual(await runWorkerJob(path.join(dir, 'quits.js'), 1, 'test worker'), { ok: false, error: 'the test worker exited (3)' });
    const thrown = await runWorkerJob(path.join(dir, 'throws.js'), 1, 'test worker');
    assert.equal(thrown.ok, false);
    assert.match(thrown.ok ? '' : thrown.error, /^the test worker failed: broken on purpose/);
  });
});
