/**
 * Saving and restoring the retrieval state (the learned embedder, both BM25 indexes with their id
 * maps, the dense vectors) in the cache folder, so a restart skips rebuilding them. The one owner
 * of those files: the workspace asks it to prepare retrieval and to save, nothing more.
 */
import { ApiIndex } from '../index/api-index';
import { CacheFolder } from '../index/cache-folder';
import { VectorIndex } from '../index/vectors';
import { CooccurrenceEmbedder } from '../index/embedders';
import { fitEmbedderInWorker } from '../index/embedder-fit';
import { createHash } from 'crypto';
import { Bm25Arrays } from '../index/bm25';
import { learnedFromJson, learnedToJson, RetrievalIndex, RetrievalSnapshot, SNAPSHOT_FORMAT } from './retrieval-index';

/** Vectors and arrays files older than this that no snapshot names are removed. */
const STALE_FILES_MS = 10 * 60_000;

/** What `prepare` says when the last run's retrieval was restored, not built. */
export const RESTORED = 'restored from the cache';

/** The files a save names, besides the snapshot itself. */
const SAVED_BINARY = /^(vectors|arrays)-.*\.bin(\.json)?$/;

/** The embedder learned from the workspace. */
const EMBEDDER_FILE = 'embedder.json';
/** BM25 indexes with their id maps, and the names of the vectors and arrays files saved with them. */
const RETRIEVAL_FILE = 'retrieval.json';

/**
 * `retrieval.json`: the snapshot with the BM25 arrays (most of its bytes) taken out into a binary
 * file of their own, named by the save like the vectors file. JSON with base64 in it cost a warm
 * start a 50 MB string, its parse, the base64 strings and their decoding at 10,000 Script
 * Includes; the bytes are read once and the posting lists are views of them.
 */
export interface SnapshotFile extends Omit<RetrievalSnapshot, 'api' | 'usage'> {
  api: unknown;
  usage: unknown;
  arraysFile: string;
  /** Int32 counts of the arrays in the file, in `ARRAY_ORDER` for api then usage. */
  arrayLengths: number[];
  arraysSha256: string;
}

const ARRAY_ORDER = ['fieldLengths', 'postingOffsets', 'postings', 'fieldDistinct', 'df'] as const;

/** A snapshot as its JSON part and the bytes of its arrays file. */
export function splitSnapshot(snap: RetrievalSnapshot, arraysFile: string): { file: SnapshotFile; chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  const arrayLengths: number[] = [];
  for (const part of [snap.api, snap.usage]) {
    for (const key of ARRAY_ORDER) {
      const a = part.arrays?.[key] ?? new Int32Array(0);
      chunks.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      arrayLengths.push(a.length);
    }
  }
  const hash = createHash('sha256');
  for (const c of chunks) hash.update(c);
  const file: SnapshotFile = { ...snap, api: snap.api.header, usage: snap.usage.header, arraysFile, arrayLengths, arraysSha256: hash.digest('hex') };
  return { file, chunks };
}

/** The snapshot back from its JSON part and its arrays file's bytes, or why it cannot be. */
export function joinSnapshot(value: unknown, bytes: Buffer | undefined): { ok: true; snap: RetrievalSnapshot } | { ok: false; error: string } {
  const file = value as Partial<SnapshotFile> | null;
  if (!file || typeof file !== 'object' || file.format !== SNAPSHOT_FORMAT) return { ok: false, error: 'retrieval snapshot of another format' };
  const lengths = file.arrayLengths;
  if (!Array.isArray(lengths) || lengths.length !== 2 * ARRAY_ORDER.length || !lengths.every((n) => Number.isInteger(n) && n >= 0)) return { ok: false, error: 'retrieval snapshot does not describe its arrays' };
  if (!bytes) return { ok: false, error: `retrieval arrays file ${String(file.arraysFile)} is missing` };
  const total = lengths.reduce((a, b) => a + b, 0);
  if (bytes.byteLength !== total * 4 || createHash('sha256').update(bytes).digest('hex') !== file.arraysSha256) {
    return { ok: false, error: `retrieval arrays file ${String(file.arraysFile)} does not match its snapshot (corrupt or from another save)` };
  }
  // Views need 4-byte alignment; a buffer that lacks it is copied once.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  const all = new Int32Array(aligned.buffer, aligned.byteOffset, total);
  const parts: Bm25Arrays[] = [];
  let at = 0;
  for (let p = 0; p < 2; p++) {
    const arrays = {} as Bm25Arrays;
    ARRAY_ORDER.forEach((key, k) => {
      const n = lengths[p * ARRAY_ORDER.length + k];
      arrays[key] = all.subarray(at, at + n);
      at += n;
    });
    parts.push(arrays);
  }
  const { arraysFile: _f, arrayLengths: _l, arraysSha256: _h, ...rest } = file as SnapshotFile;
  return { ok: true, snap: { ...rest, api: { header: file.api, arrays: parts[0] }, usage: { header: file.usage, arrays: parts[1] } } };
}

export class RetrievalStore {
  private savedGeneration = -1;
  /** The vectors and arrays files the snapshot on disk names, to remove once a newer one replaces them. */
  private savedFiles: string[] = [];

  constructor(
    private readonly index: ApiIndex,
    private readonly retrieval: RetrievalIndex,
    /** Undefined: nothing is persisted (the CLI's `--no-cache`, a refused cache folder). */
    private readonly cache: CacheFolder | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Restores the retrieval state of the last run and brings it up to date, or builds it from the
   * index and saves it; says which it did. `modelDim` is the embedding model's dimension, when a
   * model (rather than the learned embedder) makes the vectors. `release` gives a build's garbage
   * back (a full collection) before the two steps that allocate most: the embedder's fit, whose
   * worker grows its own heap, and the save, which compacts the BM25 indexes into new arrays. On
   * top of the garbage of adding the documents, each made the peak of a cold start.
   */
  async prepare(modelDim?: number, release?: (after: string) => void): Promise<string> {
    const cache = this.cache;
    const learned = cache ? learnedFromJson(await cache.load(EMBEDDER_FILE)) : undefined;
    const dim = modelDim ?? learned?.dim;
    if (cache && dim !== undefined) {
      const file = (await cache.load(RETRIEVAL_FILE)) as Partial<SnapshotFile> | undefined;
      const vectorsFile = typeof file?.vectorsFile === 'string' ? file.vectorsFile : undefined;
      const arraysFile = typeof file?.arraysFile === 'string' ? file.arraysFile : undefined;
      this.savedFiles = [vectorsFile, arraysFile].filter((f): f is string => !!f);
      const joined = file ? joinSnapshot(file, arraysFile ? await cache.loadBytes(arraysFile) : undefined) : undefined;
      if (joined && !joined.ok) this.warn(joined.error);
      const vectors = vectorsFile && joined?.ok ? VectorIndex.load(cache.path(vectorsFile), dim) : undefined;
      if (vectors && !vectors.ok) this.warn(vectors.error);
      if (joined?.ok && this.retrieval.restore(joined.snap, learned, vectors?.ok ? vectors.index : undefined)) {
        this.savedGeneration = this.index.generation;
        await this.removeStaleFiles();
        return RESTORED;
      }
    }
    // Built in slices, the embedder learned in a child process: the server answers (by name) meanwhile.
    let childPeakMb: number | undefined;
    const { fitted } = await this.retrieval.buildInSlices(learned, async (corpus, options) => {
      release?.("gathering the embedder's corpus");
      const got = await fitEmbedderInWorker(corpus, options);
      if (got.ok) {
        childPeakMb = got.peakMb;
        return got.embedder;
      }
      this.warn(`${got.error}; learning the embedder on the main thread`);
      return CooccurrenceEmbedder.fit(corpus, options);
    });
    if (!cache) return 'built';
    release?.('building retrieval, before saving it');
    if (fitted) await cache.save(EMBEDDER_FILE, learnedToJson(fitted)).catch((err) => this.warn(`could not save the learned embedder: ${(err as Error).message}`));
    await this.save();
    await this.removeStaleFiles();
    return fitted ? `built (embedder learned${childPeakMb !== undefined ? ` in a child process, ${childPeakMb} MB at its peak` : ''})` : 'built';
  }

  /**
   * Vectors and arrays files no snapshot names any more (saves cut short, an older server's):
   * removed once they are old enough that no other server could be writing them.
   */
  private async removeStaleFiles(): Promise<void> {
    if (!this.cache) return;
    const keep = new Set(this.savedFiles.flatMap((f) => [f, `${f}.json`]));
    for (const { name, ageMs } of await this.cache.entries()) {
      if (!SAVED_BINARY.test(name) || ageMs < STALE_FILES_MS || keep.has(name)) continue;
      await this.cache.remove(name);
    }
  }

  /** Writes the retrieval state when it moved since the last save (after a build, at shutdown). */
  async save(): Promise<void> {
    const cache = this.cache;
    if (!cache || this.savedGeneration === this.index.generation || this.retrieval.generation < 0) return;
    // Vectors still on their way would be missing from the saved ones for good.
    if (this.retrieval.pendingEmbeddings > 0) return;
    try {
      // The vectors go to a file named by this save and the snapshot names it, so a snapshot never
      // pairs with vectors of another save, even when a save is cut short.
      const snap = this.retrieval.snapshot();
      const previous = this.savedFiles;
      const stamp = `${Date.now().toString(36)}-${process.pid}`;
      if (this.retrieval.vectors) {
        const refused = await cache.prepare();
        if (refused) throw new Error(refused);
        snap.vectorsFile = `vectors-${stamp}.bin`;
        this.retrieval.vectors.save(cache.path(snap.vectorsFile));
      }
      const { file, chunks } = splitSnapshot(snap, `arrays-${stamp}.bin`);
      await cache.saveBytes(file.arraysFile, chunks);
      await cache.save(RETRIEVAL_FILE, file);
      const saved = [snap.vectorsFile, file.arraysFile].filter((f): f is string => !!f);
      for (const f of previous) {
        if (!saved.includes(f)) for (const name of [f, `${f}.json`]) await cache.remove(name);
      }
      this.savedGeneration = this.index.generation;
      this.savedFiles = saved;
    } catch (err) {
      this.warn(`could not save the retrieval state in ${cache.dir}: ${(err as Error).message}`);
    }
  }
}
