import * as assert from 'node:assert/strict';
import { headWord, holeTerms, snippetHoleTerms } from '../../server/src/text/hole-terms';

describe('text/hole-terms', () => {
  it('names the variable a call is assigned to, by its words', () => {
    assert.deepEqual(holeTerms('\tvar grTracker = '), ['lead:=', 'as:gr', 'as:tracker', 'as:grtracker', 'as-head:gr']);
    assert.ok(holeTerms('nSeconds = ').includes('as:second'), 'words are stemmed as everywhere else');
    // A comparison assigns nothing.
    assert.ok(!holeTerms('if (grX == ').some((t) => t.startsWith('as')));
  });

  it('sees through new and a scope qualifier', () => {
    assert.deepEqual(holeTerms('var util = new '), holeTerms('var util = '));
    assert.deepEqual(holeTerms('var util = new x_acme_hr.'), holeTerms('var util = '));
  });

  it('says what opens the hole: a condition, a return, an argument, a statement start', () => {
    assert.deepEqual(holeTerms('  if ('), ['lead:(', 'lead:if(']);
    assert.deepEqual(holeTerms('  return '), ['lead:return']);
    assert.deepEqual(holeTerms('  if (!'), ['lead:!']);
    assert.deepEqual(holeTerms('  '), ['lead:start']);
    assert.deepEqual(holeTerms('gs.info('), ['lead:(', 'arg:info']);
    assert.deepEqual(holeTerms('x == '), ['lead:=']);
  });

  it('reads only the end of a very long line', () => {
    const long = 'a'.repeat(5_000_000) + '; var grX = ';
    assert.deepEqual(holeTerms(long), holeTerms('var grX = '));
  });

  it("reads a usage example's line up to the first mention of its target, in any case", () => {
    const snippet = "var gr = new GlideRecord('task');\nif (gr.next()) {\n    var leaveUtil = new x_acme_hr.leaveutils();\n    new LeaveUtils().approve(gr);\n}";
    assert.deepEqual(snippetHoleTerms(snippet, 'LeaveUtils'), holeTerms('    var leaveUtil = new x_acme_hr.'));
    assert.ok(snippetHoleTerms(snippet, 'LeaveUtils').includes('lead:='));
    assert.deepEqual(snippetHoleTerms('LeaveUtils.approve();', 'LeaveUtils'), ['lead:start']);
    assert.deepEqual(snippetHoleTerms(snippet, 'Missing'), []);
    assert.deepEqual(snippetHoleTerms(snippet, ''), []);
  });

  it("keeps an assigned variable's leading word, even one letter long, as a naming habit", () => {
    assert.ok(holeTerms('    var bFound = ').includes('as-head:b'));
    assert.ok(holeTerms('    var strLabel = ').includes('as-head:str'));
    assert.ok(!holeTerms('    var result = ').some((t) => t.startsWith('as-head:')), 'a one-word name has no separate head');
    assert.deepEqual(['bFound', 'nCount', 'strAppName', 'IsValidRecord', 'MAX_ROWS', 'HTMLParser', '_oItem', 'result', 'x'].map(headWord), ['b', 'n', 'str', 'is', 'max', 'html', 'o', undefined, undefined]);
  });
});
