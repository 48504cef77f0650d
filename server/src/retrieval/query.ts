/**
 * Query building: from the cursor context to weighted terms, with no explicit query from the
 * user. Nearer code weighs more; table names and the enclosing function's comment weigh most,
 * because they say what the developer is working on. The typed fragment and anything after the
 * cursor but the suffix never enter the query (the context builder guarantees what it holds; this
 * module only reads it).
 */
import { tokenize } from '../text/tokens';
import { holeTerms } from '../text/hole-terms';
import { sentAjaxParams } from '../text/ajax-params';
import { CursorContext } from './types';

export interface Query {
  /** Terms for the API documents and the dense embedding. */
  terms: Map<string, number>;
  /** Terms for the usage documents (adds the caller's record type). */
  usageTerms: Map<string, number>;
  /** Tables the context works on, lowercased. */
  tables: string[];
  /** The shape of the code before the hole (`holeTerms`), for the usage priors. */
  hole: string[];
}

/** How much each kind of evidence counts; tuned on synthetic instances (see the issue notes). */
export const QUERY_WEIGHTS = {
  nearestLine: 1.4,
  lineDecay: 0.25,
  maxLines: 24,
  identifier: 0.6,
  string: 0.9,
  table: 2.2,
  comment: 0.9,
  functionName: 1.2,
  functionComment: 1.3,
  glideApi: 0.4,
  collection: 1.8,
  suffix: 0.35,
  recordName: 1.0,
  ajaxParam: 5,
  hole: 2.0,
  maxTerms: 80,
};

function add(map: Map<string, number>, terms: readonly string[], weight: number): void {
  if (weight <= 0) return;
  for (const t of terms) map.set(t, (map.get(t) ?? 0) + weight);
}

export function buildQuery(ctx: CursorContext, w = QUERY_WEIGHTS): Query {
  const terms = new Map<string, number>();
  const lines = ctx.linesBefore.slice(0, w.maxLines);
  lines.forEach((line, i) => add(terms, tokenize(line), w.nearestLine / (1 + w.lineDecay * i)));
  ctx.identifiers.slice(0, 120).forEach((id, i) => add(terms, tokenize(id), w.identifier / (1 + 0.05 * i)));
  ctx.strings.slice(0, 40).forEach((s, i) => add(terms, tokenize(s), w.string / (1 + 0.1 * i)));
  ctx.comments.slice(0, 12).forEach((c, i) => add(terms, tokenize(c), w.comment / (1 + 0.2 * i)));
  const tables = unique([...ctx.tables, ...(ctx.collection ? [ctx.collection] : [])].map((t) => t.toLowerCase()));
  ctx.tables.slice(0, 8).forEach((t, i) => add(terms, [`table:${t.toLowerCase()}`], w.table / (1 + 0.3 * i)));
  if (ctx.collection) add(terms, [`table:${ctx.collection.toLowerCase()}`, ...tokenize(ctx.collection)], w.collection);
  if (ctx.enclosingFunction) {
    if (ctx.enclosingFunction.name) add(terms, tokenize(ctx.enclosingFunction.name), w.functionName);
    if (ctx.enclosingFunction.comment) add(terms, tokenize(ctx.enclosingFunction.comment), w.functionComment);
  }
  add(terms, ctx.glideApis.slice(0, 30).map((a) => `api:${a.toLowerCase()}`), w.glideApi);
  if (ctx.suffix) add(terms, tokenize(ctx.suffix), w.suffix);
  if (ctx.recordName) add(terms, tokenize(ctx.recordName), w.recordName);
  // GlideAjax parameters the client sends, before or after the cursor: the Script Include reads them.
  if (ctx.side === 'client' || ctx.kind === 'glide-ajax') add(terms, sentAjaxParams(`${ctx.linesBefore.slice(0, w.maxLines).join('\n')}\n${ctx.suffix}`), w.ajaxParam);
  const top = capTerms(terms, w.maxTerms);
  const usageTerms = new Map(top);
  usageTerms.set(`record:${ctx.recordType}`, 1.5);
  // The shape before the hole is asked of the usage examples only (API documents have no such field).
  const hole = w.hole > 0 && (ctx.kind === 'bare' || ctx.kind === 'new' || ctx.kind === 'new-scoped') ? holeTerms(ctx.linesBefore[0] ?? '') : [];
  for (const t of hole) usageTerms.set(t, (usageTerms.get(t) ?? 0) + w.hole);
  return { terms: top, usageTerms, tables, hole };
}

function capTerms(terms: Map<string, number>, max: number): Map<string, number> {
  if (terms.size <= max) return terms;
  return new Map([...terms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max));
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
