import * as assert from 'node:assert';
import { FINE_TUNE_OPTIONS, fineTuneInWorker } from '../../server/src/rank/fine-tune';
import { createMlp, createRng, evaluateMlp, mlpToJson, RankList } from '../../server/src/rerank/mlp';

const F = 6;
const N = 12;

/** Lists whose true candidate has the largest x0 - x1 (or, `contrary`, the smallest). */
function lists(count: number, seed: number, contrary: (i: number) => boolean = () => false): RankList[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, c) => {
    const features = Float32Array.from({ length: N * F }, () => rng() * 2 - 1);
    const utility = (i: number) => features[i * F] - features[i * F + 1];
    let pick = 0;
    for (let i = 1; i < N; i++) if (contrary(c) ? utility(i) < utility(pick) : utility(i) > utility(pick)) pick = i;
    return { features, n: N, trueIndex: pick };
  });
}

describe('rank/fine-tune', function () {
  this.timeout(60_000);
  const train = lists(200, 1);
  const test = lists(100, 2);
  const start = createMlp({ featureCount: F, seed: 3 }, train);

  it('fine-tunes in a worker, stopping early on every fifth list and then training on all of them', async () => {
    const tuned = await fineTuneInWorker(start, train, { ...FINE_TUNE_OPTIONS, validateEvery: 5, refit: true });
    assert.ok(tuned.ok, tuned.ok ? '' : tuned.error);
    assert.ok(evaluateMlp(tuned.model, test).mrr > evaluateMlp(start, test).mrr + 0.2);
  });

  it('hands back the weights it started from when no epoch ranks the held-out lists better', async () => {
    // Every fifth list (the ones held out) marks the worst candidate true.
    const mixed = lists(200, 1, (c) => c % 5 === 4);
    const tuned = await fineTuneInWorker(start, mixed, { ...FINE_TUNE_OPTIONS, validateEvery: 5, refit: true });
    assert.ok(tuned.ok, tuned.ok ? '' : tuned.error);
    assert.strictEqual(mlpToJson(tuned.model), mlpToJson(start));
    // Without holding any out, the same lists do move the weights.
    const plain = await fineTuneInWorker(start, mixed, { ...FINE_TUNE_OPTIONS, validateEvery: 0 });
    assert.ok(plain.ok);
    assert.notStrictEqual(mlpToJson(plain.model), mlpToJson(start));
  });
});
