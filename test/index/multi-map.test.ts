import * as assert from 'node:assert';
import { MultiMap } from '../../server/src/index/multi-map';
import { mulberry32 } from '../../server/src/random';

describe('index/multi-map', () => {
  it('holds values by key as a Map of Sets would, in the same order', () => {
    const rand = mulberry32(3);
    const values = Array.from({ length: 12 }, (_, i) => ({ i }));
    const map = new MultiMap<string, { i: number }>();
    const want = new Map<string, Set<{ i: number }>>();
    for (let step = 0; step < 20_000; step++) {
      const key = `k${Math.floor(rand() * 6)}`;
      const value = values[Math.floor(rand() * values.length)];
      if (rand() < 0.55) {
        map.add(key, value);
        if (!want.has(key)) want.set(key, new Set());
        want.get(key)!.add(value);
      } else {
        map.delete(key, value);
        want.get(key)?.delete(value);
        if (want.get(key)?.size === 0) want.delete(key);
      }
      for (const k of ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'other']) {
        assert.deepStrictEqual([...map.get(k)], [...(want.get(k) ?? [])], `step ${step}, ${k}`);
        assert.strictEqual(map.count(k), want.get(k)?.size ?? 0);
      }
    }
  });
});
