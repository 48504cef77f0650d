/**
 * Runs pipelines over eval cases in one process, so the full pipeline and its baselines are
 * measured on the same machine, cases and warm state.
 *
 * For each pipeline: prepare() (untimed), a few warm-up answers (untimed: JIT, caches and lazy
 * model loading belong to start-up, not to a keystroke), then every case once per typed
 * setting, timed around answer() alone. `typed` is the first k characters of the answer's name,
 * as a user would have typed them at the hole; it is passed beside the case and the prefix is
 * never changed, so k = 0 asks with nothing typed.
 */
import { CaseResult, failedCase, scoreCase, summarize } from './metrics';
import { EvalReport, EvalRow } from './report';
import { EvalCase, EvalPipeline } from './types';

export interface RunOptions {
  /** Characters of the answer's name typed at the hole, one run per value (e.g. [0, 2]). */
  typedChars: number[];
  /** Untimed answers per pipeline before timing. Default 3. */
  warmup?: number;
  /** Keep per-case results in the report rows. Default false. */
  perCase?: boolean;
  /** Told after each pipeline and typed setting is done (for CLI progress). */
  onRow?: (row: EvalRow) => void;
}

/** What the user had typed of the answer at the hole. */
export function typedText(c: EvalCase, chars: number): string {
  return c.expected.scriptInclude.slice(0, Math.max(0, chars));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Answers one case, timed; a throw or rejection is a failed case, not a failed run. */
export async function timeCase(pipeline: EvalPipeline, c: EvalCase, typed: string): Promise<CaseResult> {
  const started = performance.now();
  try {
    const answer = await pipeline.answer(c, typed);
    return scoreCase(c, answer, performance.now() - started);
  } catch (err) {
    return failedCase(c, performance.now() - started, messageOf(err));
  }
}

async function warmUp(pipeline: EvalPipeline, cases: readonly EvalCase[], n: number): Promise<void> {
  for (const c of cases.slice(0, n)) {
    try {
      await pipeline.answer(c, '');
    } catch {
      // A failure here shows up again, counted, in the timed run.
    }
  }
}

/** Runs every pipeline on every case for each typed setting. */
export async function runEval(pipelines: readonly EvalPipeline[], cases: readonly EvalCase[], opts: RunOptions): Promise<EvalReport> {
  const rows: EvalRow[] = [];
  for (const pipeline of pipelines) {
    let prepareError: string | undefined;
    try {
      await pipeline.prepare?.();
    } catch (err) {
      prepareError = `prepare failed: ${messageOf(err)}`;
    }
    if (prepareError === undefined) await warmUp(pipeline, cases, opts.warmup ?? 3);
    for (const k of opts.typedChars) {
      const results: CaseResult[] = [];
      for (const c of cases) {
        results.push(prepareError === undefined ? await timeCase(pipeline, c, typedText(c, k)) : failedCase(c, 0, prepareError));
      }
      const row: EvalRow = { pipeline: pipeline.name, typedChars: k, metrics: summarize(results) };
      const firstError = results.find((r) => r.error !== undefined)?.error;
      if (firstError !== undefined) row.firstError = firstError;
      if (opts.perCase) row.results = results;
      rows.push(row);
      opts.onRow?.(row);
    }
    await pipeline.dispose?.().catch(() => undefined);
  }
  return { cases: cases.length, typedChars: [...opts.typedChars], rows };
}
