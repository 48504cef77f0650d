import * as assert from 'node:assert';
import { answerMatches, CaseResult, failedCase, percentile, rankOf, scoreCase, summarize } from '../../server/src/eval/metrics';
import { EvalCase } from '../../server/src/eval/types';

function kase(id: string, scriptInclude: string, apiName?: string, method?: string): EvalCase {
  const expected: EvalCase['expected'] = { scriptInclude };
  if (apiName) expected.apiName = apiName;
  if (method) expected.method = method;
  return { id, prefix: '', expected };
}

/** An answer list with the given api name at a 1-based rank, filler elsewhere. */
function ranked(apiName: string, rank: number, length = 50): string[] {
  return Array.from({ length }, (_, i) => (i === rank - 1 ? apiName : `x_other.Filler${i}`));
}

describe('eval metrics', () => {
  it('matches by api name when the case has one, else by the name part', () => {
    assert.ok(answerMatches('x_hr.HRUtils', { scriptInclude: 'HRUtils', apiName: 'x_hr.HRUtils' }));
    assert.ok(!answerMatches('x_it.HRUtils', { scriptInclude: 'HRUtils', apiName: 'x_hr.HRUtils' }));
    assert.ok(answerMatches('HRUtils', { scriptInclude: 'HRUtils', apiName: 'global.HRUtils' }));
    assert.ok(answerMatches('x_it.HRUtils', { scriptInclude: 'HRUtils' }));
    assert.ok(answerMatches('HRUtils', { scriptInclude: 'HRUtils' }));
    assert.ok(!answerMatches('x_it.HRUtilsTest', { scriptInclude: 'HRUtils' }));
  });

  it('ranks within the top 40 only', () => {
    const c = kase('a', 'A', 'x.A');
    assert.strictEqual(rankOf(c, { scriptIncludes: ranked('x.A', 1) }), 1);
    assert.strictEqual(rankOf(c, { scriptIncludes: ranked('x.A', 40) }), 40);
    assert.strictEqual(rankOf(c, { scriptIncludes: ranked('x.A', 41) }), null);
    assert.strictEqual(rankOf(c, { scriptIncludes: [] }), null);
  });

  it('gives hand-computed accuracies and MRR', () => {
    // Ranks 1, 3, 7, absent, 40.
    const ranks = [1, 3, 7, 0, 40];
    const results = ranks.map((r, i) => scoreCase(kase(`c${i}`, 'A', 'x.A'), { scriptIncludes: r ? ranked('x.A', r) : [] }, i + 1));
    const m = summarize(results);
    assert.strictEqual(m.cases, 5);
    assert.strictEqual(m.top1, 1 / 5);
    assert.strictEqual(m.top5, 2 / 5);
    assert.strictEqual(m.top10, 3 / 5);
    assert.strictEqual(m.top40, 4 / 5);
    assert.ok(Math.abs(m.mrr - (1 + 1 / 3 + 1 / 7 + 0 + 1 / 40) / 5) < 1e-12);
    assert.strictEqual(m.p50Ms, 3);
    assert.strictEqual(m.p95Ms, 5);
    assert.strictEqual(m.methodCases, 0);
    assert.strictEqual(m.methodTop1, 0);
  });

  it('scores Script Include + method only over cases that expect a method', () => {
    const withMethod = kase('m1', 'A', 'x.A', 'run');
    const results: CaseResult[] = [
      // SI first, method right: hit at 1 and 5.
      scoreCase(withMethod, { scriptIncludes: ['x.A', 'x.B'], methods: ['run', 'go'] }, 1),
      // SI third, method right: hit at 5 only.
      scoreCase({ ...withMethod, id: 'm2' }, { scriptIncludes: ['x.B', 'x.C', 'x.A'], methods: ['run', 'run', 'run'] }, 1),
      // SI first, wrong method; the right method on another entry does not count.
      scoreCase({ ...withMethod, id: 'm3' }, { scriptIncludes: ['x.A', 'x.B'], methods: ['stop', 'run'] }, 1),
      // SI first, no methods predicted.
      scoreCase({ ...withMethod, id: 'm4' }, { scriptIncludes: ['x.A'] }, 1),
      // No method expected: counts for the SI, not for the method columns.
      scoreCase(kase('n1', 'A', 'x.A'), { scriptIncludes: ['x.A'], methods: ['run'] }, 1),
    ];
    const m = summarize(results);
    assert.strictEqual(m.methodCases, 4);
    assert.strictEqual(m.methodTop1, 1 / 4);
    assert.strictEqual(m.methodTop5, 2 / 4);
    assert.strictEqual(m.top1, 4 / 5);
  });

  it('takes nearest-rank percentiles of measured values', () => {
    const v = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    assert.strictEqual(percentile(v, 50), 5);
    assert.strictEqual(percentile(v, 95), 10);
    assert.strictEqual(percentile(v, 0), 1);
    assert.strictEqual(percentile([], 50), 0);
    assert.strictEqual(percentile([4.2], 95), 4.2);
  });

  it('counts failed cases as misses and as errors', () => {
    const m = summarize([failedCase(kase('f', 'A', undefined, 'run'), 2, 'boom'), scoreCase(kase('g', 'A'), { scriptIncludes: ['A'] }, 4)]);
    assert.strictEqual(m.errors, 1);
    assert.strictEqual(m.top1, 1 / 2);
    assert.strictEqual(m.methodCases, 1);
    assert.strictEqual(m.methodTop1, 0);
  });
});
