/**
 * Pair features of (cursor context, candidate) for the compact reranker: what retrieval's fused
 * score does not capture on its own. Each stage's score and rank, usage priors (how often, from
 * which record type and table, with which methods), word overlap by field, table agreement, scope
 * distance, the candidate's shape against the position kind, and documentation fit.
 *
 * The order of FEATURE_NAMES is the model's input contract: the exported model carries the names
 * in its metadata and loading checks them, so changing this list means retraining.
 */
import { API_FIELDS, ApiField } from '../index/api-documents';
import { CandidateDetail, DocumentTerms, PipelineOutput } from '../retrieval/pipeline';
import { CursorContext } from '../retrieval/types';
import { tokenize } from '../text/tokens';

export const FEATURE_NAMES = [
  'fused_score',
  'fused_inv_rank',
  'lexical_score_rel',
  'lexical_inv_rank',
  'usage_score_rel',
  'usage_inv_rank',
  'usage_hits_log',
  'dense_score',
  'dense_inv_rank',
  'popularity_log',
  'record_affinity',
  'collection_affinity',
  'table_overlap',
  'touches_collection',
  'name_overlap',
  'methods_overlap',
  'summary_overlap',
  'params_overlap',
  'tables_field_overlap',
  'glide_overlap',
  'parent_overlap',
  'same_scope',
  'global_scope',
  'client_callable',
  'is_class_shape',
  'is_function_shape',
  'is_module_shape',
  'pos_new',
  'pos_bare',
  'pos_glide_ajax',
  'has_docs',
  'method_count_log',
  'is_platform',
  'typed_len',
  'best_method_usage',
  // Evidence that travels across instances: how the lists agree, by how much a candidate leads,
  // how its calls look like this spot, what is called beside it, what its body and the caller's
  // record share with the query.
  'lists_agreeing',
  'fused_margin',
  'hole_affinity',
  'co_call',
  'body_overlap',
  'record_name_overlap',
  'sequence',
] as const;

export const FEATURE_COUNT = FEATURE_NAMES.length;

/**
 * Per candidate, each API field's overlap with the query (in API_FIELDS order): the query's
 * weights (each at most 1) of the distinct terms the field holds, over the square root of how
 * many distinct terms it holds; then the share of the record's words its name or methods hold.
 */
type Overlaps = Float64Array;
const RECORD_SHARE = API_FIELDS.length;

/**
 * The overlap features of every candidate, read from the API index: which of the query's terms
 * (and the record's words) each field holds, and how many distinct terms it holds. Recomputing
 * each candidate's fields from its Script Include instead cost about 30 µs a candidate whenever
 * they were not cached, a millisecond or more per request at 10,000 Script Includes.
 */
function overlapsFromIndex(documents: DocumentTerms, details: readonly CandidateDetail[], query: ReadonlyMap<string, number>, recordWords: ReadonlySet<string>): Overlaps[] {
  const ids = details.map((d) => d.ref.id);
  const queryTerms: string[] = [];
  const weights: number[] = [];
  for (const [t, w] of query) {
    if (!w) continue;
    queryTerms.push(t);
    weights.push(Math.min(1, w));
  }
  const words = [...recordWords];
  const width = queryTerms.length + words.length;
  const masks = documents.termFields(ids, [...queryTerms, ...words]);
  const distinct = documents.distinctTerms(ids);
  const nf = API_FIELDS.length;
  const bits = API_FIELDS.map((f) => documents.fieldIndex(f));
  const nameOrMethods = (1 << documents.fieldIndex('name')) | (1 << documents.fieldIndex('methods'));
  return ids.map((_, i) => {
    const out = new Float64Array(nf + 1);
    API_FIELDS.forEach((_, f) => {
      const n = distinct[i * nf + bits[f]];
      if (!n) return;
      let hit = 0;
      for (let k = 0; k < queryTerms.length; k++) if ((masks[i * width + k] >>> bits[f]) & 1) hit += weights[k];
      out[f] = hit / Math.sqrt(n);
    });
    if (words.length) {
      let held = 0;
      for (let k = queryTerms.length; k < width; k++) if (masks[i * width + k] & nameOrMethods) held++;
      out[RECORD_SHARE] = held / words.length;
    }
    return out;
  });
}

/** Features of every candidate of one ranking, row-major [n, FEATURE_COUNT]. */
export function extractFeatures(ctx: CursorContext, output: PipelineOutput): Float32Array {
  const details = output.details;
  const out = new Float32Array(details.length * FEATURE_COUNT);
  const maxOf = (pick: (d: CandidateDetail) => number) => Math.max(1e-9, ...details.map(pick));
  const maxLex = maxOf((d) => d.lexical.score);
  const maxUsage = maxOf((d) => d.usageHit.score);
  const maxFused = maxOf((d) => d.candidate.score);
  const q = output.query.terms;
  const collection = ctx.collection?.toLowerCase();
  const recordWords = new Set(ctx.recordName ? tokenize(ctx.recordName) : []);
  const overlaps = overlapsFromIndex(output.documents, details, q, recordWords);
  details.forEach((d, row) => {
    const f = out.subarray(row * FEATURE_COUNT, (row + 1) * FEATURE_COUNT);
    const si = d.ref.si;
    const over = (name: ApiField) => overlaps[row][API_FIELDS.indexOf(name)];
    const usage = d.usage;
    const total = usage?.total ?? 0;
    const bestMethod = d.candidate.method;
    const values: number[] = [
      d.candidate.score / maxFused,
      1 / (d.candidate.stages.fused?.rank ?? row + 1),
      d.lexical.score / maxLex,
      inv(d.lexical.rank),
      d.usageHit.score / maxUsage,
      inv(d.usageHit.rank),
      Math.log1p(d.usageHit.hits),
      d.dense.score,
      inv(d.dense.rank),
      Math.log1p(total),
      total ? usage!.record(ctx.recordType) / total : 0,
      total && collection ? usage!.collection(collection) / total : 0,
      d.tableOverlap,
      si && collection ? (si.tables.some((t) => t.toLowerCase() === collection) ? 1 : 0) : 0,
      over('name'),
      over('methods'),
      over('summary'),
      over('params'),
      over('tables'),
      over('glide'),
      over('parent'),
      si ? (si.scope === ctx.scope ? 1 : 0) : 0,
      si ? (si.scope === 'global' ? 1 : 0) : 1,
      si?.clientCallable ? 1 : 0,
      si && (si.kind === 'class-create' || si.kind === 'extends-object' || si.kind === 'es-class') ? 1 : 0,
      si?.kind === 'classless-function' ? 1 : 0,
      si && (si.kind === 'revealing-module' || si.kind === 'object-literal') ? 1 : 0,
      ctx.kind === 'new' || ctx.kind === 'new-scoped' ? 1 : 0,
      ctx.kind === 'bare' ? 1 : 0,
      ctx.kind === 'glide-ajax' ? 1 : 0,
      si && (si.description || si.jsdoc || si.methods.some((m) => m.jsdoc)) ? 1 : 0,
      Math.log1p(si?.methods.length ?? 0),
      d.ref.kind === 'platform' ? 1 : 0,
      Math.min(ctx.typed.length, 6) / 6,
      total && bestMethod ? usage!.method(bestMethod) / total : 0,
      [d.lexical.rank, d.usageHit.rank, d.dense.rank].filter((r) => r <= 5).length / 3,
      (d.candidate.score - (details[row + 1]?.candidate.score ?? d.candidate.score)) / maxFused,
      d.evidence.holeAffinity,
      d.evidence.coCall,
      over('body'),
      overlaps[row][RECORD_SHARE],
      d.evidence.sequence,
    ];
    for (let i = 0; i < FEATURE_COUNT; i++) f[i] = Number.isFinite(values[i]) ? values[i] : 0;
  });
  return out;
}

function inv(rank: number): number {
  return Number.isFinite(rank) && rank > 0 ? 1 / rank : 0;
}
