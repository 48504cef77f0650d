/**
 * The eval report: one row per pipeline and typed-characters setting, printed as a plain-text
 * table for people and written as JSON for tools (the same object, nothing recomputed).
 */
import { promises as fs } from 'node:fs';
import { CaseResult, Metrics } from './metrics';

export interface EvalRow {
  pipeline: string;
  /** How many characters of the answer's name the user had typed. */
  typedChars: number;
  metrics: Metrics;
  /** First failure message, when some cases failed. */
  firstError?: string;
  /** Per-case results, when the run asked for them. */
  results?: CaseResult[];
}

export interface EvalReport {
  cases: number;
  typedChars: number[];
  /** Ordered by pipeline (as given), then typed setting (as given). */
  rows: EvalRow[];
}

const COLUMNS = ['pipeline', 'typed', 'cases', 'top1', 'top5', 'top10', 'top40', 'm@1', 'm@5', 'MRR', 'p50 ms', 'p95 ms'];

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function ms(x: number): string {
  return x < 10 ? x.toFixed(2) : x.toFixed(1);
}

function cells(row: EvalRow): string[] {
  const m = row.metrics;
  // A pipeline with no method-expecting cases has no method score: a dash, not 0%.
  const method = (x: number): string => (m.methodCases ? pct(x) : '-');
  return [
    row.pipeline,
    String(row.typedChars),
    String(m.cases),
    pct(m.top1),
    pct(m.top5),
    pct(m.top10),
    pct(m.top40),
    method(m.methodTop1),
    method(m.methodTop5),
    m.mrr.toFixed(3),
    ms(m.p50Ms),
    ms(m.p95Ms),
  ];
}

/** A fixed-width table: names left-aligned, numbers right-aligned; failures listed below it. */
export function formatReport(report: EvalReport): string {
  const rows = [COLUMNS, ...report.rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  const out = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  const methodCases = report.rows[0]?.metrics.methodCases;
  out.push('', `${report.cases} cases${methodCases !== undefined ? `, ${methodCases} with an expected method (m@k: Script Include + method)` : ''}; typed = characters of the answer's name typed at the hole`);
  for (const row of report.rows) {
    if (row.metrics.errors) out.push(`${row.pipeline} (typed ${row.typedChars}): ${row.metrics.errors} cases failed; first: ${row.firstError ?? '?'}`);
  }
  return out.join('\n') + '\n';
}

/**
 * The macro average of several reports (one per corpus): each row's metrics averaged over the
 * reports that have that pipeline and typed setting, so every corpus weighs the same.
 */
export function averageReports(reports: readonly EvalReport[]): EvalReport {
  const first = reports[0];
  if (!first) return { cases: 0, typedChars: [], rows: [] };
  const rows: EvalRow[] = first.rows.map((row) => {
    const same = reports.map((r) => r.rows.find((x) => x.pipeline === row.pipeline && x.typedChars === row.typedChars)).filter((x): x is EvalRow => !!x);
    const metrics = { ...row.metrics } as Metrics;
    for (const key of Object.keys(metrics) as Array<keyof Metrics>) {
      if (typeof metrics[key] !== 'number') continue;
      (metrics[key] as number) = same.reduce((sum, x) => sum + (x.metrics[key] as number), 0) / same.length;
    }
    metrics.cases = same.reduce((sum, x) => sum + x.metrics.cases, 0);
    metrics.methodCases = same.reduce((sum, x) => sum + x.metrics.methodCases, 0);
    return { pipeline: row.pipeline, typedChars: row.typedChars, metrics };
  });
  return { cases: reports.reduce((sum, r) => sum + r.cases, 0), typedChars: [...first.typedChars], rows };
}

/** The reports of a real-code eval, one per corpus (`eval --corpus`). */
export interface CorporaReport {
  corpora: Array<{ name: string; report: EvalReport }>;
}

/** Writes the report as JSON (the same object `formatReport` prints). */
export async function writeReport(file: string, report: EvalReport | CorporaReport): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(report, null, 2) + '\n', 'utf8');
  await fs.rename(tmp, file);
}
