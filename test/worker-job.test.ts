import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runWorkerJob } from '../server/src/worker-job';

describe('worker-job: one job on a worker thread or in a child process', function () {
  this.timeout(20_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-worker-job-'));
    const jobModule = JSON.stringify(path.join(__dirname, '../server/src/worker-job.js'));
    await fs.writeFile(path.join(dir, 'double.js'), `require(${jobModule}).answerOneJob((n) => n * 2);\n`);
    // What a job prints must never reach the server's stdout, the editor's channel.
    await fs.writeFile(path.join(dir, 'chatty.js'), `console.log('Content-Length: 2\\r\\n\\r\\n{}'); require(${jobModule}).answerOneJob((xs) => xs.map((x) => x + 1));\n`);
    await fs.writeFile(path.join(dir, 'quits.js'), 'process.exit(3);\n');
    await fs.writeFile(path.join(dir, 'throws.js'), "throw new Error('broken on purpose');\n");
    // A job may answer later (a promise), with typed arrays it moves back rather than copies.
    await fs.writeFile(path.join(dir, 'later.js'), `require(${jobModule}).answerOneJob(async (n) => { await new Promise((r) => setTimeout(r, 20)); return { n: n + 1, xs: Float64Array.of(n) }; }, (reply) => [reply.xs.buffer]);\n`);
    await fs.writeFile(path.join(dir, 'rejects.js'), `require(${jobModule}).answerOneJob(async () => { throw new Error('refused on purpose'); });\n`);
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  for (const where of ['thread', 'process'] as const) {
    describe(`in a ${where}`, () => {
      it('sends one request and resolves with the one reply (and from a process, its peak memory)', async () => {
        const got = await runWorkerJob<number, number>(path.join(dir, 'double.js'), 21, 'doubling worker', { in: where });
        assert.ok(got.ok);
        assert.equal(got.reply, 42);
        if (where === 'process') assert.ok(got.peakMb !== undefined && got.peakMb > 0, `peak ${got.peakMb}`);
        else assert.equal(got.peakMb, undefined);
      });

      it('carries typed arrays both ways', async () => {
        const sent = Float32Array.from([1, 2.5]);
        const got = await runWorkerJob<Float32Array, Float32Array>(path.join(dir, 'chatty.js'), sent, 'test worker', where === 'thread' ? { in: where, transfer: [sent.buffer] } : { in: where });
        assert.ok(got.ok);
        assert.ok(got.reply instanceof Float32Array);
        assert.deepEqual([...got.reply], [2, 3.5]);
      });

      it('waits for a job that answers with a promise, and takes a rejected one as an error', async () => {
        const got = await runWorkerJob<number, { n: number; xs: Float64Array }>(path.join(dir, 'later.js'), 4, 'test worker', { in: where });
        assert.ok(got.ok);
        assert.equal(got.reply.n, 5);
        assert.ok(got.reply.xs instanceof Float64Array);
        assert.deepEqual([...got.reply.xs], [4]);
        const refused = await runWorkerJob(path.join(dir, 'rejects.js'), 1, 'test worker', { in: where });
        assert.equal(refused.ok, false);
        assert.equal(refused.ok ? '' : refused.error, 'the test worker failed: refused on purpose');
      });

      it('turns a missing script, an exit without a reply and an uncaught error into errors as values', async () => {
        assert.deepEqual(await runWorkerJob(path.join(dir, 'nope.js'), 1, 'test worker', { in: where }), { ok: false, error: 'the test worker script is missing' });
        assert.deepEqual(await runWorkerJob(path.join(dir, 'quits.js'), 1, 'test worker', { in: where }), { ok: false, error: 'the test worker exited (3)' });
        const thrown = await runWorkerJob(path.join(dir, 'throws.js'), 1, 'test worker', { in: where });
        assert.equal(thrown.ok, false);
        assert.match(thrown.ok ? '' : thrown.error, /^the test worker failed: broken on purpose/);
      });
    });
  }

  it("keeps a child's stdout off the server's: a server whose job prints still speaks clean LSP", async () => {
    // The child's stdout is not inherited: run a parent that starts the chatty job and prints
    // only the reply, and read what reached the parent's stdout.
    const { execFileSync } = await import('child_process');
    const jobModule = JSON.stringify(path.join(__dirname, '../server/src/worker-job.js'));
    const parent = `require(${jobModule}).runWorkerJob(${JSON.stringify(path.join(dir, 'chatty.js'))}, [1], 'chatty worker', { in: 'process' }).then((r) => process.stdout.write(JSON.stringify(r.reply)));`;
    assert.equal(execFileSync(process.execPath, ['-e', parent], { encoding: 'utf8' }), '[2]');
  });
});
