/**
 * The evaluated pipelines over one indexed workspace: `retrieval` (cursor context, pruning,
 * lexical + usage + dense fusion) and `full` (the same, then the reranker). A case's own file and
 * its `exclude` files are left out of the candidates and of the usage examples, so the answer's
 * own call never helps find it.
 */
import { ApiIndex } from '../index/api-index';
import { KnowledgeGraphCache } from '../index/knowledge-graph';
import { Reranker } from '../rerank/reranker';
import { rank, RankOptions, SERVING_RANK_OPTIONS } from '../rank/ranker';
import { PipelineOutput, RetrievalPipeline } from '../retrieval/pipeline';
import { RetrievalIndex, RetrievalOptions, DEFAULT_RETRIEVAL_OPTIONS } from '../retrieval/retrieval-index';
import { EvalAnswer, EvalPipeline } from './types';
import { EvalCase, sampleCases } from '../rank/cases';
import { LEARN_MAX_CASES, learnRanking, LearnedRanking } from '../rank/learn';

export { caseContext, caseRequest } from '../rank/case-request';
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

/** Which of two folds a case belongs to: by its caller's file, so a file's cases stay together. */
export function foldOf(c: EvalCase): 0 | 1 {
  const key = c.path ?? c.id;
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return (h & 1) as 0 | 1;
}

/**
 * The full pipeline after learning the workspace, measured out of sample: the cases are split in
 * two folds by caller file, each fold is answered with what was learned from the other one (as a
 * server learns from the call sites it has before the user writes new ones).
 */
export function learnedPipeline(ws: EvalWorkspace, reranker: Reranker, cases: readonly EvalCase[], name = 'full+learned', options: RankOptions = SERVING_RANK_OPTIONS): EvalPipeline & { learned: Array<LearnedRanking | undefined> } {
  const opts: RankOptions = { ...options, mode: 'full' };
  const learned: Array<LearnedRanking | undefined> = [undefined, undefined];
  return {
    name,
    learned,
    async prepare() {
      for (const fold of [0, 1] as const) {
        learned[fold] = await learnRanking({ pipeline: ws.pipeline, reranker }, sampleCases(cases.filter((c) => foldOf(c) !== fold), LEARN_MAX_CASES), { rank: opts });
      }
    },
    async answer(c, typed) {
      const l = learned[foldOf(c)];
      const use = l?.kept ? l : undefined;
      const saved = ws.pipeline.weights;
      if (use) ws.pipeline.weights = use.weights;
      try {
        return answerOf(await rank({ pipeline: ws.pipeline, reranker }, caseRequest(c, typed, opts), use ? { ...opts, rerankWeight: use.rerankWeight } : opts));
      } finally {
        ws.pipeline.weights = saved;
      }
    },
  };
}
