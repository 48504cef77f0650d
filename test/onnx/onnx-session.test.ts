import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { DataType, buildModel, floatTensor, node, tensorValue } from '../../server/src/onnx/onnx-builder';
import { loadSession, sessionOptionsFor, zeroFeeds } from '../../server/src/onnx/onnx-session';
import { tempDir } from '../rerank/tiny-models';

function doubler(): Uint8Array {
  return buildModel({
    inputs: [tensorValue('x', DataType.FLOAT, ['n', 2])],
    outputs: [tensorValue('y', DataType.FLOAT, ['n', 2])],
    initializers: [floatTensor('two', [1], [2])],
    nodes: [node('Mul', ['x', 'two'], ['y'])],
    metadata: { version: '7' },
  });
}

describe('onnx-session', () => {
  const dir = tempDir('session');

  it('says a missing model is not found, as a value', async () => {
    const missing = path.join(dir, 'nope', 'reranker.onnx');
    const r = await loadSession(missing, { label: 'reranker model' });
    assert.deepStrictEqual(r, { ok: false, error: `reranker model not found: ${missing}` });
  });

  it('says a file of random bytes is unreadable, as a value', async () => {
    const corrupt = path.join(dir, 'corrupt.onnx');
    fs.writeFileSync(corrupt, Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff));
    const r = await loadSession(corrupt, { label: 'reranker model' });
    assert.strictEqual(r.ok, false);
    if (!r.ok) {
      assert.ok(r.error.startsWith(`reranker model unreadable: ${corrupt}`), r.error);
      assert.ok(!r.error.includes('\n'), 'one line');
    }
  });

  it('says a truncated model and a directory are unreadable', async () => {
    const truncated = path.join(dir, 'truncated.onnx');
    const bytes = doubler();
    fs.writeFileSync(truncated, bytes.subarray(0, bytes.length - 9));
    const t = await loadSession(truncated);
    assert.strictEqual(t.ok, false);
    const d = await loadSession(dir);
    assert.strictEqual(d.ok, false);
    if (!d.ok) assert.match(d.error, /^model unreadable: /);
  });

  it('applies the threads option and turns graph optimisation on', async () => {
    assert.deepStrictEqual(
      { ...sessionOptionsFor({ threads: 3 }) },
      { intraOpNumThreads: 3, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', logSeverityLevel: 3 },
    );
    assert.strictEqual(sessionOptionsFor({ threads: 0 }).intraOpNumThreads, 1);
    const file = path.join(dir, 'doubler.onnx');
    fs.writeFileSync(file, doubler());
    const r = await loadSession(file, { threads: 2 });
    assert.ok(r.ok);
    if (r.ok) {
      assert.strictEqual(r.session.options.intraOpNumThreads, 2);
      await r.session.release();
    }
  });

  it('exposes names, shapes and metadata and runs feeds', async () => {
    const r = await loadSession(doubler());
    if (!r.ok) assert.fail(r.error);
    const s = r.session;
    assert.deepStrictEqual(s.inputNames, ['x']);
    assert.deepStrictEqual(s.outputNames, ['y']);
    assert.deepStrictEqual(s.inputs[0].shape, ['n', 2]);
    assert.deepStrictEqual(s.metadata, { version: '7' });
    assert.strictEqual(s.source, '<bytes>');
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [2, 2]) });
    if (!out.ok) assert.fail(out.error);
    assert.deepStrictEqual(Array.from(out.outputs.y.data as Float32Array), [2, 4, 6, 8]);
    const bad = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [1, 3]) });
    assert.strictEqual(bad.ok, false);
    await s.release();
    const after = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2]), [1, 2]) });
    assert.deepStrictEqual(after, { ok: false, error: 'session released' });
  });

  it('builds zero warm-up feeds with symbolic dims set to 1 and an empty KV past', () => {
    const feeds = zeroFeeds([
      { name: 'input_ids', type: 'int64', shape: ['batch', 'seq'] },
      { name: 'past_key_values.0.key', type: 'float32', shape: ['batch', 2, 'past', 8] },
    ]);
    assert.ok(feeds);
    assert.deepStrictEqual(feeds!.input_ids.dims, [1, 1]);
    assert.deepStrictEqual(feeds!['past_key_values.0.key'].dims, [1, 2, 0, 8]);
    assert.strictEqual(zeroFeeds([{ name: 's', type: 'string', shape: [1] }]), undefined);
  });
});
