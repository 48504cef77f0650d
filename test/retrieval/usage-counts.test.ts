import * as assert from 'node:assert';
import { CallSite } from '../../server/src/model';
import { UsageCounts } from '../../server/src/retrieval/usage-counts';

/** A call site with what the counts read; `hole` set, as extraction sets it. */
function site(callerTable: string, method: string | undefined, collection: string | undefined, hole: string[]): CallSite {
  return {
    target: 'LeaveUtils', method, form: 'new', path: 'br/a.js', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    scriptOffset: 0, targetOffset: 0, callerTable, callerName: 'a', side: 'server', scope: 'global', collection, snippet: '', hole,
  };
}

/** The same counts kept in a Map per kind, as plainly as can be. */
class Reference {
  total = 0;
  readonly maps = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  add(s: CallSite, by: number): void {
    this.total = Math.max(0, this.total + by);
    const bump = (m: Map<string, number>, k: string | undefined) => {
      if (!k) return;
      const v = (m.get(k) ?? 0) + by;
      if (v <= 0) m.delete(k);
      else m.set(k, v);
    };
    bump(this.maps[0], s.callerTable);
    bump(this.maps[1], s.method);
    bump(this.maps[2], s.collection?.toLowerCase());
    for (const t of s.hole ?? []) bump(this.maps[3], t);
  }
}

function agree(c: UsageCounts, r: Reference, keys: string[], at: string): void {
  assert.strictEqual(c.total, r.total, at);
  for (const k of keys) {
    assert.strictEqual(c.record(k), r.maps[0].get(k) ?? 0, `${at}: record ${k}`);
    assert.strictEqual(c.method(k), r.maps[1].get(k) ?? 0, `${at}: method ${k}`);
    assert.strictEqual(c.collection(k), r.maps[2].get(k) ?? 0, `${at}: collection ${k}`);
    assert.strictEqual(c.hole(k), r.maps[3].get(k) ?? 0, `${at}: hole ${k}`);
  }
}

describe('retrieval/usage-counts', () => {
  it('counts by record, method, collection and hole term as a Map per kind would, through adds and removals, few keys or many', () => {
    let seed = 11;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
    // The same key in two kinds is two counts: `incident` as a record type and as a collection.
    const keys = Array.from({ length: 60 }, (_, i) => (i % 7 === 0 ? 'incident' : `k${i}`));
    const pick = (n: number) => keys[Math.floor(rand() * n)];
    for (const spread of [4, 60]) {
      const c = new UsageCounts();
      const r = new Reference();
      const added: CallSite[] = [];
      for (let step = 0; step < 600; step++) {
        if (added.length && rand() < 0.35) {
          const s = added.splice(Math.floor(rand() * added.length), 1)[0];
          c.add(s, -1);
          r.add(s, -1);
        } else {
          const s = site(pick(spread), rand() < 0.8 ? pick(spread) : undefined, rand() < 0.5 ? pick(spread).toUpperCase() : undefined, [pick(spread), pick(spread)]);
          added.push(s);
          c.add(s, 1);
          r.add(s, 1);
        }
        if (step % 50 === 0) agree(c, r, keys, `spread ${spread}, step ${step}`);
      }
      agree(c, r, keys, `spread ${spread}, end`);
      for (const s of added) {
        c.add(s, -1);
        r.add(s, -1);
      }
      agree(c, r, keys, `spread ${spread}, all taken back`);
      assert.strictEqual(c.hole(keys[1]), 0);
    }
  });

  it('takes back a site it never counted without going below zero, and a clone changes apart from its source', () => {
    const c = new UsageCounts();
    const a = site('sys_script', 'approve', 'x_leave', ['lead:=']);
    c.add(a, 1);
    c.add(site('sys_ui_action', 'reject', undefined, ['as:gr']), -1);
    assert.strictEqual(c.total, 0);
    assert.strictEqual(c.record('sys_script'), 1);
    assert.strictEqual(c.hole('lead:='), 1);
    c.add(a, 1);
    const copy = c.clone();
    copy.add(a, -1);
    // The total had stayed at 0 when the uncounted site was taken back; each key counts for itself.
    assert.deepStrictEqual([c.total, c.method('approve'), c.collection('x_leave')], [1, 2, 2]);
    assert.deepStrictEqual([copy.total, copy.method('approve'), copy.collection('x_leave')], [0, 1, 1]);
  });
});
