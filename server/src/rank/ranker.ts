/**
 * The one ranking path: retrieval, then the reranker within what is left of the latency budget,
 * blended with the retrieval order. Serving (`Workspace.rank`), eval, training and the benchmark
 * all rank through `rank` with `RankOptions`; a setting that differs from serving is a named
 * option, so an eval number is what a user gets unless the report says otherwise.
 */
import { AsyncEmbedder } from '../index/embedders';
import { applyRerank, queryText, Reranker } from '../rerank/reranker';
import { PipelineOutput, RankRequest, RetrievalPipeline } from '../retrieval/pipeline';
import { isSchemaPosition } from '../retrieval/types';

export type PipelineMode = 'full' | 'retrieval' | 'lexical';

export interface RankOptions {
  /** `full` reranks, `retrieval` stops after fusion, `lexical` keeps BM25 alone. */
  mode: PipelineMode;
  /** The whole request's budget in ms; the reranker gets what retrieval left, less a margin. */
  budgetMs: number;
  /** Offer the platform's Glide APIs beside Script Includes (as completion does). */
  includePlatform: boolean;
  /**
   * How much the reranker's order weighs against the retrieval order (0: retrieval alone, 1: the
   * reranker alone). The two are fused by reciprocal rank, so a reranker that disagrees with every
   * list must be sure of itself to move a candidate far.
   */
  rerankWeight: number;
}

/**
 * What completion uses. `rerankWeight` 1 (the reranker's order, the unanimity guard aside) was
 * chosen by leave-one-corpus-out between 0.5 and 1 over the public ServiceNow repositories of the
 * README: with each corpus left out, the others preferred 1. A workspace that learns its ranking
 * refits the blend on its own cases.
 */
export const SERVING_RANK_OPTIONS: RankOptions = { mode: 'full', budgetMs: 40, includePlatform: true, rerankWeight: 1 };

/** The stages `lexical` mode leaves out. */
const LEXICAL_ONLY: ReadonlySet<string> = new Set(['usage', 'dense', 'priors']);

/** Reciprocal-rank constant of the rerank blend: ranks 1 and 2 differ, ranks 30 and 31 hardly. */
const BLEND_K = 10;

/** What the ranker ranks with: the pipeline over one index, the reranker and embedding model in use. */
export interface RankerParts {
  pipeline: RetrievalPipeline;
  reranker?: Reranker;
  /** The sentence-embedding model of dense retrieval, when one is configured. */
  embeddingModel?: AsyncEmbedder;
}

/** Ranks APIs for a request: the one path every caller uses. */
export async function rank(parts: RankerParts, req: RankRequest, opts: RankOptions): Promise<PipelineOutput> {
  const started = performance.now();
  const request: RankRequest = { ...req, includePlatform: req.includePlatform ?? opts.includePlatform };
  // No model, no await: the default path stays synchronous up to the reranker.
  const embedded: QueryEmbedding = parts.embeddingModel && !request.queryVector ? await embedQuery(parts.embeddingModel, request, opts.mode) : {};
  if (embedded.vector) request.queryVector = embedded.vector;
  const out = runPipeline(parts.pipeline, request, opts.mode);
  if (embedded.ms !== undefined) out.timings.unshift({ stage: 'embed-query', ms: embedded.ms });
  if (embedded.error) out.trace.push(`query embedding failed (${embedded.error}): dense skipped`);
  return rerankStage(parts.reranker, request, out, opts, started);
}

function runPipeline(pipeline: RetrievalPipeline, req: RankRequest, mode: PipelineMode): PipelineOutput {
  if (mode !== 'lexical') return pipeline.rank(req);
  const disable = new Set([...(req.disable ?? []), ...LEXICAL_ONLY]);
  return pipeline.rank({ ...req, disable });
}

async function rerankStage(reranker: Reranker | undefined, req: RankRequest, out: PipelineOutput, opts: RankOptions, started: number): Promise<PipelineOutput> {
  if (opts.mode !== 'full' || !reranker || out.cancelled || out.details.length < 2 || opts.rerankWeight <= 0) return out;
  const left = opts.budgetMs - (performance.now() - started) - 3;
  const outcome = await reranker.rerank(req.context, out, left, req.token);
  out.timings.push({ stage: 'rerank', ms: outcome.ms });
  if (outcome.status === 'ok' && outcome.scores) {
    const scores = blendScores(outcome.scores, opts.rerankWeight);
    // A candidate every list puts first stays first: the reranker has no evidence the lists lack.
    if (unanimousFirst(out)) scores[0] = Math.max(...scores) + 1;
    keepPlatformOrder(out, scores);
    const ranked = applyRerank(out, scores);
    ranked.trace.push(`reranked by ${reranker.name} in ${outcome.ms.toFixed(2)} ms (weight ${opts.rerankWeight} against the retrieval order)`);
    return ranked;
  }
  out.trace.push(`rerank ${outcome.status}${outcome.detail ? ` (${outcome.detail})` : ''}: the retrieval order stands`);
  return out;
}

/**
 * Scores that order candidates by a reciprocal-rank blend of the reranker's order and the
 * retrieval order (the candidates come in retrieval order). Weight 1 is the reranker's order.
 */
export function blendScores(rerank: Float32Array, weight: number): Float32Array {
  const n = rerank.length;
  if (weight >= 1) return Float32Array.from(rerank);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rerank[b] - rerank[a] || a - b);
  const out = new Float32Array(n);
  order.forEach((i, r) => (out[i] = weight / (BLEND_K + r + 1) + (1 - weight) / (BLEND_K + i + 1)));
  return out;
}

/**
 * The reranker learned from Script Include answers only, so it has no grounds to order platform
 * APIs among themselves: they keep the slots it gave them, filled in the retrieval order (the
 * workspace's use of each, the platform's prior).
 */
export function keepPlatformOrder(out: PipelineOutput, scores: Float32Array): void {
  const slots: number[] = [];
  out.details.forEach((d, i) => d.ref.kind === 'platform' && slots.push(i));
  if (slots.length < 2) return;
  const best = slots.map((i) => scores[i]).sort((a, b) => b - a);
  slots.forEach((i, k) => (scores[i] = best[k]));
}

/** Whether the retrieval order's first candidate is first in every list that ran, and in at least two. */
export function unanimousFirst(out: PipelineOutput): boolean {
  const top = out.details[0];
  if (!top) return false;
  const ranks = [top.lexical.rank, top.usageHit.rank, top.dense.rank].filter((r) => Number.isFinite(r));
  return ranks.length >= 2 && ranks.every((r) => r === 1);
}

interface QueryEmbedding {
  vector?: Float32Array;
  ms?: number;
  error?: string;
}

/** The query's vector under the embedding model, when the dense stage will run and wants one. */
async function embedQuery(model: AsyncEmbedder, req: RankRequest, mode: PipelineMode): Promise<QueryEmbedding> {
  const kind = req.context.kind;
  if (mode === 'lexical' || req.disable?.has('dense') || kind === 'none' || kind === 'member' || kind === 'sysparm-name' || isSchemaPosition(kind)) return {};
  const t = performance.now();
  try {
    const [vector] = await model.embedBatch([queryText(req.context)]);
    return { vector, ms: performance.now() - t };
  } catch (err) {
    return { ms: performance.now() - t, error: (err as Error).message };
  }
}
