/**
 * `workspace/executeCommand` `deepcodeseek.explain` [uri, position]: why the suggestions at a
 * position came, as JSON a client can show: the cursor context the query was built from, the
 * query's heaviest terms, each ranked candidate with every stage's score and rank, the stage
 * timings and the pipeline's trace.
 */
import { Position } from '../model';
import { cursorContext } from '../syntax/cursor-context';
import { CancellationLike, FeatureState } from './common';
import { scriptAt } from './script-at';

export const EXPLAIN_COMMAND = 'deepcodeseek.explain';

export interface ExplainResult {
  uri: string;
  position: Position;
  context: { kind: string; typed: string; recordType: string; side: string; scope: string; collection?: string; receiver?: unknown; ajaxTarget?: unknown; qualifier?: string };
  query: { terms: Array<[string, number]>; tables: string[] };
  candidates: Array<{
    rank: number;
    key: string;
    kind: string;
    name: string;
    apiName: string;
    method?: string;
    methods?: string[];
    score: number;
    stages: Record<string, { score: number; rank: number | null }>;
  }>;
  timings: Array<{ stage: string; ms: number }>;
  trace: string[];
  cancelled?: boolean;
  /** The same for people: a short markdown report the clients show rendered. */
  markdown: string;
}

const QUERY_TERMS = 30;

/** Reads `[uri, position]` or `[{ textDocument: { uri }, position }]`; anything else is not an explain request. */
export function explainArguments(args: unknown[] | undefined): { uri: string; position: Position } | undefined {
  const [first, second] = args ?? [];
  const asParams = first as { textDocument?: { uri?: unknown }; position?: Position } | undefined;
  const uri = typeof first === 'string' ? first : asParams?.textDocument?.uri;
  const p = (typeof first === 'string' ? second : asParams?.position) as Position | undefined;
  if (typeof uri !== 'string' || !p || typeof p.line !== 'number' || typeof p.character !== 'number') return undefined;
  return { uri, position: { line: p.line, character: p.character } };
}

export async function explain(state: FeatureState, args: unknown[] | undefined, token?: CancellationLike): Promise<ExplainResult | null> {
  const req = explainArguments(args);
  if (!req) return null;
  const at = scriptAt(state.session, state.scripts, req.uri, req.position);
  if (!at) return null;
  const ctx = cursorContext(at.script, at.tree, at.scriptOffset, at.facts);
  const out = await at.ws.rank({ context: ctx, includePlatform: true, maxResults: state.session.settings['completion.maxItems'], token });
  const terms = [...out.query.terms].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, QUERY_TERMS);
  const context: ExplainResult['context'] = { kind: ctx.kind, typed: ctx.typed, recordType: ctx.recordType, side: ctx.side, scope: ctx.scope };
  if (ctx.collection) context.collection = ctx.collection;
  if (ctx.receiver) context.receiver = ctx.receiver;
  if (ctx.ajaxTarget) context.ajaxTarget = ctx.ajaxTarget;
  if (ctx.qualifier) context.qualifier = ctx.qualifier;
  const result: Omit<ExplainResult, 'markdown'> = {
    uri: req.uri,
    position: req.position,
    context,
    query: { terms, tables: out.query.tables },
    candidates: out.candidates.map((c, i) => ({
      rank: i + 1,
      key: c.key,
      kind: c.kind,
      name: c.name,
      apiName: c.apiName,
      ...(c.method ? { method: c.method } : {}),
      ...(c.methods ? { methods: c.methods.slice(0, 5) } : {}),
      score: c.score,
      // JSON has no Infinity: an absent rank is null.
      stages: Object.fromEntries(Object.entries(c.stages).map(([k, v]) => [k, { score: v.score, rank: Number.isFinite(v.rank) ? v.rank : null }])),
    })),
    timings: out.timings,
    trace: out.trace,
    ...(out.cancelled ? { cancelled: true } : {}),
  };
  return { ...result, markdown: explainMarkdown(result) };
}

/** Stages shown as columns of the candidates' table, in pipeline order. */
const STAGES = ['lexical', 'usage', 'dense', 'fused', 'rerank'];

/**
 * The explain result as people read it: where the cursor is and what kind of position, the
 * query's heaviest terms, the ranked candidates with each stage's rank, the timings and the
 * trace (which weights and reranker ranked, and what was pruned).
 */
export function explainMarkdown(r: Omit<ExplainResult, 'markdown'>): string {
  const c = r.context;
  const typed = c.typed ? ` (typed \`${c.typed}\`)` : '';
  const table = r.candidates.length
    ? [
        `| # | API | method | ${STAGES.join(' | ')} |`,
        `|---|---|---|${STAGES.map(() => '---').join('|')}|`,
        ...r.candidates.slice(0, 15).map((x) => `| ${x.rank} | ${x.apiName} | ${x.method ?? ''} | ${STAGES.map((s) => x.stages[s]?.rank ?? '–').join(' | ')} |`),
        '',
      ]
    : ['_No API fits here._'];
  const lines = [
    `### Suggestions at line ${r.position.line + 1}, column ${r.position.character + 1}`,
    '',
    `**Position:** ${c.kind}${typed} in a ${c.recordType} script, ${c.side} side, scope \`${c.scope}\`${c.collection ? `, table \`${c.collection}\`` : ''}`,
    '',
    `**Query:** ${r.query.terms.slice(0, 12).map(([t, w]) => `${t} ${w.toFixed(1)}`).join(' · ') || '(nothing before the cursor)'}`,
    '',
    ...table,
    `**Timings:** ${r.timings.map((t) => `${t.stage} ${t.ms.toFixed(1)} ms`).join(', ')}`,
    '',
    ...r.trace.map((t) => `- ${t}`),
  ];
  return lines.join('\n') + '\n';
}
