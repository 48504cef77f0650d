/**
 * The server's state, owned in one place and passed to features: the workspace folders (each with
 * its index, indexer, knowledge graph and optional file watcher), the open documents and the
 * settings. It knows nothing of the LSP connection: it reaches the editor through `Editor`.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { LEARN_QUIET_MS, RequestActivity } from './activity';
import { defaultSettings, Settings } from './config';
import { DocumentStore } from './documents';
import { Editor } from './editor';
import { ApiIndex } from './index/api-index';
import { Indexer, IndexStats } from './index/indexer';
import { KnowledgeGraphCache } from './index/knowledge-graph';
import { SchemaIndex } from './index/schema-index';
import { PipelineOutput, RankRequest, RetrievalPipeline } from './retrieval/pipeline';
import { CompactReranker, loadReranker, Reranker, SHIPPED_COMPACT_NAME, SHIPPED_WEIGHTS } from './rerank/reranker';
import { exportMlpToOnnx, mlpFromJson, MlpModel } from './rerank/mlp';
import { PipelineMode, rank, SERVING_RANK_OPTIONS } from './rank/ranker';
import { LEARN_MAX_CASES, learnRanking, LearnedRanking, loadLearnedRanking, saveLearnedRanking } from './rank/learn';
import { buildCases } from './rank/cases';
import { caseRequest } from './rank/case-request';
import { createHash } from 'crypto';
import { loadOnnxEmbedder, OnnxEmbedder } from './index/onnx-embedder';
import { readWorkspaceModelReport, WORKSPACE_MODEL } from './rerank/workspace-model';
import { CacheFolder } from './index/cache-folder';
import { RESTORED, RetrievalStore } from './retrieval/retrieval-store';
import { RetrievalIndex } from './retrieval/retrieval-index';
import { FileChange, watchWorkspace } from './workspace/watcher';
import { collectBuildGarbage, collectInBackground } from './memory';
import { cursorContext } from './syntax/cursor-context';
import { parseJavaScript } from './syntax/parser';


/** Share of the workspace's files that must change before the ranking is learned again. */
const RELEARN_SHARE = 0.1;
/** Positions ranked once after a start (`warmInBackground`): after `new`, and at a bare call. */
const PRIMING_POSITIONS = ["var gr = new GlideRecord('incident');\ngr.query();\nvar helper = new ", "var gr = new GlideRecord('incident');\nif (gr.get(current.sys_id)) {\n    var result = "];
/**
 * The workspace's own call sites ranked once after a start, as completions there would rank
 * them. A few fixed positions leave most of the ranking code unoptimised: at 10,000 Script
 * Includes the first 150 completions over stdio had a p95 of 30 ms against 12 for the same 150
 * asked again, and after 150 other positions of the workspace the first pass was as fast as the
 * second (what lazily computed state ranking keeps per Script Include made little of the gap).
 */
const PRIME_CASES = 120;
/** Quiet time before each of those rankings: one never waits between a keystroke and its answer while the developer types. */
const PRIME_QUIET_MS = 100;
/** Longest stretch of background warm-up between two turns of the event loop. */
const WARM_SLICE_MS = 2;


/** Thrown out of the priming's waits when the workspace closes or its index is rebuilt. */
class PrimingStopped extends Error {}

export class Workspace {
  readonly index = new ApiIndex();
  readonly indexer: Indexer;
  readonly graph: KnowledgeGraphCache;
  /** Tables, fields and system properties: the workspace's, what its code names, the platform's common ones. */
  readonly schema: SchemaIndex;
  /** Search structures over the index; built once the first index is in, then kept in step. */
  readonly retrieval: RetrievalIndex;
  readonly pipeline: RetrievalPipeline;
  /** The cache folder, its one owner (undefined: nothing is persisted). */
  readonly cache?: CacheFolder;
  private readonly store: RetrievalStore;
  /** The reranker in use (undefined: retrieval order only). */
  reranker?: Reranker;
  /** The sentence-embedding model of dense retrieval (`embedder.model`), when one loaded. */
  embeddingModel?: OnnxEmbedder;
  /** Resolves when the first full index is in (the end of the indexing progress). */
  readonly ready: Promise<IndexStats>;
  private settle!: { resolve: (s: IndexStats) => void; reject: (e: unknown) => void };
  private watcher?: { close(): Promise<void>; ready: Promise<void> };

  constructor(
    readonly root: string,
    private readonly settings: Settings,
    private readonly editor: Editor,
    persist = true,
    /** When the editor last asked for something: learning waits for quiet spells (activity.ts). */
    private readonly activity = new RequestActivity(),
  ) {
    const cache = persist ? CacheFolder.resolve(root, settings['index.cacheDir']) : undefined;
    if (cache && !cache.ok) editor.log('warn', `${cache.error}; nothing is cached for ${root}`);
    this.cache = cache?.ok ? cache.folder : undefined;
    this.indexer = new Indexer(this.index, { root, settings, editor, persist: !!this.cache, cache: this.cache });
    this.graph = new KnowledgeGraphCache(this.index);
    this.schema = new SchemaIndex(this.index);
    this.retrieval = new RetrievalIndex(this.index);
    this.pipeline = new RetrievalPipeline(this.index, this.retrieval, () => this.graph.get());
    this.store = new RetrievalStore(this.index, this.retrieval, this.cache, (message) => this.editor.log('warn', message));
    // Requests that arrive before indexing starts wait on this, and are answered once it ends.
    this.ready = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.ready.catch(() => undefined);
  }

  get name(): string {
    return path.basename(this.root);
  }

  /**
   * Indexes the workspace, then builds retrieval and loads the reranker. Completion answers all
   * along: by name from the files indexed so far, then through the full pipeline once retrieval
   * is built. `onStage` hears when the files are in and retrieval starts building.
   */
  startIndexing(onProgress?: (done: number, total: number) => void, onStage?: (stage: 'retrieval') => void): Promise<IndexStats> {
    const done = this.indexer.indexAll(onProgress).then(async (stats) => {
      onStage?.('retrieval');
      // Let requests that queued during the last batches be answered before the build.
      await new Promise((resolve) => setImmediate(resolve));
      // A start that read every file from the cache leaves only the cache's parsed lines behind
      // (25 MB at 10,000 Script Includes), and one that restores retrieval too builds nothing:
      // its garbage waits for the server's first collection after the start (server.ts) rather
      // than hold the start up (two full collections were 160 ms of a 3 s warm start).
      const warm = stats.cache === 'loaded' && stats.extracted === 0;
      // The parsed files and the entries' own copies go before retrieval builds on top of them.
      if (!warm) this.releaseMemory('reading the files');
      await this.loadEmbeddingModel();
      const how = await this.buildRetrieval();
      // Before the reranker's model is loaded: the build's garbage goes first, so the two never
      // add up to the start's peak.
      if (!warm || how !== RESTORED) this.releaseMemory('building retrieval');
      await this.loadReranker();
      return stats;
    });
    done.then(this.settle.resolve, this.settle.reject);
    // Learning starts once the workspace answers, and never holds up `ready`.
    done.then(() => this.scheduleLearning(), () => undefined);
    done.then(
      () => {
        this.startWarming(true);
        // A change drops what it touched (impact lists, counts, the graph and pruned sets when
        // Script Includes change): the warm-up runs again, so the next keystroke does not pay for it.
        this.unsubscribeWarming = this.index.onDidChange(() => this.startWarming(false));
      },
      () => undefined,
    );
    return done;
  }

  /** The warm-up under way (see `warmInBackground`), so tests and shutdown can wait for it. */
  warming?: Promise<void>;
  private warmingActive = false;
  private warmAgain = false;
  private unsubscribeWarming?: () => void;
  private disposed = false;

  /** Starts the warm-up, or has the one under way go round once more when it is done. */
  private startWarming(prime: boolean): void {
    if (this.disposed) return;
    if (this.warmingActive) {
      this.warmAgain = true;
      return;
    }
    this.warmingActive = true;
    this.warming = this.warmInBackground(prime)
      .catch((err) => this.editor.log('warn', `warming the search lists failed: ${(err as Error).message}; they are built as keystrokes need them`))
      .finally(() => {
        this.warmingActive = false;
        // A change that came while this round ran: one more round.
        if (this.warmAgain) {
          this.warmAgain = false;
          this.startWarming(false);
        }
      });
  }

  /**
   * Computes, between requests, the lists the first searches after a start (or after a change)
   * would otherwise each compute on a keystroke (retrieval-index.ts and pipeline.ts `warm`).
   * Slices of a few milliseconds, each after the event loop has answered what was waiting, so a
   * keystroke waits for one slice at most.
   */
  private async warmInBackground(prime: boolean): Promise<void> {
    const started = performance.now();
    let slices = 0;
    while (!this.disposed) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.disposed || !this.retrieval.built) return;
      slices++;
      if (this.retrieval.warm(WARM_SLICE_MS) && this.pipeline.warm(WARM_SLICE_MS)) break;
    }
    if (!prime) {
      this.editor.log('debug', `warmed again after a change in ${slices} slices, over ${Math.round(performance.now() - started)} ms`);
      return;
    }
    // Then a ranking at each common kind of position, as a keystroke would make it: the code on
    // that path is compiled and the reranker's session has run once, so the developer's first
    // completion does not pay for it (at 10,000 Script Includes it took 130 ms, the next ones 15).
    for (const source of PRIMING_POSITIONS) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.disposed || !this.retrieval.built) return;
      const context = cursorContext(source, parseJavaScript(source), source.length, { recordType: 'sys_script', side: 'server', scope: 'global' });
      await this.rank({ context, includePlatform: true }).catch(() => undefined);
    }
    const primed = await this.primeAtCallSites();
    this.editor.log('debug', `warmed the search lists in ${slices} slices and primed ranking at ${primed} of the workspace's call sites, over ${Math.round(performance.now() - started)} ms`);
  }

  /**
   * Ranks up to `PRIME_CASES` of the workspace's call sites (leak-free cases, as learning builds
   * them) one at a time in quiet spells, for the code paths they take; the answers are dropped.
   * Returns how many were ranked.
   */
  private async primeAtCallSites(): Promise<number> {
    const stopped = () => this.disposed || !this.retrieval.built;
    const yieldTo = async () => {
      await this.activity.quiet(PRIME_QUIET_MS);
      if (stopped()) throw new PrimingStopped();
    };
    let ranked = 0;
    try {
      const { cases } = await buildCases(this.root, this.index, { limit: PRIME_CASES, maxFileSize: this.settings['index.maxFileSize'], yieldTo });
      for (const c of cases) {
        await yieldTo();
        await this.rank(caseRequest(c, '')).catch(() => undefined);
        ranked++;
      }
    } catch (err) {
      if (!(err instanceof PrimingStopped)) throw err;
    }
    return ranked;
  }

  /** One full garbage collection (memory.ts), logged: a bulk step's garbage goes back at once. */
  private releaseMemory(after: string): void {
    this.logReleased(after, collectBuildGarbage());
  }

  /** One incremental full collection once the editor is quiet, logged: the garbage of a long job after it ends. */
  private async releaseInQuiet(after: string): Promise<void> {
    await this.activity.quiet(LEARN_QUIET_MS);
    if (this.disposed) return;
    this.logReleased(after, await collectInBackground());
  }

  /** The debug line of a collection that gave a job's garbage back (none when no collection ran). */
  private logReleased(after: string, ms: number | undefined): void {
    if (ms === undefined) return;
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 2 ** 20);
    this.editor.log('debug', `released the memory of ${after} in ${Math.round(ms)} ms (resident ${mb(m.rss)} MB; JavaScript heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB; outside it ${mb(m.external)} MB, ${mb(m.arrayBuffers)} MB of it array buffers)`);
  }

  /** The ranking learned on this workspace, when one is in use (for the log and explain view). */
  learned?: LearnedRanking;
  /** The learning under way, so tests and shutdown can wait for it. */
  learning?: Promise<void>;
  private learnToken = { isCancellationRequested: false };
  private changedSinceLearning = new Set<string>();
  private unsubscribeLearning?: () => void;

  /**
   * Learns the ranking from the workspace's own call sites, or restores what was learned on the
   * same files. Runs in small batches between requests; the result replaces the shipped weights
   * only when it beat them on held-back cases. Relearns once enough of the workspace changed.
   */
  private scheduleLearning(): void {
    if (!this.settings['rank.learnWorkspace'] || this.learning) return;
    this.unsubscribeLearning ??= this.index.onDidChange((change) => {
      for (const p of change.paths) this.changedSinceLearning.add(p);
      const files = Math.max(1, this.index.fileCount);
      if (!this.learning && this.changedSinceLearning.size >= Math.max(20, RELEARN_SHARE * files)) this.scheduleLearning();
    });
    this.changedSinceLearning.clear();
    this.learning = this.learnWorkspace()
      .catch((err) => {
        this.editor.log('warn', `learning the workspace's ranking failed: ${(err as Error).message}; the shipped weights stay`);
        return true;
      })
      // Learning searched its cases deeply and kept their candidates: garbage now, which V8 on its
      // own collects late or never on an idle server (at 10,000 Script Includes, 300 MB).
      .then((searched) => (searched ? this.releaseInQuiet('learning the workspace') : undefined))
      .finally(() => (this.learning = undefined));
  }

  /** Learns (or restores) the ranking; says whether it searched the workspace's cases to do so. */
  private async learnWorkspace(): Promise<boolean> {
    const started = performance.now();
    const signature = this.indexSignature();
    const cached = this.cache ? await loadLearnedRanking(this.cache, signature, this.reranker?.identity ?? this.reranker?.name) : undefined;
    let learned = cached;
    if (!learned) {
      // Every step, from reading the call sites' files on, waits until the developer pauses:
      // learning never stands between a keystroke and its answer.
      const yieldTo = () => this.activity.quiet(LEARN_QUIET_MS);
      const { cases } = await buildCases(this.root, this.index, { limit: LEARN_MAX_CASES, maxFileSize: this.settings['index.maxFileSize'], yieldTo });
      if (this.learnToken.isCancellationRequested) return true;
      learned = await learnRanking({ pipeline: this.pipeline, reranker: this.reranker }, cases, {
        token: this.learnToken,
        fineTuneFrom: await this.fineTuneStart(),
        yieldTo,
      });
      if (!learned) {
        this.editor.log('info', `ranking: shipped weights (${cases.length} cases from the workspace's call sites are too few to learn from)`);
        return true;
      }
      if (this.cache) await saveLearnedRanking(this.cache, learned, signature, this.reranker?.identity ?? this.reranker?.name).catch((err) => this.editor.log('warn', `could not save the learned ranking: ${(err as Error).message}`));
    }
    const h = learned.heldBack;
    const how = `held-back MRR ${h.defaults.mrr.toFixed(3)} -> ${h.learned.mrr.toFixed(3)}, top-5 ${(100 * h.defaults.top5).toFixed(1)}% -> ${(100 * h.learned.top5).toFixed(1)}% on ${h.learned.cases} cases; reranker weight ${learned.rerankWeight}`;
    if (learned.kept) {
      this.learned = learned;
      this.pipeline.weights = learned.weights;
      if (learned.model) await this.useTunedReranker(learned.model);
    } else {
      this.learned = undefined;
    }
    this.editor.log(
      'info',
      `ranking: ${learned.kept ? `learned on this workspace${learned.model ? ', reranker fine-tuned' : ''}` : 'shipped weights (learned ones were no better)'} (${how}; ${learned.fitCases} cases fitted${cached ? ', from the cache' : ''}) in ${Math.round(performance.now() - started)} ms`,
    );
    return !cached;
  }

  /**
   * The weights fine-tuning starts from: the shipped compact model's, when that is the reranker in
   * use (a user's model or a model trained by `train --workspace` is left as it is).
   */
  private async fineTuneStart(): Promise<MlpModel | undefined> {
    if (this.reranker?.name !== SHIPPED_COMPACT_NAME) return undefined;
    try {
      const parsed = mlpFromJson(await fs.readFile(SHIPPED_WEIGHTS, 'utf8'));
      return parsed.ok ? parsed.model : undefined;
    } catch {
      return undefined;
    }
  }

  /** Replaces the shipped reranker by the one fine-tuned on this workspace (built from its weights, never read as a model file). */
  private async useTunedReranker(weightsJson: string): Promise<void> {
    const parsed = mlpFromJson(weightsJson);
    if (!parsed.ok) return;
    const loaded = await CompactReranker.load(exportMlpToOnnx(parsed.model), 'compact-reranker (fine-tuned on this workspace)', this.settings['rerank.threads']);
    if (!loaded.ok) {
      this.editor.log('warn', `the reranker fine-tuned on this workspace does not load (${loaded.error}); the shipped one stays`);
      return;
    }
    const old = this.reranker;
    this.reranker = loaded.reranker;
    await old?.release().catch(() => undefined);
  }

  /** A digest of the indexed files and their hashes: learned weights belong to one state of the workspace. */
  private indexSignature(): string {
    const h = createHash('sha1');
    const paths: string[] = [];
    for (const e of this.index.visibleFiles()) paths.push(`${e.path}\u0000${e.hash}`);
    for (const p of paths.sort()) h.update(p).update('\n');
    return h.digest('hex');
  }


  /**
   * Restores the retrieval state of the last run (learned embedder, BM25 indexes, vectors) and
   * brings it up to date, or builds it from the index; a fresh build is saved for next time.
   */
  private async buildRetrieval(): Promise<string> {
    const started = performance.now();
    const how = await this.store.prepare(this.embeddingModel?.dim, (after) => this.releaseMemory(after));
    if (this.embeddingModel && how !== RESTORED) this.followEmbedding();
    this.editor.log('info', `retrieval ${how} in ${Math.round(performance.now() - started)} ms`);
    return how;
  }

  /**
   * Loads the model `embedder.model` names, before retrieval is built. A missing or malformed
   * model is one log line and the learned embedder stays in charge.
   */
  private async loadEmbeddingModel(): Promise<void> {
    const configured = this.settings['embedder.model'];
    if (!configured || this.embeddingModel) return;
    const modelPath = path.resolve(this.root, configured);
    const loaded = await loadOnnxEmbedder({ modelPath, threads: this.settings['rerank.threads'] });
    if (!loaded.ok) {
      this.editor.log('warn', `${loaded.error}; dense retrieval uses embeddings learned from the workspace`);
      return;
    }
    this.embeddingModel = loaded.embedder;
    this.retrieval.useModel(loaded.embedder, (message) => this.editor.log('warn', message));
    this.editor.log('info', `dense retrieval: embedding model ${modelPath} (${loaded.embedder.dim} dimensions)`);
  }

  /**
   * Logs when the model has embedded the documents of a build, then saves: a snapshot taken
   * earlier would list documents whose vectors it lacks.
   */
  private followEmbedding(): void {
    const started = performance.now();
    const count = this.retrieval.pendingEmbeddings;
    void this.retrieval.whenEmbedded().then(async () => {
      const ms = performance.now() - started;
      this.editor.log('info', `embedding model: ${count} documents in ${Math.round(ms)} ms (${count ? (ms / count).toFixed(2) : '0'} ms each)`);
      await this.store.save();
    });
  }

  /** Writes the retrieval state when it moved since the last save (after a build, at shutdown). */
  saveRetrieval(): Promise<void> {
    return this.store.save();
  }

  /** (Re)loads the reranker the settings ask for; one log line says which one runs. */
  async loadReranker(): Promise<void> {
    const old = this.reranker;
    this.reranker = undefined;
    await old?.release().catch(() => undefined);
    if (!this.settings['rerank.enabled']) return;
    // The model and its report live in the cache folder the settings name, as training wrote them.
    // A model file in the cache folder may have come with the repository: only the user's own
    // setting lets it run.
    const report = this.cache && this.settings['rerank.useWorkspaceModel'] ? await readWorkspaceModelReport(this.cache.dir) : undefined;
    const workspaceModel = report?.beatsShipped && this.cache ? this.cache.path(WORKSPACE_MODEL) : undefined;
    this.reranker = await loadReranker(
      {
        userModel: this.settings['rerank.model'] || undefined,
        userKind: this.settings['rerank.modelKind'] as 'auto',
        tokenizer: this.settings['rerank.tokenizer'],
        workspaceModel,
        threads: this.settings['rerank.threads'],
      },
      (line) => this.editor.log('info', line),
    );
    // A reranker fine-tuned on this workspace stands in for the shipped one it was tuned from.
    if (this.learned?.model && this.reranker?.name === SHIPPED_COMPACT_NAME) await this.useTunedReranker(this.learned.model);
  }

  /** Starts the server's own watcher; resolves once it sees changes. */
  watch(exclude: string[], onChanges: (changes: FileChange[]) => void, onError?: (message: string) => void): Promise<void> {
    this.watcher ??= watchWorkspace(this.root, { exclude, onError }, onChanges);
    return this.watcher.ready;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.unsubscribeWarming?.();
    await this.warming;
    this.learnToken.isCancellationRequested = true;
    this.unsubscribeLearning?.();
    await this.learning;
    await this.saveRetrieval();
    this.retrieval.dispose();
    await this.retrieval.whenEmbedded();
    await this.embeddingModel?.release();
    this.embeddingModel = undefined;
    await this.watcher?.close();
    this.watcher = undefined;
    await this.indexer.flush();
    // After the last save, which reads the moved values back.
    this.index.packs.close();
  }

  /**
   * Ranks APIs for a cursor context: retrieval, then (when configured) reranking within the
   * latency budget. Features call this, never the stages directly.
   */
  async rank(req: RankRequest, budgetMs = this.settings['completion.latencyBudgetMs']): Promise<PipelineOutput> {
    const learned = this.learned;
    const options = { ...SERVING_RANK_OPTIONS, budgetMs, mode: this.settings['completion.pipeline'] as PipelineMode, ...(learned ? { rerankWeight: learned.rerankWeight } : {}) };
    const out = await rank({ pipeline: this.pipeline, reranker: this.reranker, embeddingModel: this.retrieval.model }, req, options);
    out.trace.push(learned ? `ranking weights learned on this workspace (${learned.fitCases} cases; rerank weight ${learned.rerankWeight})` : 'ranking weights: shipped');
    return out;
  }

  /** Workspace-relative path of an absolute path under this root, else undefined. */
  relative(fsPath: string): string | undefined {
    const rel = path.relative(this.root, fsPath);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  uriOf(relPath: string): string {
    return pathToFileURL(path.join(this.root, relPath)).toString();
  }
}

export class Session {
  readonly workspaces: Workspace[] = [];
  readonly documents = new DocumentStore();
  settings: Settings = defaultSettings();
  /** When the editor last asked for something (the server touches it on every message). */
  readonly activity = new RequestActivity();

  constructor(readonly editor: Editor) {}

  /** Whether a workspace with this root is open. */
  hasWorkspace(root: string): boolean {
    return this.workspaces.some((w) => w.root === path.resolve(root));
  }

  addWorkspace(root: string, persist = true): Workspace {
    const ws = new Workspace(path.resolve(root), this.settings, this.editor, persist, this.activity);
    this.workspaces.push(ws);
    return ws;
  }

  async removeWorkspace(root: string): Promise<void> {
    const i = this.workspaces.findIndex((w) => w.root === path.resolve(root));
    if (i < 0) return;
    const [ws] = this.workspaces.splice(i, 1);
    await ws.dispose();
  }

  /** The workspace holding a document, and the document's path relative to it. */
  locate(uri: string): { ws: Workspace; rel: string } | undefined {
    const fsPath = uriToPath(uri);
    if (!fsPath) return undefined;
    // The deepest root wins when folders nest.
    const sorted = [...this.workspaces].sort((a, b) => b.root.length - a.root.length);
    for (const ws of sorted) {
      const rel = ws.relative(fsPath);
      if (rel) return { ws, rel };
    }
    return undefined;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workspaces.map((w) => w.dispose()));
  }
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
