import * as assert from 'node:assert';
import { ApiIndex } from '../../server/src/index/api-index';
import { createBm25Baseline, prefixQuery } from '../../server/src/eval/bm25-baseline';
import { buildCases } from '../../server/src/rank/cases';
import { rankOf } from '../../server/src/eval/metrics';
import { EvalCase, EvalPipeline } from '../../server/src/eval/types';
import { FIXTURE, indexWorkspace, removeWorkspace, writeWorkspace } from './fixture';

describe('eval bm25 baseline', () => {
  let root: string;
  let index: ApiIndex;
  let bm25: EvalPipeline;

  before(async () => {
    root = writeWorkspace(FIXTURE);
    index = await indexWorkspace(root);
    bm25 = createBm25Baseline(index, root);
    await bm25.prepare?.();
  });
  after(() => removeWorkspace(root));

  it('ranks the Script Include whose code matches the prefix first', async () => {
    const c: EvalCase = {
      id: 'easy',
      prefix: '// payroll: net pay after tax and pension deductions from gross pay\nvar gross = current.u_gross;\nvar net = ',
      expected: { scriptInclude: 'PayrollCalc', apiName: 'x_acme_hr.PayrollCalc' },
    };
    const answer = await bm25.answer(c, '');
    assert.strictEqual(answer.scriptIncludes[0], 'x_acme_hr.PayrollCalc');
    assert.strictEqual(answer.methods, undefined);
  });

  it('never answers a Script Include from an excluded file', async () => {
    const c: EvalCase = { id: 'x', prefix: 'var manager = getManager(user); var name = new ', expected: { scriptInclude: 'HRUtils' } };
    const open = await bm25.answer(c, '');
    assert.ok(open.scriptIncludes.includes('x_acme_hr.HRAjax'));
    const hidden = await bm25.answer({ ...c, exclude: ['x_acme_hr/script_includes/HRAjax.js'] }, '');
    assert.ok(!hidden.scriptIncludes.includes('x_acme_hr.HRAjax'));
    assert.ok(hidden.scriptIncludes.includes('x_acme_hr.HRUtils'));
  });

  it('answers only names starting with what was typed, scored ones first', async () => {
    const c: EvalCase = { id: 't', prefix: 'var d = department of the user manager; ', expected: { scriptInclude: 'HRUtils' } };
    const answer = await bm25.answer(c, 'hr');
    assert.deepStrictEqual([...answer.scriptIncludes].sort(), ['x_acme_hr.HRAjax', 'x_acme_hr.HRUtils']);
    assert.strictEqual(answer.scriptIncludes[0], 'x_acme_hr.HRUtils');
    // Nothing scores for this prefix; the typed filter still lists the matching name.
    const none = await bm25.answer({ ...c, prefix: 'zzz' }, 'Da');
    assert.deepStrictEqual(none.scriptIncludes, ['x_acme_hr.DateHelper']);
  });

  it('uses the last tokens of the prefix as the query', () => {
    assert.deepStrictEqual(prefixQuery('alpha beta gamma delta', 2), ['gamma', 'delta']);
    assert.deepStrictEqual(prefixQuery('alpha beta', 0), ['alpha', 'beta']);
  });

  it('finds every fixture case within the top 40 (the fixture has four Script Includes)', async () => {
    const { cases } = await buildCases(root, index);
    for (const c of cases) {
      const answer = await bm25.answer(c, '');
      const rank = rankOf(c, answer);
      // A Script Include whose code shares no term with the prefix is not returned untyped.
      if (rank === null) assert.ok(answer.scriptIncludes.length < 4, c.id);
      const typed = await bm25.answer(c, c.expected.scriptInclude.slice(0, 2));
      assert.notStrictEqual(rankOf(c, typed), null, c.id);
    }
  });
});
