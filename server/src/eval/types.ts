/** The eval case contract of DESIGN.md (one JSON object per line). */
import { Side } from '../model';

export interface EvalCase {
  id: string;
  /** Code before the hole; never contains the answer's name or api_name. */
  prefix: string;
  /** Code after the hole (may be empty); never contains the answer either. */
  suffix?: string;
  /** Workspace-relative path of the caller. */
  path?: string;
  side?: Side;
  scope?: string;
  /** The caller's record type (`sys_script`, `sys_script_client`, ...). */
  recordType?: string;
  /** The table the caller runs on, when known. */
  collection?: string;
  expected: { scriptInclude: string; apiName?: string; method?: string };
  /** Workspace files hidden from the index for this case (a caller that is itself a Script Include). */
  exclude?: string[];
  /** How the answer was used at the hole (`new`, `static`, `function`, `extends`, `glide-ajax`). */
  form?: string;
}

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
  answer(c: EvalCase, typed: string): Promise<EvalAnswer>;
}
