import * as assert from 'node:assert/strict';
import { businessRule, classlessFunction, contextAt, Fixture, indexFixture } from './helpers';

/** Two helpers nobody calls yet, alike but for their names. */
describe('retrieval: the name of the variable a call is assigned to', () => {
  let fx: Fixture;
  before(async () => {
    fx = await indexFixture({
      'global/script_includes/GetManagerName.js': classlessFunction('GetManagerName'),
      'global/script_includes/GetGroupRecord.js': classlessFunction('GetGroupRecord'),
      'global/business_rules/one.js': businessRule('    gs.info(current.number);'),
    });
  });
  after(async () => fx.dispose());

  const evidence = (source: string, name: string, disable?: Set<string>) =>
    fx.pipeline.rank({ context: contextAt(source), disable }).details.find((d) => d.ref.si?.name === name)?.evidence;

  it("is the share of the variable's words the candidate's name holds", () => {
    const source = 'function onBefore(current) {\n    var managerName = |\n}';
    const manager = evidence(source, 'GetManagerName');
    const group = evidence(source, 'GetGroupRecord');
    assert.ok(manager && group);
    // `managerName` gives manag, nam and the whole word; the name holds the first two.
    assert.equal(manager.assignedName, 2 / 3);
    assert.equal(group.assignedName, 0);
    const ranked = fx.pipeline.rank({ context: contextAt(source) }).details.filter((d) => d.ref.si).map((d) => d.ref.si!.name);
    assert.ok(ranked.indexOf('GetManagerName') < ranked.indexOf('GetGroupRecord'), ranked.join(', '));
  });

  it("brings in the Script Includes named like the variable when no list found them", () => {
    const source = 'function onBefore(current) {\n    var managerName = |\n}';
    const names = (disable: Set<string>) => fx.pipeline.rank({ context: contextAt(source), disable }).details.filter((d) => d.ref.si).map((d) => d.ref.si!.name);
    assert.deepEqual(names(new Set(['lexical', 'usage', 'dense'])), ['GetManagerName']);
  });

  it('says nothing where the hole is not assigned, and the eval ablation turns it off', () => {
    assert.equal(evidence('function onBefore(current) {\n    if (|\n}', 'GetManagerName')?.assignedName, 0);
    assert.equal(evidence('function onBefore(current) {\n    var managerName = |\n}', 'GetManagerName', new Set(['assigned-name']))?.assignedName, 0);
  });
});
