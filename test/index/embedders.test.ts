import * as assert from 'node:assert';
import { CooccurrenceEmbedder, HashingEmbedder, dot } from '../../server/src/index/embedders';

function norm(v: Float32Array): number {
  return Math.sqrt(dot(v, v));
}

/**
 * Two topics that never meet: HR words co-occur with each other, incident words with each
 * other, in shuffled synthetic documents.
 */
function twoTopicCorpus(): string[][] {
  const hr = ['manager', 'employee', 'hr', 'case', 'onboarding', 'department'];
  const inc = ['incident', 'priority', 'assignment', 'group', 'resolve', 'sla'];
  let seed = 9;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
  const docs: string[][] = [];
  for (let i = 0; i < 400; i++) {
    const topic = i % 2 === 0 ? hr : inc;
    docs.push(Array.from({ length: 8 }, () => topic[Math.floor(random() * topic.length)]).concat(['util', 'get']));
  }
  return docs;
}

describe('index/embedders', () => {
  describe('HashingEmbedder', () => {
    it('is deterministic and normalised', () => {
      const a = new HashingEmbedder();
      const b = new HashingEmbedder();
      const v = a.embed(['incident', 'manager', 'group']);
      assert.strictEqual(v.length, 256);
      assert.deepStrictEqual(v, b.embed(['incident', 'manager', 'group']));
      assert.ok(Math.abs(norm(v) - 1) < 1e-6);
      assert.strictEqual(a.id, b.id);
    });

    it('puts texts sharing tokens closer than texts that share none', () => {
      const e = new HashingEmbedder({ dim: 128 });
      const q = e.embed(['incident', 'reopen', 'caller']);
      assert.ok(dot(q, e.embed(['incident', 'reopen', 'notify'])) > dot(q, e.embed(['manager', 'employee', 'department'])) + 0.3);
    });

    it('weights tokens and returns zeros for nothing', () => {
      const e = new HashingEmbedder({ dim: 64 });
      const heavy = e.embed(['incident', 'manager'], [5, 1]);
      assert.ok(dot(heavy, e.embed(['incident'])) > dot(heavy, e.embed(['manager'])));
      assert.strictEqual(norm(e.embed([])), 0);
      assert.notStrictEqual(new HashingEmbedder({ seed: 1 }).id, new HashingEmbedder({ seed: 2 }).id);
    });
  });

  describe('CooccurrenceEmbedder', () => {
    const corpus = twoTopicCorpus();
    const model = CooccurrenceEmbedder.fit(corpus, { dim: 16, window: 4, minCount: 2, seed: 7 });

    it('places co-occurring words closer than unrelated ones', () => {
      const manager = model.wordVector('manager')!;
      const employee = model.wordVector('employee')!;
      const incident = model.wordVector('incident')!;
      const priority = model.wordVector('priority')!;
      assert.ok(dot(manager, employee) > dot(manager, incident) + 0.2, `${dot(manager, employee)} vs ${dot(manager, incident)}`);
      assert.ok(dot(incident, priority) > dot(incident, employee) + 0.2);
    });

    it('embeds documents near documents of the same topic', () => {
      const q = model.embed(['manager', 'department']);
      assert.ok(dot(q, model.embed(['employee', 'onboarding', 'hr'])) > dot(q, model.embed(['sla', 'resolve', 'incident'])));
      assert.ok(Math.abs(norm(q) - 1) < 1e-5);
    });

    it('is deterministic given the seed, and its id tracks the fit', () => {
      const again = CooccurrenceEmbedder.fit(corpus, { dim: 16, window: 4, minCount: 2, seed: 7 });
      assert.strictEqual(again.id, model.id);
      assert.deepStrictEqual(again.embed(['manager', 'sla']), model.embed(['manager', 'sla']));
      const other = CooccurrenceEmbedder.fit(corpus.slice(0, 200), { dim: 16, window: 4, minCount: 2, seed: 7 });
      assert.notStrictEqual(other.id, model.id);
    });

    it('learns the same embedder when the worker collects between its steps', () => {
      let steps = 0;
      const collected = CooccurrenceEmbedder.fit(corpus, { dim: 16, window: 4, minCount: 2, seed: 7 }, () => steps++);
      assert.strictEqual(steps, 2, 'after the pair table and after the full matrix');
      assert.strictEqual(collected.id, model.id);
      assert.deepStrictEqual(collected.toJSON(), model.toJSON());
    });

    it('falls back to hashing vectors for unknown words, so they still match themselves', () => {
      const v = model.embed(['x_acme_zzz_unknown']);
      assert.ok(Math.abs(norm(v) - 1) < 1e-5);
      assert.ok(dot(v, model.embed(['x_acme_zzz_unknown', 'manager'])) > dot(v, model.embed(['manager'])));
      assert.strictEqual(norm(model.embed([])), 0);
    });

    it('round-trips through JSON', () => {
      const loaded = CooccurrenceEmbedder.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
      assert.ok(loaded.ok);
      assert.strictEqual(loaded.embedder.id, model.id);
      assert.deepStrictEqual(loaded.embedder.embed(['hr', 'case', 'new_word']), model.embed(['hr', 'case', 'new_word']));
      assert.strictEqual(CooccurrenceEmbedder.fromJSON({ ...model.toJSON(), vectors: 'AAAA' }).ok, false);
      assert.strictEqual(CooccurrenceEmbedder.fromJSON('nonsense').ok, false);
    });

    it('fits an empty corpus without failing', () => {
      const empty = CooccurrenceEmbedder.fit([], { dim: 8 });
      assert.strictEqual(empty.vocabularySize, 0);
      assert.ok(Math.abs(norm(empty.embed(['anything'])) - 1) < 1e-5);
    });
  });
});
