import * as assert from 'node:assert';
import { compactEntry, ValuePool, SharedStringsPool, StringPool } from '../../server/src/index/compact-entry';
import { siteHoleTerms } from '../../server/src/index/api-documents';
import { entrySnippets, scriptIncludeBody } from '../../server/src/index/snippets';
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
        methods: [
          { name: 'approve', params: [{ name: 'leave', type: 'GlideRecord' }], isPrivate: false, isStatic: false, range, nameRange: range, tables: ['x_acme_leave'], glideApis: ['GlideRecord'], calls: [], jsdoc: { summary: 'Approves.', params: [], examples: [], tags: {} } },
          { name: 'reject', params: [], isPrivate: false, isStatic: false, range, nameRange: range, tables: [], glideApis: [], calls: [], jsdoc: { summary: 'Rejects.', params: [], examples: [], tags: { deprecated: ['use approve'] } } },
        ],
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

/** The entry as plain JSON with what compaction packs unpacked again (snippets, body words). */
function unpacked(entry: FileEntry): FileEntry {
  const plain = JSON.parse(JSON.stringify(entry)) as FileEntry;
  const snippets = entrySnippets(entry);
  plain.callSites.forEach((site, i) => (site.snippet = snippets[i]));
  delete plain.snippets;
  plain.scriptIncludes.forEach((si, i) => {
    if (si.packedBody === undefined) return;
    si.body = [...scriptIncludeBody(entry.scriptIncludes[i])];
    delete si.packedBody;
  });
  return plain;
}

describe('index/compact-entry', () => {
  it('keeps every value, shares repeated strings and makes empty lists one frozen list', () => {
    const original = entries();
    const pool = new StringPool();
    const compacted = entries().map((e) => compactEntry(e, pool));
    // Every value, the snippets and body words packed (`index/snippets.ts`).
    assert.deepStrictEqual(entrySnippets(compacted[1]), ['new LeaveUtils().approve(current);']);
    assert.strictEqual(compacted[0].scriptIncludes[0].body, undefined);
    assert.deepStrictEqual(scriptIncludeBody(compacted[0].scriptIncludes[0]), ['leave', 'approve', 'leave']);
    assert.deepStrictEqual(compacted.map(unpacked), original);
    const [si, caller] = compacted;
    // A second copy of the same entries brings no string the pool does not already hold.
    const pooled = pool.size;
    assert.ok(pooled >= 10, `${pooled} strings pooled`);
    entries().forEach((e) => compactEntry(e, pool));
    assert.strictEqual(pool.size, pooled);
    assert.strictEqual(si.callSites, caller.scriptIncludes, 'both empty lists are the same list');
    assert.ok(Object.isFrozen(si.callSites));
    assert.throws(() => (si.callSites as unknown[]).push(1), TypeError);
    const [leave] = si.scriptIncludes;
    assert.strictEqual(leave.tables, leave.methods[0].tables, 'equal short lists are one list');
    assert.ok(Object.isFrozen(leave.tables));
    assert.notStrictEqual(leave.glideApis, leave.methods[0].glideApis, 'different lists stay apart');
    assert.deepStrictEqual(leave.methods[0].glideApis, ['GlideRecord']);
    // A comment without other tags shares one frozen empty record; one with tags keeps its own.
    const [approve, reject] = leave.methods;
    assert.ok(Object.isFrozen(approve.jsdoc!.tags));
    assert.strictEqual(approve.jsdoc!.tags, compactEntry(entries()[0], pool).scriptIncludes[0].methods[0].jsdoc!.tags);
    assert.deepStrictEqual(reject.jsdoc!.tags, { deprecated: ['use approve'] });
    assert.ok(!Object.isFrozen(reject.jsdoc!.tags));
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
    assert.deepStrictEqual(siteHoleTerms(damaged.callSites[0], entrySnippets(damaged)[0]), ['lead:start']);
  });

  it('shares equal ranges and positions as frozen objects, in the pool that leaves strings alone too', () => {
    const ranges = new ValuePool();
    const [si, caller] = entries();
    const [si2] = entries();
    const other = { start: { line: 1, character: 0 }, end: { line: 2, character: 5 } };
    si2.scriptIncludes[0].nameRange = other;
    compactEntry(si, new StringPool(ranges));
    compactEntry(caller, new StringPool(ranges));
    compactEntry(si2, new SharedStringsPool(ranges));
    const a = si.scriptIncludes[0];
    const b = si2.scriptIncludes[0];
    // Every range of the three entries is the one `range` or the one `other`: two objects, equal values kept.
    assert.strictEqual(ranges.size, 2);
    assert.strictEqual(a.range, a.nameRange);
    assert.strictEqual(a.range, a.methods[0].range);
    assert.strictEqual(a.range, caller.callSites[0].range);
    assert.strictEqual(a.range, b.range);
    assert.deepStrictEqual(b.nameRange, other);
    assert.strictEqual(b.nameRange.start, a.range.start, 'the same position in two ranges is one object');
    assert.ok(Object.isFrozen(a.range) && Object.isFrozen(a.range.start));
    assert.deepStrictEqual(unpacked(si), entries()[0]);
    // The strings of the entry read through the pool that leaves them alone are still its own.
    assert.strictEqual(b.path, si2.path);
  });

  it('leaves a range it cannot key as it is', () => {
    const ranges = new ValuePool();
    const wide = { start: { line: 0, character: 70_000 }, end: { line: 0, character: 70_010 } };
    assert.strictEqual(ranges.range(wide), wide);
    const odd = { start: { line: 0.5, character: 1 }, end: { line: 1, character: 1 } };
    assert.strictEqual(ranges.range(odd), odd);
    const fine = { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } };
    const shared = ranges.range(fine);
    assert.notStrictEqual(shared, fine);
    assert.strictEqual(ranges.range({ start: { line: 3, character: 4 }, end: { line: 3, character: 9 } }), shared);
    assert.strictEqual(ranges.size, 1);
  });

  it('shares lists of parameters by name and type, numbers by value, and keeps lists that differ or carry more apart', () => {
    const values = new ValuePool();
    const pool = new StringPool(values);
    const [a, callerA] = entries();
    const [b, callerB] = entries();
    b.scriptIncludes[0].methods[0].params = [{ name: 'leave' }];
    const [c] = entries();
    c.scriptIncludes[0].methods[0].params = [{ name: 'leave', type: 'GlideRecord', description: 'the leave request' }];
    for (const e of [a, callerA, b, callerB, c]) compactEntry(e, pool);
    const pa = a.scriptIncludes[0].methods[0].params;
    assert.strictEqual(pa, entries().map((e) => compactEntry(e, pool))[0].scriptIncludes[0].methods[0].params);
    assert.ok(Object.isFrozen(pa) && Object.isFrozen(pa[0]));
    assert.notStrictEqual(b.scriptIncludes[0].methods[0].params, pa, 'a parameter without its type is another list');
    assert.deepStrictEqual(b.scriptIncludes[0].methods[0].params, [{ name: 'leave' }]);
    const pc = c.scriptIncludes[0].methods[0].params;
    assert.ok(!Object.isFrozen(pc), 'a parameter with a description stays its own');
    assert.deepStrictEqual(pc, [{ name: 'leave', type: 'GlideRecord', description: 'the leave request' }]);
    assert.strictEqual(callerA.schema!.useCounts, callerB.schema!.useCounts);
    assert.deepStrictEqual(callerA.schema!.useCounts, [2, 1]);
    // A list of numbers is never the list of strings with the same text.
    assert.notStrictEqual(values.list(['2', '1']), values.list([2, 1]));
  });
});
