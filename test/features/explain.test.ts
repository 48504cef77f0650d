import * as assert from 'node:assert/strict';
import { explain, explainArguments } from '../../server/src/features/explain';
import { LIBRARY, withFixture } from './helpers';

describe('features: explain', function () {
  this.timeout(20_000);

  it('returns ranked candidates with stage scores and ranks, timings, trace and query terms', () =>
    withFixture(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
// how many days of leave the employee has left
var days = new |
`, async (f) => {
      const out = await explain(f.state, [f.uri, f.position]);
      assert.ok(out);
      assert.equal(out.context.kind, 'new');
      assert.equal(out.context.scope, 'x_acme_hr');
      assert.ok(out.candidates.length > 0);
      assert.deepEqual(out.candidates.map((c) => c.rank), out.candidates.map((_, i) => i + 1));
      const top = out.candidates[0];
      assert.ok(top.stages.fused, 'fused stage');
      assert.ok(out.timings.some((t) => t.stage === 'prune'));
      assert.ok(out.trace.length > 0);
      assert.ok(out.query.terms.length > 0);
      // Plain JSON all the way: a client can show it as it is.
      assert.deepEqual(JSON.parse(JSON.stringify(out)), out);
      // And for people: markdown with the position, the query, each candidate's stage ranks, the timings.
      assert.match(out.markdown, /^### Suggestions at line 2, column 16/);
      assert.match(out.markdown, /\*\*Position:\*\* new in a .* script, server side, scope `x_acme_hr`/);
      assert.match(out.markdown, /\| # \| API \| method \| lexical \| usage \| dense \| fused \| rerank \|/);
      assert.ok(out.markdown.includes(`| 1 | ${top.apiName} |`), out.markdown);
      assert.match(out.markdown, /\*\*Timings:\*\* .*prune/);
    }));

  it('rejects malformed arguments', () => {
    assert.equal(explainArguments(['file:///x.js']), undefined);
    assert.equal(explainArguments([42, { line: 0, character: 0 }]), undefined);
    assert.deepEqual(explainArguments(['file:///x.js', { line: 1, character: 2 }]), { uri: 'file:///x.js', position: { line: 1, character: 2 } });
  });
});
