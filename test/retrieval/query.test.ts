import * as assert from 'node:assert/strict';
import { buildQuery, QUERY_WEIGHTS } from '../../server/src/retrieval/query';
import { contextAt } from './helpers';

describe('retrieval/query', () => {
  it('weighs the nearest code most', () => {
    const q = buildQuery(contextAt(`// approvals of the change\nvar far = 1;\n\n\n\n\nvar group = current.assignment_group;\nvar x = new |`));
    assert.ok((q.terms.get('group') ?? 0) > (q.terms.get('far') ?? 0), JSON.stringify([...q.terms]));
  });

  it('reads tables as table terms, and the caller record name as words', () => {
    const q = buildQuery(contextAt(`var gr = new GlideRecord('change_request');\nvar x = new |`, { recordName: 'Approve emergency changes' }));
    assert.ok(q.terms.has('table:change_request'));
    assert.deepEqual(q.tables, ['change_request']);
    assert.ok(q.terms.has('emergency'), 'the record name is part of the query');
    const without = buildQuery(contextAt(`var gr = new GlideRecord('change_request');\nvar x = new |`), { ...QUERY_WEIGHTS, recordName: 0 });
    assert.ok(!without.terms.has('emergency'));
  });

  it('asks the shape before the hole of the usage examples only', () => {
    const q = buildQuery(contextAt(`var grTask = |`));
    assert.ok(q.usageTerms.has('as:gr') && q.usageTerms.has('lead:='));
    assert.ok(![...q.terms.keys()].some((t) => t.startsWith('as:') || t.startsWith('lead:')));
    assert.deepEqual(q.hole, ['lead:=', 'as:gr', 'as:task', 'as:grtask', 'as-head:gr']);
    assert.equal(q.usageTerms.get('record:sys_script'), 1.5);
  });

  it('never reads what is typed at the cursor', () => {
    const q = buildQuery(contextAt(`// the manager\nvar m = new HRMan|`));
    assert.ok(![...q.terms.keys(), ...q.usageTerms.keys()].some((t) => t.includes('hrman')), JSON.stringify([...q.terms.keys()]));
  });

  it('keeps at most maxTerms terms, the heaviest', () => {
    const many = Array.from({ length: 300 }, (_, i) => `var word${i}x = ${i};`).join('\n');
    const q = buildQuery(contextAt(`${many}\nvar x = new |`));
    assert.ok(q.terms.size <= QUERY_WEIGHTS.maxTerms);
  });
});
