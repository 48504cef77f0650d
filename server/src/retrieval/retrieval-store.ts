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
import { learnedFromJson, learnedToJson, RetrievalIndex, RetrievalSnapshot } from './retrieval-index';

/** Vectors files older than this that no snapshot names are removed. */
const STALE_VECTORS_MS = 10 * 60_000;

/** The embedder learned from the workspace. */
const EMBEDDER_FILE = 'embedder.json';
/** BM25 indexes with their id maps, and the name of the vectors file saved with them. */
const RETRIEVAL_FILE = 'retrieval.json';

export class RetrievalStore {
  private savedGeneration = -1;
  /** The vectors file the snapshot on disk names, to remove once a newer one replaces it. */
  private savedVectorsFile?: string;

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
   * model (rather than the learned embedder) makes the vectors.
   */
  async prepare(modelDim?: number): Promise<string> {
    const cache = this.cache;
    const learned = cache ? learnedFromJson(await cache.load(EMBEDDER_FILE)) : undefined;
    const dim = modelDim ?? learned?.dim;
    if (cache && dim !== undefined) {
      const snap = (await cache.load(RETRIEVAL_FILE)) as RetrievalSnapshot | undefined;
      this.savedVectorsFile = typeof snap?.vectorsFile === 'string' ? snap.vectorsFile : undefined;
      const vectors = this.savedVectorsFile ? VectorIndex.load(cache.path(this.savedVectorsFile), dim) : undefined;
      if (vectors && !vectors.ok) this.warn(vectors.error);
      if (snap && this.retrieval.restore(snap, learned, vectors?.ok ? vectors.index : undefined)) {
        this.savedGeneration = this.index.generation;
        await this.removeStaleVectors();
        return 'restored from the cache';
      }
    }
    // Built in slices, the embedder learned on a worker: the server answers (by name) meanwhile.
    const { fitted } = await this.retrieval.buildInSlices(learned, async (corpus, options) => {
      const got = await fitEmbedderInWorker(corpus, options);
      if (got.ok) return got.embedder;
      this.warn(`${got.error}; learning the embedder on the main thread`);
      return CooccurrenceEmbedder.fit(corpus, options);
    });
    if (!cache) return 'built';
    if (fitted) await cache.save(EMBEDDER_FILE, learnedToJson(fitted)).catch((err) => this.warn(`could not save the learned embedder: ${(err as Error).message}`));
    await this.save();
    await this.removeStaleVectors();
    return fitted ? 'built (embedder learned)' : 'built';
  }

  /**
   * Vectors files no snapshot names any more (saves cut short, an older server's): removed once
   * they are old enough that no other server could be writing them.
   */
  private async removeStaleVectors(): Promise<void> {
    if (!this.cache) return;
    const keep = this.savedVectorsFile;
    for (const { name, ageMs } of await this.cache.entries()) {
      if (!/^vectors-.*\.bin(\.json)?$/.test(name) || ageMs < STALE_VECTORS_MS) continue;
      if (keep && (name === keep || name === `${keep}.json`)) continue;
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
      const previous = this.savedVectorsFile;
      if (this.retrieval.vectors) {
        const refused = await cache.prepare();
        if (refused) throw new Error(refused);
        snap.vectorsFile = `vectors-${Date.now().toString(36)}-${process.pid}.bin`;
        this.retrieval.vectors.save(cache.path(snap.vectorsFile));
      }
      await cache.save(RETRIEVAL_FILE, snap);
      if (previous && previous !== snap.vectorsFile) {
        for (const f of [previous, `${previous}.json`]) await cache.remove(f);
      }
      this.savedGeneration = this.index.generation;
      this.savedVectorsFile = snap.vectorsFile;
    } catch (err) {
      this.warn(`could not save the retrieval state in ${cache.dir}: ${(err as Error).message}`);
    }
  }
}
