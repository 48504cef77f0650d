/**
 * A BM25F lexical index over documents with named, weighted fields (a method's name words, its
 * JSDoc summary, the tables it touches, ...). It answers a weighted bag of query terms with the
 * top k documents in a few milliseconds over tens of thousands of documents, and explains each
 * score term by term and field by field.
 *
 * Scoring (BM25F, saturation after the fields are merged):
 *   tf~(t, d) = sum over fields f of  weight_f * tf_f(t, d) / (1 - b_f + b_f * len_f(d) / avgLen_f)
 *   score(d)  = sum over query terms t of  w_t * idf(t) * tf~ / (k1 + tf~)
 *   idf(t)    = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))
 * where N is the number of live documents and df(t) the number holding t in any field. The
 * `(k1 + 1)` numerator factor of textbook BM25 is left out, as Lucene does: it scales every score
 * alike and changes no ranking.
 *
 * Documents live in slots, assigned in insertion order, so every posting list stays sorted by
 * slot and a document's postings for one term sit side by side. Removal leaves a tombstone;
 * when tombstones pass a share of the slots, the index compacts itself.
 *
 * Speed comes from an impact cache: for each term, the live documents holding it and their
 * saturated tf~ / (k1 + tf~), so a search is one multiply-add per (term, document). Any change
 * to the collection moves N and the average lengths, so it bumps an epoch, and a term's impacts
 * are recomputed lazily the next time a query uses it. An impact is kept in 16 bits (it lies in
 * [0, 1), so steps of 1/65535) and a document as 16 bits while the index has at most 65,536
 * slots: search scores match the formula (and `explain`, which computes in float64) to about
 * 1e-4 relative, and equal documents still tie exactly.
 */
import { IdMap } from './id-map';

export interface FieldParams {
  /** How much one occurrence in this field counts, relative to other fields. */
  weight: number;
  /** Length normalisation, 0 (none) to 1 (full). */
  b: number;
}

export type FieldConfig<F extends string> = Record<F, FieldParams>;

export interface Bm25Options<F extends string> {
  fields: FieldConfig<F>;
  /** Term frequency saturation. Default 1.2. */
  k1?: number;
  /** Compact when tombstones exceed this share of slots. Default 0.25. */
  compactShare?: number;
}

/** Query terms with their weights; repeated terms add up. Terms of weight <= 0 are ignored. */
export type Bm25Query = ReadonlyArray<{ term: string; weight: number }> | ReadonlyMap<string, number>;

export interface Hit {
  id: number;
  score: number;
}

export interface FieldContribution<F extends string> {
  field: F;
  /** Occurrences of the term in this field of the document. */
  tf: number;
  /** The field's length in the document and its average over live documents. */
  length: number;
  avgLength: number;
  /** This field's share of the term's score (shares sum to the term's score). */
  score: number;
}

export interface TermExplanation<F extends string> {
  term: string;
  weight: number;
  df: number;
  idf: number;
  /** tf~ of the formula above. */
  pseudoTf: number;
  score: number;
  fields: FieldContribution<F>[];
}

export interface Explanation<F extends string> {
  id: number;
  score: number;
  /** Only the query terms the document holds. */
  terms: TermExplanation<F>[];
}

/** The persisted form without its arrays: what JSON holds well. */
export interface Bm25Header {
  format: 'deepcodeseek-bm25';
  version: typeof BM25_VERSION;
  k1: number;
  fields: Array<{ name: string; weight: number; b: number }>;
  ids: number[];
  terms: string[];
}

/** The persisted arrays: most of an index's bytes, kept apart so they can be stored as bytes. */
export interface Bm25Arrays {
  /** Slot-major: the length of each field of each document. */
  fieldLengths: Int32Array;
  /** terms.length + 1 offsets into `postings` (in Int32 units). */
  postingOffsets: Int32Array;
  /** One Int32 per (document, field) holding the term: `packPosting`. */
  postings: Int32Array;
  /**
   * What a load would otherwise derive from the postings in a pass over all of them: the
   * distinct terms of each field of each document (slot-major), and each term's document
   * frequency. Absent, they are derived.
   */
  fieldDistinct?: Int32Array;
  df?: Int32Array;
}

/** The persisted form in one JSON value; the arrays travel as base64 of their little-endian bytes. */
export interface Bm25Json extends Bm25Header {
  fieldLengths: string;
  postingOffsets: string;
  postings: string;
}

export type Bm25LoadResult<F extends string> = { ok: true; index: Bm25Index<F> } | { ok: false; error: string };

/**
 * A posting is one Int32: the document's slot in the high 20 bits, the field in the next 4, and
 * the term's frequency in that field in the low 8, at most `BM25_MAX_TF` (past it, saturation has
 * long flattened the score: 255 and 1,000 occurrences differ by well under a percent of impact).
 * Slots and fields are read with `>>>`. Before, a posting was two Int32 (slot; field << 16 | tf):
 * at 10,000 Script Includes the two indexes' 4.3 million postings took 35 MB instead of 17.
 */
const TF_BITS = 8;
const FIELD_MASK = 0xf;
const SLOT_SHIFT = 12;
/** The largest term frequency a posting holds. */
export const BM25_MAX_TF = 0xff;
/** Fields an index can have, and documents it can hold (slots, tombstones included). */
export const BM25_MAX_FIELDS = FIELD_MASK + 1;
export const BM25_MAX_SLOTS = 2 ** (32 - SLOT_SHIFT);

/** The posting of a term in one field of the document in `slot`, `tf` times. */
export function packPosting(slot: number, field: number, tf: number): number {
  return (slot << SLOT_SHIFT) | (field << TF_BITS) | Math.min(tf, BM25_MAX_TF);
}

function slotOf(posting: number): number {
  return posting >>> SLOT_SHIFT;
}

function fieldOf(posting: number): number {
  return (posting >>> TF_BITS) & FIELD_MASK;
}

function tfOf(posting: number): number {
  return posting & BM25_MAX_TF;
}

/** The first of the postings `list[lo..hi)` whose slot is at least `slot` (lists are in slot order); `hi` when none is. */
function lowerBound(list: Int32Array, lo: number, hi: number, slot: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (slotOf(list[mid]) < slot) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The same posting moved to another slot. */
export function withSlot(posting: number, slot: number): number {
  return (slot << SLOT_SHIFT) | (posting & ((1 << SLOT_SHIFT) - 1));
}

/** What a load needs beside the postings (`Bm25Arrays` says what each is). */
type Derivation = Required<Pick<Bm25Arrays, 'fieldDistinct' | 'df'>>;

/** Per field: weight * average length, and the two parts of the length normalisation. */
interface ImpactNorms {
  wAvg: number[];
  fixed: number[];
  slope: number[];
}

/**
 * One field's share of a document's pseudo term frequency, tf * w / (1 - b + b * len / avg),
 * written so a posting costs one division. A list recomputed and an impact appended on add both
 * use it, so they agree to the last bit.
 */
function fieldImpact(n: ImpactNorms, fi: number, tf: number, len: number): number {
  const denom = n.fixed[fi] + n.slope[fi] * len;
  return denom > 0 ? (tf * n.wAvg[fi]) / denom : 0;
}

/** How far the average field lengths may move before every term's impacts are recomputed. */
const AVERAGE_DRIFT = 0.01;
/**
 * Removed documents whose terms are found by a binary search in every posting list; more are
 * found in one pass over all postings. In an index the size of a 10,000 Script Include usage
 * index (40,000 documents, 25,000 terms) the search took about 0.5 ms a document and the pass
 * 7-12 ms.
 */
const FEW_REMOVED = 16;
export const BM25_FORMAT = 'deepcodeseek-bm25';
/** 3: no per-document term lists in the saved arrays; 2: one Int32 a posting (`packPosting`); 1 had two. */
export const BM25_VERSION = 3;

/** Entries the impact arena starts with and never compacts below. */
const IMPACT_ARENA_MIN = 1024;

const IMPACT_SCALE = 0xffff;
/**
 * A search finds its scored documents by walking the slots its lists spanned when it read at least
 * a quarter as many entries as the span has slots, else by reading its lists again.
 */
const SPAN_WALK_SHARE = 4;
/** Slots a 16-bit document entry can name. */
const NARROW_SLOTS = 0x10000;

/** An impact in [0, 1) as the 16-bit integer the arena keeps: never 0, which would drop the document from a search. */
function quantizeImpact(value: number): number {
  return Math.max(1, Math.round(value * IMPACT_SCALE));
}

/**
 * The impact lists of every term: slots and their impacts, side by side, with a bump pointer.
 * Both in 16 bits while slots fit (a 10,000 Script Include workspace's two indexes hold about
 * 3 million entries: 12 MB instead of 24); the slots widen to 32 bits once the index has more.
 */
class ImpactArena {
  docs: Uint16Array | Int32Array;
  values: Uint16Array;
  /** Entries handed out so far. */
  top = 0;
  /** Entries of lists that moved on or were recomputed elsewhere. */
  garbage = 0;

  constructor(capacity = IMPACT_ARENA_MIN, slots = 0) {
    this.docs = slots > NARROW_SLOTS ? new Int32Array(capacity) : new Uint16Array(capacity);
    this.values = new Uint16Array(capacity);
  }

  /** Makes room for slots up to `slots` (exclusive): widens the document entries when 16 bits no longer name them all. */
  fit(slots: number): void {
    if (slots > NARROW_SLOTS && !(this.docs instanceof Int32Array)) this.docs = Int32Array.from(this.docs);
  }

  /**
   * Room for at least `min` entries. It grows by an eighth (and at least its smallest size), not by
   * half: a warmed arena is sized to its lists (`Bm25Index.warmImpacts`), and the first document
   * added after that made a 10,000 Script Include workspace's arenas half as large again.
   */
  grow(min: number): void {
    const size = Math.max(min, this.docs.length + Math.max(this.docs.length >> 3, IMPACT_ARENA_MIN));
    const docs = this.docs instanceof Int32Array ? new Int32Array(size) : new Uint16Array(size);
    docs.set(this.docs.subarray(0, this.top));
    const values = new Uint16Array(size);
    values.set(this.values.subarray(0, this.top));
    this.docs = docs;
    this.values = values;
  }
}

/**
 * How much the arrays indexed by slot or by term grow by, as a share of their length. A load or a
 * compaction sizes them exactly, and the first document added after it (a saved file) doubled
 * them: 3-4 MB of unused room in a 10,000 Script Include workspace's two indexes. An eighth still
 * copies each entry a bounded number of times, however many are added one by one.
 */
const SIZED_GROWTH = 1 / 8;

/** `a` with room for `min` entries: grown by `growth` of its length (doubled by default), at least 8. */
function grownInt32(a: Int32Array, min: number, growth = 1): Int32Array {
  if (a.length >= min) return a;
  const b = new Int32Array(Math.max(min, a.length + Math.max(Math.ceil(a.length * growth), 8)));
  b.set(a);
  return b;
}

function grownUint8(a: Uint8Array, min: number, growth = 1): Uint8Array {
  if (a.length >= min) return a;
  const b = new Uint8Array(Math.max(min, a.length + Math.max(Math.ceil(a.length * growth), 8)));
  b.set(a);
  return b;
}

/** A per-term array with room for `n` terms. */
function termArray(a: Int32Array, n: number): Int32Array {
  return grownInt32(a, n, SIZED_GROWTH);
}

/** Entries the moved-list arena starts with. */
const MOVED_ARENA_MIN = 1024;

/**
 * Every term's posting list, in one of two arrays: `base` holds the lists end to end as the last
 * build, load or compaction laid them out (it may be a view of the saved file's bytes, and is never
 * written), and `moved` is an arena for the lists that outgrew their place, each with room to grow
 * by an eighth. Per term, three Int32 say where its list is. A list of its own per term cost a
 * typed-array object each: at 10,000 Script Includes the two indexes' 41,000 lists took 4 MB of
 * heap for those objects alone.
 */
class PostingLists {
  base: Int32Array = new Int32Array(0);
  moved: Int32Array = new Int32Array(0);
  /** Entries of `moved` handed out, and those of lists that moved on since. */
  movedTop = 0;
  movedGarbage = 0;
  /** Per term: where its list starts, `s` >= 0 in `base`, `~s` in `moved`. */
  start: Int32Array = new Int32Array(0);
  length: Int32Array = new Int32Array(0);
  /** Per term: entries its place holds (a list in `base` has no room past its length). */
  room: Int32Array = new Int32Array(0);
  count = 0;
  /** Compactions of `moved` so far, and those done in place (for tests). */
  compactions = 0;
  compactionsInPlace = 0;

  /** The array term `t`'s list is in (its first entry is at `from(t)`). */
  array(t: number): Int32Array {
    return this.start[t] >= 0 ? this.base : this.moved;
  }

  from(t: number): number {
    const s = this.start[t];
    return s >= 0 ? s : ~s;
  }

  /** Lays the lists out anew: term t's list is `base[offsets[t], offsets[t + 1])`. */
  reset(base: Int32Array, offsets: ArrayLike<number>, terms: number): void {
    this.base = base;
    this.moved = new Int32Array(0);
    this.movedTop = 0;
    this.movedGarbage = 0;
    this.start = new Int32Array(terms);
    this.length = new Int32Array(terms);
    this.room = new Int32Array(terms);
    for (let t = 0; t < terms; t++) {
      this.start[t] = offsets[t];
      this.length[t] = this.room[t] = offsets[t + 1] - offsets[t];
    }
    this.count = terms;
  }

  /** A new term, with an empty list. */
  addTerm(): void {
    const t = this.count++;
    this.start = termArray(this.start, this.count);
    this.length = termArray(this.length, this.count);
    this.room = termArray(this.room, this.count);
    this.start[t] = 0;
    this.length[t] = 0;
    this.room[t] = 0;
  }

  append(t: number, posting: number): void {
    const len = this.length[t];
    if (len + 1 > this.room[t]) {
      // By an eighth, not by doubling: a saved file adds a document to the lists of the
      // workspace's commonest words, the longest there are, and doubling those after a load left
      // 14 MB of unused room at 10,000 Script Includes.
      const room = len + Math.max(4, len >> 3);
      const at = this.reserve(room);
      const from = this.from(t);
      // `reserve` may have moved the arena (and this list with it): read the place after it.
      if (this.start[t] >= 0) this.moved.set(this.base.subarray(from, from + len), at);
      else {
        this.moved.copyWithin(at, from, from + len);
        this.movedGarbage += this.room[t];
      }
      this.start[t] = ~at;
      this.room[t] = room;
    }
    this.array(t)[this.from(t) + len] = posting;
    this.length[t] = len + 1;
  }

  /** Where `size` new entries of `moved` go: its end, after compacting it (when its garbage makes the room, or is more than half of it) or growing it. */
  private reserve(size: number): number {
    if (this.movedTop + size > this.moved.length) {
      if (this.movedGarbage >= size || this.movedGarbage * 2 > this.movedTop) this.compactMoved(size);
      else {
        const grown = new Int32Array(Math.max(this.movedTop + size, this.moved.length + Math.max(this.moved.length >> 3, MOVED_ARENA_MIN)));
        grown.set(this.moved.subarray(0, this.movedTop));
        this.moved = grown;
      }
    }
    const at = this.movedTop;
    this.movedTop += size;
    return at;
  }

  /** Moves the lists in `moved` together (in place when they and `extra` more fit), leaving room for `extra` after them. */
  private compactMoved(extra: number): void {
    const current: number[] = [];
    let live = 0;
    for (let t = 0; t < this.count; t++) {
      if (this.start[t] < 0) {
        current.push(t);
        live += this.room[t];
      }
    }
    current.sort((a, b) => ~this.start[a] - ~this.start[b]);
    const inPlace = live + extra <= this.moved.length;
    this.compactions++;
    if (inPlace) this.compactionsInPlace++;
    const into = inPlace ? this.moved : new Int32Array(Math.max(MOVED_ARENA_MIN, Math.ceil((live + extra) * 1.25)));
    let top = 0;
    for (const t of current) {
      const from = ~this.start[t];
      const n = this.length[t];
      // In start order, each list moves down (never past one not yet moved).
      if (inPlace) into.copyWithin(top, from, from + n);
      else into.set(this.moved.subarray(from, from + n), top);
      this.start[t] = ~top;
      top += this.room[t];
    }
    this.moved = into;
    this.movedTop = top;
    this.movedGarbage = 0;
  }

  /** Whether the first `terms` lists lie end to end from the start of `base`, none moved. */
  joined(terms: number): boolean {
    let at = 0;
    for (let t = 0; t < terms; t++) {
      if (this.start[t] !== at) return false;
      at += this.length[t];
    }
    return true;
  }
}

function int32ToBase64(a: Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function base64ToInt32(s: string): Int32Array | undefined {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.byteLength % 4 !== 0) return undefined;
  // Copy: a Buffer may sit at an offset of a shared pool that is not 4-byte aligned.
  const out = new Int32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

function idfOf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** How a search may trade exactness for speed. */
export interface SearchOptions {
  /**
   * Leave out the query's weakest terms, weakest first, while together they could add at most
   * this share of what all its terms could add to any one document (a term adds at most its
   * weight times its idf). Common words with little weight hold the longest lists: they are most
   * of a search's work and least of its scores. 0 or absent: every term.
   */
  dropShare?: number;
}

/**
 * Which of the terms (by the most each can add, `bounds`) `SearchOptions.dropShare` leaves out:
 * the weakest first while their bounds sum to at most `share` of all of them; ties in the order
 * given. Undefined when none is.
 */
export function weakestTerms(bounds: readonly number[], share: number): boolean[] | undefined {
  if (!(share > 0) || bounds.length < 2) return undefined;
  let total = 0;
  for (const b of bounds) total += b;
  const budget = share * total;
  const order = bounds.map((_, i) => i).sort((a, b) => bounds[a] - bounds[b] || a - b);
  const skip = new Array<boolean>(bounds.length).fill(false);
  let spent = 0;
  let any = false;
  // The strongest term is always read, whatever the share.
  for (let i = 0; i < order.length - 1; i++) {
    const b = bounds[order[i]];
    if (spent + b > budget) break;
    spent += b;
    skip[order[i]] = true;
    any = true;
  }
  return any ? skip : undefined;
}

function mergeQuery(query: Bm25Query): Map<string, number> {
  const merged = new Map<string, number>();
  const entries: Iterable<[string, number]> =
    query instanceof Map ? (query as ReadonlyMap<string, number>).entries() : (query as ReadonlyArray<{ term: string; weight: number }>).map((q) => [q.term, q.weight] as [string, number]);
  for (const [term, weight] of entries) {
    if (!(weight > 0)) continue;
    merged.set(term, (merged.get(term) ?? 0) + weight);
  }
  return merged;
}

/** A min-heap of (score, id) of bounded size: the top k seen so far, worst on top. */
class TopK {
  private readonly scores: Float64Array;
  private readonly ids: Float64Array;
  private n = 0;
  constructor(private readonly k: number) {
    this.scores = new Float64Array(Math.max(k, 0));
    this.ids = new Float64Array(Math.max(k, 0));
  }

  /** Whether (score, id) would enter: higher score wins, then lower id, so results are stable. */
  admits(score: number, id: number): boolean {
    if (this.n < this.k) return true;
    const s = this.scores[0];
    return score > s || (score === s && id < this.ids[0]);
  }

  push(score: number, id: number): void {
    if (this.k <= 0) return;
    if (this.n < this.k) {
      this.scores[this.n] = score;
      this.ids[this.n] = id;
      this.siftUp(this.n++);
    } else {
      this.scores[0] = score;
      this.ids[0] = id;
      this.siftDown(0);
    }
  }

  /** Worse first: lower score, or equal score and higher id. */
  private worse(a: number, b: number): boolean {
    return this.scores[a] < this.scores[b] || (this.scores[a] === this.scores[b] && this.ids[a] > this.ids[b]);
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a];
    this.scores[a] = this.scores[b];
    this.scores[b] = s;
    const id = this.ids[a];
    this.ids[a] = this.ids[b];
    this.ids[b] = id;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private siftDown(i: number): void {
    const n = this.n;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.worse(l, m)) m = l;
      if (r < n && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  sorted(): Hit[] {
    const hits: Hit[] = [];
    for (let i = 0; i < this.n; i++) hits.push({ id: this.ids[i], score: this.scores[i] });
    return hits.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}

export class Bm25Index<F extends string> {
  private readonly fieldNames: F[];
  private readonly params: FieldParams[];
  private k1: number;
  private readonly compactShare: number;

  // Dictionary and posting lists, by term id.
  private termIds = new Map<string, number>();
  private terms: string[] = [];
  private postings = new PostingLists();
  /** Per term id: how many live documents hold it. */
  private df: Int32Array = new Int32Array(0);

  // Documents, by slot.
  private slotCount = 0;
  private liveCount = 0;
  private slotIds: number[] = [];
  private alive: Uint8Array = new Uint8Array(0);
  private fieldLengths: Int32Array = new Int32Array(0);
  /** Slot-major like fieldLengths: how many distinct terms each field of each document holds. */
  private fieldDistinct: Int32Array = new Int32Array(0);
  // The terms of each document added since the last compaction or load (to lower their df when
  // it is removed). The documents of the last compaction or load keep no such list: their terms
  // are found in the posting lists (`forEachTermLost`). As one array those lists were a fifth of
  // the retrieval state at 10,000 Script Includes (12 MB), read only when a document goes.
  private addedTerms = new Map<number, Int32Array>();
  private readonly idToSlot = new IdMap();
  private readonly totalLength: number[];

  // Impact cache by term id, valid while its epoch equals `epoch` (0: its list moved).
  private epoch = 1;
  private normAverages: number[] = [];
  /**
   * Every term's impact list lives in one arena, at `impactStart[t]`, with room for
   * `impactRoom[t]` entries: two typed arrays for the whole index instead of two per term. At
   * 10,000 Script Includes the two indexes hold about 41,000 lists, most of a few entries, and
   * the typed-array objects of one list each cost more than the entries (15 MB of heap).
   */
  private impacts = new ImpactArena();
  private impactStart: Int32Array = new Int32Array(0);
  private impactRoom: Int32Array = new Int32Array(0);
  private impactEpoch: Int32Array = new Int32Array(0);
  private impactLength: Int32Array = new Int32Array(0);
  private impactCompactions = 0;
  /** Entries of removed documents still in a term's impact list. */
  private impactDead: Int32Array = new Int32Array(0);

  // Build scratch, by term id: which add last saw the term, and where in that add's list.
  private addStamp = 0;
  private seenStamp: Int32Array = new Int32Array(0);
  private localIndex: Int32Array = new Int32Array(0);
  private docScratchTerms: Int32Array = new Int32Array(0);
  private docScratchCounts: Int32Array = new Int32Array(0);

  // Search scratch, reused across calls so a search allocates almost nothing: every entry is 0
  // between searches.
  private scratchScores = new Float64Array(0);

  constructor(options: Bm25Options<F>) {
    this.fieldNames = Object.keys(options.fields) as F[];
    if (this.fieldNames.length > BM25_MAX_FIELDS) throw new RangeError(`a BM25 index has at most ${BM25_MAX_FIELDS} fields`);
    this.params = this.fieldNames.map((f) => ({ ...options.fields[f] }));
    this.k1 = options.k1 ?? 1.2;
    this.compactShare = options.compactShare ?? 0.25;
    this.totalLength = this.fieldNames.map(() => 0);
  }

  /** Number of live documents. */
  get size(): number {
    return this.liveCount;
  }

  /** Number of distinct terms in the dictionary (including ones only dead documents held, until compaction). */
  get termCount(): number {
    return this.terms.length;
  }

  get fields(): readonly F[] {
    return this.fieldNames;
  }

  has(id: number): boolean {
    return this.idToSlot.has(id);
  }

  /** Documents holding `term` in any field. */
  documentFrequency(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.df[t];
  }

  /** The position of a field in `fields` (and in the rows `termFields` and `distinctTerms` return). */
  fieldIndex(field: F): number {
    return this.fieldNames.indexOf(field);
  }

  /**
   * Which fields of each document hold each term: row i, column k is a bit mask (bit f: field f)
   * for document `ids[i]` and `terms[k]`; zero for an unknown id. Read off the posting lists (a
   * binary search per pair), so nothing per document needs to be kept or rebuilt for it.
   */
  termFields(ids: readonly number[], terms: readonly string[]): Int32Array {
    const out = new Int32Array(ids.length * terms.length);
    const slots = ids.map((id) => this.idToSlot.get(id) ?? -1);
    terms.forEach((term, k) => {
      const t = this.termIds.get(term);
      if (t === undefined) return;
      const list = this.postings.array(t);
      const from = this.postings.from(t);
      const end = from + this.postings.length[t];
      slots.forEach((slot, i) => {
        if (slot < 0) return;
        let mask = 0;
        for (let j = lowerBound(list, from, end, slot); j < end && slotOf(list[j]) === slot; j++) mask |= 1 << fieldOf(list[j]);
        out[i * terms.length + k] = mask;
      });
    });
    return out;
  }

  /** How many distinct terms each field of each document holds: row-major [ids.length, fields]. */
  distinctTerms(ids: readonly number[]): Int32Array {
    const nf = this.fieldNames.length;
    const out = new Int32Array(ids.length * nf);
    ids.forEach((id, i) => {
      const slot = this.idToSlot.get(id);
      if (slot !== undefined) out.set(this.fieldDistinct.subarray(slot * nf, slot * nf + nf), i * nf);
    });
    return out;
  }

  /** Retunes field weights, `b` and `k1` in place (for tuning without rebuilding). */
  setParams(fields: Partial<FieldConfig<F>>, k1?: number): void {
    this.fieldNames.forEach((f, i) => {
      const p = fields[f];
      if (p) this.params[i] = { ...p };
    });
    if (k1 !== undefined) this.k1 = k1;
    this.staleAllImpacts();
  }

  /** Every impact list goes stale at once: the arena's space is all free again, kept for the lists recomputed next. */
  private staleAllImpacts(): void {
    this.epoch++;
    this.impacts.top = 0;
    this.impacts.garbage = 0;
    this.impactRoom.fill(0);
    this.impactLength.fill(0);
  }

  /** Adds a document; an id already present is replaced. Fields left out are empty. */
  add(id: number, fields: Partial<Record<F, readonly string[]>>): void {
    if (this.idToSlot.has(id)) this.remove(id);
    if (this.slotCount >= BM25_MAX_SLOTS && this.liveCount < this.slotCount) this.compact();
    if (this.slotCount >= BM25_MAX_SLOTS) throw new RangeError(`a BM25 index holds at most ${BM25_MAX_SLOTS} documents`);
    const nf = this.fieldNames.length;
    const slot = this.slotCount++;
    // The one place slots grow: the arena's slot entries widen here once 16 bits no longer name them.
    this.impacts.fit(this.slotCount);
    this.alive = grownUint8(this.alive, this.slotCount, SIZED_GROWTH);
    this.fieldLengths = grownInt32(this.fieldLengths, this.slotCount * nf, SIZED_GROWTH);
    this.fieldDistinct = grownInt32(this.fieldDistinct, this.slotCount * nf, SIZED_GROWTH);
    this.fieldDistinct.fill(0, slot * nf, slot * nf + nf);
    this.slotIds[slot] = id;

    // Count occurrences per (term, field) in reusable scratch arrays indexed by term id: a Map
    // per document made building a large index mostly garbage collection.
    const stamp = ++this.addStamp;
    let unique = 0;
    for (let fi = 0; fi < nf; fi++) {
      const tokens = fields[this.fieldNames[fi]] ?? [];
      this.fieldLengths[slot * nf + fi] = tokens.length;
      this.totalLength[fi] += tokens.length;
      for (const token of tokens) {
        const t = this.termIdFor(token);
        if (this.seenStamp[t] !== stamp) {
          this.seenStamp[t] = stamp;
          this.localIndex[t] = unique;
          this.docScratchTerms = grownInt32(this.docScratchTerms, unique + 1);
          this.docScratchCounts = grownInt32(this.docScratchCounts, (unique + 1) * nf);
          this.docScratchTerms[unique] = t;
          this.docScratchCounts.fill(0, unique * nf, unique * nf + nf);
          unique++;
        }
        this.docScratchCounts[this.localIndex[t] * nf + fi]++;
      }
    }

    const held = this.docScratchTerms.slice(0, unique);
    for (let li = 0; li < unique; li++) {
      const t = held[li];
      for (let fi = 0; fi < nf; fi++) {
        const c = this.docScratchCounts[li * nf + fi];
        if (c > 0) {
          this.postings.append(t, packPosting(slot, fi, c));
          this.fieldDistinct[slot * nf + fi]++;
        }
      }
      this.df[t]++;
    }
    this.addedTerms.set(slot, held);
    this.alive[slot] = 1;
    this.idToSlot.set(id, slot);
    this.liveCount++;
    // Its terms' impact lists get its impact at their end (slots only grow, so they stay in slot
    // order); the other terms' lists are untouched. The average lengths are checked when searching.
    let norms: ImpactNorms | undefined;
    for (let li = 0; li < unique; li++) {
      const t = held[li];
      if (this.impactEpoch[t] !== this.epoch) continue;
      norms ??= this.impactNorms();
      let pseudoTf = 0;
      for (let fi = 0; fi < nf; fi++) {
        const c = Math.min(this.docScratchCounts[li * nf + fi], BM25_MAX_TF);
        if (c > 0) pseudoTf += fieldImpact(norms, fi, c, this.fieldLengths[slot * nf + fi]);
      }
      if (pseudoTf > 0) this.appendImpact(t, slot, quantizeImpact(pseudoTf / (this.k1 + pseudoTf)));
    }
  }

  /** Appends `slot` with its impact (already quantized) to term `t`'s list. */
  private appendImpact(t: number, slot: number, value: number): void {
    const n = this.impactLength[t];
    if (n + 1 > this.impactRoom[t]) {
      // Moved to the arena's end with room to grow, as a list of its own grew by half.
      const room = Math.max(4, Math.ceil(this.impactRoom[t] * 1.5));
      const at = this.reserveImpacts(room);
      this.impacts.docs.copyWithin(at, this.impactStart[t], this.impactStart[t] + n);
      this.impacts.values.copyWithin(at, this.impactStart[t], this.impactStart[t] + n);
      this.impacts.garbage += this.impactRoom[t];
      this.impactStart[t] = at;
      this.impactRoom[t] = room;
    }
    const at = this.impactStart[t] + n;
    this.impacts.docs[at] = slot;
    this.impacts.values[at] = value;
    this.impactLength[t] = n + 1;
  }

  /**
   * Where `size` new entries go: the arena's end, after compacting it (when its lists that moved
   * or went stale would make the room, or are more than half of it) or growing it. Lists of terms
   * whose impacts are stale are dropped by a compaction; they are recomputed when next read, as
   * they would have been.
   */
  private reserveImpacts(size: number): number {
    if (this.impacts.top + size > this.impacts.docs.length) {
      if (this.impacts.garbage >= size || this.impacts.garbage * 2 > this.impacts.top) this.compactImpacts(size);
      else this.impacts.grow(this.impacts.top + size);
    }
    const arena = this.impacts;
    const at = arena.top;
    arena.top += size;
    return at;
  }

  /** Term `t`'s list goes stale and its place in the arena becomes garbage. */
  private dropImpacts(t: number): void {
    this.impacts.garbage += this.impactRoom[t];
    this.impactRoom[t] = 0;
    this.impactEpoch[t] = 0;
  }

  /**
   * Moves the current lists together, with room for `extra` more entries after them: in place
   * when the arena holds them, so that saving files one after another does not allocate an arena
   * each time (every new one left its old place as a hole in the C heap), else into a new arena
   * a quarter larger than needed.
   */
  private compactImpacts(extra: number): void {
    const old = this.impacts;
    let live = 0;
    const current: number[] = [];
    for (let t = 0; t < this.terms.length; t++) {
      if (this.impactEpoch[t] === this.epoch) {
        live += this.impactRoom[t];
        current.push(t);
      } else {
        this.impactRoom[t] = 0;
        this.impactLength[t] = 0;
      }
    }
    this.impactCompactions++;
    if (live + extra <= old.docs.length) {
      // In start order, each list moves down (never past one not yet moved).
      current.sort((a, b) => this.impactStart[a] - this.impactStart[b]);
      let top = 0;
      for (const t of current) {
        const from = this.impactStart[t];
        const n = this.impactLength[t];
        if (from !== top) {
          old.docs.copyWithin(top, from, from + n);
          old.values.copyWithin(top, from, from + n);
          this.impactStart[t] = top;
        }
        top += this.impactRoom[t];
      }
      old.top = top;
      old.garbage = 0;
      return;
    }
    const next = new ImpactArena(Math.max(IMPACT_ARENA_MIN, Math.ceil((live + extra) * 1.25)), this.slotCount);
    for (const t of current) {
      const from = this.impactStart[t];
      const n = this.impactLength[t];
      next.docs.set(old.docs.subarray(from, from + n), next.top);
      next.values.set(old.values.subarray(from, from + n), next.top);
      this.impactStart[t] = next.top;
      next.top += this.impactRoom[t];
    }
    this.impacts = next;
  }

  /** The impact arena's size in entries, those handed out, those of lists that moved or went stale, and its compactions so far (for tests). */
  impactArenaStats(): { capacity: number; top: number; garbage: number; compactions: number } {
    return { capacity: this.impacts.docs.length, top: this.impacts.top, garbage: this.impacts.garbage, compactions: this.impactCompactions };
  }

  /** The moved posting lists' arena: its size in entries, those handed out, those of lists that moved on, and its compactions (for tests). */
  postingArenaStats(): { capacity: number; top: number; garbage: number; compactions: number; inPlace: number } {
    const p = this.postings;
    return { capacity: p.moved.length, top: p.movedTop, garbage: p.movedGarbage, compactions: p.compactions, inPlace: p.compactionsInPlace };
  }

  /** Same as `add`: replaces the document with this id. */
  update(id: number, fields: Partial<Record<F, readonly string[]>>): void {
    this.add(id, fields);
  }

  /** Removes a document; returns whether it was there. */
  remove(id: number): boolean {
    return this.removeAll([id]) > 0;
  }

  /** Removes documents (unknown ids are skipped); returns how many were there. */
  removeAll(ids: Iterable<number>): number {
    const nf = this.fieldNames.length;
    const slots: number[] = [];
    for (const id of ids) {
      const slot = this.idToSlot.get(id);
      if (slot === undefined) continue;
      this.idToSlot.delete(id);
      this.alive[slot] = 0;
      this.liveCount--;
      for (let fi = 0; fi < nf; fi++) this.totalLength[fi] -= this.fieldLengths[slot * nf + fi];
      slots.push(slot);
    }
    if (!slots.length) return 0;
    this.forEachTermLost(slots, (t, docs) => {
      this.df[t] -= docs;
      // Their entries stay in the term's impact list, skipped when searching, until the list is
      // recomputed; a list more than a quarter dead is recomputed at its next search.
      if (this.impactEpoch[t] !== this.epoch) return;
      const dead = (this.impactDead[t] += docs);
      if (dead * 4 > this.impactLength[t]) this.dropImpacts(t);
    });
    for (const slot of slots) this.addedTerms.delete(slot);
    const dead = this.slotCount - this.liveCount;
    if (dead > 64 && dead > this.compactShare * this.slotCount) this.compact();
    return slots.length;
  }

  /**
   * Calls `visit(t, n)` for each term `t` that `n` > 0 of the (just removed) `slots` held. A
   * document added since the last compaction or load brought its term list; the others are found
   * in the posting lists, sorted by slot: a binary search per term for a few documents, one pass
   * over every posting for many.
   */
  private forEachTermLost(slots: readonly number[], visit: (t: number, docs: number) => void): void {
    const search: number[] = [];
    for (const slot of slots) {
      const held = this.addedTerms.get(slot);
      if (held) for (let j = 0; j < held.length; j++) visit(held[j], 1);
      else search.push(slot);
    }
    if (!search.length) return;
    const nt = this.terms.length;
    if (search.length <= FEW_REMOVED) {
      for (let t = 0; t < nt; t++) {
        const len = this.postings.length[t];
        if (len === 0) continue;
        const list = this.postings.array(t);
        const from = this.postings.from(t);
        const end = from + len;
        const first = slotOf(list[from]);
        const last = slotOf(list[end - 1]);
        let docs = 0;
        for (const slot of search) {
          if (slot < first || slot > last) continue;
          const j = lowerBound(list, from, end, slot);
          if (j < end && slotOf(list[j]) === slot) docs++;
        }
        if (docs) visit(t, docs);
      }
      return;
    }
    const gone = new Uint8Array(this.slotCount);
    for (const slot of search) gone[slot] = 1;
    for (let t = 0; t < nt; t++) {
      const list = this.postings.array(t);
      const from = this.postings.from(t);
      const end = from + this.postings.length[t];
      let docs = 0;
      let prev = -1;
      for (let j = from; j < end; j++) {
        const slot = slotOf(list[j]);
        if (slot !== prev && gone[slot]) docs++;
        prev = slot;
      }
      if (docs) visit(t, docs);
    }
  }

  /**
   * The top `k` documents for the query, best first (ties: lower id first), with exact BM25F
   * scores. `filter` is asked only about documents that would make the top k.
   *
   * Term at a time into one score per slot. The documents scored are then found by a walk over
   * the slots the lists spanned, not by noting each one as its first entry arrives: that test on
   * every entry (300,000 a search at 10,000 Script Includes, most of them in a few common words'
   * lists) cost more than the walk. A query that read few entries over a wide span reads its
   * lists again instead.
   */
  search(query: Bm25Query, k: number, filter?: (id: number) => boolean, opts: SearchOptions = {}): Hit[] {
    if (k <= 0 || this.liveCount === 0) return [];
    this.syncAverages();
    if (this.scratchScores.length < this.slotCount) {
      // Grown by an eighth, not to the slot count: a search after each single add must not reallocate every time.
      const size = Math.max(this.slotCount, this.scratchScores.length + Math.max(Math.ceil(this.scratchScores.length * SIZED_GROWTH), 1024));
      this.scratchScores = new Float64Array(size);
    }
    const scores = this.scratchScores;
    // The query's terms the index holds, in query order, with what one unit of impact adds.
    const held: number[] = [];
    const factors: number[] = [];
    for (const [term, weight] of mergeQuery(query)) {
      const t = this.termIds.get(term);
      if (t === undefined || this.df[t] === 0) continue;
      held.push(t);
      factors.push(weight * idfOf(this.liveCount, this.df[t]));
    }
    const skip = opts.dropShare ? weakestTerms(factors, opts.dropShare) : undefined;
    const read: number[] = [];
    let entries = 0;
    // The term that adds most per entry: its documents are taken first (below).
    let strongest = -1;
    let strongestFactor = 0;
    let lowest = this.slotCount;
    let highest = -1;

    for (let q = 0; q < held.length; q++) {
      if (skip?.[q]) continue;
      const t = held[q];
      const factor = factors[q] / IMPACT_SCALE;
      this.refreshImpacts(t);
      const docs = this.impacts.docs;
      const values = this.impacts.values;
      const from = this.impactStart[t];
      const end = from + this.impactLength[t];
      if (end === from) continue;
      read.push(t);
      entries += end - from;
      if (factor > strongestFactor) {
        strongest = t;
        strongestFactor = factor;
      }
      // Lists are in slot order.
      if (docs[from] < lowest) lowest = docs[from];
      if (docs[end - 1] > highest) highest = docs[end - 1];
      if (this.impactDead[t]) {
        const alive = this.alive;
        for (let j = from; j < end; j++) {
          const slot = docs[j];
          if (alive[slot] !== 0) scores[slot] += factor * values[j];
        }
        continue;
      }
      for (let j = from; j < end; j++) scores[docs[j]] += factor * values[j];
    }

    // Every score is positive, so a slot whose score is not 0 was scored; it is set back to 0 as it is taken.
    const top = new TopK(k);
    const take = (slot: number): void => {
      const score = scores[slot];
      if (score === 0) return;
      scores[slot] = 0;
      const id = this.slotIds[slot];
      if (!top.admits(score, id)) return;
      if (filter && !filter(id)) return;
      top.push(score, id);
    };
    const takeList = (t: number): void => {
      const docs = this.impacts.docs;
      const end = this.impactStart[t] + this.impactLength[t];
      for (let j = this.impactStart[t]; j < end; j++) take(docs[j]);
    };
    // The strongest term's documents first: they score high, so the k-th best score rises early
    // and fewer documents pass the heap's test and are asked of the filter afterwards.
    if (strongest >= 0) takeList(strongest);
    if (entries * SPAN_WALK_SHARE >= highest - lowest + 1) {
      for (let slot = lowest; slot <= highest; slot++) if (scores[slot] !== 0) take(slot);
    } else for (const t of read) takeList(t);
    return top.sorted();
  }

  /**
   * Computes stale impact lists ahead of the searches that would otherwise each compute the
   * ones they meet first (after a load every list is stale, after a build most are), until
   * `budgetMs` has passed. Returns true when none is left stale. A server calls it between
   * requests; the lists are the ones a working session computes anyway.
   */
  warmImpacts(budgetMs: number): boolean {
    this.syncAverages();
    if (this.warmEpoch !== this.epoch) {
      this.warmEpoch = this.epoch;
      this.warmNext = 0;
    }
    const end = performance.now() + budgetMs;
    const n = this.terms.length;
    if (this.warmNext === 0) this.reserveForWarming();
    while (this.warmNext < n) {
      const t = this.warmNext++;
      if (this.df[t] > 0 && this.impactEpoch[t] !== this.epoch) this.refreshImpacts(t);
      if ((this.warmNext & 31) === 0 && performance.now() >= end) break;
    }
    return this.warmNext >= n;
  }

  /**
   * Before a warming pass: room in the arena for every stale list at once, so the arena is
   * allocated once at its size instead of grown step by step to it (each step a copy, and the
   * pieces left behind held by the allocator), and an eighth more for the lists that saved files
   * then move to its end, which compactions in place reclaim: with no such room, the first saves
   * grew a new arena each, every old one left as a hole in the C heap (10-20 MB at 10,000 Script
   * Includes).
   */
  private reserveForWarming(): void {
    let need = 0;
    for (let t = 0; t < this.terms.length; t++) if (this.df[t] > 0 && this.impactEpoch[t] !== this.epoch) need += this.df[t];
    const arena = this.impacts;
    const want = arena.top + need + ((arena.top + need) >> 3);
    if (want <= arena.docs.length) return;
    if (arena.garbage * 2 > arena.top) this.compactImpacts(need + ((arena.top - arena.garbage + need) >> 3));
    else arena.grow(want);
  }

  /** Where `warmImpacts` goes on, and under which epoch it started. */
  private warmNext = 0;
  private warmEpoch = 0;

  /** How the document's score for the query comes about; undefined when the id is unknown. */
  explain(id: number, query: Bm25Query): Explanation<F> | undefined {
    const slot = this.idToSlot.get(id);
    if (slot === undefined) return undefined;
    this.syncAverages();
    const nf = this.fieldNames.length;
    const terms: TermExplanation<F>[] = [];
    let total = 0;
    for (const [term, weight] of mergeQuery(query)) {
      const t = this.termIds.get(term);
      if (t === undefined) continue;
      const tfs = this.fieldTfs(t, slot);
      if (!tfs) continue;
      const parts = tfs.map((tf, fi) => (tf > 0 ? tf * this.fieldNorm(fi, slot) : 0));
      const pseudoTf = parts.reduce((a, b) => a + b, 0);
      if (pseudoTf <= 0) continue;
      const idf = idfOf(this.liveCount, this.df[t]);
      const score = (weight * idf * pseudoTf) / (this.k1 + pseudoTf);
      total += score;
      const fields: FieldContribution<F>[] = [];
      for (let fi = 0; fi < nf; fi++) {
        if (tfs[fi] === 0) continue;
        fields.push({
          field: this.fieldNames[fi],
          tf: tfs[fi],
          length: this.fieldLengths[slot * nf + fi],
          avgLength: this.averageLength(fi),
          score: (score * parts[fi]) / pseudoTf,
        });
      }
      terms.push({ term, weight, df: this.df[t], idf, pseudoTf, score, fields });
    }
    return { id, score: total, terms };
  }

  /** Drops tombstones and terms no live document holds; slots keep their relative order. */
  compact(): void {
    // A loaded or freshly built index that nothing has changed is already in compacted form; a
    // save must not copy it (at 10,000 Script Includes, 45 MB of new arrays each first save).
    if (this.isCompact()) return;
    const nf = this.fieldNames.length;
    const slotMap = new Int32Array(this.slotCount).fill(-1);
    let live = 0;
    for (let s = 0; s < this.slotCount; s++) if (this.alive[s]) slotMap[s] = live++;

    // Every live posting list goes into one array, each list a view of it: a list per term of
    // its own (grown by doubling) cost its slack and an allocation per term.
    const terms: string[] = [];
    const offsets: number[] = [0];
    const df: number[] = [];
    let total = 0;
    for (let t = 0; t < this.terms.length; t++) if (this.df[t] > 0) total += this.postings.length[t];
    const all = new Int32Array(total);
    let n = 0;
    for (let t = 0; t < this.terms.length; t++) {
      if (this.df[t] <= 0) continue;
      const old = this.postings.array(t);
      const from = this.postings.from(t);
      const end = from + this.postings.length[t];
      for (let j = from; j < end; j++) {
        const s = slotMap[slotOf(old[j])];
        if (s < 0) continue;
        all[n++] = withSlot(old[j], s);
      }
      terms.push(this.terms[t]);
      offsets.push(n);
      df.push(this.df[t]);
    }

    const slotIds: number[] = [];
    const alive = new Uint8Array(live);
    const fieldLengths = new Int32Array(live * nf);
    const fieldDistinct = new Int32Array(live * nf);
    this.idToSlot.clear();
    for (let s = 0; s < this.slotCount; s++) {
      const ns = slotMap[s];
      if (ns < 0) continue;
      slotIds[ns] = this.slotIds[s];
      alive[ns] = 1;
      fieldLengths.set(this.fieldLengths.subarray(s * nf, s * nf + nf), ns * nf);
      fieldDistinct.set(this.fieldDistinct.subarray(s * nf, s * nf + nf), ns * nf);
      this.idToSlot.set(this.slotIds[s], ns);
    }

    this.terms = terms;
    this.termIds = new Map(terms.map((term, i) => [term, i]));
    this.postings.reset(all, offsets, terms.length);
    this.df = Int32Array.from(df);
    this.slotIds = slotIds;
    this.alive = alive;
    this.fieldLengths = fieldLengths;
    this.fieldDistinct = fieldDistinct;
    this.addedTerms = new Map();
    this.slotCount = live;
    this.impacts = new ImpactArena(IMPACT_ARENA_MIN, live);
    this.resetTermArrays(terms.length);
    this.seenStamp = new Int32Array(terms.length);
    this.localIndex = new Int32Array(terms.length);
    this.epoch++;
  }

  /** Whether `compact` would change nothing: no tombstone, no unused term, no document added since, the lists end to end. */
  private isCompact(): boolean {
    if (this.liveCount !== this.slotCount || this.addedTerms.size > 0) return false;
    for (let t = 0; t < this.terms.length; t++) if (this.df[t] <= 0) return false;
    return this.postings.joined(this.terms.length);
  }

  /** The persisted form as a header and its arrays (compacts first, so no tombstone is written). */
  toParts(): { header: Bm25Header; arrays: Bm25Arrays } {
    this.compact();
    const nf = this.fieldNames.length;
    const offsets = new Int32Array(this.terms.length + 1);
    for (let t = 0; t < this.terms.length; t++) offsets[t + 1] = offsets[t] + this.postings.length[t];
    return {
      header: {
        format: BM25_FORMAT,
        version: BM25_VERSION,
        k1: this.k1,
        fields: this.fieldNames.map((name, i) => ({ name, weight: this.params[i].weight, b: this.params[i].b })),
        ids: this.slotIds.slice(0, this.slotCount),
        terms: this.terms.slice(),
      },
      arrays: {
        fieldLengths: this.fieldLengths.slice(0, this.slotCount * nf),
        postingOffsets: offsets,
        postings: this.allPostings(offsets),
        fieldDistinct: this.fieldDistinct.slice(0, this.slotCount * nf),
        df: this.df.slice(0, this.terms.length),
      },
    };
  }

  /**
   * Every posting list end to end. After a compaction they already lie so in one array (`base` is
   * never written), which is then returned as a view instead of copied: at 10,000 Script Includes
   * that copy was 37 MB at each save.
   */
  private allPostings(offsets: Int32Array): Int32Array {
    const nt = this.terms.length;
    const total = offsets[nt];
    if (this.postings.joined(nt)) return this.postings.base.subarray(0, total);
    const all = new Int32Array(total);
    for (let t = 0; t < nt; t++) {
      const from = this.postings.from(t);
      all.set(this.postings.array(t).subarray(from, from + this.postings.length[t]), offsets[t]);
    }
    return all;
  }

  /** The persisted form as one JSON value. */
  toJSON(): Bm25Json {
    const { header, arrays } = this.toParts();
    return { ...header, fieldLengths: int32ToBase64(arrays.fieldLengths), postingOffsets: int32ToBase64(arrays.postingOffsets), postings: int32ToBase64(arrays.postings) };
  }

  /** Reads the one-value persisted form back; a malformed one is reported, never thrown. */
  static fromJSON<F extends string>(json: unknown, options: { compactShare?: number } = {}): Bm25LoadResult<F> {
    const data = json as Partial<Bm25Json> | null;
    if (!data || typeof data !== 'object') return { ok: false, error: 'not a BM25 index' };
    if (typeof data.fieldLengths !== 'string' || typeof data.postingOffsets !== 'string' || typeof data.postings !== 'string') {
      return Bm25Index.fromParts<F>(data, undefined, options);
    }
    const fieldLengths = base64ToInt32(data.fieldLengths);
    const postingOffsets = base64ToInt32(data.postingOffsets);
    const postings = base64ToInt32(data.postings);
    return Bm25Index.fromParts<F>(data, fieldLengths && postingOffsets && postings ? { fieldLengths, postingOffsets, postings } : undefined, options);
  }

  /**
   * Reads a header and its arrays back; a malformed pair is reported, never thrown. The index
   * keeps the posting array (its lists are views of it), so it may be a view of a file's bytes.
   */
  static fromParts<F extends string>(header: unknown, arrays: Bm25Arrays | undefined, options: { compactShare?: number } = {}): Bm25LoadResult<F> {
    const data = header as Partial<Bm25Header> | null;
    if (!data || typeof data !== 'object' || data.format !== BM25_FORMAT) return { ok: false, error: 'not a BM25 index' };
    if (data.version !== BM25_VERSION) return { ok: false, error: `unsupported BM25 index version ${String(data.version)}` };
    if (!Array.isArray(data.fields) || !Array.isArray(data.ids) || !Array.isArray(data.terms) || typeof data.k1 !== 'number') {
      return { ok: false, error: 'BM25 index is missing fields, ids, terms or k1' };
    }
    if (!arrays) return { ok: false, error: 'BM25 index is missing its arrays' };
    const fields = {} as FieldConfig<F>;
    for (const f of data.fields) {
      if (!f || typeof f.name !== 'string' || typeof f.weight !== 'number' || typeof f.b !== 'number') return { ok: false, error: 'BM25 index has a malformed field' };
      fields[f.name as F] = { weight: f.weight, b: f.b };
    }
    const nf = data.fields.length;
    const nd = data.ids.length;
    if (nf > BM25_MAX_FIELDS || nd > BM25_MAX_SLOTS) return { ok: false, error: 'BM25 index has more fields or documents than a posting can name' };
    const nt = data.terms.length;
    const { fieldLengths, postingOffsets: offsets, postings: all } = arrays;
    if (fieldLengths.length !== nd * nf) return { ok: false, error: 'BM25 index field lengths do not match its documents' };
    if (offsets.length !== nt + 1 || offsets[0] !== 0 || offsets[nt] !== all.length) {
      return { ok: false, error: 'BM25 index posting offsets do not match its postings' };
    }
    if (new Set(data.ids).size !== nd || !data.ids.every((id) => Number.isFinite(id))) return { ok: false, error: 'BM25 index has repeated or invalid ids' };

    const index = new Bm25Index<F>({ fields, k1: data.k1, compactShare: options.compactShare });
    for (let t = 0; t < nt; t++) if (offsets[t + 1] < offsets[t]) return { ok: false, error: 'BM25 index has a malformed posting list' };
    index.postings.reset(all, offsets, nt);
    index.terms = data.terms.slice();
    index.termIds = new Map(index.terms.map((term, t) => [term, t]));
    const saved = Bm25Index.savedDerivation(arrays, nd, nf, nt);
    const derived = saved ?? Bm25Index.derivation(all, offsets, nd, nf);
    if (typeof derived === 'string') return { ok: false, error: derived };
    // A copy: it changes as documents come and go, and the saved one may be a view of the file's bytes.
    index.df = derived.df.slice();
    index.resetTermArrays(nt);
    index.seenStamp = new Int32Array(nt);
    index.localIndex = new Int32Array(nt);
    index.slotCount = nd;
    index.impacts.fit(nd);
    index.liveCount = nd;
    index.slotIds = data.ids.slice();
    index.alive = new Uint8Array(nd).fill(1);
    index.fieldLengths = fieldLengths;
    index.fieldDistinct = derived.fieldDistinct;
    data.ids.forEach((id, s) => index.idToSlot.set(id, s));
    for (let s = 0; s < nd; s++) for (let fi = 0; fi < nf; fi++) index.totalLength[fi] += fieldLengths[s * nf + fi];
    return { ok: true, index };
  }

  /** What a load needs beside the postings, derived from them in one pass (checking every posting), or why it cannot be. */
  private static derivation(all: Int32Array, offsets: Int32Array, nd: number, nf: number): Derivation | string {
    const nt = offsets.length - 1;
    const fieldDistinct = new Int32Array(nd * nf);
    const df = new Int32Array(nt);
    for (let t = 0; t < nt; t++) {
      let prev = -1;
      for (let j = offsets[t]; j < offsets[t + 1]; j++) {
        const slot = slotOf(all[j]);
        const field = fieldOf(all[j]);
        if (slot < prev || slot >= nd || field >= nf) return 'BM25 index has a posting out of range';
        fieldDistinct[slot * nf + field]++;
        if (slot !== prev) df[t]++;
        prev = slot;
      }
    }
    return { fieldDistinct, df };
  }

  /**
   * The derived arrays a save carries, checked against the index's sizes: undefined when absent
   * (derive them), an error when present but inconsistent.
   */
  private static savedDerivation(arrays: Bm25Arrays, nd: number, nf: number, nt: number): Derivation | string | undefined {
    const { fieldDistinct, df } = arrays;
    if (!fieldDistinct && !df) return undefined;
    if (!fieldDistinct || !df) return 'BM25 index has only some of its derived arrays';
    if (fieldDistinct.length !== nd * nf || df.length !== nt) return 'BM25 index derived arrays do not match its documents and terms';
    for (let t = 0; t < nt; t++) if (df[t] < 0 || df[t] > nd) return 'BM25 index has a document frequency out of range';
    return { fieldDistinct, df };
  }

  private termIdFor(term: string): number {
    let t = this.termIds.get(term);
    if (t === undefined) {
      t = this.terms.length;
      this.termIds.set(term, t);
      this.terms.push(term);
      this.postings.addTerm();
      this.df = termArray(this.df, t + 1);
      this.df[t] = 0;
      this.impactStart = termArray(this.impactStart, t + 1);
      this.impactRoom = termArray(this.impactRoom, t + 1);
      this.impactEpoch = termArray(this.impactEpoch, t + 1);
      this.impactLength = termArray(this.impactLength, t + 1);
      this.impactDead = termArray(this.impactDead, t + 1);
      this.seenStamp = termArray(this.seenStamp, t + 1);
      this.localIndex = termArray(this.localIndex, t + 1);
    }
    return t;
  }

  /** The impact lists' per-term arrays for `terms` terms, every list stale (a load or a compaction). */
  private resetTermArrays(terms: number): void {
    this.impactStart = new Int32Array(terms);
    this.impactRoom = new Int32Array(terms);
    this.impactEpoch = new Int32Array(terms);
    this.impactLength = new Int32Array(terms);
    this.impactDead = new Int32Array(terms);
  }

  /** Per-field tf of term `t` in `slot`, or undefined when the document lacks the term. */
  private fieldTfs(t: number, slot: number): number[] | undefined {
    const list = this.postings.array(t);
    const from = this.postings.from(t);
    const end = from + this.postings.length[t];
    const tfs = this.fieldNames.map(() => 0);
    let found = false;
    for (let j = lowerBound(list, from, end, slot); j < end && slotOf(list[j]) === slot; j++) {
      tfs[fieldOf(list[j])] = tfOf(list[j]);
      found = true;
    }
    return found ? tfs : undefined;
  }

  /** The average length of field `fi` that scores use (see `syncAverages`). */
  private averageLength(fi: number): number {
    return this.normAverages[fi] ?? 0;
  }

  private currentAverage(fi: number): number {
    return this.liveCount > 0 ? this.totalLength[fi] / this.liveCount : 0;
  }

  /**
   * Scores normalise field lengths by the averages of the last time they moved by more than
   * `AVERAGE_DRIFT`: a document added or removed then recomputes the impacts of its own terms
   * only, not of every term (at 10,000 Script Includes, a saved file made the next searches
   * recompute most of the usage index). A score stays within about that share of exact BM25F.
   */
  private syncAverages(): void {
    const nf = this.fieldNames.length;
    let moved = false;
    for (let fi = 0; fi < nf && !moved; fi++) {
      const now = this.currentAverage(fi);
      const was = this.normAverages[fi] ?? 0;
      moved = now !== was && !(was > 0 && Math.abs(now - was) <= AVERAGE_DRIFT * was);
    }
    if (!moved) return;
    for (let fi = 0; fi < nf; fi++) this.normAverages[fi] = this.currentAverage(fi);
    this.staleAllImpacts();
  }

  /** weight_f / (1 - b_f + b_f * len_f / avgLen_f) for one document field. */
  private fieldNorm(fi: number, slot: number): number {
    const { weight, b } = this.params[fi];
    const avg = this.averageLength(fi);
    const denom = avg > 0 ? 1 - b + (b * this.fieldLengths[slot * this.fieldNames.length + fi]) / avg : 1;
    return denom > 0 ? weight / denom : 0;
  }

  /** The per-field constants of an impact at the current averages (`fieldImpact`). */
  private impactNorms(): ImpactNorms {
    return {
      wAvg: this.params.map((p, fi) => p.weight * this.averageLength(fi)),
      fixed: this.params.map((p, fi) => (1 - p.b) * this.averageLength(fi)),
      slope: this.params.map((p) => p.b),
    };
  }

  /** Rebuilds term `t`'s impacts if the collection changed since they were computed. */
  private refreshImpacts(t: number): void {
    if (this.impactEpoch[t] === this.epoch) return;
    const nf = this.fieldNames.length;
    const k1 = this.k1;
    const norms = this.impactNorms();
    const list = this.postings.array(t);
    let j = this.postings.from(t);
    const end = j + this.postings.length[t];
    // The new place has room for every live document.
    this.dropImpacts(t);
    const room = this.df[t];
    const start = this.reserveImpacts(room);
    const docs = this.impacts.docs;
    const values = this.impacts.values;
    let n = start;
    while (j < end) {
      const slot = slotOf(list[j]);
      let pseudoTf = 0;
      while (j < end && slotOf(list[j]) === slot) {
        const fi = fieldOf(list[j]);
        pseudoTf += fieldImpact(norms, fi, tfOf(list[j]), this.fieldLengths[slot * nf + fi]);
        j++;
      }
      if (this.alive[slot] === 0 || !(pseudoTf > 0)) continue;
      docs[n] = slot;
      values[n] = quantizeImpact(pseudoTf / (k1 + pseudoTf));
      n++;
    }
    this.impactStart[t] = start;
    this.impactRoom[t] = room;
    this.impactLength[t] = n - start;
    this.impactDead[t] = 0;
    this.impactEpoch[t] = this.epoch;
  }

}
