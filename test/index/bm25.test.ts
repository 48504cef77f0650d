import * as assert from 'node:assert';
import { Bm25Index, Bm25Query, BM25_MAX_SLOTS, BM25_MAX_TF, FieldConfig, weakestTerms } from '../../server/src/index/bm25';
import { Bm25Builder } from '../../server/src/index/bm25-build';
import { tokenize } from '../../server/src/text/tokens';
import { mulberry32 } from '../../server/src/random';

type Field = 'name' | 'description' | 'tables';

const FIELDS: FieldConfig<Field> = {
  name: { weight: 3, b: 0.5 },
  description: { weight: 1, b: 0.75 },
  tables: { weight: 2, b: 0 },
};

function doc(name: string, description: string, tables: string[] = []): Record<Field, string[]> {
  return { name: tokenize(name), description: tokenize(description), tables };
}

/** A small corpus of Script Include methods, by id. */
function sampleIndex(): Bm25Index<Field> {
  const index = new Bm25Index<Field>({ fields: FIELDS });
  index.add(1, doc('HRUtils.getManager', 'Returns the manager of an HR case subject', ['sn_hr_core_case']));
  index.add(2, doc('IncidentUtils.reopenIncident', 'Reopens a resolved incident and notifies the caller', ['incident']));
  index.add(3, doc('UserUtils.getUserGroups', 'Lists the groups a user belongs to', ['sys_user_grmember']));
  index.add(4, doc('ApprovalUtils.approve', 'Approves the approval record for the current user', ['sysapproval_approver']));
  index.add(5, doc('IncidentUtils.assignToGroup', 'Assigns an incident to an assignment group', ['incident', 'sys_user_group']));
  return index;
}

function query(text: string): Bm25Query {
  return tokenize(text).map((term) => ({ term, weight: 1 }));
}

function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Search keeps impacts in 16 bits (steps of 1/65535 of [0, 1)): its scores match exact BM25F this closely. */
const IMPACT_TOLERANCE = 1e-4;

describe('index/bm25', () => {
  it('leaves out the weakest terms, weakest first, within the share, and never the strongest', () => {
    // Total 8.3, so 5% is 0.415: 0.1 and 0.2 fit, 3 does not.
    assert.deepStrictEqual(weakestTerms([5, 0.1, 0.2, 3], 0.05), [false, true, true, false]);
    // Equal bounds go in the order given.
    assert.deepStrictEqual(weakestTerms([0.1, 5, 0.1, 0.1], 0.04), [true, false, true, false]);
    assert.deepStrictEqual(weakestTerms([1, 1], 1), [true, false]);
    assert.strictEqual(weakestTerms([5, 0.1], 0), undefined);
    assert.strictEqual(weakestTerms([5, 3], 0.1), undefined);
    assert.strictEqual(weakestTerms([0.001], 0.5), undefined);
  });

  it('a search that drops weak terms scores as a search without them, and drops none at share 0', () => {
    const index = new Bm25Index<'name' | 'body'>({ fields: { name: { weight: 2, b: 0.5 }, body: { weight: 1, b: 0.75 } } });
    const random = mulberry32(7);
    const common = ['get', 'record', 'value'];
    const rare = ['escalate', 'reopen', 'approve', 'assign', 'notify', 'merge', 'archive', 'retire'];
    for (let id = 1; id <= 300; id++) {
      const words = (n: number) => Array.from({ length: n }, () => (random() < 0.7 ? common[Math.floor(random() * common.length)] : rare[Math.floor(random() * rare.length)]));
      index.add(id, { name: words(2), body: words(8) });
    }
    const q = new Map<string, number>([['escalate', 1], ['get', 0.2], ['record', 0.1], ['value', 0.3], ['reopen', 0.8]]);
    const exact = index.search(q, 50);
    assert.deepStrictEqual(index.search(q, 50, undefined, { dropShare: 0 }), exact);
    // Each common word here holds nearly every document, so its idf (and bound) is small.
    const bounds = [...q].map(([t, w]) => w * idf(300, index.documentFrequency(t)));
    const skip = weakestTerms(bounds, 0.05);
    assert.ok(skip && skip.filter(Boolean).length >= 1, `bounds ${bounds.map((b) => b.toFixed(3)).join(' ')}`);
    const kept = new Map([...q].filter((_, i) => !skip![i]));
    const pruned = index.search(q, 50, undefined, { dropShare: 0.05 });
    assert.deepStrictEqual(pruned, index.search(kept, 50));
    assert.notDeepStrictEqual(pruned, exact);
    // No document's score moved by more than the share of what the whole query could add.
    const allowed = 0.05 * bounds.reduce((a, b) => a + b, 0);
    const exactScore = new Map(index.search(q, 300).map((h) => [h.id, h.score]));
    for (const h of index.search(q, 300, undefined, { dropShare: 0.05 })) assert.ok(exactScore.get(h.id)! - h.score <= allowed + 1e-9);
  });

  it('ranks the obviously right document first', () => {
    const index = sampleIndex();
    assert.strictEqual(index.search(query('reopen the incident'), 3)[0].id, 2);
    assert.strictEqual(index.search(query("gr = new GlideRecord('sys_user_grmember'); user groups"), 3)[0].id, 3);
    assert.strictEqual(index.search(query('who is the manager'), 3)[0].id, 1);
  });

  it('returns at most k hits, best first, and nothing for unknown terms', () => {
    const index = sampleIndex();
    const hits = index.search(query('incident user group'), 2);
    assert.strictEqual(hits.length, 2);
    assert.ok(hits[0].score >= hits[1].score);
    assert.deepStrictEqual(index.search(query('zebra'), 5), []);
    assert.deepStrictEqual(index.search(query('incident'), 0), []);
  });

  it('field weights change the ranking as expected', () => {
    const fields = { name: { weight: 1, b: 0 }, body: { weight: 1, b: 0 } };
    const index = new Bm25Index<'name' | 'body'>({ fields });
    index.add(10, { name: ['approve'], body: ['record'] });
    index.add(20, { name: ['record'], body: ['approve'] });
    index.add(30, { name: ['other'], body: ['other'] });
    const q = [{ term: 'approve', weight: 1 }];
    index.setParams({ name: { weight: 5, b: 0 } });
    assert.strictEqual(index.search(q, 1)[0].id, 10);
    index.setParams({ name: { weight: 1, b: 0 }, body: { weight: 5, b: 0 } });
    assert.strictEqual(index.search(q, 1)[0].id, 20);
  });

  it('query weights and repeated terms add up', () => {
    const index = sampleIndex();
    const heavyIncident = index.search([{ term: 'incident', weight: 1 }, { term: 'incident', weight: 2 }, { term: 'manager', weight: 1 }], 1);
    assert.ok([2, 5].includes(heavyIncident[0].id));
    const heavyManager = index.search(new Map([['incident', 1], ['manager', 5]]), 1);
    assert.strictEqual(heavyManager[0].id, 1);
    assert.deepStrictEqual(index.search([{ term: 'incident', weight: 0 }, { term: 'manager', weight: -1 }], 5), []);
  });

  it('scores equal a hand-computed BM25F value on a 3-document corpus', () => {
    const index = new Bm25Index<'title' | 'body'>({ fields: { title: { weight: 2, b: 0.5 }, body: { weight: 1, b: 0.75 } }, k1: 1.2 });
    index.add(1, { title: ['cat'], body: ['cat', 'dog', 'bird'] });
    index.add(2, { title: ['dog'], body: ['dog'] });
    index.add(3, { title: [], body: ['fish', 'cat'] });
    const avgTitle = 2 / 3;
    const avgBody = 6 / 3;
    const norm = (w: number, b: number, len: number, avg: number) => w / (1 - b + (b * len) / avg);
    // Document 1, term cat: once in title (len 1) and once in body (len 3); df(cat) = 2.
    const tf1 = norm(2, 0.5, 1, avgTitle) + norm(1, 0.75, 3, avgBody);
    const cat1 = (idf(3, 2) * tf1) / (1.2 + tf1);
    // Term dog in document 1: body only; df(dog) = 2; weight 0.5.
    const tfDog = norm(1, 0.75, 3, avgBody);
    const dog1 = (0.5 * idf(3, 2) * tfDog) / (1.2 + tfDog);
    const hits = index.search([{ term: 'cat', weight: 1 }, { term: 'dog', weight: 0.5 }], 3);
    const hit1 = hits.find((h) => h.id === 1)!;
    assert.ok(Math.abs(hit1.score - (cat1 + dog1)) < IMPACT_TOLERANCE * (cat1 + dog1), `${hit1.score} vs ${cat1 + dog1}`);
    const tf3 = norm(1, 0.75, 2, avgBody);
    const cat3 = (idf(3, 2) * tf3) / (1.2 + tf3);
    assert.ok(Math.abs(hits.find((h) => h.id === 3)!.score - cat3) < IMPACT_TOLERANCE * cat3);
  });

  it('counts a term at most BM25_MAX_TF times a field, and says so in explain', () => {
    const index = new Bm25Index<'body'>({ fields: { body: { weight: 1, b: 0 } } });
    index.add(1, { body: [...Array(BM25_MAX_TF + 40).fill('echo'), 'x'] });
    index.add(2, { body: [...Array(BM25_MAX_TF).fill('echo'), 'y'] });
    index.add(3, { body: ['z'] });
    const hits = index.search([{ term: 'echo', weight: 1 }], 3);
    assert.deepStrictEqual(hits.map((h) => h.id).sort(), [1, 2]);
    // With b = 0 the lengths do not matter: both hold the term the most a posting can say.
    assert.ok(Math.abs(hits[0].score - hits[1].score) < 1e-9 * hits[0].score);
    assert.strictEqual(index.explain(1, [{ term: 'echo', weight: 1 }])!.terms[0].fields[0].tf, BM25_MAX_TF);
  });

  it('keeps slots past 2^19 apart (where a posting as Int32 turns negative), built, edited and loaded', function () {
    this.timeout(60_000);
    const n = 2 ** 19 + 3000;
    const fields = { body: { weight: 1, b: 0.5 }, name: { weight: 2, b: 0 } };
    const builder = new Bm25Builder<'body' | 'name'>({ fields });
    for (let i = 0; i < n; i++) builder.add(i, { body: ['common', `t${i % 997}`], name: i % 2 ? [`t${i % 997}`] : [] });
    const index = builder.finish();
    const want = (k: number) => Array.from({ length: n }, (_, i) => i).filter((i) => i % 997 === k);
    const found = (k: number) => index.search([{ term: `t${k}`, weight: 1 }], 10_000).map((h) => h.id).sort((a, b) => a - b);
    assert.deepStrictEqual(found(996), want(996));
    const high = want(996).filter((i) => i >= 2 ** 19);
    assert.ok(high.length > 0);
    const masks = index.termFields(high, ['t996', 'common']);
    high.forEach((id, r) => {
      assert.strictEqual(masks[r * 2], id % 2 ? 3 : 1, `fields of t996 in ${id}`);
      assert.strictEqual(masks[r * 2 + 1], 1);
    });
    // An edit past the half-way slot, then the persisted form read back.
    index.remove(high[0]);
    index.add(n, { body: ['t996'] });
    const { header, arrays } = index.toParts();
    const loaded = Bm25Index.fromParts<'body' | 'name'>(header, arrays);
    assert.ok(loaded.ok);
    if (!loaded.ok) return;
    const expected = [...want(996).filter((i) => i !== high[0]), n];
    assert.deepStrictEqual(loaded.index.search([{ term: 't996', weight: 1 }], 10_000).map((h) => h.id).sort((a, b) => a - b), expected);
    assert.ok(BM25_MAX_SLOTS > n);
  });

  it('explain sums to the score, per term and per field', () => {
    const index = sampleIndex();
    const q = query('assign the incident to a group');
    const [top] = index.search(q, 1);
    const explanation = index.explain(top.id, q)!;
    assert.ok(Math.abs(explanation.score - top.score) < IMPACT_TOLERANCE * top.score);
    const termSum = explanation.terms.reduce((s, t) => s + t.score, 0);
    assert.ok(Math.abs(termSum - explanation.score) < 1e-12);
    for (const t of explanation.terms) {
      const fieldSum = t.fields.reduce((s, f) => s + f.score, 0);
      assert.ok(Math.abs(fieldSum - t.score) < 1e-9, t.term);
    }
    const incident = explanation.terms.find((t) => t.term === 'incident')!;
    assert.ok(incident.fields.some((f) => f.field === 'tables'));
    assert.strictEqual(index.explain(999, q), undefined);
  });

  it('reflects remove and update', () => {
    const index = sampleIndex();
    assert.strictEqual(index.search(query('reopen'), 1)[0].id, 2);
    assert.ok(index.remove(2));
    assert.ok(!index.remove(2));
    assert.strictEqual(index.size, 4);
    assert.deepStrictEqual(index.search(query('reopen'), 5), []);
    assert.strictEqual(index.documentFrequency('incident'), 1);
    index.update(3, doc('UserUtils.reopenTicket', 'Reopens a ticket', ['task']));
    assert.strictEqual(index.search(query('reopen'), 5)[0].id, 3);
    assert.strictEqual(index.search(query('user groups belongs'), 5).some((h) => h.id === 3 && h.score > 1), false);
    index.add(2, doc('IncidentUtils.reopenIncident', 'Reopens a resolved incident', ['incident']));
    assert.deepStrictEqual(index.search(query('reopen incident'), 5)[0].id, 2);
  });

  it('respects the filter and still returns k hits from those that pass', () => {
    const index = sampleIndex();
    const hits = index.search(query('incident user group manager approve'), 2, (id) => id % 2 === 1);
    assert.strictEqual(hits.length, 2);
    assert.ok(hits.every((h) => h.id % 2 === 1));
  });

  it('compacts after many removals without changing scores', () => {
    const make = () => {
      const index = new Bm25Index<'body'>({ fields: { body: { weight: 1, b: 0.75 } }, compactShare: 0.25 });
      for (let i = 0; i < 400; i++) index.add(i, { body: [`w${i % 7}`, `w${i % 11}`, i % 3 === 0 ? 'rare' : 'common', `u${i}`] });
      return index;
    };
    const index = make();
    for (let i = 0; i < 300; i++) index.remove(i);
    const fresh = new Bm25Index<'body'>({ fields: { body: { weight: 1, b: 0.75 } } });
    for (let i = 300; i < 400; i++) fresh.add(i, { body: [`w${i % 7}`, `w${i % 11}`, i % 3 === 0 ? 'rare' : 'common', `u${i}`] });
    const q = [{ term: 'rare', weight: 1 }, { term: 'w3', weight: 0.5 }, { term: 'u350', weight: 2 }];
    const a = index.search(q, 10);
    const b = fresh.search(q, 10);
    assert.deepStrictEqual(a.map((h) => h.id), b.map((h) => h.id));
    a.forEach((h, i) => assert.ok(Math.abs(h.score - b[i].score) < 1e-9));
    assert.ok(index.termCount < 400, 'terms only removed documents held were dropped');
    // Adding after compaction counts terms afresh.
    index.add(1000, { body: ['rare', 'rare', 'w3'] });
    fresh.add(1000, { body: ['rare', 'rare', 'w3'] });
    assert.strictEqual(index.documentFrequency('rare'), fresh.documentFrequency('rare'));
    assert.deepStrictEqual(index.search(q, 3), fresh.search(q, 3));
  });

  it('removes many loaded documents in one pass and a few by searching the lists, with the same frequencies and hits as an index built without them', () => {
    const body = (i: number) => ({ name: [`n${i % 7}`], body: [`t${i % 11}`, `t${(i * 3) % 13}`, `u${i % 4}`, `only${i}`] });
    const fields = { name: { weight: 2, b: 0.5 }, body: { weight: 1, b: 0.75 } };
    const built = new Bm25Index<'name' | 'body'>({ fields, compactShare: 0.9 });
    for (let i = 0; i < 300; i++) built.add(i, body(i));
    const { header, arrays } = built.toParts();
    const loaded = Bm25Index.fromParts<'name' | 'body'>(header, arrays, { compactShare: 0.9 });
    assert.ok(loaded.ok);
    const index = loaded.index;
    index.warmImpacts(Infinity);
    const many = Array.from({ length: 40 }, (_, k) => k * 7 + 1);
    const few = [2, 150, 299];
    assert.strictEqual(index.removeAll([...many, 100_000]), many.length, 'unknown ids are skipped');
    for (const id of few) assert.strictEqual(index.remove(id), true);
    assert.strictEqual(index.remove(2), false);
    const fresh = new Bm25Index<'name' | 'body'>({ fields });
    for (let i = 0; i < 300; i++) if (!many.includes(i) && !few.includes(i)) fresh.add(i, body(i));
    assert.strictEqual(index.size, fresh.size);
    for (const term of ['n0', 'n3', 't0', 't5', 't12', 'u0', 'u3', 'only1', 'only8', 'only150', 'only9']) {
      assert.strictEqual(index.documentFrequency(term), fresh.documentFrequency(term), `df of ${term}`);
    }
    for (const q of ['n1 t3', 'u2 only9', 't7 t12 n6']) {
      const terms = q.split(' ').map((term) => ({ term, weight: 1 }));
      const got = index.search(terms, 20);
      const want = fresh.search(terms, 20);
      assert.deepStrictEqual(got.map((h) => h.id), want.map((h) => h.id), q);
      got.forEach((h, i) => assert.ok(Math.abs(h.score - want[i].score) <= 1e-5 * want[i].score, q));
    }
  });

  it('after a compaction or a load, removes old and new documents and grows shared lists without touching their neighbours', () => {
    const body = (i: number) => ({ body: [`t${i % 5}`, `t${(i + 1) % 5}`, `only${i}`] });
    const built = new Bm25Index<'body'>({ fields: { body: { weight: 1, b: 0.75 } } });
    for (let i = 0; i < 60; i++) built.add(i, body(i));
    built.compact();
    // From JSON the load derives df and distinct counts from the postings; from parts it reads
    // them as saved. Both must behave as the index they came from, and neither keeps a term list
    // per document: removing a loaded document finds its terms in the posting lists.
    const loaded = Bm25Index.fromJSON<'body'>(JSON.parse(JSON.stringify(built.toJSON())));
    assert.ok(loaded.ok);
    const { header, arrays } = built.toParts();
    assert.ok(arrays.fieldDistinct && arrays.df, 'the parts carry what a load would derive');
    const fromParts = Bm25Index.fromParts<'body'>(JSON.parse(JSON.stringify(header)), arrays);
    assert.ok(fromParts.ok);
    for (const index of [built, loaded.index, fromParts.index]) {
      // New documents append to lists that are views of one array: each must grow on its own.
      for (let i = 60; i < 70; i++) index.add(i, body(i));
      for (const id of [0, 7, 33, 61, 69]) index.remove(id);
      const fresh = new Bm25Index<'body'>({ fields: { body: { weight: 1, b: 0.75 } } });
      for (let i = 0; i < 70; i++) if (![0, 7, 33, 61, 69].includes(i)) fresh.add(i, body(i));
      for (let t = 0; t < 5; t++) assert.strictEqual(index.documentFrequency(`t${t}`), fresh.documentFrequency(`t${t}`), `df of t${t}`);
      assert.strictEqual(index.documentFrequency('only33'), 0);
      assert.strictEqual(index.documentFrequency('only65'), 1);
      for (const q of ['t0 t1', 't4 only65', 't2 only12']) {
        const terms = q.split(' ').map((term) => ({ term, weight: 1 }));
        const a = index.search(terms, 10);
        const b = fresh.search(terms, 10);
        assert.deepStrictEqual(a.map((h) => h.id), b.map((h) => h.id), q);
        a.forEach((h, i) => assert.ok(Math.abs(h.score - b[i].score) < 1e-6));
      }
    }
  });

  it('after an edit, scores stay within 1% of a fresh index, and exact once the average lengths move further', () => {
    const body = (i: number, extra = 0) => ({ body: [`w${i % 7}`, `w${i % 11}`, ...Array.from({ length: 3 + (i % 4) + extra }, (_, k) => `f${(i + k) % 13}`)] });
    const index = new Bm25Index<'body'>({ fields: { body: { weight: 1, b: 0.75 } } });
    for (let i = 0; i < 2000; i++) index.add(i, body(i));
    const q = [{ term: 'w3', weight: 1 }, { term: 'f5', weight: 0.5 }, { term: 'w9', weight: 1 }];
    index.search(q, 10);
    const fresh = (ids: number[], extra: (i: number) => number) => {
      const f = new Bm25Index<'body'>({ fields: { body: { weight: 1, b: 0.75 } } });
      for (const i of ids) f.add(i, body(i, extra(i)));
      return f;
    };
    const all = Array.from({ length: 2000 }, (_, i) => i);
    // One document edited: a little longer.
    index.update(17, body(17, 2));
    let want = fresh(all, (i) => (i === 17 ? 2 : 0)).search(q, 10);
    let got = index.search(q, 10);
    assert.deepStrictEqual(got.map((h) => h.id), want.map((h) => h.id));
    got.forEach((h, i) => assert.ok(Math.abs(h.score - want[i].score) <= 0.01 * want[i].score, `${h.score} vs ${want[i].score}`));
    assert.ok(got.some((h) => h.id === 17) || !want.some((h) => h.id === 17));
    // The best document removed, then added back: never found while gone, found again after.
    const best = got[0].id;
    index.remove(best);
    assert.ok(!index.search(q, 50).some((h) => h.id === best));
    index.add(best, body(best, best === 17 ? 2 : 0));
    assert.equal(index.search(q, 1)[0].id, best);
    // Many documents edited: the averages move by more than 1% and every score is exact again.
    for (let i = 0; i < 400; i++) index.update(i, body(i, 4));
    want = fresh(all, (i) => (i === 17 || i < 400 ? (i < 400 ? 4 : 2) : 0)).search(q, 10);
    got = index.search(q, 10);
    assert.deepStrictEqual(got.map((h) => h.id), want.map((h) => h.id));
    got.forEach((h, i) => assert.ok(Math.abs(h.score - want[i].score) < 1e-9 * want[i].score));
    // Explain agrees with search all along.
    for (const h of got) assert.ok(Math.abs((index.explain(h.id, q)?.score ?? 0) - h.score) < IMPACT_TOLERANCE * h.score);
  });

  it('keeps every impact list exact while lists grow, move, go stale and the arena compacts', () => {
    // Random adds, edits, removals and searches over a small vocabulary: appends move lists to the
    // arena's end, removals leave stale ones, and the arena compacts. Every document has the same
    // field lengths, so the averages never move and no list goes stale all at once.
    const rand = mulberry32(11);
    const pick = (n: number) => Math.floor(rand() * n);
    const terms = (n: number) => Array.from({ length: n }, () => `t${pick(pick(60) + 1)}`);
    const index = new Bm25Index<'name' | 'body'>({ fields: { name: { weight: 2, b: 0.3 }, body: { weight: 1, b: 0.75 } } });
    const live = new Set<number>();
    let nextId = 1;
    let searches = 0;
    for (; nextId <= 600; nextId++) {
      index.add(nextId, { name: terms(2), body: terms(6) });
      live.add(nextId);
    }
    let inPlace = 0;
    for (let step = 0; step < 5000; step++) {
      const r = rand();
      const was = index.impactArenaStats();
      if (r < 0.45 || live.size < 20) {
        const id = live.size > 0 && rand() < 0.5 ? [...live][pick(live.size)] : nextId++;
        index.add(id, { name: terms(2), body: terms(6) });
        live.add(id);
      } else if (r < 0.7) {
        const id = [...live][pick(live.size)];
        index.remove(id);
        live.delete(id);
      } else {
        const q = terms(1 + pick(3)).map((term) => ({ term, weight: 0.5 + rand() }));
        const k = 1 + pick(8);
        const hits = index.search(q, k);
        searches++;
        const exact = [...live].map((id) => ({ id, score: index.explain(id, q)?.score ?? 0 })).filter((h) => h.score > 0);
        for (const h of hits) {
          assert.ok(live.has(h.id), `step ${step}: ${h.id} is not live`);
          const want = exact.find((e) => e.id === h.id)?.score ?? 0;
          assert.ok(Math.abs(h.score - want) <= 0.02 * want, `step ${step}: ${h.id} scored ${h.score}, exact ${want}`);
        }
        const floor = hits.length < k ? 0 : hits[hits.length - 1].score * 1.03;
        for (const e of exact) if (e.score > floor) assert.ok(hits.some((h) => h.id === e.id), `step ${step}: ${e.id} (${e.score}) missing from ${JSON.stringify(hits)}`);
      }
      const now = index.impactArenaStats();
      if (now.compactions > was.compactions && now.capacity === was.capacity) inPlace++;
    }
    const stats = index.impactArenaStats();
    assert.ok(searches > 1000, String(searches));
    assert.ok(stats.compactions >= 1, JSON.stringify(stats));
    assert.ok(inPlace >= 1, `no compaction in place among ${stats.compactions}`);
    assert.ok(stats.top <= stats.capacity && stats.garbage <= stats.top, JSON.stringify(stats));
    // The posting lists that outgrew their place moved, and their arena compacted, in place too.
    const postings = index.postingArenaStats();
    assert.ok(postings.compactions >= 1 && postings.inPlace >= 1, JSON.stringify(postings));
    assert.ok(postings.top <= postings.capacity && postings.garbage <= postings.top, JSON.stringify(postings));
  });

  it('round-trips through JSON with identical results', () => {
    const index = sampleIndex();
    index.remove(4);
    const json = JSON.parse(JSON.stringify(index.toJSON()));
    const loaded = Bm25Index.fromJSON<Field>(json);
    assert.ok(loaded.ok);
    const q = query('incident group user manager');
    assert.deepStrictEqual(loaded.index.search(q, 5), index.search(q, 5));
    assert.strictEqual(loaded.index.size, 4);
    // The loaded index keeps working incrementally.
    loaded.index.add(9, doc('Zebra.stripe', 'zebra'));
    assert.strictEqual(loaded.index.search(query('zebra'), 1)[0].id, 9);
  });

  it('warms its impact lists in steps, and a warmed index answers exactly as a cold one', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
    const word = () => `w${Math.floor(Math.pow(3000, random()))}`;
    const build = () => {
      const index = new Bm25Index<'name' | 'body'>({ fields: { name: { weight: 3, b: 0.5 }, body: { weight: 1, b: 0.75 } } });
      seed = 7;
      for (let i = 0; i < 3000; i++) index.add(i, { name: [word(), word()], body: Array.from({ length: 12 }, word) });
      return index;
    };
    const cold = build();
    const warm = build();
    const queries = Array.from({ length: 20 }, () => Array.from({ length: 15 }, () => ({ term: word(), weight: 1 })));
    // A zero budget still makes progress (a few lists a call), so repeated calls finish.
    let calls = 1;
    while (!warm.warmImpacts(0)) calls++;
    assert.ok(calls > 1, 'a zero budget warmed every list in one call');
    assert.strictEqual(warm.warmImpacts(0), true);
    for (const q of queries) assert.deepStrictEqual(warm.search(q, 25), cold.search(q, 25));
    // An edit that moves the average lengths makes the lists stale again; warming starts over.
    for (let i = 0; i < 400; i++) {
      const fields = { name: [word()], body: Array.from({ length: 40 }, word) };
      warm.add(10_000 + i, fields);
      cold.add(10_000 + i, fields);
    }
    assert.strictEqual(warm.warmImpacts(0), false);
    assert.strictEqual(warm.warmImpacts(Infinity), true);
    for (const q of queries) assert.deepStrictEqual(warm.search(q, 25), cold.search(q, 25));
  });

  it('sizes the impact arena of a loaded index once, for every list, when warming it', () => {
    const rand = mulberry32(4);
    const index = new Bm25Index<'name' | 'body'>({ fields: { name: { weight: 3, b: 0.5 }, body: { weight: 1, b: 0.75 } } });
    for (let i = 0; i < 2000; i++) index.add(i, { name: [`n${Math.floor(rand() * 300)}`], body: Array.from({ length: 10 }, () => `b${Math.floor(rand() * rand() * 2000)}`) });
    const { header, arrays } = index.toParts();
    const loaded = Bm25Index.fromParts<'name' | 'body'>(header, arrays);
    assert.ok(loaded.ok);
    assert.strictEqual(loaded.index.warmImpacts(Infinity), true);
    const entries = arrays.df!.reduce((a, b) => a + b, 0);
    assert.deepStrictEqual(loaded.index.impactArenaStats(), { capacity: entries + (entries >> 3), top: entries, garbage: 0, compactions: 0 });
    // Documents added afterwards move their terms' lists into the eighth left over: the arena is
    // not allocated again (the random test above has it compact in place).
    for (let i = 0; i < 20; i++) loaded.index.add(5000 + i, { name: ['n1'], body: ['b1', 'b2', `b${i}`] });
    const after = loaded.index.impactArenaStats();
    assert.strictEqual(after.capacity, entries + (entries >> 3), JSON.stringify(after));
    assert.ok(after.garbage > 0, JSON.stringify(after));
  });

  it('saves a loaded index that nothing changed without copying its postings', () => {
    const { header, arrays } = sampleIndex().toParts();
    const loaded = Bm25Index.fromParts<Field>(header, arrays);
    assert.ok(loaded.ok);
    const again = loaded.index.toParts();
    assert.strictEqual(again.arrays.postings.buffer, arrays.postings.buffer);
    assert.strictEqual(again.arrays.df!.length, arrays.df!.length);
    loaded.index.remove(2);
    const compacted = loaded.index.toParts();
    assert.notStrictEqual(compacted.arrays.postings.buffer, arrays.postings.buffer);
    assert.strictEqual(compacted.header.ids.length, 4);
  });

  it('refuses saved parts whose derived arrays do not match the index', () => {
    const { header, arrays } = sampleIndex().toParts();
    const broken = [
      { ...arrays, df: undefined },
      { ...arrays, df: arrays.df!.subarray(1) },
      { ...arrays, df: Int32Array.from(arrays.df!, (n, k) => (k === 0 ? 1_000_000 : n)) },
      { ...arrays, fieldDistinct: arrays.fieldDistinct!.subarray(3) },
    ];
    for (const parts of broken) {
      const loaded = Bm25Index.fromParts<Field>(header, parts);
      assert.strictEqual(loaded.ok, false);
      if (!loaded.ok) assert.match(loaded.error, /derived|document frequency/);
    }
    assert.ok(Bm25Index.fromParts<Field>(header, arrays).ok);
  });

  it('reports a malformed persisted index instead of throwing', () => {
    assert.strictEqual(Bm25Index.fromJSON(null).ok, false);
    assert.strictEqual(Bm25Index.fromJSON({ format: 'other' }).ok, false);
    const json = sampleIndex().toJSON();
    // Version 1 held two Int32 a posting: its arrays read as this layout would be garbage.
    assert.strictEqual(Bm25Index.fromJSON({ ...json, version: 1 }).ok, false);
    assert.strictEqual(Bm25Index.fromJSON({ ...json, version: 2 }).ok, false);
    assert.strictEqual(Bm25Index.fromJSON({ ...json, version: 4 }).ok, false);
    assert.strictEqual(Bm25Index.fromJSON({ ...json, ids: json.ids.slice(1) }).ok, false);
    assert.strictEqual(Bm25Index.fromJSON({ ...json, postings: 'AAAA' }).ok, false);
  });

  it('widens its impact lists past 65,536 documents without losing the lists kept narrow before', () => {
    const index = new Bm25Index<'body'>({ fields: { body: { weight: 1, b: 0.75 } } });
    const n = 65_530;
    for (let i = 0; i < n; i++) index.add(i, { body: i % 1000 === 7 ? ['rare', 'common'] : ['common'] });
    const q = [{ term: 'rare', weight: 1 }, { term: 'common', weight: 0.1 }];
    index.warmImpacts(Infinity);
    const before = index.search(q, 5);
    assert.deepStrictEqual(before.map((h) => h.id), [7, 1007, 2007, 3007, 4007]);
    // Slots 65,530 and on: the lists in the arena widen; the rare term's list grows on.
    for (let i = n; i < n + 20; i++) index.add(i, { body: i % 2 ? ['rare', 'common', 'rare'] : ['common'] });
    const after = index.search(q, 12);
    assert.deepStrictEqual(after.slice(0, 10).map((h) => h.id).sort((a, b) => a - b), Array.from({ length: 10 }, (_, k) => n + 1 + 2 * k));
    for (const h of after) assert.ok(Math.abs((index.explain(h.id, q)?.score ?? 0) - h.score) < IMPACT_TOLERANCE * h.score, String(h.id));
    assert.ok(index.remove(n + 19));
    assert.ok(!index.search(q, 12).some((h) => h.id === n + 19));
  });

  it('gives the ranking scoring every document gives, whether a search walks its span of slots or reads its lists again', () => {
    const index = new Bm25Index<'name' | 'body'>({ fields: { name: { weight: 3, b: 0.5 }, body: { weight: 1, b: 0.75 } } });
    for (let i = 0; i < 5000; i++) {
      const body = ['common', `w${i % 37}`];
      // A few documents far apart hold the rare word: two entries over a span of 5,000 slots.
      if (i === 3 || i === 2500 || i === 4990 || i === 4991) body.push('rare', 'rare');
      index.add(i, { name: [`n${i % 11}`], body });
    }
    // A removed document leaves dead entries in the lists it was in, skipped by both ways.
    index.remove(2500);
    const best = (q: Array<{ term: string; weight: number }>, k: number, keep: (id: number) => boolean) =>
      Array.from({ length: 5000 }, (_, id) => ({ id, score: index.explain(id, q)?.score ?? 0 }))
        .filter((x) => x.score > 0 && keep(x.id))
        .sort((a, b) => b.score - a.score || a.id - b.id)
        .slice(0, k)
        .map((x) => x.id);
    const odd = (id: number) => id % 2 === 1;
    for (const [q, k, keep] of [
      [[{ term: 'rare', weight: 1 }], 5, () => true],
      [[{ term: 'rare', weight: 1 }], 5, odd],
      [[{ term: 'common', weight: 1 }, { term: 'w5', weight: 2 }], 7, () => true],
      [[{ term: 'common', weight: 0.5 }, { term: 'rare', weight: 2 }, { term: 'n4', weight: 1 }], 9, odd],
    ] as Array<[Array<{ term: string; weight: number }>, number, (id: number) => boolean]>) {
      const asked: number[] = [];
      const found = index.search(q, k, (id) => (asked.push(id), keep(id)));
      assert.deepStrictEqual(found.map((h) => h.id), best(q, k, keep), JSON.stringify(q));
      assert.strictEqual(new Set(asked).size, asked.length, 'a document was asked about twice');
    }
  });

  it('finds the same top 40 in a large index as scoring every document would (its speed is in the benchmark)', () => {
    // Zipf-like vocabulary so common terms have long posting lists, as real code does.
    let seed = 42;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
    const word = () => `t${Math.floor(Math.pow(5000, random()))}`;
    const index = new Bm25Index<'name' | 'body'>({ fields: { name: { weight: 3, b: 0.5 }, body: { weight: 1, b: 0.75 } } });
    for (let i = 0; i < 10_000; i++) index.add(i, { name: [word(), word()], body: Array.from({ length: 20 }, word) });
    const q = Array.from({ length: 60 }, () => ({ term: word(), weight: 1 }));
    const found = index.search(q, 40);
    const every = Array.from({ length: 10_000 }, (_, id) => ({ id, score: index.explain(id, q)?.score ?? 0 }))
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, 40);
    assert.strictEqual(found.length, 40);
    found.forEach((hit, i) => assert.ok(Math.abs(hit.score - every[i].score) < IMPACT_TOLERANCE * every[i].score, `rank ${i + 1}: ${hit.score} vs ${every[i].score}`));
  });

  it('says which fields of which documents hold a term, and how many distinct terms each field has, before and after a compaction or a load', () => {
    const index = new Bm25Index<Field>({ fields: FIELDS });
    index.add(1, { name: ['incident', 'utils'], description: ['reopen', 'incident', 'incident'], tables: ['incident'] });
    index.add(2, { name: ['user', 'utils'], description: ['groups'], tables: [] });
    index.add(3, { name: ['gone'], description: ['incident'], tables: [] });
    const bit = (f: Field) => 1 << index.fieldIndex(f);
    const check = (ix: Bm25Index<Field>, label: string) => {
      const masks = ix.termFields([1, 2, 99], ['incident', 'utils', 'absent']);
      assert.deepStrictEqual([...masks], [bit('name') | bit('description') | bit('tables'), bit('name'), 0, 0, bit('name'), 0, 0, 0, 0], label);
      const distinct = ix.distinctTerms([1, 2]);
      const at = (row: number, f: Field) => distinct[row * 3 + ix.fieldIndex(f)];
      assert.deepStrictEqual([at(0, 'name'), at(0, 'description'), at(0, 'tables'), at(1, 'name'), at(1, 'description'), at(1, 'tables')], [2, 2, 1, 2, 1, 0], label);
    };
    index.remove(3);
    check(index, 'as built');
    index.compact();
    check(index, 'after a compaction');
    const { header, arrays } = index.toParts();
    const loaded = Bm25Index.fromParts<Field>(header, arrays);
    assert.ok(loaded.ok);
    check(loaded.index, 'after a load');
    // A document added after the load is seen too, and a removed one no more.
    loaded.index.add(4, { name: ['incident'], description: [], tables: [] });
    loaded.index.remove(2);
    assert.deepStrictEqual([...loaded.index.termFields([4, 2], ['incident', 'user'])], [bit('name'), 0, 0, 0]);
  });
});
