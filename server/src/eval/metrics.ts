/**
 * Scoring of pipeline answers against eval cases: pure functions over plain data.
 *
 * - A case's rank is the 1-based position of the first answer entry that names the expected
 *   Script Include, within the first `DEPTH` (40) entries. When the case knows the api name the
 *   entry must equal it (`global.` written or not); otherwise the entry's last dotted part must
 *   equal the expected name (`x_hr.HRUtils` matches `HRUtils`).
 * - Script Include + method counts only over cases that expect a method: a hit at k when the
 *   Script Include is at rank <= k and the pipeline's method for that same entry is the expected one.
 * - MRR is the mean of 1/rank, 0 for a case whose answer is not in the top 40.
 * - Latency percentiles use the nearest-rank definition (the smallest value with at least p% of
 *   the values at or below it), so they are always values that were measured.
 */
import { percentile, rankShares } from '../stats';
export { percentile } from '../stats';
import { EvalAnswer, EvalCase } from './types';

/** Only the first 40 answers count: the candidate list the reranker sees. */
export const DEPTH = 40;

export interface CaseResult {
  id: string;
  /** 1-based rank of the expected Script Include in the top 40, or null when absent. */
  rank: number | null;
  /** Whether the case expects a method. */
  expectsMethod: boolean;
  /** The pipeline's method at `rank` equals the expected one (false when rank is null or no method is expected). */
  methodHit: boolean;
  latencyMs: number;
  /** The pipeline failed on this case (counted as a miss). */
  error?: string;
}

export interface Metrics {
  cases: number;
  /** Shares in [0, 1]. */
  top1: number;
  top5: number;
  top10: number;
  top40: number;
  /** Cases that expect a method, and the shares of them with Script Include + method right. */
  methodCases: number;
  methodTop1: number;
  methodTop5: number;
  mrr: number;
  p50Ms: number;
  p95Ms: number;
  /** Cases whose answer() failed. */
  errors: number;
}

function withoutGlobal(apiName: string): string {
  return apiName.startsWith('global.') ? apiName.slice(7) : apiName;
}

/** Whether one answer entry (an api name, or a bare name) names the expected Script Include. */
export function answerMatches(entry: string, expected: EvalCase['expected']): boolean {
  if (expected.apiName) return withoutGlobal(entry) === withoutGlobal(expected.apiName);
  const dot = entry.lastIndexOf('.');
  return (dot < 0 ? entry : entry.slice(dot + 1)) === expected.scriptInclude;
}

/** 1-based rank of the expected Script Include within the first `depth` entries, or null. */
export function rankOf(c: Pick<EvalCase, 'expected'>, answer: EvalAnswer, depth = DEPTH): number | null {
  const n = Math.min(depth, answer.scriptIncludes.length);
  for (let i = 0; i < n; i++) if (answerMatches(answer.scriptIncludes[i], c.expected)) return i + 1;
  return null;
}

/** Scores one answer. */
export function scoreCase(c: EvalCase, answer: EvalAnswer, latencyMs: number): CaseResult {
  const rank = rankOf(c, answer);
  const expectsMethod = !!c.expected.method;
  const methodHit = expectsMethod && rank !== null && answer.methods?.[rank - 1] === c.expected.method;
  return { id: c.id, rank, expectsMethod, methodHit, latencyMs };
}

/** The result of a case whose pipeline threw or rejected: a miss that keeps its latency. */
export function failedCase(c: EvalCase, latencyMs: number, error: string): CaseResult {
  return { id: c.id, rank: null, expectsMethod: !!c.expected.method, methodHit: false, latencyMs, error };
}

function share(hits: number, total: number): number {
  return total === 0 ? 0 : hits / total;
}

/** Aggregates per-case results into the report's numbers. */
export function summarize(results: readonly CaseResult[]): Metrics {
  const shares = rankShares(results.map((r) => r.rank));
  const methodResults = results.filter((r) => r.expectsMethod);
  const methodWithin = (k: number): number => methodResults.filter((r) => r.methodHit && r.rank !== null && r.rank <= k).length;
  const latencies = results.map((r) => r.latencyMs);
  return {
    cases: results.length,
    top1: shares.top1,
    top5: shares.top5,
    top10: shares.top10,
    top40: shares.top40,
    methodCases: methodResults.length,
    methodTop1: share(methodWithin(1), methodResults.length),
    methodTop5: share(methodWithin(5), methodResults.length),
    mrr: shares.mrr,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    errors: results.filter((r) => r.error !== undefined).length,
  };
}
