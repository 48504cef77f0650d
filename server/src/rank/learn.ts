/**
 * Learning the workspace: fits the fusion weights and the reranker's weight on leak-free cases
 * built from the workspace's own call sites, and keeps the result only when it beats the shipped
 * defaults on cases held back from the fit.
 *
 * Each case is searched once, keeping every candidate's fusion evidence; the fit then rescores
 * that evidence under other weights (a fixed function, `fusedScore`), so trying a weight costs
 * arithmetic, not searches. The reranker runs once per case on the fitted top-40 to choose how
 * much its order weighs against retrieval's. The work yields to the event loop between small
 * batches of cases, so a server keeps answering keystrokes while it learns.
 */
import { CacheFolder } from '../index/cache-folder';
import { RANK_DEPTH, RankShares, rankShares } from '../stats';
import { createHash } from 'crypto';
import { CancellationLike } from '../rerank/types';
import { FUSION, FusionWeights, PipelineOutput } from '../retrieval/pipeline';
import { CandidateTable, RowSlabs } from './candidate-table';
import { CursorContext } from '../retrieval/types';
import { EvalCase } from './cases';
import { caseRequest } from './case-request';
import { blendScores, RankerParts, RankOptions, SERVING_RANK_OPTIONS, unanimousFirst } from './ranker';
import { fineTuneInWorker } from './fine-tune';
import { extractFeatures } from '../rerank/features';
import { exportMlpToOnnx, mlpFromJson, MlpModel, mlpToJson, RankList } from '../rerank/mlp';
import { CompactReranker, Reranker } from '../rerank/reranker';

/** The list weights the fit may change; the rest (priors, depth) stay as shipped. */
export const LEARNED_WEIGHTS = ['lexical', 'usage', 'dense', 'lexicalScore', 'usageScore', 'denseScore', 'popularity', 'holeAffinity', 'holeWords', 'assignedName', 'recordAffinity', 'coCall', 'sequence', 'k'] as const;
/** Multipliers of the shipped value tried for each learned weight. */
const MULTIPLIERS = [0, 0.25, 0.5, 1, 2, 4, 8, 16];
const RERANK_WEIGHTS = [0, 0.25, 0.5, 0.75, 1];
/** Fewest fitted cases for fine-tuning the reranker (fusion weights are learned from fewer). */
export const MIN_FINE_TUNE_CASES = 200;

/** Most cases one fit reads (an even sample of a large workspace's call sites is enough). */
export const LEARN_MAX_CASES = 1600;
/** Candidates counted: what completion shows at most. */
const CUTOFF = RANK_DEPTH;

export type RankingQuality = RankShares;

/** What learning found, as saved in the cache and shown in the log and explain view. */
export interface LearnedRanking {
  format: 1;
  /** Fusion weights to use (the shipped ones with the learned ones replaced). */
  weights: FusionWeights;
  rerankWeight: number;
  fitCases: number;
  /** Quality on the held-back cases: shipped defaults, then learned. */
  heldBack: { defaults: RankingQuality; learned: RankingQuality };
  /** True when the learned ranking beat the defaults on the held-back cases. */
  kept: boolean;
  /**
   * The compact reranker fine-tuned on the workspace (its weights as `mlpToJson` writes them),
   * when it did better than the shipped one on the held-back cases; once kept, trained again on
   * every case.
   */
  model?: string;
}

export interface LearnOptions {
  /** Cases per batch between yields to the event loop. Default 1 (a case costs one deep search). */
  batch?: number;
  token?: CancellationLike;
  /** The options the defaults are compared under (serving's). */
  rank?: RankOptions;
  /** Least improvement of held-back MRR for the learned ranking to be kept. Default 0.005. */
  margin?: number;
  /** The compact reranker's weights, to fine-tune from; without them the reranker is not tuned. */
  fineTuneFrom?: MlpModel;
  /**
   * Awaited before each step of work on this thread (a case searched, a trial scored). Default: one
   * turn of the event loop. A server passes a wait for a quiet spell (`RequestActivity.quiet`).
   */
  yieldTo?: () => Promise<void>;
}

/** How learning gives way between steps, and whether it should stop. */
interface Steps {
  yield(): Promise<void>;
  cancelled(): boolean;
}

/** One case searched once: each Script Include candidate's evidence and details, and which one is right. */
interface Prepared {
  table: CandidateTable;
  priors: boolean;
  expected: string;
  context: CursorContext;
  /** What the reranker's features read beside the candidates. */
  query: PipelineOutput['query'];
  documents: PipelineOutput['documents'];
  /** Reranker scores of the top 40, by which pass produced them (`shipped`, `defaults`, `tuned`). */
  reranked: Map<string, RerankedTop>;
}

interface RerankedTop {
  keys: string[];
  scores: Float32Array;
  /** The first candidate is first in every list (the ranker keeps it first). */
  unanimous: boolean;
}

/** About one case in three, by id, is held back from the fit. */
export function isHeldBack(id: string): boolean {
  return parseInt(createHash('sha1').update(id).digest('hex').slice(0, 8), 16) % 3 === 0;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Learns fusion and rerank weights from `cases`; undefined when cancelled or too few cases. */
export async function learnRanking(parts: RankerParts, cases: readonly EvalCase[], opts: LearnOptions = {}): Promise<LearnedRanking | undefined> {
  const batch = opts.batch ?? 1;
  const serving = opts.rank ?? SERVING_RANK_OPTIONS;
  const cancelled = () => !!opts.token?.isCancellationRequested;
  const steps: Steps = { yield: opts.yieldTo ?? pause, cancelled };
  const shipped = { ...FUSION };
  const saved = parts.pipeline.weights;
  const prepared: Prepared[] = [];
  const slabs = new RowSlabs();
  // Searched with the shipped weights and a deep list, so every candidate any weighting could
  // bring into the top 40 is there (the lists themselves do not depend on the weights).
  parts.pipeline.weights = shipped;
  try {
    for (let i = 0; i < cases.length; i++) {
      if (i % batch === 0) {
        await steps.yield();
        if (cancelled()) return undefined;
      }
      const c = cases[i];
      const req = caseRequest(c, '', serving);
      const out = parts.pipeline.rank({ ...req, maxResults: 100_000, methods: false });
      const table = CandidateTable.of(out.details.filter((d) => d.ref.si), slabs);
      prepared.push({ table, priors: true, expected: c.expected.apiName ?? c.expected.scriptInclude, context: req.context, query: out.query, documents: out.documents, reranked: new Map() });
    }
  } finally {
    parts.pipeline.weights = saved;
  }
  const fit = prepared.filter((_, i) => !isHeldBack(cases[i].id));
  const held = prepared.filter((_, i) => isHeldBack(cases[i].id));
  if (fit.length < 10 || held.length < 5) return undefined;

  let weights = { ...shipped };
  const start = await quality(fit, weights, undefined, steps);
  let best = objective(start);
  for (let pass = 0; pass < 2; pass++) {
    for (const name of LEARNED_WEIGHTS) {
      for (const m of MULTIPLIERS) {
        const trial = { ...weights, [name]: shipped[name] * m };
        const q = await quality(fit, trial, undefined, steps);
        const score = objective(q);
        // Fusion chooses what the reranker sees: weights that push an answer out of the top 40
        // lose it for good, whatever they gain above, so they are never taken.
        if (score > best + 1e-9 && q.top40 >= start.top40) {
          best = score;
          weights = trial;
        }
        // One trial rescores every fitted case: a few milliseconds, then requests go first.
        await steps.yield();
        if (cancelled()) return undefined;
      }
    }
  }

  const reranking = !!parts.reranker && serving.mode === 'full';
  let rerankWeight = 0;
  let model: string | undefined;
  let defaults = await quality(held, shipped, undefined, steps);
  let learned = await quality(held, weights, undefined, steps);
  let defaultsRerank: { pass: string; weight: number } | undefined;
  let learnedRerank: { pass: string; weight: number } | undefined;
  if (reranking) {
    // The shipped defaults as served: shipped weights, shipped reranker, shipped blend.
    if (!(await rerankAll(parts.reranker!, held, shipped, 'defaults', batch, steps))) return undefined;
    defaultsRerank = { pass: 'defaults', weight: serving.rerankWeight };
    defaults = await quality(held, shipped, defaultsRerank, steps);
    // The learned weights with the shipped reranker, its blend chosen on the fitted cases.
    if (!(await rerankAll(parts.reranker!, prepared, weights, 'shipped', batch, steps))) return undefined;
    rerankWeight = await bestBlend(fit, weights, 'shipped', steps);
    learnedRerank = { pass: 'shipped', weight: rerankWeight };
    learned = await quality(held, weights, learnedRerank, steps);
    // A reranker fine-tuned on the fitted cases, kept when it does better on the held-back ones.
    // The model has a couple of thousand weights: from a few dozen cases it learns noise that a
    // held-back set of the same size cannot tell apart from skill, so small workspaces keep it as shipped.
    if (opts.fineTuneFrom && fit.length >= MIN_FINE_TUNE_CASES) {
      const lists = await listsOf(fit, weights, steps);
      if (!lists) return undefined;
      const tuned = await fineTuneInWorker(opts.fineTuneFrom, lists);
      if (cancelled()) return undefined;
      if (tuned.ok) {
        const loaded = await CompactReranker.load(exportMlpToOnnx(tuned.model), 'compact-reranker (fine-tuned on this workspace)');
        if (loaded.ok) {
          try {
            if (!(await rerankAll(loaded.reranker, prepared, weights, 'tuned', batch, steps))) return undefined;
          } finally {
            await loaded.reranker.release();
          }
          const tunedWeight = await bestBlend(fit, weights, 'tuned', steps);
          const withTuned = await quality(held, weights, { pass: 'tuned', weight: tunedWeight }, steps);
          if (objective(withTuned) > objective(learned)) {
            learned = withTuned;
            learnedRerank = { pass: 'tuned', weight: tunedWeight };
            rerankWeight = tunedWeight;
            model = mlpToJson(tuned.model);
          }
        }
      }
    }
  }
  const result: LearnedRanking = {
    format: 1,
    weights,
    rerankWeight,
    fitCases: fit.length,
    heldBack: { defaults, learned },
    kept: clearlyBetter(
      held.map((p) => reciprocal(rankOf(p, weights, learnedRerank))),
      held.map((p) => reciprocal(rankOf(p, shipped, defaultsRerank))),
      opts.margin ?? 0.005,
    ),
  };
  if (model) result.model = model;
  // The held-back cases chose the fine-tuned reranker; kept, it is trained again by the same
  // recipe on every case, theirs included: half as many cases again to learn from.
  if (model && result.kept && opts.fineTuneFrom) {
    const lists = await listsOf(prepared, weights, steps);
    if (!lists) return undefined;
    const tuned = await fineTuneInWorker(opts.fineTuneFrom, lists);
    if (cancelled()) return undefined;
    if (tuned.ok) result.model = mlpToJson(tuned.model);
  }
  return result;
}

function reciprocal(rank: number): number {
  return rank <= CUTOFF ? 1 / rank : 0;
}

/**
 * Whether the learned ranking's reciprocal ranks beat the defaults' on the same held-back cases
 * by more than chance: the mean paired difference, less 1.28 standard errors (a one-sided 90%
 * bound), must exceed `margin`. A few dozen held-back cases then need a large gain, a few
 * hundred a modest one; what a small workspace learns from noise is not kept.
 */
export function clearlyBetter(learned: readonly number[], defaults: readonly number[], margin: number): boolean {
  const n = Math.min(learned.length, defaults.length);
  if (n < 2) return false;
  const diffs = Array.from({ length: n }, (_, i) => learned[i] - defaults[i]);
  const mean = diffs.reduce((a, b) => a + b, 0) / n;
  const variance = diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (n - 1);
  return mean - 1.28 * Math.sqrt(variance / n) > margin;
}

/** The rerank blend weight that does best on `list` for the scores of `pass`. */
async function bestBlend(list: readonly Prepared[], weights: FusionWeights, pass: string, steps: Steps): Promise<number> {
  let best = -Infinity;
  let chosen = 0;
  for (const w of RERANK_WEIGHTS) {
    const score = objective(await quality(list, weights, { pass, weight: w }, steps));
    if (score > best + 1e-9) {
      best = score;
      chosen = w;
    }
  }
  return chosen;
}

/** A case as a training list for the reranker: the features of its top 40 under `weights`. */
function listOf(p: Prepared, weights: FusionWeights): RankList {
  const output = topOutput(p, weights);
  return { features: extractFeatures(p.context, output), n: output.details.length, trueIndex: output.details.findIndex((d) => d.candidate.apiName === p.expected) };
}

/** The cases as training lists under `weights`, a few per step; undefined when cancelled. */
async function listsOf(list: readonly Prepared[], weights: FusionWeights, steps: Steps): Promise<RankList[] | undefined> {
  const lists: RankList[] = [];
  for (let i = 0; i < list.length; i++) {
    // Features of a case cost a sort of its candidates and 40 rows: a few cases a step.
    if (i % 8 === 0) await steps.yield();
    if (steps.cancelled()) return undefined;
    lists.push(listOf(list[i], weights));
  }
  return lists;
}

/** Reranks each case's top 40 under `weights`, keeping the scores under `pass`. */
async function rerankAll(reranker: Reranker, list: Prepared[], weights: FusionWeights, pass: string, batch: number, steps: Steps): Promise<boolean> {
  for (let i = 0; i < list.length; i++) {
    if (i % batch === 0) {
      await steps.yield();
      if (steps.cancelled()) return false;
    }
    const p = list[i];
    const output = topOutput(p, weights);
    // Learning is not a keystroke: the reranker gets a generous deadline.
    const outcome = await reranker.rerank(p.context, output, 1000);
    const scores = outcome.status === 'ok' && outcome.scores ? outcome.scores : new Float32Array(output.details.length);
    p.reranked.set(pass, { keys: output.details.map((d) => d.candidate.apiName), scores, unanimous: unanimousFirst(output) });
  }
  return true;
}

/** A case's ranking as the reranker would see it under `weights`: its top 40 in fused order. */
function topOutput(p: Prepared, weights: FusionWeights): PipelineOutput {
  const top = topDetails(p, weights);
  return { candidates: top.map((d) => d.candidate), details: top, timings: [], trace: [], query: p.query, documents: p.documents };
}

/** The Script Include details of a case in fused order under `weights`, cut to the top 40, with fused stages set. */
function topDetails(p: Prepared, weights: FusionWeights) {
  const { table } = p;
  const scored = table.keys.map((key, i) => ({ i, key, s: table.score(i, weights, p.priors) }));
  scored.sort((a, b) => b.s - a.s || a.key.localeCompare(b.key));
  return scored.slice(0, CUTOFF).map(({ i, s }, r) => table.detail(i, s, r + 1));
}

/** Cases rescored between yields while searching weights (each costs a few hundred candidates). */
const CASES_PER_STEP = 16;

/**
 * Ranking quality over prepared cases under `weights` (and a rerank pass's blend, when given),
 * computed in steps that yield to the event loop, so no step holds a keystroke long.
 */
async function quality(list: readonly Prepared[], weights: FusionWeights, rerank: { pass: string; weight: number } | undefined, steps: Steps): Promise<RankingQuality> {
  const ranks: number[] = [];
  for (let i = 0; i < list.length; i += CASES_PER_STEP) {
    if (i > 0) await steps.yield();
    if (steps.cancelled()) break;
    for (const p of list.slice(i, i + CASES_PER_STEP)) ranks.push(rankOf(p, weights, rerank));
  }
  return rankShares(ranks);
}

/** What the fit maximises: the first answers most, without giving up recall in the list. */
function objective(q: RankingQuality): number {
  return q.mrr + 0.5 * q.top5 + 0.5 * q.top40;
}

/** 1-based rank of the expected answer (Infinity when outside the cut). */
function rankOf(p: Prepared, weights: FusionWeights, rerank: { pass: string; weight: number } | undefined): number {
  const { table } = p;
  const at = table.keys.indexOf(p.expected);
  if (at < 0) return Infinity;
  const mine = table.score(at, weights, p.priors);
  let rank = 1;
  for (let i = 0; i < table.size; i++) {
    const s = i === at ? mine : table.score(i, weights, p.priors);
    if (s > mine || (s === mine && table.keys[i] < p.expected)) rank++;
  }
  if (rank > CUTOFF || !rerank) return rank;
  const rr = p.reranked.get(rerank.pass);
  if (!rr) return rank;
  const blended = blendScores(rr.scores, rerank.weight);
  if (rr.unanimous) blended[0] = Math.max(...blended) + 1;
  const i = rr.keys.indexOf(p.expected);
  if (i < 0) return rank;
  let r = 1;
  for (let j = 0; j < blended.length; j++) if (blended[j] > blended[i] || (blended[j] === blended[i] && j < i)) r++;
  return r;
}

/**
 * A learned ranking read back from the cache, when it was learned on the same files (`signature`)
 * with the same reranker; undefined otherwise, or when malformed.
 */
export function rankingFromJson(json: unknown, signature: string, reranker: string | undefined): LearnedRanking | undefined {
  const j = json as (LearnedRanking & { signature?: string; reranker?: string | null }) | undefined;
  if (!j || typeof j !== 'object' || j.format !== 1 || j.signature !== signature || (j.reranker ?? undefined) !== reranker) return undefined;
  if (typeof j.rerankWeight !== 'number' || !(j.rerankWeight >= 0 && j.rerankWeight <= 1) || typeof j.kept !== 'boolean' || !j.heldBack || !j.weights) return undefined;
  const weights = { ...FUSION };
  for (const key of Object.keys(FUSION) as Array<keyof FusionWeights>) {
    const v = (j.weights as Record<string, unknown>)[key];
    // A hand-edited or hostile cache must not steer ranking with absurd numbers.
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1000) return undefined;
    weights[key] = v;
  }
  const out: LearnedRanking = { format: 1, weights, rerankWeight: j.rerankWeight, fitCases: Number(j.fitCases) || 0, heldBack: j.heldBack, kept: j.kept };
  if (j.model !== undefined) {
    // Only numbers the exporter turns into a graph of our own: never a model file from disk.
    if (typeof j.model !== 'string' || !mlpFromJson(j.model).ok) return undefined;
    out.model = j.model;
  }
  return out;
}

/** The ranking learned on the workspace, with the index signature and reranker it was learned with. */
const RANKING_FILE = 'ranking.json';

/** What was learned on the same files with the same reranker, from the cache folder. */
export async function loadLearnedRanking(cache: CacheFolder, signature: string, reranker: string | undefined): Promise<LearnedRanking | undefined> {
  return rankingFromJson(await cache.load(RANKING_FILE), signature, reranker);
}

export async function saveLearnedRanking(cache: CacheFolder, learned: LearnedRanking, signature: string, reranker: string | undefined): Promise<void> {
  await cache.save(RANKING_FILE, { ...learned, signature, reranker: reranker ?? null });
}
