/**
 * The dense side of retrieval: approximate nearest neighbours by cosine similarity over
 * hnswlib's HNSW graph, with an exact scan while the index is small (below a few hundred
 * vectors a scan is both faster and exact) and over a small allowed set (a typed prefix leaves
 * a few hundred of ten thousand: the graph walk would visit most of the graph to find them).
 *
 * Vectors are normalised on the way in and the graph uses the inner-product space, so a
 * neighbour's score is 1 - distance = cosine similarity. Removal marks the point deleted (the
 * graph skips it); adding an id again replaces its vector and revives it. The build is
 * deterministic: one thread, a fixed seed, insertion order as given.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { endianness } from 'node:os';
import { HierarchicalNSW } from 'hnswlib-node';

export interface VectorIndexOptions {
  /** Graph degree. Default 16. */
  m?: number;
  /** Candidate list size while building. Default 100. */
  efConstruction?: number;
  /** Candidate list size while searching (raised to k when smaller). Default 64. */
  ef?: number;
  /** Seed of the level generator. Default 100. */
  seed?: number;
  /** Capacity reserved up front; the index grows by doubling. Default 1024. */
  initialCapacity?: number;
  /** At or below this many live vectors, search scans exactly. Default 500. */
  exactBelow?: number;
}

export interface VectorHit {
  id: number;
  /** Cosine similarity. */
  score: number;
}

export type VectorLoadResult = { ok: true; index: VectorIndex } | { ok: false; error: string };

/** What the graph file does not hold: written beside it as `<path>.json`. */
interface VectorMeta {
  format: 'deepcodeseek-vectors';
  version: 1;
  dim: number;
  m: number;
  efConstruction: number;
  ef: number;
  seed: number;
  exactBelow: number;
  capacity: number;
  /** Ids marked deleted in the graph file. */
  deleted: number[];
  /** sha256 of the graph file: hnswlib crashes the process on some corrupt files, so they are never handed to it. */
  sha256: string;
}

const META_FORMAT = 'deepcodeseek-vectors';

function unitArray(vec: ArrayLike<number>): number[] {
  let sum = 0;
  for (let i = 0; i < vec.length; i++) sum += vec[i] * vec[i];
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  return Array.from(vec, (x) => x * inv);
}

/** Cosine of a unit query and the unit row of `rows` that starts at `at`. */
function cosineAt(unit: readonly number[], rows: Float32Array, at: number): number {
  let s = 0;
  for (let i = 0; i < unit.length; i++) s += unit[i] * rows[at + i];
  return s;
}

function byScore(a: VectorHit, b: VectorHit): number {
  return b.score - a.score || a.id - b.id;
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
/** Most elements a saved graph may claim (a larger claim is a damaged or crafted file). */
const MAX_SAVED_ELEMENTS = 50_000_000;
/** Bytes of hnswlib's file header (its saveIndex): six size_t, int, uint, three size_t, double, size_t. */
const HNSW_HEADER_BYTES = 96;
/** Whether a Float32Array view reads the file's little-endian floats as they are. */
const LITTLE_ENDIAN = endianness() === 'LE';
/** Largest allowed set that `search` scans rather than walks the graph for (about 0.2 ms at dimension 96). */
const EXACT_AMONG = 2048;

/**
 * Checks a saved hnswlib graph against what hnswlib will assume when it reads it: the header
 * agrees with the dimension and M it was built with, every block lies inside the file and the
 * file ends where the last one does, and every neighbour id names an element. hnswlib trusts the
 * file; a cut or crafted one would otherwise be read out of bounds in native code. Returns why
 * the file is refused, or undefined.
 */
export function checkHnswFile(buf: Buffer, dim: number, m: number): string | undefined {
  if (buf.length < HNSW_HEADER_BYTES) return 'shorter than its header';
  const size = (o: number) => {
    const v = buf.readBigUInt64LE(o);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
  };
  const offsetLevel0 = size(0);
  const maxElements = size(8);
  const count = size(16);
  const sizeData = size(24);
  const labelOffset = size(32);
  const offsetData = size(40);
  const maxLevel = buf.readInt32LE(48);
  const enterPoint = buf.readUInt32LE(52);
  const maxM = size(56);
  const maxM0 = size(64);
  const M = size(72);
  if (M !== m || maxM !== m || maxM0 !== 2 * m) return 'its M differs from the description';
  const linksLevel0 = maxM0 * 4 + 4;
  if (offsetLevel0 !== 0 || offsetData !== linksLevel0 || labelOffset !== linksLevel0 + dim * 4 || sizeData !== labelOffset + 8) return 'its layout does not match the dimension';
  if (count < 0 || maxElements < count || maxElements > MAX_SAVED_ELEMENTS) return 'its element count is out of range';
  if (maxLevel < 0 || maxLevel > 64 || (count > 0 && enterPoint >= count)) return 'its entry point is out of range';
  const dataEnd = HNSW_HEADER_BYTES + count * sizeData;
  if (dataEnd > buf.length) return 'cut short in its vectors';
  for (let i = 0; i < count; i++) {
    const at = HNSW_HEADER_BYTES + i * sizeData;
    const n = buf.readUInt16LE(at);
    if (n > maxM0) return 'a neighbour list is too long';
    for (let j = 0; j < n; j++) if (buf.readUInt32LE(at + 4 + 4 * j) >= count) return 'a neighbour id is out of range';
  }
  const linksPerLevel = maxM * 4 + 4;
  let at = dataEnd;
  for (let i = 0; i < count; i++) {
    if (at + 4 > buf.length) return 'cut short in its upper levels';
    const bytes = buf.readUInt32LE(at);
    at += 4;
    if (bytes % linksPerLevel !== 0 || bytes / linksPerLevel > maxLevel || at + bytes > buf.length) return 'an upper-level list is malformed';
    for (let level = 0; level < bytes / linksPerLevel; level++) {
      const base = at + level * linksPerLevel;
      const n = buf.readUInt16LE(base);
      if (n > maxM) return 'an upper-level list is too long';
      for (let j = 0; j < n; j++) if (buf.readUInt32LE(base + 4 + 4 * j) >= count) return 'a neighbour id is out of range';
    }
    at += bytes;
  }
  return at === buf.length ? undefined : 'longer than its contents';
}

function writeAtomically(path: string, write: (tmp: string) => void): void {
  const tmp = `${path}.${process.pid}.tmp`;
  write(tmp);
  fs.renameSync(tmp, path);
}

export class VectorIndex {
  readonly dim: number;
  private readonly m: number;
  private readonly efConstruction: number;
  private readonly seed: number;
  private readonly exactBelow: number;
  private ef: number;
  private graph: HierarchicalNSW;
  private capacity: number;
  /** Ids in the graph, live or deleted, so re-adding knows whether a slot exists. */
  private readonly inGraph = new Set<number>();
  private readonly deleted = new Set<number>();
  /**
   * Each live id's unit vector as the graph holds it (float32), one row per slot: what an exact
   * scan reads. Reading a vector back from hnswlib costs about 7 µs; this copy costs dim * 4
   * bytes a live id. A removed id's slot is reused.
   */
  private rows = new Float32Array(0);
  private readonly slotOf = new Map<number, number>();
  private readonly freeSlots: number[] = [];

  constructor(dim: number, options: VectorIndexOptions = {}) {
    this.dim = dim;
    this.m = options.m ?? 16;
    this.efConstruction = options.efConstruction ?? 100;
    this.seed = options.seed ?? 100;
    this.exactBelow = options.exactBelow ?? 500;
    this.ef = options.ef ?? 64;
    this.capacity = Math.max(16, options.initialCapacity ?? 1024);
    this.graph = new HierarchicalNSW('ip', dim);
    this.graph.initIndex(this.capacity, this.m, this.efConstruction, this.seed);
    this.graph.setEf(this.ef);
  }

  /** Live vectors. */
  get size(): number {
    return this.inGraph.size - this.deleted.size;
  }

  has(id: number): boolean {
    return this.inGraph.has(id) && !this.deleted.has(id);
  }

  setEf(ef: number): void {
    this.ef = Math.max(1, Math.floor(ef));
    this.graph.setEf(this.ef);
  }

  /** Adds or replaces the vector of `id` (a non-negative integer); it is normalised first. */
  add(id: number, vec: ArrayLike<number>): void {
    if (vec.length !== this.dim) throw new RangeError(`vector of length ${vec.length} in an index of dimension ${this.dim}`);
    const unit = unitArray(vec);
    if (!this.inGraph.has(id) && this.inGraph.size >= this.capacity) {
      this.capacity *= 2;
      this.graph.resizeIndex(this.capacity);
    }
    // hnswlib revives a deleted label when it is added again, and updates a live one in place.
    this.graph.addPoint(unit, id);
    this.inGraph.add(id);
    this.deleted.delete(id);
    this.rowFor(id).set(unit);
  }

  /** The row of `id`, given a slot (the copy grown by doubling) when it has none. */
  private rowFor(id: number): Float32Array {
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.slotOf.size;
      this.slotOf.set(id, slot);
    }
    const end = (slot + 1) * this.dim;
    if (end > this.rows.length) {
      const grown = new Float32Array(Math.max(end, this.rows.length * 2, 16 * this.dim));
      grown.set(this.rows);
      this.rows = grown;
    }
    return this.rows.subarray(slot * this.dim, end);
  }

  /** Removes `id`; returns whether it was live. */
  remove(id: number): boolean {
    if (!this.has(id)) return false;
    this.graph.markDelete(id);
    this.deleted.add(id);
    const slot = this.slotOf.get(id);
    if (slot !== undefined) {
      this.slotOf.delete(id);
      this.freeSlots.push(slot);
    }
    return true;
  }

  /**
   * The `k` nearest live vectors to `vec` by cosine similarity, best first. `filter` restricts
   * the ids considered (hnswlib applies it during the graph walk, so the k are the best that
   * pass, as far as the approximate search sees).
   */
  search(vec: ArrayLike<number>, k: number, filter?: (id: number) => boolean, among?: readonly number[]): VectorHit[] {
    if (k <= 0 || this.size === 0 || vec.length !== this.dim) return [];
    const unit = unitArray(vec);
    if (this.size <= this.exactBelow) return this.exactSearch(unit, k, filter);
    // `among`: every id the filter lets through, when the caller has them. A filter that lets a
    // few through makes hnswlib walk most of the graph (and call the filter at each step), so
    // a small set is scanned instead: exact, and about a tenth of the time at 10,000.
    if (among && among.length <= Math.max(this.exactBelow, EXACT_AMONG)) return this.scan(unit, k, among);
    // hnswlib searches with max(ef, k) candidates, so a large k needs no ef change here.
    const result = this.graph.searchKnn(unit, Math.min(k, this.size), filter);
    const hits = result.neighbors.map((id, i) => ({ id, score: 1 - result.distances[i] }));
    return hits.sort(byScore);
  }

  /** Exact top k by scanning every live vector (slow on a large index: reads each vector back). */
  exactSearch(vec: ArrayLike<number>, k: number, filter?: (id: number) => boolean): VectorHit[] {
    const ids: number[] = [];
    for (const id of this.slotOf.keys()) if (!filter || filter(id)) ids.push(id);
    return this.scan(unitArray(vec), k, ids);
  }

  /** Exact top k of the live ones among `ids`. */
  private scan(unit: readonly number[], k: number, ids: readonly number[]): VectorHit[] {
    const hits: VectorHit[] = [];
    for (const id of ids) {
      const slot = this.has(id) ? this.slotOf.get(id) : undefined;
      if (slot !== undefined) hits.push({ id, score: cosineAt(unit, this.rows, slot * this.dim) });
    }
    return hits.sort(byScore).slice(0, k);
  }

  /** Rebuilds the graph from live vectors only, dropping the space deleted points hold. */
  compact(): void {
    const live = [...this.liveVectors()].sort((a, b) => a[0] - b[0]).map(([id, v]): [number, number[]] => [id, Array.from(v)]);
    this.capacity = Math.max(16, live.length * 2);
    this.graph = new HierarchicalNSW('ip', this.dim);
    this.graph.initIndex(this.capacity, this.m, this.efConstruction, this.seed);
    this.graph.setEf(this.ef);
    this.inGraph.clear();
    this.deleted.clear();
    for (const [id, v] of live) {
      this.graph.addPoint(v, id);
      this.inGraph.add(id);
    }
  }

  /**
   * Writes the graph to `path` and what it does not hold (with the graph's checksum) to
   * `path + '.json'`, each atomically; the description is written last, so a crash between the
   * two leaves a pair that `load` rejects rather than misreads.
   */
  save(path: string): void {
    writeAtomically(path, (tmp) => this.graph.writeIndexSync(tmp));
    const meta: VectorMeta = {
      format: META_FORMAT,
      version: 1,
      dim: this.dim,
      m: this.m,
      efConstruction: this.efConstruction,
      ef: this.ef,
      seed: this.seed,
      exactBelow: this.exactBelow,
      capacity: this.capacity,
      deleted: [...this.deleted].sort((a, b) => a - b),
      sha256: createHash('sha256').update(fs.readFileSync(path)).digest('hex'),
    };
    writeAtomically(`${path}.json`, (tmp) => fs.writeFileSync(tmp, JSON.stringify(meta)));
  }

  /** Reads an index written by `save`; a missing, foreign or corrupt one is reported, never thrown. */
  static load(path: string, dim: number): VectorLoadResult {
    let meta: Partial<VectorMeta>;
    try {
      meta = JSON.parse(fs.readFileSync(`${path}.json`, 'utf8')) as Partial<VectorMeta>;
    } catch (e) {
      return { ok: false, error: `cannot read ${path}.json: ${(e as Error).message}` };
    }
    if (!meta || meta.format !== META_FORMAT || meta.version !== 1) return { ok: false, error: `${path}.json is not a vector index description` };
    // The graph file does not record its dimension; reading it with another one would misread it.
    if (meta.dim !== dim) return { ok: false, error: `vector index has dimension ${String(meta.dim)}, expected ${dim}` };
    if (!Array.isArray(meta.deleted) || typeof meta.capacity !== 'number' || typeof meta.sha256 !== 'string') return { ok: false, error: `${path}.json is incomplete` };
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path);
    } catch (e) {
      return { ok: false, error: `cannot read vector index ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}` };
    }
    if (createHash('sha256').update(bytes).digest('hex') !== meta.sha256) return { ok: false, error: `vector index ${path} does not match its description (corrupt or from another save)` };
    // The hash only says the two files were saved together, and both can be written by anyone
    // who can write the cache: the graph is checked as hnswlib will read it before it gets it.
    if (typeof meta.m !== 'number') return { ok: false, error: `${path}.json is incomplete` };
    const bad = checkHnswFile(bytes, dim, meta.m);
    if (bad) return { ok: false, error: `vector index ${path} is malformed (${bad}); rebuilding it` };

    const index = new VectorIndex(dim, {
      m: meta.m,
      efConstruction: meta.efConstruction,
      ef: meta.ef,
      seed: meta.seed,
      exactBelow: meta.exactBelow,
      initialCapacity: 16,
    });
    try {
      index.graph.readIndexSync(path);
    } catch (e) {
      return { ok: false, error: `cannot read vector index ${path}: ${(e as Error).message}` };
    }
    index.graph.setEf(index.ef);
    index.capacity = index.graph.getMaxElements();
    for (const id of index.graph.getIdsList()) index.inGraph.add(id);
    for (const id of meta.deleted) if (index.inGraph.has(id)) index.deleted.add(id);
    // The scan's copy comes from the bytes already read (checked above), not from hnswlib.
    const unreadable = index.copyRows(bytes);
    if (unreadable) return { ok: false, error: `vector index ${path} is malformed (${unreadable}); rebuilding it` };
    return { ok: true, index };
  }

  /** Live (id, unit vector) pairs, from the scan's copy. */
  private *liveVectors(): Generator<[number, Float32Array]> {
    for (const [id, slot] of this.slotOf) yield [id, this.rows.subarray(slot * this.dim, (slot + 1) * this.dim)];
  }

  /**
   * Fills the scan's copy from a graph file `checkHnswFile` accepted: each element's vector and
   * label sit at fixed offsets of its level-0 block. Returns why the labels disagree with the
   * graph's, or undefined.
   */
  private copyRows(bytes: Buffer): string | undefined {
    const offsetData = 2 * this.m * 4 + 4;
    const labelOffset = offsetData + this.dim * 4;
    const sizeData = labelOffset + 8;
    const count = Number(bytes.readBigUInt64LE(16));
    if (count !== this.inGraph.size) return 'its labels disagree with its graph';
    // Room for every row at once, rather than grown by doubling.
    if (this.rows.length < count * this.dim) {
      const rows = new Float32Array(count * this.dim);
      rows.set(this.rows);
      this.rows = rows;
    }
    for (let i = 0; i < count; i++) {
      const at = HNSW_HEADER_BYTES + i * sizeData;
      const id = Number(bytes.readBigUInt64LE(at + labelOffset));
      if (!this.inGraph.has(id)) return 'its labels disagree with its graph';
      if (this.deleted.has(id)) continue;
      const row = this.rowFor(id);
      const from = bytes.byteOffset + at + offsetData;
      // A little-endian machine with the row 4-byte aligned copies it whole; otherwise value by value.
      if (LITTLE_ENDIAN && from % 4 === 0) row.set(new Float32Array(bytes.buffer, from, this.dim));
      else for (let d = 0; d < this.dim; d++) row[d] = bytes.readFloatLE(at + offsetData + 4 * d);
    }
    return undefined;
  }
}
