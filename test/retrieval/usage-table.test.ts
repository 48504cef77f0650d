import * as assert from 'node:assert';
import { CallSite } from '../../server/src/model';
import { mulberry32 } from '../../server/src/random';
import { UsageTable } from '../../server/src/retrieval/usage-table';

function site(n: number): CallSite {
  const at = { line: n, character: 0 };
  return { target: `T${n}`, form: 'new', path: `f${n}.js`, range: { start: at, end: at }, scriptOffset: 0, targetOffset: 0, callerTable: 'sys_script', callerName: 'r', side: 'server', scope: 'global' };
}

describe('retrieval/usage-table', () => {
  it('holds call sites and paths by id as a Map would, for counter ids and any other number', () => {
    const rand = mulberry32(11);
    const table = new UsageTable();
    const want = new Map<number, { site: CallSite; path: string }>();
    for (let step = 0; step < 20_000; step++) {
      const r = rand();
      const id = r < 0.8 ? Math.floor(rand() * 5000) : r < 0.9 ? Math.floor(rand() * 1e12) : r < 0.95 ? -1 - Math.floor(rand() * 9) : Math.floor(rand() * 50) + 0.5;
      if (rand() < 0.6) {
        const s = site(step);
        table.set(id, s, `p${step % 7}`);
        want.set(id, { site: s, path: `p${step % 7}` });
      } else {
        assert.strictEqual(table.delete(id), want.delete(id));
      }
      if (step % 1000 === 0) {
        assert.strictEqual(table.size, want.size);
        assert.deepStrictEqual(table.ids(), [...want.keys()].sort((a, b) => a - b));
      }
    }
    for (const [id, v] of want) {
      assert.strictEqual(table.site(id), v.site);
      assert.strictEqual(table.path(id), v.path);
    }
    assert.strictEqual(table.site(123_456_789), undefined);
    assert.strictEqual(table.path(-3), undefined);
  });

  it('keeps an id far past the end out of its arrays', () => {
    const table = new UsageTable();
    table.set(2 ** 40, site(1), 'a.js');
    table.set(0, site(2), 'b.js');
    assert.deepStrictEqual(table.ids(), [0, 2 ** 40]);
    assert.strictEqual(table.path(2 ** 40), 'a.js');
    // Only the counter id went into the arrays.
    assert.strictEqual((table as unknown as { sites: unknown[] }).sites.length, 1);
  });
});
