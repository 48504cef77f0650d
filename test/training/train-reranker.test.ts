import * as assert from 'node:assert/strict';
import { DEFAULT_TRAIN_CONFIG, syntheticLists, TrainReport } from '../../server/src/training/train-reranker';
import { modelCard } from '../../server/src/training/model-files';
import { FEATURE_COUNT } from '../../server/src/rerank/features';

describe('training/train-reranker: what the shipped model learns from', function () {
  this.timeout(120_000);
  const collect = { casesPerSource: 40, typedChars: [0], seed: 3 };

  it('collects lists from a platform-shaped instance as well as a scoped one, named by shape', async () => {
    const scoped = await syntheticLists(11, 120, collect);
    const platform = await syntheticLists(11, 120, collect, 'platform');
    assert.equal(scoped.name, 'synth:11');
    assert.equal(platform.name, 'synth:platform:11');
    for (const src of [scoped, platform]) {
      assert.ok(src.lists.length > 10, `${src.name}: ${src.lists.length} lists`);
      assert.ok(src.lists.every((l) => l.features.length === l.n * FEATURE_COUNT));
      // Most cases find their answer in the top 40, so the lists can teach an order.
      assert.ok(src.lists.filter((l) => l.trueIndex >= 0).length > src.lists.length / 2, `${src.name}: too few lists hold the answer`);
    }
    // The same seed in the other shape is another instance: other names, other cases.
    assert.notDeepEqual(
      scoped.lists.slice(0, 5).map((l) => l.n + ':' + l.trueIndex),
      platform.lists.slice(0, 5).map((l) => l.n + ':' + l.trueIndex),
    );
  });

  it('says in the model card which shapes and seeds it was trained and validated on', () => {
    const config = { ...DEFAULT_TRAIN_CONFIG, trainSeeds: [101, 102], validationSeeds: [201], platformTrainSeeds: [105], platformValidationSeeds: [202], sizedTrainInstances: [{ seed: 111, shape: 'scoped' as const, scriptIncludes: 300 }] };
    const report = { config, featureNames: [], trainLists: 0, validationLists: 0, sources: [], stages: [], ms: 0 } as unknown as TrainReport;
    const card = modelCard(report, 100, 'abc', { p50: 0.1, p95: 0.2 });
    assert.match(card, /scoped \(`--shape scoped`\) training seeds 101, 102, validation seeds 201/);
    assert.match(card, /platform-shaped \(`--shape platform`, one wide global scope\) training seeds 105, validation seeds 202/);
    assert.match(card, /smaller training instances scoped seed 111 \(300\)/);
    const scopedOnly = modelCard({ ...report, config: { ...config, platformTrainSeeds: [], platformValidationSeeds: [], sizedTrainInstances: [] } }, 100, 'abc', { p50: 0.1, p95: 0.2 });
    assert.doesNotMatch(scopedOnly, /platform-shaped|smaller training instances/);
  });
});
