import * as assert from 'node:assert/strict';
import { RetrievalIndex } from '../../server/src/retrieval/retrieval-index';
import { businessRule, classlessFunction, contextAt, Fixture, indexFixture, writeFiles } from './helpers';

const fn = (name: string) => classlessFunction(name);
const rule = businessRule;

/**
 * A family of string helpers whose calls go to `str…` variables, a family of checks called in
 * conditions, and one string helper nobody calls yet.
 */
describe('retrieval: the hole shape pooled over name words', () => {
  let fx: Fixture;
  before(async () => {
    fx = await indexFixture({
      'global/script_includes/GetStringValue.js': fn('GetStringValue'),
      'global/script_includes/GetStringTrimmed.js': fn('GetStringTrimmed'),
      'global/script_includes/GetStringUpper.js': fn('GetStringUpper'),
      'global/script_includes/IsValidRecord.js': fn('IsValidRecord'),
      'global/script_includes/IsValidUser.js': fn('IsValidUser'),
      'global/business_rules/one.js': rule('    var strName = GetStringValue(current.name);\n    var strCode = GetStringTrimmed(current.code);\n    if (IsValidRecord(current)) {\n        gs.info(strName);\n    }'),
      'global/business_rules/two.js': rule('    var strTitle = GetStringValue(current.title);\n    if (IsValidUser(current.caller)) {\n        gs.info(strTitle);\n    }'),
      'global/business_rules/three.js': rule('    var strNote = GetStringTrimmed(current.note);\n    if (IsValidRecord(current.parent)) {\n        gs.info(strNote);\n    }'),
    });
  });
  after(async () => fx.dispose());

  it('gives a helper nobody calls the habits of its namesakes, and nothing to a name whose words were never called', () => {
    const asString = fx.retrieval.holeWordScorer(['lead:=', 'as:str']);
    // GetStringUpper is never called, but `get` and `string` are: every such call goes to a `str…` variable.
    assert.equal(asString('GetStringUpper'), 1);
    assert.equal(asString('GetStringValue'), 1);
    assert.equal(asString('IsValidRecord'), 0);
    assert.equal(asString('NeverSeenWords'), 0);
    const inCondition = fx.retrieval.holeWordScorer(['lead:if(']);
    assert.equal(inCondition('IsValidRecord'), 1);
    assert.equal(inCondition('GetStringUpper'), 0);
    assert.equal(fx.retrieval.holeWordScorer([])('GetStringUpper'), 0);
  });

  it('leaves out the calls of excluded files, and a word seen in fewer than three calls says nothing', () => {
    const excluded = fx.retrieval.excludedSites(new Set(['global/business_rules/one.js']));
    const inCondition = fx.retrieval.holeWordScorer(['lead:if('], excluded);
    // `is` and `valid` keep two calls each once one.js is left out: too few to go on.
    assert.equal(inCondition('IsValidRecord'), 0);
    const asString = fx.retrieval.holeWordScorer(['lead:=', 'as:str'], excluded);
    assert.equal(asString('GetStringUpper'), 0);
  });

  it('reaches the fused score as evidence, and the eval ablation turns it off', () => {
    const ctx = contextAt('function onBefore(current) {\n    var strLabel = |\n}');
    const detail = fx.pipeline.rank({ context: ctx }).details.find((d) => d.ref.si?.name === 'GetStringUpper');
    assert.ok(detail);
    assert.ok(detail.evidence.holeWords >= 0.4, String(detail.evidence.holeWords));
    const off = fx.pipeline.rank({ context: ctx, disable: new Set(['hole-words']) }).details.find((d) => d.ref.si?.name === 'GetStringUpper');
    assert.equal(off?.evidence.holeWords, 0);
  });

  it('follows changed files', async () => {
    const inCondition = () => fx.retrieval.holeWordScorer(['lead:if('])('IsValidUser');
    const before = inCondition();
    const rel = 'global/business_rules/four.js';
    await writeFiles(fx.root, { [rel]: rule('    var ok = IsValidUser(current.caller);\n    var other = IsValidRecord(current);') });
    await fx.indexer.applyChanges([{ kind: 'created', path: rel }]);
    // Five `is`/`valid` calls now, three of them in a condition.
    assert.equal(inCondition(), 3 / 5);
    await fx.indexer.applyChanges([{ kind: 'deleted', path: rel }]);
    assert.equal(inCondition(), before);
  });

  it('is built a step at a time by the warm-up, the same as at once, and starts over when files change part way', async () => {
    // Enough callers that the build cannot end within one step of no time.
    const files: Record<string, string> = { 'global/script_includes/GetStringValue.js': fn('GetStringValue'), 'global/script_includes/IsValidUser.js': fn('IsValidUser') };
    for (let i = 0; i < 400; i++) {
      files[`global/business_rules/r${i}.js`] = rule(i % 3 ? `    var str${i} = GetStringValue(current.name);` : `    if (IsValidUser(current.u${i})) {\n        gs.info('x');\n    }`);
    }
    const many = await indexFixture(files);
    try {
      const scores = (r: RetrievalIndex) => [r.holeWordScorer(['lead:=', 'as:str'])('GetStringUpper'), r.holeWordScorer(['lead:if('])('IsValidRecord')];
      assert.equal(many.retrieval.warm(0), false);
      // A file changes while the table is half built.
      const rel = 'global/business_rules/late.js';
      await writeFiles(many.root, { [rel]: rule('    var ok = IsValidUser(current.late);\n    var s = GetStringValue(current.late);') });
      await many.indexer.applyChanges([{ kind: 'created', path: rel }]);
      let steps = 1;
      while (!many.retrieval.warm(0)) steps++;
      assert.ok(steps > 3, `${steps} steps`);
      const whole = new RetrievalIndex(many.index);
      whole.build();
      try {
        assert.deepEqual(scores(many.retrieval), scores(whole));
        // 134 of the 135 `is`/`valid` calls sit in a condition: late.js's call is counted.
        assert.equal(scores(many.retrieval)[1], 134 / 135);
      } finally {
        whole.dispose();
      }
    } finally {
      await many.dispose();
    }
  });
});
