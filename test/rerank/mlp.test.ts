import * as assert from 'node:assert';
import * as ort from 'onnxruntime-node';
import {
  RankList,
  createMlp,
  createRng,
  evaluateMlp,
  exportMlpToOnnx,
  featureStandardisation,
  mlpFromJson,
  mlpToJson,
  rankOfTrue,
  rankingMetrics,
  rankingReward,
  scoreMlp,
  trainReinforce,
  trainSupervised,
} from '../../server/src/rerank/mlp';

const F = 8;
const N = 20;

/**
 * Lists of N candidates where the true one maximises a hidden utility with a linear part, an
 * interaction (x2 * x3) and a fold (|x4|), plus noise; features 5 and 6 are off-scale distractors
 * that standardisation has to tame. Chance top-1 is 1/N.
 */
function syntheticLists(count: number, seed: number): RankList[] {
  const rng = createRng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng());
  const lists: RankList[] = [];
  for (let c = 0; c < count; c++) {
    const features = new Float32Array(N * F);
    let best = -1;
    let bestUtility = -Infinity;
    for (let i = 0; i < N; i++) {
      for (let f = 0; f < F; f++) features[i * F + f] = gauss() * (f === 5 ? 30 : 1) + (f === 6 ? 100 : 0);
      const x = (f: number): number => features[i * F + f];
      const utility = 1.2 * x(0) - 0.8 * x(1) + 1.5 * x(2) * x(3) - Math.abs(x(4)) + 0.3 * gauss();
      if (utility > bestUtility) {
        bestUtility = utility;
        best = i;
      }
    }
    lists.push({ features, n: N, trueIndex: best });
  }
  return lists;
}

/** The candidate a model ranks last. */
function worstOf(model: ReturnType<typeof createMlp>, list: RankList): number {
  const scores = scoreMlp(model, list.features, list.n);
  let worst = 0;
  for (let i = 1; i < list.n; i++) if (scores[i] < scores[worst]) worst = i;
  return worst;
}

describe('rerank/mlp', function () {
  this.timeout(60_000);
  const train = syntheticLists(400, 1);
  const validation = syntheticLists(150, 2);
  const test = syntheticLists(200, 3);
  const start = createMlp({ featureCount: F, seed: 5 }, train);
  // Trained once for the suite, in a hook: mocha reports its time and a failure there as such.
  let supervised: ReturnType<typeof trainSupervised>;
  before(() => {
    supervised = trainSupervised(start, train, { epochs: 20, seed: 3 });
  });

  it('supervised listwise training lifts top-1 far above chance', () => {
    const before = evaluateMlp(start, test);
    const after = evaluateMlp(supervised.model, test);
    assert.ok(after.top1 > 0.5, `top-1 ${after.top1}`);
    assert.ok(after.top1 > before.top1 + 0.3, `top-1 ${before.top1} -> ${after.top1}`);
    assert.ok(after.top5 > 0.9, `top-5 ${after.top5}`);
    const losses = supervised.history.map((h) => h.value);
    assert.ok(losses[losses.length - 1] < losses[0] * 0.6, `loss ${losses[0]} -> ${losses[losses.length - 1]}`);
  });

  it('the reinforcement stage does not make the supervised model worse', () => {
    const rl = trainReinforce(supervised.model, train, { epochs: 6, validation, seed: 4 });
    const sup = evaluateMlp(supervised.model, validation);
    const reinforced = evaluateMlp(rl.model, validation);
    assert.ok(reinforced.mrr >= sup.mrr, `validation MRR ${sup.mrr} -> ${reinforced.mrr}`);
    const onTest = evaluateMlp(rl.model, test).mrr;
    assert.ok(onTest >= evaluateMlp(supervised.model, test).mrr - 0.02, `test MRR ${onTest}`);
    assert.strictEqual(rl.history.length, 6);
    assert.ok(rl.history.every((h) => h.value > 0 && h.value <= 1 && h.validationMrr !== undefined));
  });

  it('with validation lists, supervised training returns the epoch that ranked them best', () => {
    const run = trainSupervised(start, train.slice(0, 150), { epochs: 6, validation, seed: 3 });
    const mrrs = run.history.map((h) => h.validationMrr!);
    assert.strictEqual(mrrs.length, 6);
    const best = Math.max(evaluateMlp(start, validation).mrr, ...mrrs);
    assert.strictEqual(evaluateMlp(run.model, validation).mrr, best);
  });

  it('with validation lists that training only makes worse, supervised training hands back the start', () => {
    // The same candidates, with the least useful one marked true: what the training lists teach
    // ranks it last.
    const contrary = validation.map((l) => ({ ...l, trueIndex: worstOf(supervised.model, l) }));
    const run = trainSupervised(start, train, { epochs: 4, validation: contrary, seed: 3 });
    assert.ok(run.history.every((h) => h.validationMrr! <= evaluateMlp(start, contrary).mrr), JSON.stringify(run.history));
    assert.strictEqual(run.model, start);
  });

  it('the reinforcement stage alone raises the expected reward of an untrained model', () => {
    const small = train.slice(0, 150);
    const rl = trainReinforce(start, small, { epochs: 8, learningRate: 3e-3, seed: 2 });
    assert.ok(evaluateMlp(rl.model, test).mrr > evaluateMlp(start, test).mrr + 0.1);
  });

  it('is deterministic: same data and seed give the same bytes, another seed other bytes', () => {
    const small = train.slice(0, 60);
    const run = (seed: number): Uint8Array => {
      const m = createMlp({ featureCount: F, seed }, small);
      const s = trainSupervised(m, small, { epochs: 2, seed });
      return exportMlpToOnnx(trainReinforce(s.model, small, { epochs: 1, seed }).model);
    };
    assert.deepStrictEqual(Buffer.from(run(1)), Buffer.from(run(1)));
    assert.notDeepStrictEqual(Buffer.from(run(1)), Buffer.from(run(2)));
  });

  for (const activation of ['relu', 'tanh'] as const) {
    it(`the exported ONNX (${activation}) reproduces the TypeScript forward pass within 1e-4`, async () => {
      const m = trainSupervised(createMlp({ featureCount: F, activation, seed: 8 }, train), train.slice(0, 50), { epochs: 2 }).model;
      const session = await ort.InferenceSession.create(exportMlpToOnnx(m));
      assert.deepStrictEqual(session.inputMetadata[0], { name: 'features', isTensor: true, type: 'float32', shape: ['n', F] });
      for (const list of test.slice(0, 5)) {
        const { scores } = await session.run({ features: new ort.Tensor('float32', list.features, [list.n, F]) });
        assert.deepStrictEqual(scores.dims, [list.n]);
        const expected = scoreMlp(m, list.features, list.n);
        for (let i = 0; i < list.n; i++) assert.ok(Math.abs((scores.data as Float32Array)[i] - expected[i]) < 1e-4);
      }
      await session.release();
    });
  }

  it('ranks ties by candidate order and counts lists without their true item as misses', () => {
    assert.strictEqual(rankOfTrue([1, 3, 3, 0], 2), 2);
    assert.strictEqual(rankOfTrue([1, 3, 3, 0], 0), 3);
    assert.strictEqual(rankOfTrue([1, 3, 3, 0], 1), 1);
    assert.strictEqual(rankOfTrue([1, 2], -1), 0);
    const lists: RankList[] = [
      { features: new Float32Array(0), n: 3, trueIndex: 0 },
      { features: new Float32Array(0), n: 3, trueIndex: -1 },
    ];
    const m = rankingMetrics(lists, () => [5, 1, 0]);
    assert.deepStrictEqual(m, { lists: 2, withTrue: 1, top1: 0.5, top5: 0.5, mrr: 0.5 });
    assert.strictEqual(rankingReward(2, 'reciprocal-rank'), 0.5);
    assert.strictEqual(rankingReward(1, 'ndcg@5'), 1);
    assert.strictEqual(rankingReward(6, 'ndcg@5'), 0);
  });

  it('standardises on training rows and leaves a constant feature unscaled', () => {
    const lists: RankList[] = [{ features: Float32Array.from([1, 7, 3, 7]), n: 2, trueIndex: 0 }];
    const { mean, std } = featureStandardisation(lists, 2);
    assert.deepStrictEqual(Array.from(mean), [2, 7]);
    assert.deepStrictEqual(Array.from(std), [1, 1]);
  });

  it('round-trips a JSON checkpoint and rejects a damaged one', () => {
    const back = mlpFromJson(mlpToJson(supervised.model));
    if (!back.ok) assert.fail(back.error);
    assert.deepStrictEqual(Buffer.from(exportMlpToOnnx(back.model)), Buffer.from(exportMlpToOnnx(supervised.model)));
    const damaged = JSON.parse(mlpToJson(supervised.model));
    damaged.w1 = damaged.w1.slice(1);
    assert.strictEqual(mlpFromJson(JSON.stringify(damaged)).ok, false);
    assert.strictEqual(mlpFromJson('{').ok, false);
  });
});
