import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCompactModel } from '../../server/src/rerank/compact-model';
import { DataType, buildModel, floatTensor, node, tensorValue } from '../../server/src/onnx/onnx-builder';
import { RankList, createMlp, createRng, exportMlpToOnnx, scoreMlp } from '../../server/src/rerank/mlp';
import { tempDir } from './tiny-models';

const F = 6;
const NAMES = ['bm25', 'dense', 'scope_distance', 'table_overlap', 'prior', 'rank'];

function randomLists(count: number, seed: number): RankList[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => ({ features: Float32Array.from({ length: 40 * F }, () => rng() * 4 - 1), n: 40, trueIndex: 0 }));
}

describe('compact-model', () => {
  const lists = randomLists(5, 1);
  const mlp = createMlp({ featureCount: F, featureNames: NAMES, seed: 9, version: '2025.1' }, lists);
  const bytes = exportMlpToOnnx(mlp);

  it('loads an exported model and scores 40 candidates in one run like the TS forward pass', async () => {
    const file = path.join(tempDir('compact'), 'compact.onnx');
    fs.writeFileSync(file, bytes);
    const r = await loadCompactModel(file, { threads: 1, expectedFeatureCount: F, expectedFeatureNames: NAMES });
    if (!r.ok) assert.fail(r.error);
    const m = r.model;
    assert.strictEqual(m.featureCount, F);
    assert.deepStrictEqual(m.featureNames, NAMES);
    assert.strictEqual(m.version, '2025.1');
    const scores = await m.score(lists[2].features, 40);
    const expected = scoreMlp(mlp, lists[2].features, 40);
    assert.strictEqual(scores.length, 40);
    for (let i = 0; i < 40; i++) assert.ok(Math.abs(scores[i] - expected[i]) < 1e-4);
    assert.deepStrictEqual(await m.score(new Float32Array(0), 0), new Float32Array(0));
    await assert.rejects(m.score(new Float32Array(F + 1), 1), /expected 1 x 6/);
    await m.release();
  });

  it('refuses a model whose width differs from the extractor', async () => {
    const r = await loadCompactModel(bytes, { expectedFeatureCount: F + 2 });
    assert.strictEqual(r.ok, false);
    if (!r.ok) assert.match(r.error, /expects 6 features, the extractor makes 8/);
  });

  it('refuses a model whose feature names differ from the extractor', async () => {
    const renamed = [...NAMES];
    renamed[3] = 'field_overlap';
    const r = await loadCompactModel(bytes, { expectedFeatureNames: renamed });
    assert.strictEqual(r.ok, false);
    if (!r.ok) assert.match(r.error, /feature 3 is 'table_overlap'/);
  });

  it('refuses a model without a features input, and a missing file', async () => {
    const other = buildModel({
      inputs: [tensorValue('x', DataType.FLOAT, ['n', F])],
      outputs: [tensorValue('scores', DataType.FLOAT, ['n', F])],
      nodes: [node('Identity', ['x'], ['scores'])],
    });
    const r = await loadCompactModel(other);
    assert.strictEqual(r.ok, false);
    if (!r.ok) assert.match(r.error, /no 'features' input/);
    const missing = await loadCompactModel('/nonexistent/dir/compact.onnx');
    assert.deepStrictEqual(missing, { ok: false, error: 'reranker model not found: /nonexistent/dir/compact.onnx' });
  });

  it('accepts scores shaped [n, 1] and takes the width from metadata when the input is symbolic', async () => {
    const model = buildModel({
      inputs: [tensorValue('features', DataType.FLOAT, ['n', 'f'])],
      outputs: [tensorValue('scores', DataType.FLOAT, ['n', 1])],
      initializers: [floatTensor('w', [3, 1], [1, 10, 100])],
      nodes: [node('MatMul', ['features', 'w'], ['scores'])],
      metadata: { feature_count: '3' },
    });
    const r = await loadCompactModel(model, { expectedFeatureCount: 3 });
    if (!r.ok) assert.fail(r.error);
    assert.deepStrictEqual(Array.from(await r.model.score(Float32Array.from([1, 2, 3, 0, 0, 1]), 2)), [321, 100]);
    await r.model.release();
  });
});
