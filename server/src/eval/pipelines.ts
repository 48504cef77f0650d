/**
 * The evaluated pipelines over one indexed workspace: `retrieval` (cursor context, pruning,
 * lexical + usage + dense fusion) and `full` (the same, then the reranker). A case's own file and
 * its `exclude` files are left out of the candidates and of the usage examples, so the answer's
 * own call never helps find it.
 */
import { ApiIndex } from '../index/api-index';
import { KnowledgeGraphCache } from '../index/knowledge-graph';
import { CompactReranker, Reranker } from '../rerank/reranker';
import { exportMlpToOnnx, mlpFromJson, MlpModel } from '../rerank/mlp';
import { rank, RankOptions, SERVING_RANK_OPTIONS } from '../rank/ranker';
import { PipelineOutput, RetrievalPipeline } from '../retrieval/pipeline';
import { RetrievalIndex, RetrievalOptions, DEFAULT_RETRIEVAL_OPTIONS } from '../retrieval/retrieval-index';
import { EvalAnswer, EvalPipeline } from './types';
import { EvalCase, sampleCases } from '../rank/cases';
import { LEARN_MAX_CASES, learnRanking, LearnedRanking } from '../rank/learn';

import { caseRequest } from '../rank/case-request';

export function answerOf(out: PipelineOutput): EvalAnswer {
  const sis = out.candidates.filter((x) => x.kind === 'script-include');
  return { scriptIncludes: sis.map((x) => x.apiName), methods: sis.map((x) => x.method) };
}

/** Retrieval structures over an index, built once for all pipelines of a run. */
export class EvalWorkspace {
  readonly retrieval: RetrievalIndex;
  readonly pipeline: RetrievalPipeline;

  constructor(
    readonly index: ApiIndex,
    options: RetrievalOptions = DEFAULT_RETRIEVAL_OPTIONS,
  ) {
    const graph = new KnowledgeGraphCache(index);
    this.retrieval = new RetrievalIndex(index, options);
    this.retrieval.build();
    this.pipeline = new RetrievalPipeline(index, this.retrieval, () => graph.get());
  }

  dispose(): void {
    this.retrieval.dispose();
  }
}

/** Retrieval alone (`completion.pipeline: retrieval`), through the one ranker. */
export function retrievalPipeline(ws: EvalWorkspace, name = 'retrieval', disable?: ReadonlySet<string>, options: RankOptions = SERVING_RANK_OPTIONS): EvalPipeline {
  const opts: RankOptions = { ...options, mode: 'retrieval' };
  return {
    name,
    async answer(c, typed) {
      return answerOf(await rank({ pipeline: ws.pipeline }, { ...caseRequest(c, typed, opts), disable }, opts));
    },
  };
}

/** Retrieval then the reranker, with the serving options unless told otherwise (then say so in `name`). */
export function fullPipeline(ws: EvalWorkspace, reranker: Reranker, name = 'full', options: RankOptions = SERVING_RANK_OPTIONS): EvalPipeline {
  const opts: RankOptions = { ...options, mode: 'full' };
  return {
    name,
    async answer(c, typed) {
      return answerOf(await rank({ pipeline: ws.pipeline, reranker }, caseRequest(c, typed, opts), opts));
    },
  };
}

/** Folds of the out-of-sample learning measure: each fold is answered with what the others taught. */
export const LEARN_FOLDS = 4;

/** Which fold a case belongs to: by its caller's file, so a file's cases stay together. */
export function foldOf(c: EvalCase): number {
  const key = c.path ?? c.id;
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return (h >>> 0) % LEARN_FOLDS;
}

/**
 * The full pipeline after learning the workspace, measured out of sample: the cases are split in
 * folds by caller file, and each fold is answered with what was learned from the others (as a
 * server learns from the call sites it has before the user writes new ones).
 */
export function learnedPipeline(ws: EvalWorkspace, reranker: Reranker, cases: readonly EvalCase[], name = 'full+learned', options: RankOptions = SERVING_RANK_OPTIONS, fineTuneFrom?: MlpModel): EvalPipeline & { learned: Array<LearnedRanking | undefined> } {
  const opts: RankOptions = { ...options, mode: 'full' };
  const learned: Array<LearnedRanking | undefined> = Array.from({ length: LEARN_FOLDS }, () => undefined);
  const tuned: Array<Reranker | undefined> = Array.from({ length: LEARN_FOLDS }, () => undefined);
  return {
    name,
    learned,
    async prepare() {
      for (let fold = 0; fold < LEARN_FOLDS; fold++) {
        const l = await learnRanking({ pipeline: ws.pipeline, reranker }, sampleCases(cases.filter((c) => foldOf(c) !== fold), LEARN_MAX_CASES), { rank: opts, fineTuneFrom });
        learned[fold] = l;
        const weights = l?.kept && l.model ? mlpFromJson(l.model) : undefined;
        if (weights?.ok) {
          const loaded = await CompactReranker.load(exportMlpToOnnx(weights.model), 'compact-reranker (fine-tuned on this workspace)');
          if (loaded.ok) tuned[fold] = loaded.reranker;
        }
      }
    },
    async answer(c, typed) {
      const fold = foldOf(c);
      const l = learned[fold];
      const use = l?.kept ? l : undefined;
      const saved = ws.pipeline.weights;
      if (use) ws.pipeline.weights = use.weights;
      try {
        const parts = { pipeline: ws.pipeline, reranker: tuned[fold] ?? reranker };
        return answerOf(await rank(parts, caseRequest(c, typed, opts), use ? { ...opts, rerankWeight: use.rerankWeight } : opts));
      } finally {
        ws.pipeline.weights = saved;
      }
    },
    async dispose() {
      for (const r of tuned) await r?.release();
    },
  };
}
