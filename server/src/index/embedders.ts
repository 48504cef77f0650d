/**
 * Dense embeddings of token lists, for the vector side of retrieval. Two work with no downloaded
 * weights at all: a hashing embedder (random indexing) that needs no training, and a
 * co-occurrence embedder learned from the workspace's own code (PPMI + truncated SVD), which
 * places words used together (`manager`, `approval`, `sys_user`) near each other so a query can
 * reach a document that shares its meaning but not its words. An ONNX sentence-embedding model
 * plugs in behind `AsyncEmbedder`.
 *
 * Everything is deterministic given the seed: the same corpus and options give the same bytes.
 */
import { fnv1a, mix32 } from '../hash';
import { mulberry32 } from '../random';

/** Embeds a bag of tokens into an L2-normalised vector (all zeros when no token counts). */
export interface Embedder {
  /** Names the embedding space: vectors are comparable only between equal ids. */
  readonly id: string;
  readonly dim: number;
  embed(tokens: readonly string[], weights?: readonly number[]): Float32Array;
}

/** A model that embeds raw text, asynchronously (an ONNX sentence-embedding model). */
export interface AsyncEmbedder {
  readonly id: string;
  readonly dim: number;
  embedBatch(texts: string[]): Promise<Float32Array[]>;
}

/** 32-bit FNV-1a of a string, mixed with a seed: the only source of "randomness" per token. */
function hashString(s: string, seed: number): number {
  return mix32(fnv1a(s, seed));
}

/** Scales `v` to unit length in place; a zero vector stays zero. */
export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  if (sum > 0) {
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < v.length; i++) v[i] *= inv;
  }
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

export interface HashingOptions {
  /** Default 256. */
  dim?: number;
  /** Non-zero entries per token vector. Default 8. */
  nonZeros?: number;
  /** Default 0x5eed. */
  seed?: number;
}

/**
 * Random indexing: each token maps to a fixed sparse ternary vector (a few +1/-1 at hashed
 * positions); a text is the weighted sum, normalised. Two texts come out close when they share
 * tokens, so it is a dense stand-in for lexical overlap that needs no training and no state.
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;
  readonly dim: number;
  private readonly nonZeros: number;
  private readonly seed: number;

  constructor(options: HashingOptions = {}) {
    this.dim = options.dim ?? 256;
    this.nonZeros = Math.max(1, Math.min(options.nonZeros ?? 8, this.dim));
    this.seed = (options.seed ?? 0x5eed) >>> 0;
    this.id = `hashing-${this.dim}-${this.nonZeros}-${this.seed}`;
  }

  /** Adds `scale` times the token's random vector to `out` (unnormalised). */
  addToken(out: Float32Array, token: string, scale: number): void {
    let h = hashString(token, this.seed);
    for (let k = 0; k < this.nonZeros; k++) {
      h = mix32(h + 0x9e3779b9 + k);
      // Positions may collide for one token; that only merges two entries, which is harmless.
      const pos = h % this.dim;
      out[pos] += (h & 0x80000000 ? -1 : 1) * scale;
    }
  }

  embed(tokens: readonly string[], weights?: readonly number[]): Float32Array {
    const out = new Float32Array(this.dim);
    tokens.forEach((t, i) => this.addToken(out, t, weights?.[i] ?? 1));
    return normalize(out);
  }
}

export interface CooccurrenceFitOptions {
  /** Word vector size. Default 96. */
  dim?: number;
  /** Tokens on each side that count as co-occurring. Default 5; 0 means the whole document. */
  window?: number;
  /** Words seen fewer times are left out of the vocabulary. Default 2. */
  minCount?: number;
  /** Default 0x5eed. */
  seed?: number;
  /** Largest vocabulary kept (most frequent first). Default 20000, at most 46000. */
  maxVocab?: number;
  /** Subspace iterations of the randomised SVD. Default 1. */
  iterations?: number;
  /** Strongest associations kept per word before factorising. Default 50. */
  maxContexts?: number;
  /** How much an unknown word's hashing vector counts, relative to a known word. Default 0.3. */
  unknownScale?: number;
}

/** The persisted form; Float32 arrays travel as base64 of their little-endian bytes. */
export interface CooccurrenceJson {
  format: 'deepcodeseek-cooccurrence';
  version: 1;
  dim: number;
  seed: number;
  unknownScale: number;
  /** idf given to words outside the vocabulary. */
  unknownIdf: number;
  vocab: string[];
  idf: string;
  /** vocab.length * dim, row-major, each row unit length. */
  vectors: string;
}

export type EmbedderLoadResult = { ok: true; embedder: CooccurrenceEmbedder } | { ok: false; error: string };

const COOC_FORMAT = 'deepcodeseek-cooccurrence';
/** Pair keys i * n + j must stay below 2^31. */
const MAX_VOCAB = 46000;

function float32ToBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function base64ToFloat32(s: string): Float32Array | undefined {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.byteLength % 4 !== 0) return undefined;
  // Copy: the decoded Buffer may not be 4-byte aligned.
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * Pair counts keyed by a non-negative integer below 2^31, in open addressing: a JS Map of
 * millions of numeric keys spends most of its time hashing and collecting garbage. This table is
 * the largest thing a fit holds (millions of pairs when whole documents are the window), so a
 * slot is 8 bytes (a float count is exact up to 2^24 and close enough beyond) and the table fills
 * to three quarters before it doubles.
 */
class PairCounts {
  private keys = new Int32Array(1 << 16).fill(-1);
  private values = new Float32Array(1 << 16);
  private used = 0;

  get size(): number {
    return this.used;
  }

  add(key: number, weight: number): void {
    let mask = this.keys.length - 1;
    let h = mix32(key) & mask;
    while (this.keys[h] !== -1 && this.keys[h] !== key) h = (h + 1) & mask;
    if (this.keys[h] === -1) {
      if ((this.used + 1) * 4 > this.keys.length * 3) {
        this.grow();
        mask = this.keys.length - 1;
        h = mix32(key) & mask;
        while (this.keys[h] !== -1) h = (h + 1) & mask;
      }
      this.keys[h] = key;
      this.used++;
    }
    this.values[h] += weight;
  }

  forEach(visit: (key: number, value: number) => void): void {
    for (let h = 0; h < this.keys.length; h++) if (this.keys[h] !== -1) visit(this.keys[h], this.values[h]);
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Int32Array(oldKeys.length * 2).fill(-1);
    this.values = new Float32Array(oldKeys.length * 2);
    const mask = this.keys.length - 1;
    for (let o = 0; o < oldKeys.length; o++) {
      const key = oldKeys[o];
      if (key === -1) continue;
      let h = mix32(key) & mask;
      while (this.keys[h] !== -1) h = (h + 1) & mask;
      this.keys[h] = key;
      this.values[h] = oldValues[o];
    }
  }
}

/** A symmetric sparse matrix in compressed rows. */
interface SparseMatrix {
  n: number;
  rowStart: Int32Array;
  cols: Int32Array;
  values: Float32Array;
}

/**
 * Documents as ids into one list of distinct words: what a fit reads, and what crosses to the
 * fitting worker. Two typed arrays travel as two copies of bytes; a list of token lists travels as
 * one new string per token, which was most of what the worker held before it began.
 */
export interface EncodedCorpus {
  words: string[];
  /** Every document's token ids, one after another. */
  ids: Int32Array;
  /** Document d is ids[docStart[d] .. docStart[d + 1]); one more entry than documents. */
  docStart: Int32Array;
}

/** Builds an `EncodedCorpus` one document at a time. */
export class CorpusEncoder {
  private readonly index = new Map<string, number>();
  private readonly words: string[] = [];
  private ids = new Int32Array(1 << 12);
  private length = 0;
  private starts = new Int32Array(1 << 8);
  private docs = 0;

  get documents(): number {
    return this.docs;
  }

  add(tokens: readonly string[]): void {
    if (this.length + tokens.length > this.ids.length) this.ids = grown(this.ids, this.length + tokens.length);
    for (const t of tokens) {
      let id = this.index.get(t);
      if (id === undefined) {
        id = this.words.length;
        this.index.set(t, id);
        this.words.push(t);
      }
      this.ids[this.length++] = id;
    }
    if (this.docs + 2 > this.starts.length) this.starts = grown(this.starts, this.docs + 2);
    this.starts[++this.docs] = this.length;
  }

  finish(): EncodedCorpus {
    return { words: this.words, ids: this.ids.slice(0, this.length), docStart: this.starts.slice(0, this.docs + 1) };
  }
}

function grown(a: Int32Array, atLeast: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(Math.max(atLeast, a.length * 2));
  out.set(a);
  return out;
}

export function encodeCorpus(corpus: readonly (readonly string[])[]): EncodedCorpus {
  const encoder = new CorpusEncoder();
  for (const doc of corpus) encoder.add(doc);
  return encoder.finish();
}

/** A corpus that claims to be encoded but is not well formed is refused before any work. */
export function isEncodedCorpus(value: unknown): value is EncodedCorpus {
  const c = value as Partial<EncodedCorpus> | null;
  if (!c || typeof c !== 'object' || !Array.isArray(c.words) || !(c.ids instanceof Int32Array) || !(c.docStart instanceof Int32Array)) return false;
  const { ids, docStart, words } = c;
  if (docStart.length < 1 || docStart[0] !== 0 || docStart[docStart.length - 1] !== ids.length) return false;
  for (let d = 1; d < docStart.length; d++) if (docStart[d] < docStart[d - 1]) return false;
  for (let k = 0; k < ids.length; k++) if (ids[k] < 0 || ids[k] >= words.length) return false;
  return true;
}

/**
 * The vocabulary by frequency (ties by spelling, for determinism), with document frequencies;
 * `slot` maps a corpus word id to its vocabulary position, or -1 when it is left out.
 */
function buildVocabulary(corpus: EncodedCorpus, minCount: number, maxVocab: number): { words: string[]; df: Int32Array; slot: Int32Array } {
  const nWords = corpus.words.length;
  const counts = new Int32Array(nWords);
  const dfAll = new Int32Array(nWords);
  const lastDoc = new Int32Array(nWords).fill(-1);
  const docs = corpus.docStart.length - 1;
  for (let d = 0; d < docs; d++) {
    for (let k = corpus.docStart[d]; k < corpus.docStart[d + 1]; k++) {
      const id = corpus.ids[k];
      counts[id]++;
      if (lastDoc[id] !== d) {
        lastDoc[id] = d;
        dfAll[id]++;
      }
    }
  }
  const spelled = corpus.words;
  const kept: number[] = [];
  for (let id = 0; id < nWords; id++) if (counts[id] >= minCount) kept.push(id);
  kept.sort((a, b) => counts[b] - counts[a] || (spelled[a] < spelled[b] ? -1 : spelled[a] > spelled[b] ? 1 : 0));
  kept.length = Math.min(kept.length, maxVocab);
  const slot = new Int32Array(nWords).fill(-1);
  const df = new Int32Array(kept.length);
  kept.forEach((id, i) => {
    slot[id] = i;
    df[i] = dfAll[id];
  });
  return { words: kept.map((id) => spelled[id]), df, slot };
}

/**
 * Symmetric co-occurrence counts within `window` tokens (the whole document when 0), weighted
 * 1/distance so adjacent words count most, as PPMI: log(p(i,j) / (p(i) p_ctx(j))) clipped at 0,
 * with the context distribution smoothed (counts^0.75) so rare contexts do not dominate.
 */
function ppmiMatrix(corpus: EncodedCorpus, slot: Int32Array, n: number, window: number): SparseMatrix {
  const pairs = new PairCounts();
  const ids: number[] = [];
  for (let d = 0; d + 1 < corpus.docStart.length; d++) {
    ids.length = 0;
    for (let k = corpus.docStart[d]; k < corpus.docStart[d + 1]; k++) {
      const i = slot[corpus.ids[k]];
      if (i >= 0) ids.push(i);
    }
    const w = window > 0 ? window : ids.length;
    for (let a = 0; a < ids.length; a++) {
      const end = Math.min(ids.length, a + w + 1);
      for (let b = a + 1; b < end; b++) {
        const i = ids[a];
        const j = ids[b];
        if (i === j) continue;
        const weight = window > 0 ? 1 / (b - a) : 1;
        const key = i < j ? i * n + j : j * n + i;
        pairs.add(key, weight);
      }
    }
  }

  const rowTotal = new Float64Array(n);
  pairs.forEach((key, c) => {
    const i = Math.floor(key / n);
    const j = key - i * n;
    rowTotal[i] += c;
    rowTotal[j] += c;
  });
  const logRow = new Float64Array(n);
  const logCtx = new Float64Array(n);
  let ctxTotal = 0;
  for (let i = 0; i < n; i++) {
    const ctx = Math.pow(rowTotal[i], 0.75);
    ctxTotal += ctx;
    logRow[i] = Math.log(rowTotal[i]);
    logCtx[i] = Math.log(ctx);
  }
  const logCtxTotal = Math.log(ctxTotal);

  // Keep positive entries, both (i, j) and (j, i), laid out in rows. Two passes over the pairs
  // (count, then fill) instead of a list of every kept entry: with whole documents as windows a
  // large workspace has millions of pairs, and that list was the biggest thing the fit held.
  // PMI(i, j) = log(c_ij * ctxTotal / (row_i * ctx_j)); the smoothing makes it lopsided, so
  // average both directions to keep the matrix symmetric for the eigen-solver.
  const pmi = (i: number, j: number, c: number): number => Math.log(c) + logCtxTotal - (logRow[i] + logCtx[j] + logRow[j] + logCtx[i]) / 2;
  const rowCount = new Int32Array(n + 1);
  pairs.forEach((key, c) => {
    const i = Math.floor(key / n);
    const j = key - i * n;
    if (pmi(i, j, c) > 0) {
      rowCount[i + 1]++;
      rowCount[j + 1]++;
    }
  });
  for (let i = 0; i < n; i++) rowCount[i + 1] += rowCount[i];
  const fill = rowCount.slice(0, n);
  const nnz = rowCount[n];
  const cols = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  pairs.forEach((key, c) => {
    const i = Math.floor(key / n);
    const j = key - i * n;
    const v = pmi(i, j, c);
    if (!(v > 0)) return;
    cols[fill[i]] = j;
    values[fill[i]++] = v;
    cols[fill[j]] = i;
    values[fill[j]++] = v;
  });
  return { n, rowStart: rowCount, cols, values };
}

/**
 * Keeps, in each row, the `k` strongest associations (and, to stay symmetric, every entry that
 * is among the strongest of its column's row). Frequent words co-occur with thousands of others,
 * mostly by chance; the cut bounds the factorisation's cost at about 2 n k non-zeros.
 */
function keepStrongest(m: SparseMatrix, k: number): SparseMatrix {
  const threshold = new Float32Array(m.n);
  for (let i = 0; i < m.n; i++) {
    const from = m.rowStart[i];
    const to = m.rowStart[i + 1];
    if (to - from <= k) continue;
    const row = m.values.slice(from, to).sort();
    threshold[i] = row[row.length - k];
  }
  const rowStart = new Int32Array(m.n + 1);
  const keep = new Uint8Array(m.values.length);
  for (let i = 0; i < m.n; i++) {
    for (let e = m.rowStart[i]; e < m.rowStart[i + 1]; e++) {
      const v = m.values[e];
      if (v >= threshold[i] || v >= threshold[m.cols[e]]) {
        keep[e] = 1;
        rowStart[i + 1]++;
      }
    }
  }
  for (let i = 0; i < m.n; i++) rowStart[i + 1] += rowStart[i];
  const cols = new Int32Array(rowStart[m.n]);
  const values = new Float32Array(rowStart[m.n]);
  let o = 0;
  for (let e = 0; e < keep.length; e++) {
    if (!keep[e]) continue;
    cols[o] = m.cols[e];
    values[o++] = m.values[e];
  }
  return { n: m.n, rowStart, cols, values };
}

/**
 * out = M * X for row-major X (n x l). Float32 on purpose: each non-zero reads a random row of
 * X, so the product is bound by memory traffic, and halving it nearly halves the fit.
 */
function multiply(m: SparseMatrix, x: Float32Array, l: number): Float32Array {
  const out = new Float32Array(m.n * l);
  for (let i = 0; i < m.n; i++) {
    const oi = i * l;
    for (let e = m.rowStart[i]; e < m.rowStart[i + 1]; e++) {
      const v = m.values[e];
      const xj = m.cols[e] * l;
      for (let c = 0; c < l; c++) out[oi + c] += v * x[xj + c];
    }
  }
  return out;
}

/** Orthonormalises the columns of row-major Y (n x l) in place (modified Gram-Schmidt). */
function orthonormalize(y: Float32Array, n: number, l: number): void {
  // Work on columns laid out contiguously: Gram-Schmidt is all column dot products.
  const cols = new Float64Array(n * l);
  for (let i = 0; i < n; i++) for (let c = 0; c < l; c++) cols[c * n + i] = y[i * l + c];
  for (let c = 0; c < l; c++) {
    const cc = c * n;
    for (let p = 0; p < c; p++) {
      const pc = p * n;
      let d = 0;
      for (let i = 0; i < n; i++) d += cols[cc + i] * cols[pc + i];
      for (let i = 0; i < n; i++) cols[cc + i] -= d * cols[pc + i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += cols[cc + i] * cols[cc + i];
    norm = Math.sqrt(norm);
    // A column that vanished (rank deficiency) is left at zero rather than blown up to noise.
    const inv = norm > 1e-10 ? 1 / norm : 0;
    for (let i = 0; i < n; i++) cols[cc + i] *= inv;
  }
  for (let i = 0; i < n; i++) for (let c = 0; c < l; c++) y[i * l + c] = cols[c * n + i];
}

/** Eigen-decomposition of a small symmetric matrix (l x l, row-major) by cyclic Jacobi rotations. */
function symmetricEigen(a: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q] * a[p * l + q];
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q] - a[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p];
          const akq = a[k * l + q];
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k];
          const aqk = a[q * l + k];
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p];
          const vkq = v[k * l + q];
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i];
  return { values, vectors: v };
}

/**
 * Word vectors from the top `dim` eigenpairs of the symmetric PPMI matrix by randomised
 * subspace iteration (Halko, Martinsson and Tropp), each row scaled by sqrt(|eigenvalue|) and
 * normalised.
 */
function factorize(m: SparseMatrix, dim: number, iterations: number, seed: number): Float32Array {
  const n = m.n;
  const l = Math.min(n, dim + 10);
  const random = mulberry32(seed);
  let y: Float32Array = new Float32Array(n * l);
  for (let i = 0; i < y.length; i += 2) {
    // Box-Muller: two Gaussians per pair of uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const th = 2 * Math.PI * random();
    y[i] = r * Math.cos(th);
    if (i + 1 < y.length) y[i + 1] = r * Math.sin(th);
  }
  y = multiply(m, y, l);
  orthonormalize(y, n, l);
  for (let it = 0; it < iterations; it++) {
    y = multiply(m, y, l);
    orthonormalize(y, n, l);
  }
  // T = Q^T M Q, small and symmetric; its eigenvectors rotate Q onto M's eigenvectors.
  const mq = multiply(m, y, l);
  const t = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < l; a++) {
      const qa = y[i * l + a];
      if (qa === 0) continue;
      // T is symmetric: the upper triangle is enough, mirrored below.
      for (let b = a; b < l; b++) t[a * l + b] += qa * mq[i * l + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = a + 1; b < l; b++) t[b * l + a] = t[a * l + b];
  const { values, vectors } = symmetricEigen(t, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]) || a - b);
  const keep = order.slice(0, Math.min(dim, l));

  // The rotation, restricted to the kept eigenpairs and scaled, laid out l x dim so the
  // projection below runs along contiguous rows.
  const rotation = new Float64Array(l * dim);
  keep.forEach((e, d) => {
    const scale = Math.sqrt(Math.abs(values[e]));
    for (let a = 0; a < l; a++) rotation[a * dim + d] = vectors[a * l + e] * scale;
  });
  const out = new Float32Array(n * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let a = 0; a < l; a++) {
      const ya = y[i * l + a];
      if (ya === 0) continue;
      const base = a * dim;
      for (let d = 0; d < dim; d++) row[d] += ya * rotation[base + d];
    }
    const v = out.subarray(i * dim, (i + 1) * dim);
    v.set(row);
    normalize(v);
  }
  return out;
}

/**
 * Word vectors learned from co-occurrence in the workspace's own documents. A text's vector is
 * the idf-weighted mean of its words' vectors; a word outside the vocabulary contributes its
 * hashing vector, scaled down, so rare identifiers still match themselves exactly.
 */
export class CooccurrenceEmbedder implements Embedder {
  readonly id: string;
  readonly dim: number;
  private readonly index: Map<string, number>;
  private readonly fallback: HashingEmbedder;

  private constructor(
    private readonly vocab: string[],
    private readonly idf: Float32Array,
    private readonly vectors: Float32Array,
    dim: number,
    private readonly seed: number,
    private readonly unknownIdf: number,
    private readonly unknownScale: number,
  ) {
    this.dim = dim;
    this.index = new Map(vocab.map((w, i) => [w, i]));
    this.fallback = new HashingEmbedder({ dim, seed, nonZeros: Math.min(8, dim) });
    this.id = `cooccurrence-${dim}-${contentHash(vocab, vectors, seed).toString(16)}`;
  }

  /**
   * Learns word vectors from documents given as token lists. Deterministic given the seed.
   * `between` runs between the steps whose intermediate results are large
   * and then garbage (the pair table, the full PPMI matrix): the fitting worker collects there, so
   * the fit's peak is its largest step, not the sum of them.
   */
  static fit(corpus: readonly (readonly string[])[] | EncodedCorpus, options: CooccurrenceFitOptions = {}, between?: () => void): CooccurrenceEmbedder {
    const encoded = Array.isArray(corpus) ? encodeCorpus(corpus) : (corpus as EncodedCorpus);
    const dim = Math.max(1, options.dim ?? 96);
    const seed = (options.seed ?? 0x5eed) >>> 0;
    const { words, df, slot } = buildVocabulary(encoded, options.minCount ?? 2, Math.min(options.maxVocab ?? 20000, MAX_VOCAB));
    const nDocs = Math.max(1, encoded.docStart.length - 1);
    const idf = new Float32Array(words.length);
    for (let i = 0; i < words.length; i++) idf[i] = Math.log(1 + nDocs / Math.max(1, df[i]));
    let vectors: Float32Array = new Float32Array(0);
    if (words.length > 0) {
      let ppmi: SparseMatrix | undefined = ppmiMatrix(encoded, slot, words.length, options.window ?? 5);
      between?.();
      const strongest = keepStrongest(ppmi, options.maxContexts ?? 50);
      ppmi = undefined;
      between?.();
      vectors = factorize(strongest, dim, options.iterations ?? 1, seed);
    }
    return new CooccurrenceEmbedder(words, idf, vectors, dim, seed, Math.log(1 + nDocs), options.unknownScale ?? 0.3);
  }

  get vocabularySize(): number {
    return this.vocab.length;
  }

  /** The unit word vector of a vocabulary word, or undefined for an unknown word. */
  wordVector(word: string): Float32Array | undefined {
    const i = this.index.get(word);
    return i === undefined ? undefined : this.vectors.subarray(i * this.dim, (i + 1) * this.dim);
  }

  embed(tokens: readonly string[], weights?: readonly number[]): Float32Array {
    const out = new Float32Array(this.dim);
    tokens.forEach((t, k) => {
      const w = weights?.[k] ?? 1;
      const i = this.index.get(t);
      if (i === undefined) {
        // The hashing vector has norm sqrt(nonZeros); bring it to unit length before scaling.
        this.fallback.addToken(out, t, (w * this.unknownIdf * this.unknownScale) / Math.sqrt(Math.min(8, this.dim)));
        return;
      }
      const s = w * this.idf[i];
      const base = i * this.dim;
      for (let d = 0; d < this.dim; d++) out[d] += s * this.vectors[base + d];
    });
    return normalize(out);
  }

  toJSON(): CooccurrenceJson {
    return {
      format: COOC_FORMAT,
      version: 1,
      dim: this.dim,
      seed: this.seed,
      unknownScale: this.unknownScale,
      unknownIdf: this.unknownIdf,
      vocab: this.vocab.slice(),
      idf: float32ToBase64(this.idf),
      vectors: float32ToBase64(this.vectors),
    };
  }

  /** Reads the persisted form back; a malformed one is reported, never thrown. */
  static fromJSON(json: unknown): EmbedderLoadResult {
    const data = json as Partial<CooccurrenceJson> | null;
    if (!data || typeof data !== 'object' || data.format !== COOC_FORMAT) return { ok: false, error: 'not a co-occurrence embedder' };
    if (data.version !== 1) return { ok: false, error: `unsupported co-occurrence embedder version ${String(data.version)}` };
    const { dim, seed, unknownIdf, unknownScale, vocab } = data;
    if (typeof dim !== 'number' || !(dim >= 1) || typeof seed !== 'number' || typeof unknownIdf !== 'number' || typeof unknownScale !== 'number') {
      return { ok: false, error: 'co-occurrence embedder is missing its parameters' };
    }
    if (!Array.isArray(vocab) || !vocab.every((w) => typeof w === 'string') || typeof data.idf !== 'string' || typeof data.vectors !== 'string') {
      return { ok: false, error: 'co-occurrence embedder is missing its vocabulary or arrays' };
    }
    const idf = base64ToFloat32(data.idf);
    const vectors = base64ToFloat32(data.vectors);
    if (!idf || idf.length !== vocab.length || !vectors || vectors.length !== vocab.length * dim) {
      return { ok: false, error: 'co-occurrence embedder arrays do not match its vocabulary' };
    }
    return { ok: true, embedder: new CooccurrenceEmbedder(vocab, idf, vectors, dim, seed, unknownIdf, unknownScale) };
  }
}

/** A fingerprint of the learned space, so the id changes whenever the vectors do. */
function contentHash(vocab: readonly string[], vectors: Float32Array, seed: number): number {
  let h = seed >>> 0;
  for (const w of vocab) h = mix32(h ^ hashString(w, 0));
  const words = new Int32Array(vectors.buffer, vectors.byteOffset, vectors.length);
  // Every 7th value is plenty to tell two fits apart and keeps loading fast.
  for (let i = 0; i < words.length; i += 7) h = mix32(h ^ words[i]);
  return h;
}
