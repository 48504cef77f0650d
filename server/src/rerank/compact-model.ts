/**
 * The shipped default reranker at run time: an ONNX model over pair features (input `features`
 * float32 [n, F], output `scores` float32 [n] or [n, 1]) scored in one batched run per keystroke.
 * The feature width is checked at load against the model's metadata and the caller's extractor,
 * so a model trained on another feature set is refused with one clear line.
 */
import { ort } from '../onnx/runtime';
import { ModelSession, loadSession } from '../onnx/onnx-session';

export interface CompactModel {
  readonly featureCount: number;
  /** From metadata `feature_names`; empty when the model does not say. */
  readonly featureNames: readonly string[];
  /** From metadata `version`; empty when the model does not say. */
  readonly version: string;
  readonly session: ModelSession;
  /**
   * Scores the `n` rows of a row-major [n, F] matrix in one run. Rejects on a wrong-sized matrix
   * (a caller bug) or a runtime failure; `withDeadline` turns either into an error outcome.
   */
  score(features: Float32Array, n: number): Promise<Float32Array>;
  release(): Promise<void>;
}

export interface CompactModelOptions {
  threads?: number;
  /** The feature count of the caller's extractor; a model of another width is refused. */
  expectedFeatureCount?: number;
  /** When given with the model's `feature_names`, the names must match in order. */
  expectedFeatureNames?: readonly string[];
  /** Rows in the warm-up run (default 40, the retrieval top-k). */
  warmUpRows?: number;
}

export type CompactModelResult = { ok: true; model: CompactModel } | { ok: false; error: string };

const INPUT = 'features';
const OUTPUT = 'scores';

export async function loadCompactModel(source: string | Uint8Array, opts: CompactModelOptions = {}): Promise<CompactModelResult> {
  const loaded = await loadSession(source, { threads: opts.threads, label: 'reranker model', warmUp: false });
  if (!loaded.ok) return loaded;
  const session = loaded.session;
  const checked = checkContract(session, opts);
  if (!checked.ok) {
    await session.release();
    return checked;
  }
  const { featureCount, featureNames } = checked;
  const model: CompactModel = {
    featureCount,
    featureNames,
    version: session.metadata.version ?? '',
    session,
    score: (features, n) => scoreRows(session, featureCount, features, n),
    release: () => session.release(),
  };
  // Warm up at the size a keystroke uses, so the first completion does not pay for allocation.
  const rows = opts.warmUpRows ?? 40;
  try {
    await model.score(new Float32Array(rows * featureCount), rows);
  } catch (err) {
    await session.release();
    return { ok: false, error: `reranker model failed its warm-up run: ${session.source} (${err instanceof Error ? err.message : String(err)})` };
  }
  return { ok: true, model };
}

type Contract = { ok: true; featureCount: number; featureNames: string[] } | { ok: false; error: string };

/** Validates inputs, outputs and metadata against each other and against the caller's extractor. */
export function checkContract(session: Pick<ModelSession, 'inputs' | 'outputs' | 'metadata' | 'source'>, opts: CompactModelOptions = {}): Contract {
  const where = session.source;
  const input = session.inputs.find((i) => i.name === INPUT);
  if (!input) return { ok: false, error: `reranker model ${where} has no '${INPUT}' input (inputs: ${session.inputs.map((i) => i.name).join(', ')})` };
  if (input.type !== 'float32') return { ok: false, error: `reranker model ${where}: input '${INPUT}' is ${input.type}, expected float32` };
  if (!session.outputs.some((o) => o.name === OUTPUT)) {
    return { ok: false, error: `reranker model ${where} has no '${OUTPUT}' output (outputs: ${session.outputs.map((o) => o.name).join(', ')})` };
  }
  const declared = input.shape.length === 2 && typeof input.shape[1] === 'number' ? input.shape[1] : undefined;
  const metaCount = session.metadata.feature_count !== undefined ? Number(session.metadata.feature_count) : undefined;
  if (metaCount !== undefined && !(Number.isInteger(metaCount) && metaCount > 0)) {
    return { ok: false, error: `reranker model ${where}: metadata feature_count '${session.metadata.feature_count}' is not a count` };
  }
  if (declared !== undefined && metaCount !== undefined && declared !== metaCount) {
    return { ok: false, error: `reranker model ${where}: input width ${declared} disagrees with metadata feature_count ${metaCount}` };
  }
  const featureCount = declared ?? metaCount ?? opts.expectedFeatureCount;
  if (featureCount === undefined) return { ok: false, error: `reranker model ${where}: feature count unknown (no fixed input width, no metadata)` };
  if (opts.expectedFeatureCount !== undefined && featureCount !== opts.expectedFeatureCount) {
    return { ok: false, error: `reranker model ${where} expects ${featureCount} features, the extractor makes ${opts.expectedFeatureCount}` };
  }
  let featureNames: string[] = [];
  if (session.metadata.feature_names) {
    try {
      const parsed: unknown = JSON.parse(session.metadata.feature_names);
      if (Array.isArray(parsed)) featureNames = parsed.map(String);
    } catch {
      return { ok: false, error: `reranker model ${where}: metadata feature_names is not a JSON array` };
    }
    if (featureNames.length !== featureCount) {
      return { ok: false, error: `reranker model ${where}: ${featureNames.length} feature names for ${featureCount} features` };
    }
  }
  if (opts.expectedFeatureNames && featureNames.length > 0) {
    const mismatch = featureNames.findIndex((name, i) => name !== opts.expectedFeatureNames![i]);
    if (mismatch >= 0) {
      return { ok: false, error: `reranker model ${where}: feature ${mismatch} is '${featureNames[mismatch]}', the extractor's is '${opts.expectedFeatureNames[mismatch]}'` };
    }
  }
  return { ok: true, featureCount, featureNames };
}

async function scoreRows(session: ModelSession, featureCount: number, features: Float32Array, n: number): Promise<Float32Array> {
  if (features.length !== n * featureCount) {
    throw new Error(`feature matrix has ${features.length} values, expected ${n} x ${featureCount}`);
  }
  if (n === 0) return new Float32Array(0);
  const result = await session.run({ [INPUT]: new ort.Tensor('float32', features, [n, featureCount]) });
  if (!result.ok) throw new Error(`reranker run failed: ${result.error}`);
  const out = result.outputs[OUTPUT];
  // [n] and [n, 1] both flatten to n values.
  if (!out || out.size !== n) throw new Error(`reranker returned ${out ? out.size : 0} scores for ${n} rows`);
  return Float32Array.from(out.data as Float32Array);
}
