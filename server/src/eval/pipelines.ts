/**
 * The evaluated pipelines over one indexed workspace: `retrieval` (cursor context, pruning,
 * lexical + usage + dense fusion) and `full` (the same, then the reranker). A case's own file and
 * its `exclude` files are left out of the candidates and of the usage examples, so the answer's
 * own call never helps find it.
 */
import { ApiIndex } from '../index/api-index';
import { KnowledgeGraphCache } from '../index/knowledge-graph';
import { applyRerank, Reranker } from '../rerank/reranker';
import { PipelineOutput, RankRequest, RetrievalPipeline } from '../retrieval/pipeline';
import { RetrievalIndex, RetrievalOptions, DEFAULT_RETRIEVAL_OPTIONS } from '../retrieval/retrieval-index';
import { CursorContext } from '../retrieval/types';
import { cursorContext } from '../syntax/cursor-context';
import { parseJavaScript } from '../syntax/parser';
import { EvalAnswer, EvalCase, EvalPipeline } from './types';

/** The context a completion request would see at the hole, with `typed` characters typed. */
export function caseContext(c: EvalCase, typed: string): CursorContext {
  const text = c.prefix + typed + (c.suffix ?? '');
  const tree = parseJavaScript(text);
  return cursorContext(text, tree, c.prefix.length + typed.length, {
    recordType: c.recordType ?? 'unknown',
    side: c.side ?? 'server',
    scope: c.scope ?? 'global',
    collection: c.collection,
  });
}

export function caseRequest(c: EvalCase, typed: string): RankRequest {
  const context = caseContext(c, typed);
  // The hole is always a Script Include name; a context that reads as a member access or a
  // comment (malformed prefix) is still asked as a bare position.
  if (context.kind === 'none' || context.kind === 'member' || context.kind === 'sysparm-name') context.kind = 'bare';
  const excludePaths = new Set<string>([...(c.path ? [c.path] : []), ...(c.exclude ?? [])]);
  return { context, excludePaths, includePlatform: false, maxResults: 40 };
}

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

export function retrievalPipeline(ws: EvalWorkspace, name = 'retrieval', disable?: ReadonlySet<string>): EvalPipeline {
  return {
    name,
    async answer(c, typed) {
      return answerOf(ws.pipeline.rank({ ...caseRequest(c, typed), disable }));
    },
  };
}

export function fullPipeline(ws: EvalWorkspace, reranker: Reranker, name = 'full', deadlineMs = 1000): EvalPipeline {
  return {
    name,
    async answer(c, typed) {
      const req = caseRequest(c, typed);
      const out = ws.pipeline.rank(req);
      const outcome = await reranker.rerank(req.context, out, deadlineMs);
      return answerOf(outcome.status === 'ok' && outcome.scores ? applyRerank(out, outcome.scores) : out);
    },
  };
}
