import * as assert from 'node:assert/strict';
import { holeTerms } from '../../server/src/text/hole-terms';

describe('text/hole-terms', () => {
  it('names the variable a call is assigned to, by its words', () => {
    assert.deepEqual(holeTerms('\tvar grTracker = '), ['lead:=', 'as:gr', 'as:tracker', 'as:grtracker']);
    assert.ok(holeTerms('nSeconds = ').includes('as:second'), 'words are stemmed as everywhere else');
    // A comparison assigns nothing.
    assert.ok(!holeTerms('if (grX == ').some((t) => t.startsWith('as:')));
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
});
