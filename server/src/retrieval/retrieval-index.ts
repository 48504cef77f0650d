/**
 * The search structures over the ApiIndex, kept in step with it file by file:
 * - a BM25F index of enriched Script Include documents (and the platform APIs),
 * - a BM25 index of usage documents, one per call site (usage examples from the workspace),
 * - a dense index (hnswlib-node) of the same Script Include documents under an embedder learned
 *   from the workspace's own code, or under a user's ONNX sentence-embedding model (`useModel`),
 *   whose vectors are computed asynchronously in batches: a document not yet embedded is simply
 *   absent from the dense list until it is,
 * - usage statistics by target name (how often, from which record types, with which methods).
 *
 * It subscribes to the ApiIndex's change events: a changed file removes and re-adds only the
 * documents that came from it.
 */
import { CallSite, FileEntry, MethodInfo, ScriptIncludeInfo } from '../model';
import { ApiIndex, IndexChange } from '../index/api-index';
import {
  API_FIELDS,
  ApiField,
  ApiFields,
  DocOptions,
  methodTerms,
  platformFields,
  scriptIncludeFields,
  siteHoleTerms,
  UsageField,
  usageFields,
} from '../index/api-documents';
import { Bm25Arrays, Bm25Index, FieldConfig } from '../index/bm25';
import { Bm25Builder } from '../index/bm25-build';
import { IdMap } from '../index/id-map';
import { StringPool } from '../index/compact-entry';
import { entrySnippets } from '../index/snippets';
import { collectBuildGarbageIfGrown, COLLECT_AFTER_GROWTH } from '../memory';
import { AsyncEmbedder, CooccurrenceEmbedder, CooccurrenceFitOptions, CorpusEncoder, EncodedCorpus, Embedder, HashingEmbedder } from '../index/embedders';
import { PlatformApi, platformApis } from '../platform/platform-apis';
import { splitIdentifier, tokenize } from '../text/tokens';
import { VectorIndex } from '../index/vectors';
import { UsageCounts } from './usage-counts';
import { UsageTable } from './usage-table';

export { UsageCounts };

/** BM25F field weights of the API documents; tuned on synthetic instances. */
export const API_FIELD_WEIGHTS: FieldConfig<ApiField> = {
  name: { weight: 3.0, b: 0.3 },
  api: { weight: 0.5, b: 0.0 },
  summary: { weight: 1.0, b: 0.6 },
  methods: { weight: 2.0, b: 0.5 },
  params: { weight: 0.8, b: 0.5 },
  tables: { weight: 2.0, b: 0.3 },
  glide: { weight: 0.3, b: 0.5 },
  parent: { weight: 0.8, b: 0.0 },
  body: { weight: 0.4, b: 0.5 },
};

export const USAGE_FIELD_WEIGHTS: FieldConfig<UsageField> = {
  context: { weight: 1.0, b: 0.6 },
  near: { weight: 1.0, b: 0.4 },
  caller: { weight: 1.0, b: 0.0 },
  hole: { weight: 1.0, b: 0.0 },
};

/** An embedder learned from a workspace, with the corpus size it was fitted on. */
export interface LearnedEmbedder {
  embedder: CooccurrenceEmbedder;
  documents: number;
  dim: number;
}

/** The persisted form of a learned embedder (in the cache folder). */
export function learnedToJson(l: LearnedEmbedder): unknown {
  return { format: 1, documents: l.documents, dim: l.dim, embedder: l.embedder.toJSON() };
}

export function learnedFromJson(json: unknown): LearnedEmbedder | undefined {
  const j = json as { format?: number; documents?: number; dim?: number; embedder?: unknown } | undefined;
  if (!j || j.format !== 1 || typeof j.documents !== 'number' || typeof j.dim !== 'number') return undefined;
  const loaded = CooccurrenceEmbedder.fromJSON(j.embedder);
  return loaded.ok ? { embedder: loaded.embedder, documents: j.documents, dim: j.dim } : undefined;
}

/**
 * The field terms of the documents read most recently. A document's fields are read when it goes
 * into the BM25 index, then for the embedder's corpus and its vector, one after the other; no
 * search reads them (the reranker's overlap features come from the BM25 index). Keeping every
 * document's terms (a cold build computes them all) cost more memory than the Script Includes they
 * come from, so only the most recently read are kept.
 */
export class FieldsCache {
  private readonly map = new Map<ApiDocRef, ApiFields>();
  constructor(readonly capacity: number) {}

  get(ref: ApiDocRef, compute: () => ApiFields): ApiFields {
    let fields = this.map.get(ref);
    if (fields) {
      // Most recently read last: Map keeps insertion order, so the first key is the eviction.
      this.map.delete(ref);
    } else {
      fields = compute();
      if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value!);
    }
    this.map.set(ref, fields);
    return fields;
  }

  delete(ref: ApiDocRef): void {
    this.map.delete(ref);
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * Documents whose field terms stay computed: a file's documents and a batch for the embedding
 * model. At 1,024 the last documents of a cold build's passes outlived the young generation and
 * went to the old one as garbage: with body words unpacked afresh for each document, that raised
 * the peak of a cold start at 10,000 Script Includes by 20 MB.
 */
const FIELDS_CACHE_DOCS = 64;

/** One API document. Its field terms are computed when read, and only the recently read are kept. */
export class ApiDocRef {
  constructor(
    readonly id: number,
    readonly kind: 'script-include' | 'platform',
    /** What a Script Include's document holds (the index's options, one object for every document). */
    private readonly docOptions: DocOptions,
    private readonly cache: FieldsCache,
    readonly si?: ScriptIncludeInfo,
    readonly platform?: PlatformApi,
    /** The file the Script Include came from (for exclusion and updates). */
    readonly path?: string,
  ) {}

  /** The field terms as indexed. */
  get fields(): ApiFields {
    return this.cache.get(this, () => this.computeFields());
  }

  /** The field terms, computed and not kept (a pass over every document reads each once). */
  computeFields(): ApiFields {
    return this.si ? scriptIncludeFields(this.si, this.docOptions) : platformFields(this.platform!);
  }
}

/** Bump when the snapshot's contents change meaning (4: no per-document term lists; 3: the BM25 arrays carry what a load derives). */
export const SNAPSHOT_FORMAT = 4;

/**
 * The retrieval state to persist: which document and usage ids stand for what, and both BM25
 * indexes as headers and arrays (the store writes the arrays as bytes beside the JSON).
 */
export interface RetrievalSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  options: string;
  embedderId: string;
  /** Per file: its entry hash, its document ids (with their keys) and its usage ids. */
  files: Array<{ path: string; hash: string; docs: Array<[number, string]>; usages: number[] }>;
  platform: Array<[number, string]>;
  api: { header: unknown; arrays?: Bm25Arrays };
  usage: { header: unknown; arrays?: Bm25Arrays };
  nextDocId: number;
  nextUsageId: number;
  /** The file (in the cache folder) holding the dense vectors saved with this snapshot. */
  vectorsFile?: string;
}

export interface RetrievalOptions {
  /** Dense retrieval on (hnswlib + embedder). */
  dense: boolean;
  docs: DocOptions;
  /** Include usage examples (call sites) as documents. */
  usage: boolean;
  embedderDim: number;
  /** Co-occurrence window of the learned embedder (0: the whole document). */
  embedderWindow: number;
  /** Also learn the embedder from usage snippets (not only from the API documents). */
  embedderUsageDocs: boolean;
  /**
   * Most documents the embedder is learned from: every API document, then an even sample of
   * usage snippets up to this many. Learning costs time and memory with every pair of words in a
   * document, and a sample of a large workspace already holds its vocabulary.
   */
  embedderMaxDocs: number;
}

/**
 * Documents handed to the model per call: it sorts them by length into its own batches, so a
 * larger chunk pads less, while a smaller one lets queries and file changes in sooner.
 */
const EMBED_CHUNK = 64;
/** Files (or vectors) between the pauses of a build run in slices. */
const BUILD_SLICE = 200;

export const DEFAULT_RETRIEVAL_OPTIONS: RetrievalOptions = { dense: true, docs: { jsdoc: true }, usage: true, embedderDim: 64, embedderWindow: 0, embedderUsageDocs: true, embedderMaxDocs: 15000 };

export class RetrievalIndex {
  apiBm25 = new Bm25Index<ApiField>({ fields: API_FIELD_WEIGHTS });
  usageBm25 = new Bm25Index<UsageField>({ fields: USAGE_FIELD_WEIGHTS });
  vectors?: VectorIndex;
  /** Embeds query terms and documents when no model is in use. */
  embedder: Embedder;
  /** A sentence-embedding model over document text: when set, it owns the dense space. */
  model?: AsyncEmbedder;
  private onModelError?: (message: string) => void;
  /** Documents waiting for the model, and the loop working through them. */
  private embedQueue: ApiDocRef[] = [];
  private draining?: Promise<void>;
  private disposed = false;
  readonly docs = new Map<number, ApiDocRef>();
  private readonly fieldsCache = new FieldsCache(FIELDS_CACHE_DOCS);
  readonly usages = new UsageTable();
  private readonly docsByPath = new Map<string, number[]>();
  private readonly usagesByPath = new Map<string, number[]>();
  /** While a first build adds its documents: the BM25 indexes being built, each replacing its empty index once it has them all. */
  private buildingApi?: Bm25Builder<ApiField>;
  private buildingUsage?: Bm25Builder<UsageField>;
  /**
   * Usage statistics by target name, computed when a ranking first asks for a name and kept until
   * a change touches that name. Built for every called name up front, they were four maps per
   * Script Include (about 18 MB at 10,000) and a sixth of a warm start's restore; a ranking asks
   * for 40 names. Once the workspace is ready, `warm` fills them between requests.
   */
  private readonly countsCache = new NameCache<UsageCounts | undefined>();
  /** What is called right after (`next`) and right before (`prev`) each asked name; until a change touches the name. */
  private readonly neighbourCache = { next: new NameCache<Neighbours>(), prev: new NameCache<Neighbours>() };
  /** Co-calls: per file, the distinct targets it calls; per target, the files calling it and, per other target, the files calling both. */
  private readonly coTargetsByPath = new Map<string, string[]>();
  private readonly coFiles = new Map<string, number>();
  private readonly coPairs = new Map<string, Map<string, number>>();
  /** Each counted file's call sites (the entry's own list), for the hole-word table. */
  private readonly sitesByPath = new Map<string, readonly CallSite[]>();
  /**
   * Hole terms by the words of the called name: for each word, how many counted calls name a
   * target holding it, and how many of those show each hole term. Built when a ranking first asks
   * (or by `warm`), then kept in step with the files.
   */
  private holeWords?: HoleWordTable;
  private readonly nameWordCache = new Map<string, readonly string[]>();
  /**
   * Each Script Include's document, by the object the index holds (a changed file brings new
   * objects and new documents). Pruning asks for every kept Script Include's document on the first
   * keystroke after each change; a key string built per lookup was most of that (7 ms per scope at
   * 10,000).
   */
  private readonly docIdBySi = new WeakMap<ScriptIncludeInfo, number>();
  private nextDocId = 1;
  private nextUsageId = 1;
  private unsubscribe?: () => void;
  /** Generation of the ApiIndex this reflects. */
  generation = -1;

  /** Built or restored: the lists and vectors answer (before that, the pipeline ranks by name). */
  get built(): boolean {
    return this.generation >= 0;
  }
  private readonly methodTermCache = new WeakMap<MethodInfo, string[]>();
  /** The one copy of each method term (the vocabulary of method names, parameters and summaries). */
  private readonly methodTermPool = new StringPool();
  private readonly usageTargetCache = new IdMap();
  private usageTargetGeneration = -1;

  /** What a Script Include's document holds, and where its packed body is read from: one object for every document. */
  private readonly docOptions: DocOptions;

  constructor(
    readonly index: ApiIndex,
    readonly options: RetrievalOptions = DEFAULT_RETRIEVAL_OPTIONS,
  ) {
    this.embedder = new HashingEmbedder({ dim: options.embedderDim });
    this.docOptions = { ...options.docs, packs: index.packs };
  }

  /**
   * Builds everything from the current index and follows its changes from then on. A learned
   * embedder from an earlier run (`learned`) is reused when it was fitted on a workspace of about
   * this size; otherwise one is fitted now and `fitted` says so (the caller persists it).
   */
  /**
   * Makes `model` the dense space of the next `build` or `restore`: documents are embedded from
   * their text, in batches, off the synchronous path; queries must then come with a
   * `queryVector` from the same model. `onError` hears about a failed batch (those documents stay
   * out of the dense list).
   */
  useModel(model: AsyncEmbedder, onError?: (message: string) => void): void {
    this.model = model;
    this.onModelError = onError;
  }

  /** The id of the dense space in use (vectors are comparable only within one). */
  get embedderId(): string {
    return this.model?.id ?? this.embedder.id;
  }

  /** Dense vectors come from a model over text, so the pipeline cannot embed query terms itself. */
  get embedsText(): boolean {
    return !!this.model;
  }

  /** Documents still waiting for the model's vectors, the batch in flight included. */
  get pendingEmbeddings(): number {
    return this.embedQueue.length + this.inFlight;
  }
  private inFlight = 0;

  /** Resolves once every queued document has its vector (or failed to get one). */
  async whenEmbedded(): Promise<void> {
    while (this.draining) await this.draining;
  }

  build(learned?: LearnedEmbedder): { fitted?: LearnedEmbedder } {
    const steps = this.buildSteps(learned);
    let embedder: CooccurrenceEmbedder | undefined;
    for (let r = steps.next(); ; ) {
      if (r.done) return r.value;
      if (r.value === 'pause') r = steps.next();
      else if (r.value === 'fitted') r = steps.next(embedder);
      else {
        embedder = CooccurrenceEmbedder.fit(r.value.corpus, r.value.options);
        r = steps.next();
      }
    }
  }

  /**
   * `build`, as the server runs it: the work is cut into slices of a few milliseconds with the
   * event loop free between them, and the embedder is learned on a worker thread (`fit`), so
   * requests keep being answered while a large workspace builds. Until it ends, `built` is false
   * and the pipeline ranks by name.
   */
  async buildInSlices(learned: LearnedEmbedder | undefined, fit: (corpus: EncodedCorpus, options: CooccurrenceFitOptions) => Promise<CooccurrenceEmbedder>, sliceMs = 8): Promise<{ fitted?: LearnedEmbedder }> {
    const steps = this.buildSteps(learned);
    let sliceStart = performance.now();
    let fitting: Promise<CooccurrenceEmbedder> | undefined;
    try {
      for (let r = steps.next(); ; ) {
        if (r.done) return r.value;
        if (r.value === 'pause') {
          if (performance.now() - sliceStart >= sliceMs) {
            // The build's garbage goes once it has grown past the build's threshold (memory.ts).
            await collectBuildGarbageIfGrown(COLLECT_AFTER_GROWTH.minGrowth, COLLECT_AFTER_GROWTH.share);
            await new Promise((resolve) => setImmediate(resolve));
            sliceStart = performance.now();
          }
          r = steps.next();
        } else if (r.value === 'fitted') {
          r = steps.next(await fitting);
          fitting = undefined;
          sliceStart = performance.now();
        } else {
          // Started, not awaited: the build goes on while the embedder is learned apart.
          fitting = fit(r.value.corpus, r.value.options);
          r = steps.next();
          sliceStart = performance.now();
        }
      }
    } finally {
      // A build that failed meanwhile leaves no fit's rejection unheard.
      fitting?.catch(() => undefined);
    }
  }

  /**
   * The build, step by step: it pauses (`'pause'`) between pieces of work, asks its driver to
   * start learning the embedder (`{ corpus, options }`), and later (`'fitted'`) receives the
   * embedder back. The call sites' documents are made in between, so a driver that learns it
   * apart (the server: a child process) has both under way at once.
   */
  private *buildSteps(learned?: LearnedEmbedder): Generator<'pause' | 'fitted' | { corpus: EncodedCorpus; options: CooccurrenceFitOptions }, { fitted?: LearnedEmbedder }, CooccurrenceEmbedder | undefined> {
    this.unsubscribe?.();
    this.generation = -1;
    let apiCount = 0;
    let usageCount = 0;
    for (const entry of this.index.visibleFiles()) {
      apiCount += entry.scriptIncludes.length;
      if (this.options.usage) usageCount += entry.callSites.length;
    }
    const documents = apiCount + (this.options.embedderUsageDocs ? usageCount : 0);
    // A first build (the indexes are empty) lays the BM25 indexes out once, after their last
    // document, in arrays of their exact sizes (`Bm25Builder`); documents added to a non-empty
    // index go in one by one.
    const first = this.apiBm25.size === 0 && this.usageBm25.size === 0;
    this.buildingApi = first ? new Bm25Builder({ fields: API_FIELD_WEIGHTS }) : undefined;
    this.buildingUsage = first ? new Bm25Builder({ fields: USAGE_FIELD_WEIGHTS }) : undefined;
    const reusable = learned && learned.dim === this.options.embedderDim && Math.abs(learned.documents - documents) <= 0.25 * Math.max(documents, 1);
    const fitting = this.options.dense && !this.model && !reusable;
    // The Script Include documents first, with the embedder's corpus; the fit starts then, and the
    // call sites' documents are made while it runs (the server learns it in a child process,
    // whose memory is its own). The corpus is encoded as it is gathered (token ids, not token
    // lists): the Script Includes' documents, then an even sample of the usage snippets, whose
    // fields are made only for the sites drawn (keeping every snippet's tokens to the end cost
    // about 70 MB).
    let corpus = fitting ? new CorpusEncoder() : undefined;
    const usageSample = new StrideSample<readonly string[]>(fitting && this.options.embedderUsageDocs ? usageCount : 0, Math.max(0, this.options.embedderMaxDocs - apiCount));
    const pending: ApiDocRef[] = [];
    for (const api of platformApis()) pending.push(this.addDoc('platform', undefined, api));
    let n = 0;
    for (const entry of this.index.visibleFiles()) {
      for (const ref of this.addEntryDocs(entry)) {
        pending.push(ref);
        corpus?.add(allTerms(ref.fields));
      }
      if (corpus && this.options.usage) {
        // Unpacked only for a file with a site drawn.
        let snippets: string[] | undefined;
        entry.callSites.forEach((site, i) => {
          if (usageSample.takes()) usageSample.kept.push(usageFields(site, (snippets ??= entrySnippets(entry, this.index.packs))[i]).context);
        });
      }
      if (++n % BUILD_SLICE === 0) yield 'pause';
    }
    if (this.buildingApi) this.apiBm25 = this.buildingApi.finish();
    // Its scratch is garbage before the fit, which the store collects first.
    this.buildingApi = undefined;
    let fitted: LearnedEmbedder | undefined;
    let fitAsked = false;
    if (this.options.dense && !this.model) {
      if (reusable) this.embedder = learned.embedder;
      else {
        for (const doc of usageSample.kept) corpus!.add(doc);
        usageSample.kept.length = 0;
        if (corpus!.documents >= 20) {
          yield { corpus: corpus!.finish(), options: { dim: this.options.embedderDim, window: this.options.embedderWindow, minCount: 2, seed: 7, maxVocab: 20000 } };
          fitAsked = true;
        } else this.embedder = new HashingEmbedder({ dim: this.options.embedderDim });
      }
    }
    corpus = undefined;
    // The call sites' documents while the embedder is learned: they need no vectors. Learned
    // apart (the server's child process), the two overlap; at 10,000 Script Includes each took
    // about 2.6 s, one after the other.
    n = 0;
    for (const entry of this.index.visibleFiles()) {
      this.addEntryUsages(entry);
      if (++n % BUILD_SLICE === 0) yield 'pause';
    }
    if (this.buildingUsage) {
      this.usageBm25 = this.buildingUsage.finish();
      this.buildingUsage = undefined;
      yield 'pause';
    }
    if (fitAsked) {
      const embedder = yield 'fitted';
      this.embedder = embedder ?? new HashingEmbedder({ dim: this.options.embedderDim });
      if (embedder) fitted = { embedder, documents, dim: this.options.embedderDim };
    }
    if (this.options.dense && this.model) {
      // The model embeds text; nothing is learned from the workspace.
      this.vectors = new VectorIndex(this.model.dim, { initialCapacity: Math.max(1024, pending.length + 64) });
      this.embedRefs(pending);
    } else if (this.options.dense) {
      this.vectors = new VectorIndex(this.embedder.dim, { initialCapacity: Math.max(1024, pending.length + 64) });
      for (let i = 0; i < pending.length; i++) {
        this.vectors.add(pending[i].id, this.embedDoc(pending[i].computeFields()));
        if ((i + 1) % BUILD_SLICE === 0) yield 'pause';
      }
    }
    this.generation = this.index.generation;
    this.unsubscribe = this.index.onDidChange((change) => this.applyChange(change));
    return { fitted };
  }

  dispose(): void {
    this.unsubscribe?.();
    // The loop stops after the batch in flight; `whenEmbedded` tells when.
    this.disposed = true;
    this.embedQueue = [];
  }

  /** Gives documents their dense vectors: at once under the learned embedder, queued under a model. */
  private embedRefs(refs: readonly ApiDocRef[]): void {
    if (!this.vectors || refs.length === 0) return;
    if (!this.model) {
      for (const ref of refs) this.vectors.add(ref.id, this.embedDoc(ref.fields));
      return;
    }
    this.embedQueue.push(...refs);
    this.draining ??= this.drainQueue().finally(() => (this.draining = undefined));
  }

  private async drainQueue(): Promise<void> {
    const model = this.model!;
    while (this.embedQueue.length && !this.disposed) {
      // A document removed while it waited is skipped; one removed while its batch ran is not added.
      const batch = this.embedQueue.splice(0, EMBED_CHUNK).filter((ref) => this.docs.get(ref.id) === ref);
      if (!batch.length) continue;
      let vectors: Float32Array[];
      this.inFlight = batch.length;
      try {
        vectors = await model.embedBatch(batch.map(embeddingText));
      } catch (err) {
        this.onModelError?.(`embedding ${batch.length} documents failed: ${(err as Error).message}`);
        continue;
      } finally {
        this.inFlight = 0;
      }
      batch.forEach((ref, i) => {
        if (this.docs.get(ref.id) === ref && this.vectors && vectors[i]?.length === this.vectors.dim) this.vectors.add(ref.id, vectors[i]);
      });
    }
  }

  /** Weighted embedding of a document: name and summary matter most. */
  embedDoc(fields: ApiFields): Float32Array {
    const tokens: string[] = [];
    const weights: number[] = [];
    for (const f of API_FIELDS) {
      const w = API_FIELD_WEIGHTS[f].weight;
      for (const t of fields[f]) {
        if (t.includes(':')) continue;
        tokens.push(t);
        weights.push(w);
      }
    }
    return this.embedder.embed(tokens, weights);
  }

  /** Usage statistics of a target name, less the call sites in `excluded` (see `excludedSites`). */
  usageCounts(name: string, excluded?: Map<string, CallSite[]>): UsageCounts | undefined {
    const c = this.countsOf(name);
    const minus = excluded?.get(name);
    if (!c || !minus) return c;
    const copy = c.clone();
    for (const site of minus) copy.add(site, -1);
    return copy;
  }

  private countsOf(name: string): UsageCounts | undefined {
    return this.countsCache.get(this.index.generation, name, () => {
      let c: UsageCounts | undefined;
      for (const site of this.index.countedSitesNaming(name)) (c ??= new UsageCounts()).add(site, 1);
      c?.trim();
      return c;
    });
  }

  /**
   * How likely a candidate is to be called between the script's previous call (`before`) and its
   * next one (`after`): the share of `before`'s calls that the workspace follows with it, plus the
   * share of `after`'s calls it precedes, over the calls of the same script (a call sequence
   * model, as n-gram API recommenders use). Call sites in `excluded` do not count (eval: the
   * case's own file). Built once per request, asked per candidate.
   */
  sequenceScorer(before: string | undefined, after: string | undefined, excluded?: Map<string, CallSite[]>): (candidate: string) => number {
    const known = this.sequenceSides(before, after, excluded);
    if (!known.length) return () => 0;
    return (candidate) => {
      let score = 0;
      // A count below zero would be an excluded call the counts never held (a claimed file's).
      for (const n of known) score += Math.max(0, n.counts.get(candidate) ?? 0) / n.total;
      return score;
    };
  }

  /**
   * The names `sequenceScorer` would score above zero, most often seen first, at most `limit`:
   * what the workspace calls right after `before` and right before `after`.
   */
  sequenceNames(before: string | undefined, after: string | undefined, excluded: Map<string, CallSite[]> | undefined, limit: number): string[] {
    const score = new Map<string, number>();
    for (const n of this.sequenceSides(before, after, excluded)) {
      for (const [target, count] of n.counts) if (count > 0) score.set(target, (score.get(target) ?? 0) + count / n.total);
    }
    return topNames(score, limit);
  }

  /** What follows `before` and what precedes `after` in the workspace's scripts, the sides that saw any call. */
  private sequenceSides(before: string | undefined, after: string | undefined, excluded: Map<string, CallSite[]> | undefined): Neighbours[] {
    const sides: Neighbours[] = [];
    if (before !== undefined) sides.push(this.sequenceSide(before, 'next', excluded));
    if (after !== undefined) sides.push(this.sequenceSide(after, 'prev', excluded));
    return sides.filter((n) => n.total > 0);
  }

  /**
   * The names `coCallScorer` would score above zero, most co-called first, at most `limit`: what
   * the files calling `calledHere` call too, the files in `exclude` not counted.
   */
  coCalledNames(calledHere: readonly string[], exclude: ReadonlySet<string> | undefined, limit: number): string[] {
    if (!calledHere.length) return [];
    // One pass over each called name's pairs: a name called from everywhere is paired with most
    // of the workspace, too many to ask `coCallScorer` about one by one on a keystroke.
    const excluded = this.coTargetsOf(exclude);
    const here = new Set(calledHere);
    const score = new Map<string, number>();
    for (const s of calledHere) {
      let files = this.coFiles.get(s) ?? 0;
      const mine = excluded.filter((t) => t.includes(s));
      files -= mine.length;
      if (files <= 0) continue;
      for (const [name, count] of this.coPairs.get(s) ?? []) {
        if (here.has(name)) continue;
        let both = count;
        for (const t of mine) if (t.includes(name)) both--;
        if (both > 0) score.set(name, (score.get(name) ?? 0) + both / files);
      }
    }
    return topNames(score, limit);
  }

  private sequenceSide(name: string, dir: 'next' | 'prev', excluded: Map<string, CallSite[]> | undefined): Neighbours {
    const all = this.neighboursOf(name, dir);
    const minus = excluded?.get(name);
    if (!minus) return all;
    const gone = this.neighbourCounts(minus, dir);
    const counts = new Map(all.counts);
    for (const [target, n] of gone.counts) counts.set(target, (counts.get(target) ?? 0) - n);
    return { counts, total: all.total - gone.total };
  }

  private neighboursOf(name: string, dir: 'next' | 'prev'): Neighbours {
    return this.neighbourCache[dir].get(this.index.generation, name, () => this.neighbourCounts(this.index.countedSitesNaming(name), dir));
  }

  /**
   * What is called right after (or before) each of `sites` in its script, counted by name. Each
   * file's calls are put in script order once, so a file that calls one helper thousands of
   * times costs a sort, not thousands of scans.
   */
  private neighbourCounts(sites: Iterable<CallSite>, dir: 'next' | 'prev'): Neighbours {
    const byPath = new Map<string, CallSite[]>();
    for (const site of sites) {
      const list = byPath.get(site.path);
      if (list) list.push(site);
      else byPath.set(site.path, [site]);
    }
    const out: Neighbours = { counts: new Map(), total: 0 };
    for (const [path, mine] of byPath) {
      const order = scriptOrder(this.index.file(path)?.callSites ?? []);
      for (const site of mine) {
        const other = neighbourIn(order, site, dir);
        if (!other) continue;
        out.counts.set(other.target, (out.counts.get(other.target) ?? 0) + 1);
        out.total++;
      }
    }
    return out;
  }

  /** Whether some file of the workspace calls `name` (so it can say what is called beside it). */
  isCalled(name: string): boolean {
    return (this.coFiles.get(name) ?? 0) > 0;
  }

  /**
   * How often a candidate is called in the files that call the names in `calledHere`: the mean,
   * over those names, of the share of their calling files that also call the candidate. Files in
   * `exclude` do not count (eval: the case's own file). Built once per request, asked per candidate.
   */
  coCallScorer(calledHere: readonly string[], exclude?: ReadonlySet<string>): (candidate: string) => number {
    if (!calledHere.length) return () => 0;
    const excluded = this.coTargetsOf(exclude);
    return (candidate) => this.coCallAffinity(candidate, calledHere, excluded);
  }

  /** The distinct targets each of the `exclude` files calls (the co-call counts to take out). */
  private coTargetsOf(exclude: ReadonlySet<string> | undefined): string[][] {
    return exclude?.size ? [...exclude].map((p) => this.coTargetsByPath.get(p)).filter((t): t is string[] => !!t) : [];
  }

  private coCallAffinity(candidate: string, calledHere: readonly string[], excluded: readonly string[][]): number {
    let sum = 0;
    for (const s of calledHere) {
      if (s === candidate) continue;
      let files = this.coFiles.get(s) ?? 0;
      let both = this.coPairs.get(s)?.get(candidate) ?? 0;
      for (const t of excluded) {
        if (!t.includes(s)) continue;
        files--;
        if (t.includes(candidate)) both--;
      }
      if (files > 0 && both > 0) sum += both / files;
    }
    return sum / calledHere.length;
  }

  /**
   * How the calls of names that share words with the candidate's name look just before the call,
   * against the hole's terms: for each word of the name seen in at least `HOLE_WORD_MIN_CALLS`
   * calls, the mean share of those calls showing each hole term, averaged over the words. It
   * pools the habits of namesakes (`var strName = Get…String…`, `if (Is…`), so a helper called
   * once or never still meets the shape of its family's calls. Call sites in `excluded` do not
   * count (eval: the case's own file). Built once per request, asked per candidate.
   */
  holeWordScorer(hole: readonly string[], excluded?: Map<string, CallSite[]>): (candidate: string) => number {
    if (!hole.length) return () => 0;
    const table = this.holeWordTable();
    let minus: HoleWordTable | undefined;
    if (excluded?.size) {
      minus = { total: new Map(), terms: new Map() };
      for (const sites of excluded.values()) for (const site of sites) this.bumpHoleWords(minus, site, 1);
    }
    // Candidates share their words (`get`, `utils`, a domain's nouns): each word's share is
    // computed once per ranking; NaN marks a word called too rarely to count.
    const shares = new Map<string, number>();
    const shareOf = (w: string): number => {
      let share = shares.get(w);
      if (share !== undefined) return share;
      const total = (table.total.get(w) ?? 0) - (minus?.total.get(w) ?? 0);
      if (total < HOLE_WORD_MIN_CALLS) share = NaN;
      else {
        const row = table.terms.get(w);
        const less = minus?.terms.get(w);
        share = 0;
        for (const h of hole) share += Math.max(0, (row?.get(h) ?? 0) - (less?.get(h) ?? 0)) / total;
        share /= hole.length;
      }
      shares.set(w, share);
      return share;
    };
    return (candidate) => {
      let sum = 0;
      let words = 0;
      for (const w of this.nameWords(candidate)) {
        const share = shareOf(w);
        if (Number.isNaN(share)) continue;
        sum += share;
        words++;
      }
      return words ? sum / words : 0;
    };
  }

  /**
   * How much of the name of the variable the hole is assigned to a candidate's name holds: the
   * share of the hole's `as:` terms (the variable's words, `holeTerms`) among the name's words.
   * Code names what it keeps after what it got, so `var strAppName = ` points at `GetAppName`.
   */
  assignedNameScorer(hole: readonly string[]): (name: string) => number {
    const words = hole.filter((t) => t.startsWith('as:')).map((t) => t.slice(3));
    if (!words.length) return () => 0;
    return (name) => {
      const mine = this.nameWords(name);
      let shared = 0;
      for (const w of words) if (mine.includes(w)) shared++;
      return shared / words.length;
    };
  }

  private holeWordTable(): HoleWordTable {
    if (!this.holeWords) this.buildHoleWords(Number.POSITIVE_INFINITY);
    return this.holeWords!;
  }

  /**
   * Builds the hole-word table until `deadline` (a `performance.now()` time); true once it is in
   * use. The calls are counted per name first, then spread over the name's words: the calls of
   * one name share a few shapes, so a word's row takes a handful of additions per name instead of
   * one per call. A build left part way resumes where it stopped, or starts over if call sites
   * came or went meanwhile; the table is used only once whole, so it is the same either way.
   */
  private buildHoleWords(deadline: number): boolean {
    if (this.holeWords) return true;
    let b = this.holeWordBuild;
    if (!b || b.sitesVersion !== this.sitesVersion) {
      b = this.holeWordBuild = { sitesVersion: this.sitesVersion, files: [...this.sitesByPath.values()], nextFile: 0, calls: new Map(), shapes: new Map(), nextName: 0 };
    }
    while (b.nextFile < b.files.length) {
      for (const site of b.files[b.nextFile++]) {
        inc(b.calls, site.target, 1);
        let shapes = b.shapes.get(site.target);
        if (!shapes) b.shapes.set(site.target, (shapes = new Map()));
        for (const h of siteHoleTerms(site)) inc(shapes, h, 1);
      }
      if ((b.nextFile & 127) === 0 && performance.now() >= deadline) return false;
    }
    b.names ??= [...b.calls];
    b.table ??= { total: new Map(), terms: new Map() };
    while (b.nextName < b.names.length) {
      const [target, n] = b.names[b.nextName++];
      this.addHoleWords(b.table, target, n, b.shapes.get(target)!);
      if ((b.nextName & 31) === 0 && performance.now() >= deadline) return false;
    }
    this.holeWords = b.table;
    this.holeWordBuild = undefined;
    return true;
  }
  private holeWordBuild?: {
    sitesVersion: number;
    files: Array<readonly CallSite[]>;
    nextFile: number;
    calls: Map<string, number>;
    shapes: Map<string, Map<string, number>>;
    names?: Array<[string, number]>;
    nextName: number;
    table?: HoleWordTable;
  };
  /** Bumped whenever a file's call sites come or go (`addCoCalls`, `removeCoCalls`). */
  private sitesVersion = 0;

  private bumpHoleWords(table: HoleWordTable, site: CallSite, by: number): void {
    this.addHoleWords(table, site.target, by, siteHoleTerms(site).map((h) => [h, by] as const));
  }

  /** Adds `calls` calls of `target`, showing hole terms `terms` (term, count), to the rows of its name's words. */
  private addHoleWords(table: HoleWordTable, target: string, calls: number, terms: Iterable<readonly [string, number]>): void {
    for (const w of this.nameWords(target)) {
      inc(table.total, w, calls);
      let row = table.terms.get(w);
      if (!row) table.terms.set(w, (row = new Map()));
      for (const [h, n] of terms) inc(row, h, n);
      if (row.size === 0) table.terms.delete(w);
    }
  }

  /** The distinct words of a name, as the documents' terms are made (`tokenize`). */
  private nameWords(name: string): readonly string[] {
    let words = this.nameWordCache.get(name);
    if (!words) {
      words = [...new Set(tokenize(name))];
      this.nameWordCache.set(name, words);
    }
    return words;
  }

  private addCoCalls(path: string, sites: readonly CallSite[]): void {
    if (sites.length) {
      this.sitesVersion++;
      this.sitesByPath.set(path, sites);
      if (this.holeWords) for (const site of sites) this.bumpHoleWords(this.holeWords, site, 1);
    }
    const targets = [...new Set(sites.map((s) => s.target))].slice(0, CO_CALL_MAX_TARGETS);
    if (!targets.length) return;
    this.coTargetsByPath.set(path, targets);
    this.bumpCoCalls(targets, 1);
  }

  private removeCoCalls(path: string): void {
    const sites = this.sitesByPath.get(path);
    if (sites) {
      this.sitesVersion++;
      this.sitesByPath.delete(path);
      if (this.holeWords) for (const site of sites) this.bumpHoleWords(this.holeWords, site, -1);
    }
    const targets = this.coTargetsByPath.get(path);
    if (!targets) return;
    this.coTargetsByPath.delete(path);
    this.bumpCoCalls(targets, -1);
  }

  private bumpCoCalls(targets: readonly string[], by: number): void {
    for (const a of targets) {
      inc(this.coFiles, a, by);
      let row = this.coPairs.get(a);
      for (const b of targets) {
        if (a === b) continue;
        if (!row) this.coPairs.set(a, (row = new Map()));
        inc(row, b, by);
      }
      if (row && row.size === 0) this.coPairs.delete(a);
    }
  }

  docIdOf(si: ScriptIncludeInfo): number | undefined {
    return this.docIdBySi.get(si);
  }

  /** The platform API documents (a fixed set, indexed once). */
  platformDocs(): ApiDocRef[] {
    return (this.platformRefs ??= [...this.docs.values()].filter((d) => d.kind === 'platform'));
  }
  private platformRefs?: ApiDocRef[];

  /** Bumped whenever a document comes or goes: what maps Script Includes to ids is valid until it moves. */
  get docsVersion(): number {
    return this.docsMoved;
  }
  private docsMoved = 0;

  /**
   * Computes, for at most about `budgetMs`, what ranking otherwise computes lazily the first
   * time it meets it: the hole-word table (every ranking with a hole asks for it whole), the
   * BM25 impact lists of both indexes, each Script Include's usage counts, then what each usage
   * example resolves to. True when nothing is left; after a change, it computes only what the
   * change dropped.
   */
  warm(budgetMs: number): boolean {
    const end = performance.now() + budgetMs;
    if (!this.buildHoleWords(end)) return false;
    if (!this.apiBm25.warmImpacts(Math.max(0, end - performance.now()))) return false;
    if (!this.usageBm25.warmImpacts(Math.max(0, end - performance.now()))) return false;
    const g = this.index.generation;
    if (!this.warmNames || this.warmNames.generation !== g) {
      const names = new Set<string>();
      for (const ref of this.docs.values()) if (ref.si) names.add(ref.si.name);
      this.warmNames = { generation: g, names: [...names], next: 0 };
    }
    const w = this.warmNames;
    while (w.next < w.names.length) {
      this.countsOf(w.names[w.next++]);
      if ((w.next & 15) === 0 && performance.now() >= end) return false;
    }
    // Then what each usage example's call resolves to, which a change of Script Includes drops.
    if (!this.warmTargets || this.warmTargets.generation !== g) this.warmTargets = { generation: g, ids: this.usages.ids(), next: 0 };
    const t = this.warmTargets;
    while (t.next < t.ids.length) {
      this.usageTarget(t.ids[t.next++]);
      if ((t.next & 255) === 0 && performance.now() >= end) return false;
    }
    t.ids = [];
    t.next = 0;
    return true;
  }
  private warmNames?: { generation: number; names: string[]; next: number };
  private warmTargets?: { generation: number; ids: number[]; next: number };

  /** One past the largest document id: sizes a per-query bitmap of allowed ids. */
  get docIdLimit(): number {
    return this.nextDocId;
  }

  /**
   * A method's distinct terms, in first-seen order (method ranking reads them on every keystroke).
   * Kept while the method is indexed, each term one shared string: with a fresh string per term,
   * the terms of a 10,000-Script-Include workspace's 54,000 methods held 48 MB; shared, 14 MB.
   */
  methodTerms(m: MethodInfo): readonly string[] {
    let terms = this.methodTermCache.get(m);
    if (!terms) {
      terms = this.methodTermPool.list([...new Set(methodTerms(m, this.options.docs))]);
      this.methodTermCache.set(m, terms);
    }
    return terms;
  }

  /**
   * The document id of the Script Include a usage's call site resolves to (-1: none), cached
   * until the index changes.
   */
  usageTarget(usageId: number): number {
    if (this.usageTargetGeneration !== this.index.generation) {
      this.usageTargetCache.clear();
      this.usageTargetGeneration = this.index.generation;
    }
    let id = this.usageTargetCache.get(usageId);
    if (id === undefined) {
      const site = this.usages.site(usageId);
      const si = site ? this.index.resolve(site.target, site.qualifier, site.scope) : undefined;
      id = si ? (this.docIdOf(si) ?? -1) : -1;
      this.usageTargetCache.set(usageId, id);
    }
    return id;
  }

  /**
   * Call sites of the given files grouped by target name, to take out of the usage statistics
   * (a case's own file in evaluation). Computed once per request.
   */
  excludedSites(exclude: ReadonlySet<string> | undefined): Map<string, CallSite[]> | undefined {
    if (!exclude || exclude.size === 0) return undefined;
    const out = new Map<string, CallSite[]>();
    for (const path of exclude) {
      for (const site of this.index.file(path)?.callSites ?? []) {
        const list = out.get(site.target);
        if (list) list.push(site);
        else out.set(site.target, [site]);
      }
    }
    return out;
  }

  // --- persistence ---------------------------------------------------------------------------

  /** What a restart needs to skip tokenizing and indexing unchanged files (vectors are saved apart). */
  snapshot(): RetrievalSnapshot {
    const files: RetrievalSnapshot['files'] = [];
    const paths = new Set([...this.docsByPath.keys(), ...this.usagesByPath.keys()]);
    for (const path of paths) {
      const entry = this.index.file(path);
      if (!entry) continue;
      const docs = (this.docsByPath.get(path) ?? []).map((id) => [id, siKey(this.docs.get(id)!.si!)] as [number, string]);
      files.push({ path, hash: entry.hash, docs, usages: this.usagesByPath.get(path) ?? [] });
    }
    const platform = this.platformDocs().map((r) => [r.id, platformKey(r.platform!)] as [number, string]);
    return {
      format: SNAPSHOT_FORMAT,
      options: optionsKey(this.options),
      embedderId: this.embedderId,
      files,
      platform,
      api: this.apiBm25.toParts(),
      usage: this.usageBm25.toParts(),
      nextDocId: this.nextDocId,
      nextUsageId: this.nextUsageId,
    };
  }

  /**
   * Restores a snapshot taken by an earlier run, then brings it up to date with the index: files
   * whose hash changed, appeared or went are re-indexed the ordinary way. Returns false (and
   * leaves the index empty) when the snapshot does not fit; the caller then builds.
   */
  restore(snap: RetrievalSnapshot, learned: LearnedEmbedder | undefined, vectors: VectorIndex | undefined): boolean {
    if (!snap || snap.format !== SNAPSHOT_FORMAT || !snap.api || !snap.usage || snap.options !== optionsKey(this.options)) return false;
    // Small workspaces use the deterministic hashing embedder and persist no learned one.
    const embedder = learned?.embedder ?? this.embedder;
    // A snapshot made under another embedder (learned vs. model, or another model) never mixes in.
    const spaceId = this.model?.id ?? embedder.id;
    const dim = this.model?.dim ?? embedder.dim;
    if (this.options.dense && (!vectors || spaceId !== snap.embedderId || vectors.dim !== dim)) return false;
    const apis = new Map(platformApis().map((a) => [platformKey(a), a]));
    if (snap.platform.length !== apis.size || snap.platform.some(([, name]) => !apis.has(name))) return false;
    const api = Bm25Index.fromParts<ApiField>(snap.api.header, snap.api.arrays);
    const usage = Bm25Index.fromParts<UsageField>(snap.usage.header, snap.usage.arrays);
    if (!api.ok || !usage.ok) return false;
    this.unsubscribe?.();
    this.apiBm25 = api.index;
    this.usageBm25 = usage.index;
    this.apiBm25.setParams(API_FIELD_WEIGHTS);
    this.usageBm25.setParams(USAGE_FIELD_WEIGHTS);
    this.nextDocId = snap.nextDocId;
    this.nextUsageId = snap.nextUsageId;
    if (this.options.dense) {
      if (!this.model) this.embedder = embedder;
      this.vectors = vectors;
    }
    for (const [id, name] of snap.platform) {
      const p = apis.get(name)!;
      this.addDoc('platform', undefined, p, undefined, id, true);
    }
    const stale = new Set<string>();
    const seen = new Set<string>();
    // Removed together: finding a document's terms costs about as much for one as for a few.
    const goneDocs: number[] = [];
    const goneUsages: number[] = [];
    // No closure in this loop may name `f`, `entry` or `keys`: a document's fields are computed
    // later by its ApiDocRef, and a closure made here would keep the snapshot's record of every
    // file alive with it (V8 keeps a closure's whole scope).
    for (const f of snap.files) {
      seen.add(f.path);
      const entry = this.index.file(f.path);
      const keys = entry ? new Map(entry.scriptIncludes.map((si) => [siKey(si), si])) : undefined;
      let fits = !!entry && !this.index.isClaimed(f.path) && entry.hash === f.hash && f.usages.length === (this.options.usage ? entry.callSites.length : 0);
      for (const doc of f.docs) fits &&= keys!.has(doc[1]);
      if (!fits || !entry) {
        // Take its old documents out; the file is indexed afresh below if it still counts.
        for (const [id] of f.docs) {
          goneDocs.push(id);
          this.vectors?.remove(id);
        }
        for (const id of f.usages) goneUsages.push(id);
        stale.add(f.path);
        continue;
      }
      // The entry's path, not the snapshot's copy of it: one string per file.
      const path = entry.path;
      const ids: number[] = [];
      for (const [id, key] of f.docs) {
        this.addDoc('script-include', keys!.get(key)!, undefined, path, id, true);
        ids.push(id);
      }
      if (ids.length) this.docsByPath.set(path, ids);
      for (let i = 0; i < f.usages.length; i++) this.usages.set(f.usages[i], entry.callSites[i], path);
      if (f.usages.length) this.usagesByPath.set(path, f.usages);
    }
    this.apiBm25.removeAll(goneDocs);
    this.usageBm25.removeAll(goneUsages);
    for (const entry of this.index.visibleFiles()) {
      if (!seen.has(entry.path) && (entry.scriptIncludes.length || entry.callSites.length)) stale.add(entry.path);
      else if (seen.has(entry.path) && !stale.has(entry.path)) this.addCoCalls(entry.path, entry.callSites);
    }
    for (const path of stale) {
      const entry = this.index.file(path);
      if (!entry || this.index.isClaimed(path)) continue;
      this.embedRefs(this.addEntryDocs(entry));
      this.addEntryUsages(entry);
    }
    this.generation = this.index.generation;
    this.unsubscribe = this.index.onDidChange((change) => this.applyChange(change));
    return true;
  }

  // --- incremental maintenance -------------------------------------------------------------

  private applyChange(change: IndexChange): void {
    const affected = new Set<string>();
    for (const p of change.paths) {
      affected.add(p);
      // A Fluent claim hides or reveals the plain entry of the included file.
      for (const c of this.index.claimantsOf(p)) affected.add(c);
    }
    const gone = { docs: [] as number[], usages: [] as number[] };
    for (const p of affected) this.removePath(p, gone);
    this.apiBm25.removeAll(gone.docs);
    this.usageBm25.removeAll(gone.usages);
    for (const p of affected) {
      const entry = this.index.file(p);
      if (!entry || this.index.isClaimed(p)) continue;
      this.embedRefs(this.addEntryDocs(entry));
      this.addEntryUsages(entry);
    }
    // What is known per name stays, but for the names this change touched (the index lists them,
    // claimed files included): after a save, the next keystrokes no longer recompute the
    // statistics of every candidate.
    const previous = change.generation - 1;
    this.countsCache.forget(change.names, change.generation, previous);
    this.neighbourCache.next.forget(change.names, change.generation, previous);
    this.neighbourCache.prev.forget(change.names, change.generation, previous);
    if (!change.scriptIncludes && this.usageTargetGeneration === previous) this.usageTargetGeneration = change.generation;
    this.generation = change.generation;
  }

  /** Forgets a file's documents; their BM25 ids go to `gone`, for the caller to remove from the indexes in one go. */
  private removePath(path: string, gone: { docs: number[]; usages: number[] }): void {
    for (const id of this.docsByPath.get(path) ?? []) {
      this.docsMoved++;
      const ref = this.docs.get(id);
      if (ref?.si) this.docIdBySi.delete(ref.si);
      if (ref) this.fieldsCache.delete(ref);
      this.docs.delete(id);
      gone.docs.push(id);
      this.vectors?.remove(id);
    }
    this.docsByPath.delete(path);
    for (const id of this.usagesByPath.get(path) ?? []) {
      this.usages.delete(id);
      this.usageTargetCache.delete(id);
      gone.usages.push(id);
    }
    this.usagesByPath.delete(path);
    this.removeCoCalls(path);
  }

  private addDoc(kind: ApiDocRef['kind'], si?: ScriptIncludeInfo, platform?: PlatformApi, path?: string, id = this.nextDocId++, indexed = false): ApiDocRef {
    const ref = new ApiDocRef(id, kind, this.docOptions, this.fieldsCache, si, platform, path);
    this.docsMoved++;
    this.docs.set(ref.id, ref);
    if (!indexed) (this.buildingApi ?? this.apiBm25).add(ref.id, ref.fields);
    if (ref.si) this.docIdBySi.set(ref.si, ref.id);
    return ref;
  }

  private addEntryDocs(entry: FileEntry): ApiDocRef[] {
    const refs: ApiDocRef[] = [];
    for (const si of entry.scriptIncludes) {
      refs.push(this.addDoc('script-include', si, undefined, entry.path));
    }
    if (refs.length) this.docsByPath.set(entry.path, refs.map((r) => r.id));
    return refs;
  }

  private addEntryUsages(entry: FileEntry): void {
    const ids: number[] = [];
    this.addCoCalls(entry.path, entry.callSites);
    if (this.options.usage && entry.callSites.length) {
      const snippets = entrySnippets(entry, this.index.packs);
      entry.callSites.forEach((site, i) => {
        const id = this.nextUsageId++;
        this.usages.set(id, site, entry.path);
        (this.buildingUsage ?? this.usageBm25).add(id, usageFields(site, snippets[i]));
        ids.push(id);
      });
    }
    if (ids.length) this.usagesByPath.set(entry.path, ids);
  }
}

/** Most distinct targets of one file that count for co-calls (pairs grow with their square). */
const CO_CALL_MAX_TARGETS = 60;
/** Fewest counted calls of names holding a word before the word says how such calls look. */
const HOLE_WORD_MIN_CALLS = 3;

type HoleWordTable = { total: Map<string, number>; terms: Map<string, Map<string, number>> };

/**
 * At most `max` of `total` documents, drawn evenly (every k-th, deterministic) as they come, one
 * at a time: the others are never held.
 */
export class StrideSample<T> {
  readonly kept: T[] = [];
  offered = 0;
  private readonly step: number;

  constructor(
    private readonly total: number,
    private readonly max: number,
  ) {
    this.step = total <= max ? 1 : total / max;
  }

  offer(doc: T): void {
    if (this.takes()) this.kept.push(doc);
  }

  /**
   * Counts one more item offered and says whether the sample keeps it (the caller then pushes it
   * to `kept`): an item whose making costs something is made only when kept.
   */
  takes(): boolean {
    const i = this.offered++;
    if (i >= this.total || this.kept.length >= this.max) return false;
    return i === Math.floor(this.kept.length * this.step);
  }
}

/** A platform API is named per side: GlideRecord exists on both, with different surfaces. */
function platformKey(api: PlatformApi): string {
  return `${api.side}:${api.name}`;
}

/** The options that change what is indexed: a snapshot taken under others does not fit. */
function optionsKey(o: RetrievalOptions): string {
  return JSON.stringify([o.dense, o.docs.jsdoc, o.usage, o.embedderDim, o.embedderWindow, o.embedderUsageDocs, o.embedderMaxDocs]);
}

export function siKey(si: ScriptIncludeInfo): string {
  return `${si.apiName}@${si.path}`;
}

/**
 * A document as a sentence-embedding model reads it: the name's words and its API name, the
 * summary, the public methods with their summaries, and the tables it touches.
 */
export function embeddingText(ref: ApiDocRef): string {
  if (ref.platform) {
    const p = ref.platform;
    return `${splitIdentifier(p.name).join(' ')} (${p.name}): ${p.description} Methods: ${[...new Set(p.methods.map((m) => m.name))].slice(0, 16).join(', ')}`;
  }
  const si = ref.si!;
  const summary = si.description || si.jsdoc?.summary || '';
  const methods = si.methods
    .filter((m) => !m.isPrivate && m.name !== 'initialize')
    .slice(0, 16)
    .map((m) => `${m.name}${m.jsdoc?.summary ? ` - ${m.jsdoc.summary}` : ''}`);
  const tables = si.tables.length ? ` Tables: ${si.tables.join(', ')}.` : '';
  return `${splitIdentifier(si.name).join(' ')} (${si.apiName}): ${summary}${tables} Methods: ${methods.join('; ')}`;
}

/**
 * A document's words as the embedder learns from them. The body's words are cut to its first
 * few: the embedder counts every pair of words in a document, so a long body would cost the
 * square of its length (they still count whole in the BM25 field and in the document's vector).
 */
function allTerms(fields: ApiFields): string[] {
  return API_FIELDS.flatMap((f) => (f === 'body' ? fields[f].slice(0, EMBEDDER_BODY_TERMS) : fields[f]).filter((t) => !t.includes(':')));
}

/** Body words per document the embedder learns from. */
const EMBEDDER_BODY_TERMS = 40;

function inc(map: Map<string, number>, key: string | undefined, by: number): void {
  if (!key) return;
  const v = (map.get(key) ?? 0) + by;
  if (v <= 0) map.delete(key);
  else map.set(key, v);
}

/**
 * Values computed per name when first asked, kept across index changes that do not touch the
 * name (`forget` hears of those that do). A change it was not told of (the generation moved past
 * the last one it heard) drops everything.
 */
class NameCache<V> {
  private generation = -1;
  private byName = new Map<string, V>();

  get(generation: number, name: string, compute: () => V): V {
    if (this.generation !== generation) {
      this.generation = generation;
      this.byName = new Map();
    }
    if (this.byName.has(name)) return this.byName.get(name) as V;
    const value = compute();
    this.byName.set(name, value);
    return value;
  }

  /** The index moved to `generation`, changing only what is known of `names`. */
  forget(names: ReadonlySet<string>, generation: number, previous: number): void {
    if (this.generation !== previous) {
      this.generation = generation;
      this.byName = new Map();
      return;
    }
    this.generation = generation;
    if (names.size > this.byName.size) {
      for (const name of [...this.byName.keys()]) if (names.has(name)) this.byName.delete(name);
    } else for (const name of names) this.byName.delete(name);
  }
}

/** The `limit` names of highest score, ties by name (kept in order as they come: no sort of them all). */
function topNames(score: Map<string, number>, limit: number): string[] {
  if (limit <= 0) return [];
  const top: Array<[string, number]> = [];
  const before = (a: [string, number], b: [string, number]) => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
  for (const entry of score) {
    if (top.length === limit && !before(entry, top[top.length - 1])) continue;
    let at = top.length;
    while (at > 0 && before(entry, top[at - 1])) at--;
    top.splice(at, 0, entry);
    if (top.length > limit) top.pop();
  }
  return top.map(([name]) => name);
}

/** Counts of the names called next to one name, and their sum. */
interface Neighbours {
  counts: Map<string, number>;
  total: number;
}

/** Each call of a file with its script's calls in order (by offset) and its place among them. */
function scriptOrder(sites: readonly CallSite[]): Map<CallSite, { script: CallSite[]; at: number }> {
  const scripts = new Map<string, CallSite[]>();
  for (const s of sites) {
    const key = `${s.callerTable}\u0000${s.callerName}`;
    const list = scripts.get(key);
    if (list) list.push(s);
    else scripts.set(key, [s]);
  }
  const out = new Map<CallSite, { script: CallSite[]; at: number }>();
  for (const script of scripts.values()) {
    script.sort((a, b) => a.scriptOffset - b.scriptOffset);
    script.forEach((s, at) => out.set(s, { script, at }));
  }
  return out;
}

/** The call of the same script nearest after (`next`) or before (`prev`) `site`; calls at the same offset are not neighbours. */
function neighbourIn(order: Map<CallSite, { script: CallSite[]; at: number }>, site: CallSite, dir: 'next' | 'prev'): CallSite | undefined {
  const place = order.get(site);
  if (!place) return undefined;
  const step = dir === 'next' ? 1 : -1;
  for (let i = place.at + step; i >= 0 && i < place.script.length; i += step) {
    if (place.script[i].scriptOffset !== site.scriptOffset) return place.script[i];
  }
  return undefined;
}
