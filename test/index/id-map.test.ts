import * as assert from 'node:assert';
import { IdMap } from '../../server/src/index/id-map';
import { mulberry32 } from '../../server/src/random';

describe('index/id-map', () => {
  it('maps ids to values as a Map would, for counter ids and for any other number', () => {
    const rand = mulberry32(5);
    const map = new IdMap();
    const want = new Map<number, number>();
    const ids = () => {
      const r = rand();
      if (r < 0.7) return Math.floor(rand() * 3000);
      if (r < 0.8) return Math.floor(rand() * 1e9);
      if (r < 0.9) return -Math.floor(rand() * 50) - 1;
      return Math.floor(rand() * 100) + 0.5;
    };
    for (let step = 0; step < 20_000; step++) {
      const id = ids();
      const r = rand();
      if (r < 0.55) {
        const slot = Math.floor(rand() * 100_000);
        map.set(id, slot);
        want.set(id, slot);
      } else if (r < 0.8) {
        assert.strictEqual(map.delete(id), want.delete(id), `delete ${id} at ${step}`);
      } else {
        assert.strictEqual(map.get(id), want.get(id), `get ${id} at ${step}`);
        assert.strictEqual(map.has(id), want.has(id));
      }
      assert.strictEqual(map.size, want.size);
    }
    for (const [id, slot] of want) assert.strictEqual(map.get(id), slot);
    map.clear();
    assert.strictEqual(map.size, 0);
    assert.strictEqual(map.get(7), undefined);
  });
});
