/**
 * A BM25 index built in one go from documents that arrive once each, as a workspace's first
 * index adds them. `Bm25Index.add` keeps a growing posting list per term and a term list per
 * document, each its own typed array grown by doubling; at 10,000 Script Includes that was about
 * 80,000 small allocations, their slack, and a copy of every list when the index was first saved,
 * and the freed pieces stayed in the process's memory as holes. Here each document's postings
 * are appended to shared chunks in arrival order, and `finish` lays them out by term in arrays of
 * their exact sizes (a counting sort), the layout a saved index is loaded in: the built index is
 * then the one a warm start restores, and its first save copies nothing.
 */
import { Bm25Arrays, Bm25Index, Bm25Options, BM25_FORMAT, BM25_MAX_FIELDS, BM25_MAX_SLOTS, BM25_VERSION, packPosting, withSlot } from './bm25';

/** Int32 values per chunk: 1 MiB each, large enough that a chunk is its own mapping. */
const CHUNK = 1 << 18;

/** An append-only run of int32 values in fixed chunks: no copy and at most one chunk of slack as it grows. */
class Int32Chunks {
  private readonly chunks: Int32Array[] = [];
  private last = new Int32Array(0);
  private fill = 0;
  length = 0;

  constructor(private readonly chunk: number) {}

  push(value: number): void {
    if (this.fill === this.last.length) {
      this.last = new Int32Array(this.chunk);
      this.chunks.push(this.last);
      this.fill = 0;
    }
    this.last[this.fill++] = value;
    this.length++;
  }

  /** Calls `visit` with each chunk's filled part, in order. */
  forEachRun(visit: (run: Int32Array) => void): void {
    for (let c = 0; c < this.chunks.length; c++) visit(c === this.chunks.length - 1 ? this.chunks[c].subarray(0, this.fill) : this.chunks[c]);
  }

  /** The values in one array of their exact length, after `lead` zeros. */
  toArray(lead = 0): Int32Array {
    const out = new Int32Array(lead + this.length);
    let at = lead;
    this.forEachRun((run) => {
      out.set(run, at);
      at += run.length;
    });
    return out;
  }
}

export class Bm25Builder<F extends string> {
  private readonly fieldNames: F[];
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly ids: number[] = [];
  private readonly known = new Set<number>();
  private readonly fieldLengths: Int32Chunks;
  private readonly fieldDistinct: Int32Chunks;
  /** (term, its posting without the slot) for each field of each term of each document, in arrival order. */
  private readonly entries: Int32Chunks;
  /** By term id: Int32 values its posting list will hold, and the documents holding it. */
  private listLength: number[] = [];
  private df: number[] = [];
  // Per document: which terms it holds and their counts per field (reused scratch, by term id).
  private stamp = 0;
  private seenStamp: number[] = [];
  private localIndex: number[] = [];
  private held: number[] = [];
  private counts: number[] = [];
  private finished = false;

  /** `chunk`: int32 values per chunk of the build's scratch (smaller in tests, to cross chunks). */
  constructor(
    private readonly options: Bm25Options<F>,
    chunk = CHUNK,
  ) {
    this.fieldNames = Object.keys(options.fields) as F[];
    if (this.fieldNames.length > BM25_MAX_FIELDS) throw new RangeError(`a BM25 index has at most ${BM25_MAX_FIELDS} fields`);
    [this.fieldLengths, this.fieldDistinct, this.entries] = [0, 1, 2].map(() => new Int32Chunks(chunk));
  }

  get size(): number {
    return this.ids.length;
  }

  /** Adds a document. Each id comes once: a build adds every document of a workspace once. */
  add(id: number, fields: Partial<Record<F, readonly string[]>>): void {
    if (this.finished) throw new Error('BM25 build already finished');
    if (this.known.has(id)) throw new Error(`BM25 build was given document ${id} twice`);
    if (this.ids.length >= BM25_MAX_SLOTS) throw new RangeError(`a BM25 index holds at most ${BM25_MAX_SLOTS} documents`);
    this.known.add(id);
    this.ids.push(id);
    const nf = this.fieldNames.length;
    const stamp = ++this.stamp;
    const held = this.held;
    const counts = this.counts;
    held.length = 0;
    for (let fi = 0; fi < nf; fi++) {
      const tokens = fields[this.fieldNames[fi]] ?? [];
      this.fieldLengths.push(tokens.length);
      for (const token of tokens) {
        const t = this.termIdFor(token);
        if (this.seenStamp[t] !== stamp) {
          this.seenStamp[t] = stamp;
          this.localIndex[t] = held.length;
          for (let f = 0; f < nf; f++) counts[held.length * nf + f] = 0;
          held.push(t);
        }
        counts[this.localIndex[t] * nf + fi]++;
      }
    }
    const distinct = new Array<number>(nf).fill(0);
    for (let li = 0; li < held.length; li++) {
      const t = held[li];
      for (let fi = 0; fi < nf; fi++) {
        const c = counts[li * nf + fi];
        if (c === 0) continue;
        this.entries.push(t);
        this.entries.push(packPosting(0, fi, c));
        this.listLength[t]++;
        distinct[fi]++;
      }
      this.df[t]++;
    }
    for (let fi = 0; fi < nf; fi++) this.fieldDistinct.push(distinct[fi]);
  }

  /**
   * The index of every document added, its documents in the order they came (the slots an index
   * built by `add` would give them). The builder is spent.
   */
  finish(): Bm25Index<F> {
    if (this.finished) throw new Error('BM25 build already finished');
    this.finished = true;
    const nt = this.terms.length;
    const postingOffsets = new Int32Array(nt + 1);
    for (let t = 0; t < nt; t++) postingOffsets[t + 1] = postingOffsets[t] + this.listLength[t];
    // Each term's list in slot order (documents came in slot order), each document's fields in
    // field order: the order `add` appends them in.
    const postings = new Int32Array(postingOffsets[nt]);
    const cursor = postingOffsets.slice(0, nt);
    let slot = 0;
    let pairsLeft = 0;
    // Walk the entries document by document: a document's entry count is twice its (term, field) pairs.
    const pairsOf = this.pairsPerDocument();
    let term = -1;
    let odd = false;
    this.entries.forEachRun((run) => {
      for (let k = 0; k < run.length; k++) {
        while (pairsLeft === 0) pairsLeft = pairsOf[slot++] * 2;
        if (!odd) term = run[k];
        else {
          const at = cursor[term];
          postings[at] = withSlot(run[k], slot - 1);
          cursor[term] = at + 1;
        }
        odd = !odd;
        pairsLeft--;
      }
    });
    const arrays: Bm25Arrays = {
      fieldLengths: this.fieldLengths.toArray(),
      postingOffsets,
      postings,
      fieldDistinct: this.fieldDistinct.toArray(),
      df: Int32Array.from(this.df),
    };
    const header = {
      format: BM25_FORMAT,
      version: BM25_VERSION,
      k1: this.options.k1 ?? 1.2,
      fields: this.fieldNames.map((name) => ({ name, weight: this.options.fields[name].weight, b: this.options.fields[name].b })),
      ids: this.ids,
      terms: this.terms,
    };
    const loaded = Bm25Index.fromParts<F>(header, arrays, { compactShare: this.options.compactShare });
    // Everything above is built here and consistent by construction.
    if (!loaded.ok) throw new Error(`BM25 build produced an index its loader refuses: ${loaded.error}`);
    return loaded.index;
  }

  private pairsPerDocument(): Int32Array {
    const nf = this.fieldNames.length;
    const pairs = new Int32Array(this.ids.length);
    let d = 0;
    let f = 0;
    this.fieldDistinct.forEachRun((run) => {
      for (let k = 0; k < run.length; k++) {
        pairs[d] += run[k];
        if (++f === nf) {
          f = 0;
          d++;
        }
      }
    });
    return pairs;
  }

  private termIdFor(term: string): number {
    let t = this.termIds.get(term);
    if (t === undefined) {
      t = this.terms.length;
      this.termIds.set(term, t);
      this.terms.push(term);
      this.listLength.push(0);
      this.df.push(0);
      this.seenStamp.push(0);
      this.localIndex.push(0);
    }
    return t;
  }
}
