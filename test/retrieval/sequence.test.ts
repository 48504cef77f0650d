import * as assert from 'node:assert/strict';
import { DEFAULT_RETRIEVAL_OPTIONS, RetrievalIndex } from '../../server/src/retrieval/retrieval-index';
import { businessRule, classlessFunction, contextAt, Fixture, indexFixture, writeFiles } from './helpers';

const fn = (name: string) => classlessFunction(name, 'gr');
const rule = businessRule;

describe('retrieval: the call sequence', () => {
  let fx: Fixture;
  before(async () => {
    fx = await indexFixture({
      'global/script_includes/fetchRecord.js': fn('fetchRecord'),
      'global/script_includes/checkRecord.js': fn('checkRecord'),
      'global/script_includes/saveRecord.js': fn('saveRecord'),
      'global/script_includes/notifyOwner.js': fn('notifyOwner'),
      'global/business_rules/one.js': rule('    var gr = fetchRecord(current);\n    if (checkRecord(gr)) {\n        saveRecord(gr);\n    }'),
      'global/business_rules/two.js': rule('    var gr = fetchRecord(current);\n    checkRecord(gr);\n    notifyOwner(gr);'),
      'global/business_rules/three.js': rule('    checkRecord(current);\n    saveRecord(current);'),
      'global/script_includes/stepOne.js': fn('stepOne'),
      'global/script_includes/stepTwo.js': fn('stepTwo'),
      'global/business_rules/long.js': rule(Array.from({ length: 2000 }, () => '    stepOne(current);\n    stepTwo(current);').join('\n')),
    });
  });
  after(async () => fx.dispose());

  it('scores what the workspace calls right after the previous call and right before the next one', () => {
    const afterFetch = fx.retrieval.sequenceScorer('fetchRecord', undefined);
    assert.equal(afterFetch('checkRecord'), 1);
    assert.equal(afterFetch('saveRecord'), 0);
    const afterCheck = fx.retrieval.sequenceScorer('checkRecord', undefined);
    assert.equal(afterCheck('saveRecord'), 2 / 3);
    assert.equal(afterCheck('notifyOwner'), 1 / 3);
    const beforeSave = fx.retrieval.sequenceScorer(undefined, 'saveRecord');
    assert.equal(beforeSave('checkRecord'), 1);
    // Both sides add up.
    assert.equal(fx.retrieval.sequenceScorer('fetchRecord', 'saveRecord')('checkRecord'), 2);
    assert.equal(fx.retrieval.sequenceScorer(undefined, undefined)('checkRecord'), 0);
  });

  it('counts a script that calls the same helpers thousands of times', () => {
    assert.equal(fx.retrieval.sequenceScorer('stepOne', undefined)('stepTwo'), 1);
    assert.equal(fx.retrieval.sequenceScorer('stepTwo', undefined)('stepOne'), 1);
    assert.equal(fx.retrieval.sequenceScorer(undefined, 'stepOne')('stepTwo'), 1);
    const excluded = fx.retrieval.excludedSites(new Set(['global/business_rules/long.js']));
    assert.equal(fx.retrieval.sequenceScorer('stepOne', undefined, excluded)('stepTwo'), 0);
  });

  it('leaves out the calls of excluded files', () => {
    const excluded = fx.retrieval.excludedSites(new Set(['global/business_rules/one.js']));
    const afterCheck = fx.retrieval.sequenceScorer('checkRecord', undefined, excluded);
    assert.equal(afterCheck('saveRecord'), 1 / 2);
    assert.equal(afterCheck('notifyOwner'), 1 / 2);
    const none = fx.retrieval.excludedSites(new Set(['global/business_rules/one.js', 'global/business_rules/two.js']));
    assert.equal(fx.retrieval.sequenceScorer('fetchRecord', undefined, none)('checkRecord'), 0);
  });

  it('gives the pipeline the previous and next workspace calls, not a declaration or a platform call', () => {
    const ctx = contextAt('function onBefore(current) {\n    var gr = fetchRecord(current);\n    gs.info(gr);\n    |\n    saveRecord(gr);\n}');
    assert.deepEqual(ctx.callsBefore, ['gs', 'fetchRecord']);
    const detail = fx.pipeline.rank({ context: ctx }).details.find((d) => d.ref.si?.name === 'checkRecord');
    assert.ok(detail);
    assert.equal(detail.evidence.sequence, 2);
    // The eval's ablation turns it off.
    const off = fx.pipeline.rank({ context: ctx, disable: new Set(['sequence']) }).details.find((d) => d.ref.si?.name === 'checkRecord');
    assert.equal(off?.evidence.sequence, 0);
  });

  it('names what the workspace calls next and what it calls beside, most often first', () => {
    assert.deepEqual(fx.retrieval.sequenceNames('checkRecord', undefined, undefined, 5), ['saveRecord', 'notifyOwner']);
    assert.deepEqual(fx.retrieval.sequenceNames('checkRecord', undefined, undefined, 1), ['saveRecord']);
    assert.deepEqual(fx.retrieval.sequenceNames('fetchRecord', 'saveRecord', undefined, 5), ['checkRecord']);
    const withoutOne = fx.retrieval.excludedSites(new Set(['global/business_rules/one.js']));
    assert.deepEqual(fx.retrieval.sequenceNames('checkRecord', undefined, withoutOne, 5), ['notifyOwner', 'saveRecord']);
    // Files calling fetchRecord: one.js (check, save) and two.js (check, notify).
    assert.deepEqual(fx.retrieval.coCalledNames(['fetchRecord'], undefined, 5), ['checkRecord', 'notifyOwner', 'saveRecord']);
    assert.deepEqual(fx.retrieval.coCalledNames(['fetchRecord'], new Set(['global/business_rules/one.js']), 5), ['checkRecord', 'notifyOwner']);
    assert.deepEqual(fx.retrieval.coCalledNames([], undefined, 5), []);
  });

  it('brings those names in as candidates when no list found them', () => {
    const ctx = contextAt('function onBefore(current) {\n    var gr = fetchRecord(current);\n    |\n}');
    const lists = new Set(['lexical', 'usage', 'dense']);
    const names = (disable: Set<string>) => fx.pipeline.rank({ context: ctx, disable }).details.filter((d) => d.ref.si).map((d) => d.ref.si!.name).sort();
    assert.deepEqual(names(lists), ['checkRecord', 'notifyOwner', 'saveRecord']);
    // Without them (the eval's ablation), nothing was found, and popularity orders everything.
    assert.ok(names(new Set([...lists, 'habits'])).includes('stepOne'));
  });

  it('follows a changed file', async () => {
    assert.equal(fx.retrieval.sequenceScorer('fetchRecord', undefined)('notifyOwner'), 0);
    const rel = 'global/business_rules/four.js';
    await writeFiles(fx.root, { [rel]: rule('    fetchRecord(current);\n    notifyOwner(current);') });
    await fx.indexer.applyChanges([{ kind: 'created', path: rel }]);
    assert.equal(fx.retrieval.sequenceScorer('fetchRecord', undefined)('notifyOwner'), 1 / 3);
    await fx.indexer.applyChanges([{ kind: 'deleted', path: rel }]);
    assert.equal(fx.retrieval.sequenceScorer('fetchRecord', undefined)('notifyOwner'), 0);
  });

  it('keeps what it knows of names a change does not touch, and counts the touched ones again', async () => {
    // The same index, nothing cached: what the statistics must be.
    const fresh = () => {
      const r = new RetrievalIndex(fx.index, { ...DEFAULT_RETRIEVAL_OPTIONS, dense: false });
      r.build();
      r.dispose();
      return r;
    };
    const checkBefore = fx.retrieval.usageCounts('checkRecord');
    const stepBefore = fx.retrieval.usageCounts('stepOne');
    const fetchBefore = fx.retrieval.usageCounts('fetchRecord');
    assert.ok(checkBefore && stepBefore && fetchBefore);
    const rel = 'global/business_rules/five.js';
    await writeFiles(fx.root, { [rel]: rule('    fetchRecord(current);\n    notifyOwner(current);') });
    await fx.indexer.applyChanges([{ kind: 'created', path: rel }]);
    // Untouched: the very same statistics, not computed again.
    assert.equal(fx.retrieval.usageCounts('checkRecord'), checkBefore);
    assert.equal(fx.retrieval.usageCounts('stepOne'), stepBefore);
    // Touched: counted again, with the new call.
    const fetchAfter = fx.retrieval.usageCounts('fetchRecord');
    assert.notEqual(fetchAfter, fetchBefore);
    assert.deepEqual(fetchAfter, fresh().usageCounts('fetchRecord'));
    assert.equal(fx.retrieval.sequenceScorer('fetchRecord', undefined)('notifyOwner'), 1 / 3);
    // A removed file's names are touched as well.
    await fx.indexer.applyChanges([{ kind: 'deleted', path: rel }]);
    assert.deepEqual(fx.retrieval.usageCounts('fetchRecord'), fresh().usageCounts('fetchRecord'));
    assert.deepEqual(fetchBefore, fresh().usageCounts('fetchRecord'));
    assert.equal(fx.retrieval.sequenceScorer('fetchRecord', undefined)('notifyOwner'), 0);
    assert.equal(fx.retrieval.usageCounts('checkRecord'), checkBefore);
  });
});
