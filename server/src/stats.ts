/**
 * The project's small statistics, defined once: a nearest-rank percentile, latency summaries, and
 * the ranking measures (top-k shares and MRR) that eval, training and workspace learning report.
 */

/** Nearest-rank percentile of the values (`p` in 0..100); 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** p50, p95, p99 and the mean of latencies (ms). */
export function latencySummary(values: readonly number[]): LatencySummary {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), mean };
}

/** The ranks the measures count: at most this deep (what completion shows). */
export const RANK_DEPTH = 40;

export interface RankShares {
  cases: number;
  top1: number;
  top5: number;
  top10: number;
  top40: number;
  /** Mean reciprocal rank, a miss (or a rank past `RANK_DEPTH`) counting 0. */
  mrr: number;
}

/** Top-k shares and MRR of 1-based ranks (`null`, `0` or `Infinity`: not found). */
export function rankShares(ranks: ReadonlyArray<number | null>): RankShares {
  let top1 = 0;
  let top5 = 0;
  let top10 = 0;
  let top40 = 0;
  let rr = 0;
  for (const r of ranks) {
    if (r === null || !(r >= 1) || r > RANK_DEPTH) continue;
    if (r === 1) top1++;
    if (r <= 5) top5++;
    if (r <= 10) top10++;
    top40++;
    rr += 1 / r;
  }
  const n = Math.max(1, ranks.length);
  return { cases: ranks.length, top1: top1 / n, top5: top5 / n, top10: top10 / n, top40: top40 / n, mrr: rr / n };
}
