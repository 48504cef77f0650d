/** The eval case contract of DESIGN.md (one JSON object per line). */

export type { EvalCase } from '../rank/cases';
import type { EvalCase } from '../rank/cases';

/** What a pipeline answers for one case: ranked Script Includes (api names) and, where it predicts them, methods. */
export interface EvalAnswer {
  /** api names (`scope.Name`), best first; at most 40 are scored. */
  scriptIncludes: string[];
  /** For each of the first entries, the predicted method (same order), when the pipeline predicts methods. */
  methods?: Array<string | undefined>;
}

export interface EvalPipeline {
  readonly name: string;
  /** One-time set-up outside the timed part (building indexes). */
  prepare?(): Promise<void>;
  /** Releases what prepare() loaded (models), after the pipeline's rows are done. */
  dispose?(): Promise<void>;
  answer(c: EvalCase, typed: string): Promise<EvalAnswer>;
}
