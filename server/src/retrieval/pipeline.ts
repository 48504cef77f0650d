/**
 * The ranking pipeline of one keystroke: knowledge-graph pruning, then lexical (BM25F over the
 * enriched documents), usage (BM25 over the workspace's call sites) and dense (hnswlib) candidates,
 * fused by weighted reciprocal rank with usage priors into a top-40, then methods ranked within
 * each candidate. An optional reranker reorders the 40 within what is left of the budget.
 *
 * Every stage checks the cancellation token; a cancelled request returns what it has with
 * `cancelled: true`.
 */
import { MethodInfo, ScriptIncludeInfo, Side } from '../model';
import { ApiIndex } from '../index/api-index';
import { ApiField, nameTerms, publicMethods } from '../index/api-documents';
import { KnowledgeGraph } from '../index/knowledge-graph';
import type { SearchOptions } from '../index/bm25';
import { commonClassPrior } from '../platform/common-methods';
import { buildQuery, Query, QUERY_WEIGHTS } from './query';
import { ApiDocRef, RetrievalIndex, UsageCounts } from './retrieval-index';
import { CursorContext, RankedCandidate, RankResult, StageTiming, isSchemaPosition } from './types';

export type { CancellationLike } from '../cancellation';
import type { CancellationLike } from '../cancellation';

export interface RankRequest {
  context: CursorContext;
  /** Files whose Script Includes and call sites must be ignored (eval: the case's own file and `exclude`). */
  excludePaths?: ReadonlySet<string>;
  /** Offer platform APIs beside Script Includes. */
  includePlatform?: boolean;
  maxResults?: number;
  /** Rank each candidate's methods (default true); learning, which scores only Script Includes, skips it. */
  methods?: boolean;
  token?: CancellationLike;
  /** Stages to skip, for ablations (`dense`, `usage`, `lexical`, `priors`, `sequence`, `hole-words`, `assigned-name`, and the query's `record` and `hole` parts). */
  disable?: ReadonlySet<string>;
  /**
   * The query's dense vector, computed beforehand by the retrieval's sentence-embedding model
   * (which runs asynchronously, so not inside this synchronous pipeline). Under a model and
   * without it, the dense stage is skipped; without a model it is ignored.
   */
  queryVector?: Float32Array;
}

/**
 * Fusion weights: reciprocal-rank weights per list plus prior weights. Tuned by random search on
 * a synthetic instance (seed 1, 2,000 Script Includes) for top-40 recall + MRR, then checked on
 * another seed and on the demo workspace.
 */
export type FusionWeights = typeof FUSION;

export const FUSION = {
  k: 55,
  lexical: 0.35,
  usage: 1.15,
  dense: 1.9,
  popularity: 0.024,
  recordAffinity: 0.0095,
  tableAffinity: 0.003,
  collectionAffinity: 0.011,
  holeAffinity: 0.02,
  holeWords: 0.05,
  assignedName: 0.05,
  coCall: 0.02,
  sequence: 0.05,
  sameScope: 0.055,
  lexicalScore: 0.063,
  usageScore: 0.018,
  denseScore: 0.077,
  typedExact: 0.05,
  shapeMismatch: 0.03,
  listDepth: 120,
};

/**
 * Most pruned sets (scope and side) `warm` builds ahead of the keystrokes: the ones ranked before a
 * change of Script Includes, then the workspace's scopes, largest first.
 */
const PRUNE_WARM_KEYS = 32;

/**
 * How the keystroke's two BM25 searches (API documents and usage examples) read their query: they
 * leave out its weakest terms while together those could add at most 2% of what the whole query
 * could add to a document (`SearchOptions.dropShare`). A query holds 40-70 terms, and the common
 * words among them, with little weight and a low idf, hold most of the entries a search reads: at
 * 10,000 Script Includes this reads 44% fewer, and a ranking costs about a sixth less.
 *
 * Chosen by leave-one-corpus-out over the demo, the three real dev corpora and two synthetic
 * instances, among 0, 1%, 2% and 5%. A fold accepts a share when the mean MRR of the other five
 * corpora, for retrieval, the full pipeline and the full pipeline learned on the workspace, is
 * each no lower than exact search's by more than 0.002; 2% is the largest share every fold
 * accepts (1% and 5% are each refused by some fold, through what learning keeps). At 2% no
 * held-out corpus's MRR fell by more than 0.003, and none rose by more than 0.008.
 */
const SEARCH: SearchOptions = { dropShare: 0.02 };

/** Weights of method ranking; tuned on synthetic instances and the demo for method top-1. */
export const METHOD_WEIGHTS = { fit: 1.5, name: 2, usage: 1, privatePenalty: 3 };

const nameTermCache = new Map<string, string[]>();
/** The words of a method name (cached: the same names recur on every keystroke). */
function nameTermsOf(name: string): string[] {
  let terms = nameTermCache.get(name);
  if (!terms) {
    terms = nameTerms(name);
    if (nameTermCache.size > 50_000) nameTermCache.clear();
    nameTermCache.set(name, terms);
  }
  return terms;
}

/**
 * What fusion reads of one candidate, each part already normalised: the fused score is a fixed
 * function of this and the weights, so weights can be refitted without searching again.
 */
export interface FusionEvidence {
  /** Rank in each list (Infinity when absent). */
  lexicalRank: number;
  usageRank: number;
  denseRank: number;
  /** Score relative to the list's best (lexical, usage) or as given (dense cosine). */
  lexicalRel: number;
  usageRel: number;
  dense: number;
  /** log(1 + calls of it in the workspace). */
  popularity: number;
  /** Share of its calls from this record type / on this table. */
  recordAffinity: number;
  collectionAffinity: number;
  tableOverlap: number;
  /** How alike its calls' surroundings are to the hole's (`holeTerms` shares, averaged). */
  holeAffinity: number;
  /** The same, pooled over the calls of every name sharing a word with its name (`holeWordScorer`). */
  holeWords: number;
  /** Share of the words of the variable the hole is assigned to that its name holds (`var managerName = ` and `getManagerName`). */
  assignedName: number;
  /** How often it is called in the files that call what this script already calls. */
  coCall: number;
  /** How often the workspace calls it between the script's previous and next calls (see `sequenceScorer`). */
  sequence: number;
  sameScope: boolean;
  typedExact: boolean;
  /** A classless function offered after `new`. */
  shapeMismatch: boolean;
}

/** The fused score of one candidate under `w`; priors only when `priors` is on. */
export function fusedScore(e: FusionEvidence, w: FusionWeights, priors = true): number {
  let score =
    w.lexical / (w.k + e.lexicalRank) +
    w.usage / (w.k + e.usageRank) +
    w.dense / (w.k + e.denseRank) +
    w.lexicalScore * e.lexicalRel +
    w.usageScore * e.usageRel +
    w.denseScore * Math.max(0, e.dense);
  if (!priors) return score;
  score += w.popularity * e.popularity + w.recordAffinity * e.recordAffinity + w.tableAffinity * e.tableOverlap + w.collectionAffinity * e.collectionAffinity + w.holeAffinity * e.holeAffinity + w.holeWords * e.holeWords + w.assignedName * e.assignedName + w.coCall * e.coCall + w.sequence * e.sequence;
  if (e.sameScope) score += w.sameScope;
  if (e.typedExact) score += w.typedExact;
  // Shape is evidence, not a filter: platform code `new`s plain functions too.
  if (e.shapeMismatch) score -= w.shapeMismatch;
  return score;
}

/** Everything a reranker or the explain view wants to know about one candidate. */
export interface CandidateDetail {
  candidate: RankedCandidate;
  ref: ApiDocRef;
  usage?: UsageCounts;
  /** Raw scores (0 when absent) and ranks (Infinity when absent) per stage. */
  lexical: { score: number; rank: number };
  usageHit: { score: number; rank: number; hits: number };
  dense: { score: number; rank: number };
  tableOverlap: number;
  /** What the fused score was computed from (for refitting the weights on a workspace). */
  evidence: FusionEvidence;
}

export interface PipelineOutput extends RankResult {
  details: CandidateDetail[];
  query: Query;
  /** Which terms each candidate's fields hold, read from the API index (the reranker's overlap features). */
  documents: DocumentTerms;
}

/** What the API BM25 index tells about the terms of its documents' fields (see Bm25Index). */
export interface DocumentTerms {
  fieldIndex(field: ApiField): number;
  termFields(ids: readonly number[], terms: readonly string[]): Int32Array;
  distinctTerms(ids: readonly number[]): Int32Array;
}

const CLASS_KINDS = new Set(['class-create', 'extends-object', 'es-class', 'name-only']);

/** A Script Include left after pruning, with what per-keystroke filters read. */
interface PrunedEntry {
  si: ScriptIncludeInfo;
  id: number;
  lower: string;
}

/** What pruning keeps for one scope and side: document ids into `entries`, shared by every set of a generation. */
interface PrunedSet {
  kept: Int32Array;
  entries: ReadonlyArray<PrunedEntry | undefined>;
  total: number;
  inactive: number;
  inaccessible: number;
}

/**
 * Most candidates each habit (sequence, co-call) and the assigned variable's name bring in
 * beside the lists: a round number, not tuned (at 20, servicenow-devtools full top-40 93.0 ->
 * 93.5, the synthetic instances +0.2, nothing lower; about 0.3 ms a ranking at 10,000).
 */
const HABIT_CANDIDATES = 20;
const NAME_CANDIDATES = 20;

/** The key of a pruned set; `warm` splits it back at the NUL. */
function pruneKey(scope: string, side: Side): string {
  return `${scope}\u0000${side}`;
}

export class RetrievalPipeline {
  /** The fusion weights in use: the shipped ones, or ones learned on this workspace. */
  weights: FusionWeights = { ...FUSION };

  constructor(
    readonly index: ApiIndex,
    readonly retrieval: RetrievalIndex,
    readonly graph: () => KnowledgeGraph,
  ) {}

  rank(req: RankRequest): PipelineOutput {
    const timings: StageTiming[] = [];
    const trace: string[] = [];
    const ctx = req.context;
    const max = req.maxResults ?? 40;
    const cancelled = () => !!req.token?.isCancellationRequested;
    let t = performance.now();
    const lap = (stage: string) => {
      const now = performance.now();
      timings.push({ stage, ms: now - t });
      t = now;
    };
    const empty = (why: string): PipelineOutput => ({ candidates: [], details: [], timings, trace: [...trace, why], query: { terms: new Map(), usageTerms: new Map(), tables: [], hole: [] }, cancelled: cancelled(), documents: this.retrieval.apiBm25 });

    if (ctx.kind === 'none' || isSchemaPosition(ctx.kind)) return empty('no API position at the cursor');
    if (ctx.kind === 'member' || ctx.kind === 'sysparm-name') return this.rankMembers(req, timings, trace);
    if (!this.retrieval.built) return this.rankByName(req, timings, trace);

    // 1. Knowledge-graph pruning: scope, access, side, active, shape, typed prefix, exclusions.
    const side: Side = ctx.kind === 'glide-ajax' ? 'client' : ctx.side;
    const pruned = this.prunedFor(ctx.scope, side);
    const allowed = new Uint8Array(this.retrieval.docIdLimit);
    // The same set as a list, for the dense search (which scans a small set instead of walking the graph).
    const allowedIds: number[] = [];
    let allowedCount = 0;
    const typed = ctx.typed.toLowerCase();
    const scoped = ctx.kind === 'new-scoped' || (ctx.kind === 'glide-ajax' && !!ctx.qualifier);
    // A qualifier that names no scope of the workspace (a typo, a scope the workspace does not
    // hold) narrows nothing: better the whole accessible set than an empty list.
    const entries = pruned.entries;
    let knownQualifier = false;
    if (scoped) for (let i = 0; i < pruned.kept.length && !knownQualifier; i++) knownQualifier = entries[pruned.kept[i]]!.si.scope === ctx.qualifier;
    const exclude = req.excludePaths && req.excludePaths.size > 0 ? req.excludePaths : undefined;
    for (let i = 0; i < pruned.kept.length; i++) {
      const id = pruned.kept[i];
      const { si, lower } = entries[id]!;
      if (typed && !lower.startsWith(typed)) continue;
      if (scoped && knownQualifier && si.scope !== ctx.qualifier) continue;
      if (exclude?.has(si.path)) continue;
      allowed[id] = 1;
      allowedIds.push(id);
      allowedCount++;
    }
    if (req.includePlatform && ctx.kind !== 'glide-ajax' && ctx.kind !== 'new-scoped') {
      for (const ref of this.retrieval.platformDocs()) {
        if (ref.platform!.side !== ctx.side) continue;
        if (ctx.kind === 'new' && !ref.platform!.constructorParams) continue;
        if (typed && !ref.platform!.name.toLowerCase().startsWith(typed)) continue;
        allowed[ref.id] = 1;
        allowedIds.push(ref.id);
        allowedCount++;
      }
    }
    trace.push(`pruned ${pruned.total} Script Includes to ${allowedCount} candidates (${pruned.inactive} inactive, ${pruned.inaccessible} not accessible from ${ctx.scope}/${side})`);
    lap('prune');
    if (cancelled()) return empty('cancelled');
    if (allowedCount === 0) return empty('nothing accessible matches');

    // 2. Query from the cursor context.
    const query = buildQuery(ctx, queryWeights(req.disable));
    lap('query');

    // 3. Candidates from each list.
    const weights = this.weights;
    const depth = weights.listDepth;
    const filter = (id: number) => allowed[id] === 1;
    const lexical = req.disable?.has('lexical') ? [] : this.retrieval.apiBm25.search(query.terms, depth, filter, SEARCH);
    lap('lexical');
    const usage = req.disable?.has('usage') ? [] : this.usageCandidates(query, allowed, req.excludePaths, depth);
    const excluded = this.retrieval.excludedSites(req.excludePaths);
    lap('usage');
    let dense: Array<{ id: number; score: number }> = [];
    if (!req.disable?.has('dense') && this.retrieval.vectors) {
      if (!this.retrieval.embedsText) {
        const qTerms = [...query.terms].filter(([term]) => !term.includes(':'));
        const qv = this.retrieval.embedder.embed(qTerms.map(([term]) => term), qTerms.map(([, w]) => w));
        dense = this.retrieval.vectors.search(qv, depth, filter, allowedIds);
      } else if (req.queryVector && req.queryVector.length === this.retrieval.vectors.dim) {
        dense = this.retrieval.vectors.search(req.queryVector, depth, filter, allowedIds);
      } else trace.push('dense skipped: no query vector from the embedding model');
    }
    lap('dense');
    if (cancelled()) return { ...empty('cancelled'), query };

    // 4. Fusion with priors.
    const byId = new Map<number, Lists>();
    const slot = (id: number) => {
      let s = byId.get(id);
      if (!s) byId.set(id, (s = { lexical: [0, Infinity], usage: [0, Infinity, 0], dense: [0, Infinity] }));
      return s;
    };
    lexical.forEach((h, i) => (slot(h.id).lexical = [h.score, i + 1]));
    usage.forEach((h, i) => (slot(h.id).usage = [h.score, i + 1, h.hits]));
    dense.forEach((h, i) => (slot(h.id).dense = [h.score, i + 1]));

    const usePriors = !req.disable?.has('priors');
    // What this script already calls, nearest first: what is called beside those elsewhere is likely here too.
    const isCalled = (name: string) => this.retrieval.isCalled(name);
    const calledHere = usePriors ? ctx.identifiers.filter(isCalled).slice(0, 20) : [];
    const callBefore = ctx.callsBefore.find(isCalled);
    const callAfter = ctx.callsAfter.find(isCalled);
    // The workspace's habits as candidates of their own: what it calls right after this script's
    // previous call, and beside the names this script calls. Their evidence weighs in fusion
    // either way; without this, only for candidates a list happened to find.
    if (usePriors && !req.disable?.has('habits')) {
      const names = [
        ...(req.disable?.has('sequence') ? [] : this.retrieval.sequenceNames(callBefore, callAfter, excluded, HABIT_CANDIDATES)),
        ...this.retrieval.coCalledNames(calledHere, req.excludePaths, HABIT_CANDIDATES),
      ];
      for (const name of names) {
        const si = this.index.resolve(name, undefined, ctx.scope);
        const id = si ? this.retrieval.docIdOf(si) : undefined;
        if (id !== undefined && allowed[id] === 1) slot(id);
      }
    }
    // The Script Includes named like the variable the call is assigned to (`var approvalUtil = new `):
    // among a whole query's terms its words weigh little, and a list of their own brings in
    // the names the assigned-name evidence below is about.
    const assignedWords = usePriors && !req.disable?.has('assigned-name') ? query.hole.filter((t) => t.startsWith('as:')).map((t) => t.slice(3)) : [];
    if (assignedWords.length) for (const h of this.retrieval.apiBm25.search(new Map(assignedWords.map((w) => [w, 1])), NAME_CANDIDATES, filter)) slot(h.id);
    // With nothing to go on (an empty context), popularity alone orders the accessible set.
    if (byId.size === 0) allowed.forEach((on, id) => on && slot(id));
    const coCall = this.retrieval.coCallScorer(calledHere, req.excludePaths);
    const sequence = usePriors && !req.disable?.has('sequence') ? this.retrieval.sequenceScorer(callBefore, callAfter, excluded) : () => 0;
    const holeWords = usePriors && !req.disable?.has('hole-words') ? this.retrieval.holeWordScorer(query.hole, excluded) : () => 0;
    const assignedName = usePriors && !req.disable?.has('assigned-name') ? this.retrieval.assignedNameScorer(query.hole) : () => 0;
    const maxLexical = Math.max(1e-9, lexical[0]?.score ?? 0);
    const maxUsage = Math.max(1e-9, usage[0]?.score ?? 0);
    // Every candidate is scored; only the `max` best are made into candidates and details (a
    // ranking met 300 or more, each of those eight objects, for 40 kept).
    const scored: Scored[] = [];
    for (const [id, s] of byId) {
      const ref = this.retrieval.docs.get(id);
      if (!ref) continue;
      const name = ref.si?.name ?? ref.platform!.name;
      const counts = ref.si ? this.retrieval.usageCounts(ref.si.name, excluded) : undefined;
      const tableOverlap = ref.si ? overlap(ref.si.tables, query.tables) : 0;
      // Reciprocal ranks say where a candidate stands in each list; the scores relative to each
      // list's best say by how much (a runaway lexical match must not lose to three weak ones).
      const total = counts?.total ?? 0;
      // A platform class is as popular as the workspace's Script Includes that construct or call
      // it, plus the platform's own prior: the same evidence a Script Include's calls give.
      const popularity = ref.platform ? Math.log1p(this.platformUses().get(ref.platform.name) ?? 0) + commonClassPrior(ref.platform.side, ref.platform.name) : Math.log1p(total);
      const evidence: FusionEvidence = {
        lexicalRank: s.lexical[1],
        usageRank: s.usage[1],
        denseRank: s.dense[1],
        lexicalRel: s.lexical[0] / maxLexical,
        usageRel: s.usage[0] / maxUsage,
        dense: s.dense[0],
        popularity,
        recordAffinity: total > 0 ? counts!.record(ctx.recordType) / total : 0,
        collectionAffinity: total > 0 && ctx.collection ? counts!.collection(ctx.collection.toLowerCase()) / total : 0,
        tableOverlap,
        holeAffinity: total > 0 ? holeAffinity(counts!, query.hole) : 0,
        holeWords: ref.si ? holeWords(ref.si.name) : 0,
        assignedName: assignedName(name),
        coCall: ref.si ? coCall(ref.si.name) : 0,
        sequence: ref.si ? sequence(ref.si.name) : 0,
        sameScope: ref.si?.scope === ctx.scope,
        typedExact: !!typed && name.toLowerCase() === typed,
        shapeMismatch: !!ref.si && ctx.kind === 'new' && !CLASS_KINDS.has(ref.si.kind),
      };
      const score = fusedScore(evidence, weights, usePriors);
      scored.push({ s, ref, name, counts, tableOverlap, evidence, score, key: ref.si ? ref.si.apiName : `platform:${ref.platform!.name}` });
    }
    scored.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
    scored.length = Math.min(scored.length, max);
    const details: CandidateDetail[] = scored.map(({ s, ref, name, counts, tableOverlap, evidence, score, key }, i) => {
      const candidate: RankedCandidate = {
        key,
        kind: ref.kind,
        name,
        apiName: ref.si ? ref.si.apiName : ref.platform!.name,
        score,
        stages: {},
      };
      if (isFinite(s.lexical[1])) candidate.stages.lexical = { score: s.lexical[0], rank: s.lexical[1] };
      if (isFinite(s.usage[1])) candidate.stages.usage = { score: s.usage[0], rank: s.usage[1] };
      if (isFinite(s.dense[1])) candidate.stages.dense = { score: s.dense[0], rank: s.dense[1] };
      candidate.stages.fused = { score, rank: i + 1 };
      return {
        candidate,
        ref,
        usage: counts,
        lexical: { score: s.lexical[0], rank: s.lexical[1] },
        usageHit: { score: s.usage[0], rank: s.usage[1], hits: s.usage[2] },
        dense: { score: s.dense[0], rank: s.dense[1] },
        tableOverlap,
        evidence,
      };
    });
    lap('fuse');

    // 5. Methods within each candidate.
    if (req.methods !== false) for (const d of details) this.rankMethodsOf(d, query);
    lap('methods');
    trace.push(`lexical ${lexical.length}, usage ${usage.length}, dense ${dense.length} -> ${details.length} fused`);
    return { candidates: details.map((d) => d.candidate), details, timings, trace, query, cancelled: cancelled(), documents: this.retrieval.apiBm25 };
  }

  /** Usage hits aggregated per Script Include: best hit plus a share of the others. */
  private usageCandidates(query: Query, allowed: Uint8Array, exclude: ReadonlySet<string> | undefined, depth: number): Array<{ id: number; score: number; hits: number }> {
    const usages = this.retrieval.usages;
    const hits = this.retrieval.usageBm25.search(query.usageTerms, depth * 2, (id) => {
      if (!exclude) return true;
      const site = usages.site(id);
      return !!site && !exclude.has(usages.path(id)!) && !exclude.has(site.path);
    }, SEARCH);
    const agg = new Map<number, { score: number; hits: number }>();
    for (const h of hits) {
      const id = this.retrieval.usageTarget(h.id);
      if (id < 0 || allowed[id] !== 1) continue;
      const a = agg.get(id);
      if (!a) agg.set(id, { score: h.score, hits: 1 });
      else {
        a.score += 0.3 * h.score;
        a.hits++;
      }
    }
    return [...agg].map(([id, a]) => ({ id, ...a })).sort((x, y) => y.score - x.score || x.id - y.id);
  }

  /**
   * Per generation: one entry per Script Include document, shared by every pruned set, and each
   * set as the document ids it keeps (a set of 10,000 is 40 KB, so many scopes can be kept ready).
   */
  private pruneCache?: { generation: string; entries: Array<PrunedEntry | undefined>; byKey: Map<string, PrunedSet> };

  /** Knowledge-graph pruning with document ids, cached per scope and side until a Script Include or a document changes. */
  private prunedFor(scope: string, side: Side) {
    const cache = this.currentPruneCache();
    const key = pruneKey(scope, side);
    let hit = cache.byKey.get(key);
    if (!hit) {
      const p = this.graph().prune(scope, side);
      const kept = new Int32Array(p.kept.length);
      let n = 0;
      for (const si of p.kept) {
        const id = this.retrieval.docIdOf(si);
        if (id === undefined) continue;
        cache.entries[id] ??= { si, id, lower: si.name.toLowerCase() };
        kept[n++] = id;
      }
      hit = { kept: n === kept.length ? kept : kept.slice(0, n), entries: cache.entries, total: p.total, inactive: p.inactive, inaccessible: p.inaccessible };
      cache.byKey.set(key, hit);
    }
    return hit;
  }

  /**
   * The pruned sets of this generation. The graph and the documents' ids change only when Script
   * Includes do, not on every edit; when they do, the scopes ranked before are remembered, so
   * `warm` can prune them again before the next keystroke asks.
   */
  private currentPruneCache() {
    const generation = `${this.index.scriptIncludeGeneration}:${this.retrieval.docsVersion}`;
    if (!this.pruneCache || this.pruneCache.generation !== generation) {
      if (this.pruneCache) this.prunedBefore = [...new Set([...this.pruneCache.byKey.keys(), ...this.prunedBefore])].slice(0, PRUNE_WARM_KEYS);
      this.pruneCache = { generation, entries: [], byKey: new Map() };
    }
    return this.pruneCache;
  }
  private prunedBefore: string[] = [];

  /**
   * Computes, within about `budgetMs`, what the next keystrokes would each pay for: the knowledge
   * graph, and the pruned sets of the scopes ranked before the last change of Script Includes,
   * then of the workspace's scopes, largest first (server side, then client side for GlideAjax).
   * True when nothing is left.
   */
  warm(budgetMs: number): boolean {
    if (!this.retrieval.built) return true;
    const end = performance.now() + budgetMs;
    const cache = this.currentPruneCache();
    for (const key of this.warmKeys(cache.generation)) {
      if (cache.byKey.has(key)) continue;
      if (performance.now() >= end) return false;
      const [scope, side] = key.split('\u0000') as [string, Side];
      this.prunedFor(scope, side);
    }
    return true;
  }

  private warmKeysOf?: { generation: string; keys: string[] };

  /** The pruned sets `warm` builds, at most `PRUNE_WARM_KEYS`. */
  private warmKeys(generation: string): string[] {
    if (this.warmKeysOf?.generation === generation) return this.warmKeysOf.keys;
    const sizes = new Map<string, number>();
    for (const si of this.index.scriptIncludes()) sizes.set(si.scope, (sizes.get(si.scope) ?? 0) + 1);
    const scopes = [...sizes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([scope]) => scope);
    const keys = new Set(this.prunedBefore);
    for (const side of ['server', 'client'] as const) for (const scope of scopes) keys.add(pruneKey(scope, side));
    this.warmKeysOf = { generation, keys: [...keys].slice(0, PRUNE_WARM_KEYS) };
    return this.warmKeysOf.keys;
  }

  /** Orders the candidate's methods: how often each is called, and how well it fits the query. */
  private rankMethodsOf(d: CandidateDetail, query: Query): void {
    const si = d.ref.si;
    if (!si) return;
    const counts = d.usage;
    const methods = this.methodsFor(si);
    if (!methods.length) return;
    const scored = methods.map((m) => ({ name: m.name, s: this.methodScore(m, query, counts) }));
    scored.sort((a, b) => b.s - a.s || a.name.localeCompare(b.name));
    d.candidate.methods = scored.map((x) => x.name);
    d.candidate.method = scored[0].name;
  }

  /**
   * Before retrieval is built (the first index still reading files, or its structures still
   * building): the Script Includes indexed so far that can be called here, filtered by what is
   * typed and ordered by how often the workspace calls them. Useful at once; the full pipeline
   * takes over as soon as it can.
   */
  private rankByName(req: RankRequest, timings: StageTiming[], trace: string[]): PipelineOutput {
    const started = performance.now();
    const ctx = req.context;
    const side: Side = ctx.kind === 'glide-ajax' ? 'client' : ctx.side;
    const typed = ctx.typed.toLowerCase();
    const qualifier = ctx.kind === 'new-scoped' || ctx.kind === 'glide-ajax' ? ctx.qualifier : undefined;
    const exclude = req.excludePaths;
    const scored: RankedCandidate[] = [];
    for (const si of this.index.scriptIncludes()) {
      // On the client side `accessible` means client-callable.
      if (!si.active || !ApiIndex.accessible(si, ctx.scope, side)) continue;
      if (typed && !si.name.toLowerCase().startsWith(typed)) continue;
      if (qualifier && si.scope !== qualifier) continue;
      if (exclude?.has(si.path)) continue;
      const calls = this.index.callsNaming(si.name);
      const score = Math.log1p(calls) + (si.scope === ctx.scope ? 0.5 : 0) - (ctx.kind === 'new' && !CLASS_KINDS.has(si.kind) ? 2 : 0);
      scored.push({ key: si.apiName, kind: 'script-include', name: si.name, apiName: si.apiName, score, stages: {} });
    }
    scored.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const candidates = scored.slice(0, req.maxResults ?? 40);
    timings.push({ stage: 'by-name', ms: performance.now() - started });
    trace.push(`retrieval is not built yet: ${candidates.length} of ${scored.length} Script Includes indexed so far, by name and calls`);
    return { candidates, details: [], timings, trace, query: { terms: new Map(), usageTerms: new Map(), tables: [], hole: [] }, cancelled: !!req.token?.isCancellationRequested, documents: this.retrieval.apiBm25 };
  }

  private platformUseCache?: { generation: number; counts: Map<string, number> };

  /** How many of the workspace's Script Includes use each platform API (`GlideRecord`, `gs.getProperty`), until a Script Include changes. */
  platformUses(): Map<string, number> {
    const hit = this.platformUseCache;
    if (hit && hit.generation === this.index.scriptIncludeGeneration) return hit.counts;
    const counts = new Map<string, number>();
    for (const si of this.index.scriptIncludes()) for (const api of si.glideApis) counts.set(api, (counts.get(api) ?? 0) + 1);
    this.platformUseCache = { generation: this.index.scriptIncludeGeneration, counts };
    return counts;
  }

  /**
   * How likely a method is at this position: how well its words (name, parameters, tables,
   * JSDoc) fit the query, normalised by how many distinct words it has, and how often the
   * workspace calls it.
   */
  methodScore(m: MethodInfo, query: Query, counts: UsageCounts | undefined): number {
    const terms = this.retrieval.methodTerms(m);
    let fit = 0;
    for (const t of terms) fit += query.terms.get(t) ?? 0;
    const nameFit = nameTermsOf(m.name).reduce((sum, t) => sum + (query.terms.get(t) ?? 0), 0);
    return (
      METHOD_WEIGHTS.fit * Math.log1p(fit / Math.sqrt(Math.max(1, terms.length))) +
      METHOD_WEIGHTS.name * Math.log1p(nameFit) +
      METHOD_WEIGHTS.usage * Math.log1p(counts?.method(m.name) ?? 0) -
      (m.isPrivate ? METHOD_WEIGHTS.privatePenalty : 0)
    );
  }

  /** Public methods first (own and inherited), never `initialize`. */
  methodsFor(si: ScriptIncludeInfo) {
    const inherited = this.graph().methodsOf(si).map((m) => m.method);
    const all = inherited.length ? inherited : publicMethods(si);
    return all.filter((m) => m.name !== 'initialize' && m.name !== 'constructor');
  }

  /** After `x.` or in `sysparm_name`: the methods of the Script Include the receiver holds. */
  private rankMembers(req: RankRequest, timings: StageTiming[], trace: string[]): PipelineOutput {
    const started = performance.now();
    const ctx = req.context;
    const target = ctx.kind === 'sysparm-name' ? ctx.ajaxTarget : ctx.receiver?.scriptInclude ? { name: ctx.receiver.scriptInclude, qualifier: ctx.receiver.qualifier } : undefined;
    const query = buildQuery(ctx);
    const si = target ? this.index.resolve(target.name, target.qualifier, ctx.scope) : undefined;
    if (!si) {
      trace.push(target ? `receiver ${target.name} is not a known Script Include` : 'receiver type unknown');
      return { candidates: [], details: [], timings, trace, query, documents: this.retrieval.apiBm25 };
    }
    const typed = ctx.typed.toLowerCase();
    const counts = this.retrieval.usageCounts(si.name, this.retrieval.excludedSites(req.excludePaths));
    let methods = this.methodsFor(si);
    if (ctx.kind === 'sysparm-name') methods = methods.filter((m) => !m.isPrivate);
    if (ctx.receiver?.isClass) {
      const statics = methods.filter((m) => m.isStatic);
      if (statics.length) methods = statics;
    }
    const candidates: RankedCandidate[] = methods
      .filter((m) => !typed || m.name.toLowerCase().startsWith(typed))
      .map((m) => {
        const used = counts?.method(m.name) ?? 0;
        const score = this.methodScore(m, query, counts);
        return { key: `${si.apiName}#${m.name}`, kind: 'script-include' as const, name: si.name, apiName: si.apiName, method: m.name, score, stages: { usage: { score: used, rank: 0 } } };
      })
      .sort((a, b) => b.score - a.score || a.method!.localeCompare(b.method!));
    candidates.forEach((c, i) => (c.stages.fused = { score: c.score, rank: i + 1 }));
    timings.push({ stage: 'methods', ms: performance.now() - started });
    trace.push(`${candidates.length} methods of ${si.apiName}`);
    return { candidates, details: [], timings, trace, query, documents: this.retrieval.apiBm25 };
  }
}

/** The query weights with the parts an ablation turns off (`record`: the record's name; `hole`: the shape before the hole). */
function queryWeights(disable: ReadonlySet<string> | undefined): typeof QUERY_WEIGHTS {
  if (!disable || (!disable.has('record') && !disable.has('hole'))) return QUERY_WEIGHTS;
  return { ...QUERY_WEIGHTS, ...(disable.has('record') ? { recordName: 0 } : {}), ...(disable.has('hole') ? { hole: 0 } : {}) };
}

/** Where a candidate stands in each list: [score, rank] (rank Infinity: not in it), and the usage hits it gathered. */
type Lists = { lexical: [number, number]; usage: [number, number, number]; dense: [number, number] };

/** A candidate scored by fusion, before the best are made into candidates and details. */
interface Scored {
  s: Lists;
  ref: ApiDocRef;
  name: string;
  counts: UsageCounts | undefined;
  tableOverlap: number;
  evidence: FusionEvidence;
  score: number;
  key: string;
}

/** Mean share of a target's calls that show each of the hole's terms. */
function holeAffinity(counts: UsageCounts, hole: readonly string[]): number {
  if (!hole.length || counts.total <= 0) return 0;
  let sum = 0;
  for (const t of hole) sum += counts.hole(t) / counts.total;
  return sum / hole.length;
}

function overlap(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const set = new Set(a.map((x) => x.toLowerCase()));
  let n = 0;
  for (const x of b) if (set.has(x)) n++;
  return n / b.length;
}
