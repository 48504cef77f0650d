import * as assert from 'node:assert';
import { compactEntry, StringPool } from '../../server/src/index/compact-entry';
import { siteHoleTerms } from '../../server/src/index/api-documents';
import { FileEntry } from '../../server/src/model';

const range = { start: { line: 1, character: 0 }, end: { line: 9, character: 1 } };

/** A Script Include file and a caller, each as JSON text: parsed, every string is its own copy. */
function entries(): FileEntry[] {
  const si: FileEntry = {
    path: 'si/LeaveUtils.js',
    hash: 'a',
    layout: 'plain',
    scriptIncludes: [
      {
        name: 'LeaveUtils', apiName: 'x_acme_hr.LeaveUtils', scope: 'x_acme_hr', access: 'public', clientCallable: false, active: true, kind: 'class-create',
        methods: [{ name: 'approve', params: [{ name: 'leave', type: 'GlideRecord' }], isPrivate: false, isStatic: false, range, nameRange: range, tables: ['x_acme_leave'], glideApis: ['GlideRecord'], calls: [] }],
        tables: ['x_acme_leave'], glideApis: ['GlideRecord', 'GlideDateTime'], calls: [], body: ['leave', 'approve', 'leave'], path: 'si/LeaveUtils.js', layout: 'plain', range, nameRange: range,
      },
    ],
    callSites: [],
    callers: [],
    problems: [],
    includes: [],
  };
  const caller: FileEntry = {
    path: 'br/approve.js',
    hash: 'b',
    layout: 'plain',
    scriptIncludes: [],
    callSites: [{ target: 'LeaveUtils', method: 'approve', form: 'new', path: 'br/approve.js', range, scriptOffset: 0, targetOffset: 4, callerTable: 'sys_script', callerName: 'Approve leave', side: 'server', scope: 'x_acme_hr', snippet: 'new LeaveUtils().approve(current);' }],
    callers: [{ table: 'sys_script', name: 'Approve leave', side: 'server', scope: 'x_acme_hr' }],
    problems: [],
    includes: [],
    schema: { tables: [], fields: [], properties: [], uses: ['x_acme_leave', 'x_acme_leave.state'], useCounts: [2, 1] },
  };
  return [JSON.parse(JSON.stringify(si)), JSON.parse(JSON.stringify(caller))];
}

describe('index/compact-entry', () => {
  it('keeps every value, shares repeated strings and makes empty lists one frozen list', () => {
    const original = entries();
    const pool = new StringPool();
    const compacted = entries().map((e) => compactEntry(e, pool));
    assert.deepStrictEqual(JSON.parse(JSON.stringify(compacted)), original);
    const [si, caller] = compacted;
    // A second copy of the same entries brings no string the pool does not already hold.
    const pooled = pool.size;
    assert.ok(pooled >= 10, `${pooled} strings pooled`);
    entries().forEach((e) => compactEntry(e, pool));
    assert.strictEqual(pool.size, pooled);
    assert.strictEqual(si.callSites, caller.scriptIncludes, 'both empty lists are the same list');
    assert.ok(Object.isFrozen(si.callSites));
    assert.throws(() => (si.callSites as unknown[]).push(1), TypeError);
    assert.notStrictEqual(si.scriptIncludes[0].tables, si.scriptIncludes[0].methods[0].tables, 'non-empty lists stay their own');
  });

  it("shares each site's hole terms with every site of the same shape, and drops a damaged list so it is computed again", () => {
    const [, a] = entries();
    const [, b] = entries();
    a.callSites[0].hole = ['lead:=', 'as:leave'];
    b.callSites[0].hole = ['lead:=', 'as:leave'];
    const pool = new StringPool();
    compactEntry(a, pool);
    compactEntry(b, pool);
    assert.strictEqual(a.callSites[0].hole, b.callSites[0].hole);
    assert.deepStrictEqual(a.callSites[0].hole, ['lead:=', 'as:leave']);
    assert.ok(Object.isFrozen(a.callSites[0].hole));
    const [, damaged] = entries();
    (damaged.callSites[0] as unknown as { hole: unknown }).hole = [3, { x: 1 }];
    compactEntry(damaged, pool);
    assert.strictEqual(damaged.callSites[0].hole, undefined);
    assert.deepStrictEqual(siteHoleTerms(damaged.callSites[0]), ['lead:start']);
  });
});
