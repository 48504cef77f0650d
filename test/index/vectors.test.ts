import { createHash } from 'node:crypto';
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkHnswFile, VectorIndex } from '../../server/src/index/vectors';

function randomVectors(n: number, dim: number, seed: number): Float32Array[] {
  let s = seed;
  const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => random() - 0.5));
}

function exactTop(vectors: Float32Array[], q: Float32Array, k: number): number[] {
  const unit = (v: Float32Array) => {
    const n = Math.hypot(...v);
    return Array.from(v, (x) => x / n);
  };
  const uq = unit(q);
  return vectors
    .map((v, id) => ({ id, score: unit(v).reduce((s, x, i) => s + x * uq[i], 0) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((h) => h.id);
}

describe('index/vectors', () => {
  const dim = 32;
  const vectors = randomVectors(2000, dim, 1);
  const queries = randomVectors(40, dim, 2);
  const index = new VectorIndex(dim, { initialCapacity: 64, seed: 7 });
  vectors.forEach((v, id) => index.add(id, v));

  it('grows past its initial capacity and has recall@10 >= 0.95 against brute force', () => {
    assert.strictEqual(index.size, 2000);
    let found = 0;
    for (const q of queries) {
      const truth = exactTop(vectors, q, 10);
      const got = new Set(index.search(q, 10).map((h) => h.id));
      found += truth.filter((id) => got.has(id)).length;
    }
    const recall = found / (queries.length * 10);
    assert.ok(recall >= 0.95, `recall@10 ${recall}`);
  });

  it('scores are cosine similarities, best first', () => {
    const hits = index.search(vectors[5], 5);
    assert.strictEqual(hits[0].id, 5);
    assert.ok(Math.abs(hits[0].score - 1) < 1e-5);
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);
    assert.ok(hits.every((h) => h.score <= 1 + 1e-6 && h.score >= -1 - 1e-6));
  });

  it('removes, and re-adding an id replaces its vector', () => {
    const local = new VectorIndex(dim, { exactBelow: 0, seed: 3 });
    vectors.slice(0, 600).forEach((v, id) => local.add(id, v));
    assert.ok(local.remove(10));
    assert.ok(!local.remove(10));
    assert.ok(!local.search(vectors[10], 10).some((h) => h.id === 10));
    assert.strictEqual(local.size, 599);
    local.add(10, vectors[10]);
    assert.strictEqual(local.search(vectors[10], 1)[0].id, 10);
    local.add(11, vectors[500]);
    const top = local.search(vectors[500], 2).map((h) => h.id).sort((a, b) => a - b);
    assert.deepStrictEqual(top, [11, 500]);
    assert.strictEqual(local.size, 600);
  });

  it('respects the filter on the graph and on the exact path', () => {
    const hits = index.search(queries[0], 10, (id) => id % 5 === 0);
    assert.strictEqual(hits.length, 10);
    assert.ok(hits.every((h) => h.id % 5 === 0));
    const tiny = new VectorIndex(dim);
    vectors.slice(0, 50).forEach((v, id) => tiny.add(id, v));
    const exact = tiny.search(queries[0], 5, (id) => id >= 40);
    assert.deepStrictEqual(exact.map((h) => h.id), exactTop(vectors.slice(40, 50), queries[0], 5).map((i) => i + 40));
  });

  it('scans a small allowed set exactly, before and after a save, skipping removed ids', () => {
    const allowed = Array.from({ length: 2000 }, (_, id) => id).filter((id) => id % 37 === 3);
    const inSet = new Set(allowed);
    const truth = (q: Float32Array, k: number, gone: ReadonlySet<number> = new Set()) => {
      const ids = allowed.filter((id) => !gone.has(id));
      return exactTop(ids.map((id) => vectors[id]), q, k).map((i) => ids[i]);
    };
    for (const q of queries.slice(0, 5)) {
      const hits = index.search(q, 10, (id) => inSet.has(id), allowed);
      assert.deepStrictEqual(hits.map((h) => h.id), truth(q, 10));
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-vectors-'));
    try {
      const local = new VectorIndex(dim, { seed: 9, exactBelow: 10 });
      vectors.forEach((v, id) => local.add(id, v));
      local.remove(allowed[0]);
      local.remove(allowed[1]);
      const file = path.join(dir, 'v.hnsw');
      local.save(file);
      const loaded = VectorIndex.load(file, dim);
      assert.ok(loaded.ok);
      const gone = new Set([allowed[0], allowed[1]]);
      const want = truth(queries[6], 8, gone);
      assert.deepStrictEqual(local.search(queries[6], 8, (id) => inSet.has(id), allowed).map((h) => h.id), want);
      const after = loaded.index.search(queries[6], 8, (id) => inSet.has(id), allowed);
      assert.deepStrictEqual(after.map((h) => h.id), want);
      // A removed id's row is reused by the next id added; the scan still reads each id's own vector.
      loaded.index.add(5000, vectors[allowed[0]]);
      const top = loaded.index.search(vectors[allowed[0]], 1, undefined, [...allowed, 5000]);
      assert.strictEqual(top[0].id, 5000);
      assert.ok(Math.abs(top[0].score - 1) < 1e-5);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is exact below the scan threshold and stays exact after shrinking back', () => {
    const local = new VectorIndex(dim, { exactBelow: 100 });
    vectors.slice(0, 150).forEach((v, id) => local.add(id, v));
    for (let id = 60; id < 150; id++) local.remove(id);
    assert.deepStrictEqual(local.search(queries[1], 10).map((h) => h.id), exactTop(vectors.slice(0, 60), queries[1], 10));
  });

  it('saves and loads, keeping deletions and search results', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-vectors-'));
    try {
      const local = new VectorIndex(dim, { seed: 5 });
      vectors.slice(0, 800).forEach((v, id) => local.add(id, v));
      local.remove(3);
      const file = path.join(dir, 'vectors.hnsw');
      local.save(file);
      const loaded = VectorIndex.load(file, dim);
      assert.ok(loaded.ok);
      assert.strictEqual(loaded.index.size, 799);
      assert.ok(!loaded.index.has(3));
      assert.deepStrictEqual(loaded.index.search(queries[2], 10), local.search(queries[2], 10));
      loaded.index.add(900, vectors[900]);
      assert.strictEqual(loaded.index.search(vectors[900], 1)[0].id, 900);

      assert.strictEqual(VectorIndex.load(file, dim + 1).ok, false);
      assert.strictEqual(VectorIndex.load(path.join(dir, 'missing.hnsw'), dim).ok, false);
      fs.writeFileSync(file, 'not an index');
      assert.strictEqual(VectorIndex.load(file, dim).ok, false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a small index (scanned exactly) loads with its vectors, not empty', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-vectors-'));
    try {
      const small = new VectorIndex(dim, { seed: 5 });
      vectors.slice(0, 30).forEach((v, id) => small.add(id, v));
      const file = path.join(dir, 'small.hnsw');
      small.save(file);
      const loaded = VectorIndex.load(file, dim);
      assert.ok(loaded.ok);
      const found = loaded.index.search(queries[1], 5);
      assert.strictEqual(found.length, 5);
      const before = small.search(queries[1], 5);
      assert.deepStrictEqual(found.map((h) => h.id), before.map((h) => h.id));
      // Read back from the graph's float32 storage: the same scores to float precision.
      found.forEach((h, i) => assert.ok(Math.abs(h.score - before[i].score) < 1e-6));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a saved graph that is cut or crafted, even with a matching hash, without crashing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-vectors-'));
    try {
      const local = new VectorIndex(dim, { seed: 5, exactBelow: 10 });
      vectors.slice(0, 300).forEach((v, id) => local.add(id, v));
      const file = path.join(dir, 'v.hnsw');
      local.save(file);
      assert.strictEqual(checkHnswFile(fs.readFileSync(file), dim, 16), undefined, 'a file hnswlib wrote passes');
      const good = fs.readFileSync(file);
      const forge = (bytes: Buffer) => {
        fs.writeFileSync(file, bytes);
        const meta = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8'));
        meta.sha256 = createHash('sha256').update(bytes).digest('hex');
        fs.writeFileSync(`${file}.json`, JSON.stringify(meta));
        return VectorIndex.load(file, dim);
      };
      const cut = forge(good.subarray(0, 64));
      assert.ok(!cut.ok && /malformed/.test(cut.error), cut.ok ? '' : cut.error);
      const halved = forge(good.subarray(0, Math.floor(good.length / 2)));
      assert.ok(!halved.ok && /malformed/.test(halved.error));
      const wild = Buffer.from(good);
      wild.writeUInt32LE(999_999, 96 + 4); // the first element's first neighbour
      const crafted = forge(wild);
      assert.ok(!crafted.ok && /neighbour id is out of range/.test(crafted.error), crafted.ok ? '' : crafted.error);
      const huge = Buffer.from(good);
      huge.writeBigUInt64LE(10n ** 12n, 16); // element count
      assert.ok(!forge(huge).ok);
      assert.ok(forge(good).ok, 'the original still loads');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds deterministically given the seed', () => {
    const build = () => {
      const local = new VectorIndex(dim, { seed: 11, exactBelow: 0 });
      vectors.slice(0, 1000).forEach((v, id) => local.add(id, v));
      return local.search(queries[3], 20);
    };
    assert.deepStrictEqual(build(), build());
  });

  it('compacts away deleted points', () => {
    const local = new VectorIndex(dim, { exactBelow: 0 });
    vectors.slice(0, 700).forEach((v, id) => local.add(id, v));
    for (let id = 0; id < 600; id++) local.remove(id);
    local.compact();
    assert.strictEqual(local.size, 100);
    assert.deepStrictEqual(local.search(queries[4], 5).map((h) => h.id), exactTop(vectors.slice(600, 700), queries[4], 5).map((i) => i + 600));
  });

  it('returns nothing for an empty index or a wrong-sized query', () => {
    assert.deepStrictEqual(new VectorIndex(dim).search(queries[0], 5), []);
    assert.deepStrictEqual(index.search(new Float32Array(dim + 1), 5), []);
  });
});
