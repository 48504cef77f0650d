import * as assert from 'node:assert';
import { Bm25Index, FieldConfig } from '../../server/src/index/bm25';
import { Bm25Builder } from '../../server/src/index/bm25-build';
import { mulberry32 } from '../../server/src/random';

type Field = 'name' | 'body' | 'tables';

const FIELDS: FieldConfig<Field> = {
  name: { weight: 3, b: 0.5 },
  body: { weight: 1, b: 0.75 },
  tables: { weight: 2, b: 0 },
};

/** Seeded documents over a small vocabulary, so terms repeat within and across documents; some fields empty. */
function documents(count: number, seed: number): Array<{ id: number; fields: Partial<Record<Field, string[]>> }> {
  const rand = mulberry32(seed);
  const word = (n: number) => `w${Math.floor(rand() * rand() * n)}`;
  const list = (max: number, vocab: number) => Array.from({ length: Math.floor(rand() * max) }, () => word(vocab));
  const docs = [];
  for (let i = 0; i < count; i++) {
    const fields: Partial<Record<Field, string[]>> = { name: list(4, 60), body: list(30, 400) };
    if (rand() < 0.5) fields.tables = list(3, 20);
    docs.push({ id: 1000 + i * 3, fields });
  }
  return docs;
}

function byAdd(docs: ReturnType<typeof documents>): Bm25Index<Field> {
  const index = new Bm25Index<Field>({ fields: FIELDS });
  for (const d of docs) index.add(d.id, d.fields);
  return index;
}

function byBuilder(docs: ReturnType<typeof documents>, chunk?: number): Bm25Index<Field> {
  const builder = new Bm25Builder<Field>({ fields: FIELDS }, chunk);
  for (const d of docs) builder.add(d.id, d.fields);
  return builder.finish();
}

const QUERIES = [
  new Map([['w1', 1], ['w7', 2], ['w30', 0.5]]),
  new Map([['w0', 1]]),
  new Map([['w3', 1], ['w12', 1], ['w250', 3], ['missing', 1]]),
];

function assertSameIndex(built: Bm25Index<Field>, added: Bm25Index<Field>): void {
  assert.strictEqual(built.size, added.size);
  assert.strictEqual(built.termCount, added.termCount);
  for (const q of QUERIES) {
    const a = added.search(q, 25);
    const b = built.search(q, 25);
    assert.deepStrictEqual(b.map((h) => h.id), a.map((h) => h.id));
    b.forEach((h, i) => assert.ok(Math.abs(h.score - a[i].score) <= 1e-6 * Math.max(1, Math.abs(a[i].score))));
    for (const h of a.slice(0, 5)) assert.deepStrictEqual(built.explain(h.id, q), added.explain(h.id, q));
  }
}

describe('Bm25Builder', () => {
  it('builds the index that adding the same documents one by one builds, down to its saved arrays', () => {
    const docs = documents(300, 11);
    const built = byBuilder(docs);
    const added = byAdd(docs);
    assertSameIndex(built, added);
    assert.deepStrictEqual(built.toParts(), added.toParts());
  });

  it('gives the same index whether its scratch fits one chunk or spans many', () => {
    const docs = documents(200, 5);
    // 97 values a chunk: every scratch run crosses chunk boundaries at odd places.
    assert.deepStrictEqual(byBuilder(docs, 97).toParts(), byBuilder(docs).toParts());
  });

  it('keeps documents that hold no term, in their place', () => {
    const docs = documents(40, 3);
    docs.splice(10, 0, { id: 7, fields: {} }, { id: 8, fields: { name: [], body: [] } });
    const built = byBuilder(docs, 13);
    assertSameIndex(built, byAdd(docs));
    assert.ok(built.has(7) && built.has(8));
    assert.deepStrictEqual(built.toParts(), byAdd(docs).toParts());
  });

  it('builds an index that takes later changes as one built by adding does', () => {
    const docs = documents(150, 23);
    const built = byBuilder(docs, 101);
    const added = byAdd(docs);
    const more = documents(20, 99).map((d, i) => ({ ...d, id: 50_000 + i }));
    for (const index of [built, added]) {
      for (const d of more) index.add(d.id, d.fields);
      index.remove(docs[3].id);
      index.update(docs[10].id, more[0].fields);
    }
    assertSameIndex(built, added);
  });

  it('builds an empty index from no documents', () => {
    const built = new Bm25Builder<Field>({ fields: FIELDS }).finish();
    assert.strictEqual(built.size, 0);
    assert.deepStrictEqual(built.search(QUERIES[0], 5), []);
  });

  it('refuses a document id given twice, and any use after finishing', () => {
    const builder = new Bm25Builder<Field>({ fields: FIELDS });
    builder.add(1, { name: ['a'] });
    assert.throws(() => builder.add(1, { name: ['b'] }), /twice/);
    builder.finish();
    assert.throws(() => builder.add(2, { name: ['c'] }), /finished/);
    assert.throws(() => builder.finish(), /finished/);
  });
});
