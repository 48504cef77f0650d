import * as assert from 'node:assert/strict';
import { blendScores, unanimousFirst } from '../../server/src/rank/ranker';
import { PipelineOutput } from '../../server/src/retrieval/pipeline';

/** The order (indices into the retrieval order) that scores give, best first. */
function orderOf(scores: Float32Array): number[] {
  return Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
}

describe('rank/ranker', () => {
  // The reranker reverses a retrieval order of six.
  const reversed = Float32Array.from([1, 2, 3, 4, 5, 6]);

  it('weight 0 keeps the retrieval order, weight 1 is the reranker order', () => {
    assert.deepEqual(orderOf(blendScores(reversed, 0)), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(orderOf(blendScores(reversed, 1)), [5, 4, 3, 2, 1, 0]);
  });

  it('a half weight lets the reranker move a candidate only as far as the two orders agree', () => {
    const order = orderOf(blendScores(Float32Array.from([0, 0, 0, 0, 0, 9]), 0.5));
    // The reranker's favourite, last in retrieval, rises but does not take first place from the top.
    assert.ok(order.indexOf(5) < 5 && order.indexOf(5) > 0, order.join(','));
  });

  it('does not change the scores it was given', () => {
    const scores = Float32Array.from([3, 1, 2]);
    blendScores(scores, 1)[0] = 99;
    assert.deepEqual([...scores], [3, 1, 2]);
  });

  it('calls a first candidate unanimous when every list that ran put it first, and at least two did', () => {
    const out = (lexical: number, usage: number, dense: number) =>
      ({ details: [{ lexical: { score: 1, rank: lexical }, usageHit: { score: 1, rank: usage, hits: 1 }, dense: { score: 1, rank: dense } }] }) as unknown as PipelineOutput;
    assert.equal(unanimousFirst(out(1, 1, 1)), true);
    assert.equal(unanimousFirst(out(1, Infinity, 1)), true);
    assert.equal(unanimousFirst(out(1, 2, 1)), false);
    assert.equal(unanimousFirst(out(1, Infinity, Infinity)), false);
    assert.equal(unanimousFirst({ details: [] } as unknown as PipelineOutput), false);
  });
});
