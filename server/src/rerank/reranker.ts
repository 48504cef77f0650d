/**
 * The reranker interface of the pipeline and its implementations: the shipped compact model over
 * pair features, and external ONNX cross-encoders over (query text, candidate text). Loading picks
 * the best available model and says so in one line; any failure falls back to the next one, and
 * with none the retrieval order stands.
 */
import { createHash } from 'crypto';
import { existsSync } from 'fs';
import { readFile } from 'fs/promises';
import * as path from 'path';
import { CancellationLike, RerankOutcome, withDeadline } from './types';
import { CompactModel, loadCompactModel } from './compact-model';
import { CrossEncoder, CrossEncoderKind, loadCrossEncoder } from './cross-encoder';
import { extractFeatures, FEATURE_COUNT, FEATURE_NAMES } from './features';
import { PipelineOutput } from '../retrieval/pipeline';
import { CursorContext } from '../retrieval/types';
import { publicMethods } from '../index/api-documents';

export interface Reranker {
  /** Shown in the explain view and logs (`compact-reranker (shipped)`, a model path). */
  readonly name: string;
  /**
   * Which model exactly, for what is learned with it (the workspace's ranking cache): the name
   * and, where the model's bytes are at hand, their hash, so a retrained model of the same name
   * does not inherit what was learned with the old one. The name when absent.
   */
  readonly identity?: string;
  rerank(ctx: CursorContext, output: PipelineOutput, deadlineMs: number, token?: CancellationLike): Promise<RerankOutcome>;
  release(): Promise<void>;
}

/** Where the shipped models live: <repo>/models (from out/server/src/rerank). */
export const MODELS_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'models');
export const SHIPPED_COMPACT = path.join(MODELS_DIR, 'compact-reranker.onnx');
/** The name the shipped compact reranker goes by in logs and the explain view. */
export const SHIPPED_COMPACT_NAME = 'compact-reranker (shipped)';
/** The shipped model's weights as numbers: where fine-tuning on a workspace starts from. */
export const SHIPPED_WEIGHTS = path.join(MODELS_DIR, 'compact-reranker.json');

export class CompactReranker implements Reranker {
  constructor(
    readonly name: string,
    private readonly model: CompactModel,
    readonly identity: string = name,
  ) {}

  static async load(source: string | Uint8Array, name: string, threads = 1): Promise<{ ok: true; reranker: CompactReranker } | { ok: false; error: string }> {
    const loaded = await loadCompactModel(source, { threads, expectedFeatureCount: FEATURE_COUNT, expectedFeatureNames: FEATURE_NAMES });
    if (!loaded.ok) return loaded;
    // Read again to know the model by its bytes: a compact model is a few kilobytes.
    const bytes = typeof source === 'string' ? await readFile(source).catch(() => undefined) : source;
    const identity = bytes ? `${name} ${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}` : name;
    return { ok: true, reranker: new CompactReranker(name, loaded.model, identity) };
  }

  rerank(ctx: CursorContext, output: PipelineOutput, deadlineMs: number, token?: CancellationLike): Promise<RerankOutcome> {
    const n = output.details.length;
    if (n === 0) return Promise.resolve({ scores: new Float32Array(0), ms: 0, status: 'ok' });
    return withDeadline(() => this.model.score(extractFeatures(ctx, output), n), deadlineMs, token);
  }

  /** Scores features directly (training evaluation and the benchmark). */
  scoreFeatures(features: Float32Array, n: number): Promise<Float32Array> {
    return this.model.score(features, n);
  }

  release(): Promise<void> {
    return this.model.release();
  }
}

export class CrossEncoderReranker implements Reranker {
  constructor(
    readonly name: string,
    private readonly encoder: CrossEncoder,
  ) {}

  rerank(ctx: CursorContext, output: PipelineOutput, deadlineMs: number, token?: CancellationLike): Promise<RerankOutcome> {
    const query = queryText(ctx);
    const docs = output.details.map((d) => candidateText(d.ref));
    if (!docs.length) return Promise.resolve({ scores: new Float32Array(0), ms: 0, status: 'ok' });
    return withDeadline((signal) => this.encoder.score(query, docs, signal), deadlineMs, token);
  }

  release(): Promise<void> {
    return this.encoder.release();
  }
}

/** The code before the cursor, nearest lines last, as a cross-encoder reads it. */
export function queryText(ctx: CursorContext, maxLines = 12): string {
  const lines = ctx.linesBefore.slice(0, maxLines).reverse();
  const fn = ctx.enclosingFunction?.comment ? `// ${ctx.enclosingFunction.comment}\n` : '';
  return `${fn}${lines.join('\n')}`;
}

/** A candidate as text: name, scope, summary and public methods. */
export function candidateText(ref: PipelineOutput['details'][number]['ref']): string {
  if (ref.platform) return `${ref.platform.name}: ${ref.platform.description} Methods: ${ref.platform.methods.slice(0, 12).map((m) => m.name).join(', ')}`;
  const si = ref.si!;
  const summary = si.description || si.jsdoc?.summary || '';
  const methods = publicMethods(si)
    .slice(0, 12)
    .map((m) => `${m.name}(${m.params.map((p) => p.name).join(', ')})${m.jsdoc?.summary ? ` - ${m.jsdoc.summary}` : ''}`);
  return `${si.apiName}: ${summary} Tables: ${si.tables.join(', ')}. Methods: ${methods.join('; ')}`;
}

/** Reorders a ranking by rerank scores (ties keep the retrieval order) and records the stage. */
export function applyRerank(output: PipelineOutput, scores: Float32Array): PipelineOutput {
  const order = output.details.map((d, i) => ({ d, i, s: scores[i] ?? -Infinity }));
  order.sort((a, b) => b.s - a.s || a.i - b.i);
  const details = order.map((o, rank) => {
    o.d.candidate.stages.rerank = { score: o.s, rank: rank + 1 };
    return o.d;
  });
  return { ...output, details, candidates: details.map((d) => d.candidate) };
}

export interface RerankerChoice {
  /** The user's model (`rerank.model`), if set. */
  userModel?: string;
  userKind?: CrossEncoderKind | 'compact-reranker';
  tokenizer?: string;
  /** A model trained on this workspace that beat the shipped one on held-back cases. */
  workspaceModel?: string;
  threads: number;
}

/**
 * Loads the best available reranker: the user's model, else one trained on the workspace, else
 * the shipped compact model. Each failure is one log line and a step down the list.
 */
export async function loadReranker(choice: RerankerChoice, log: (line: string) => void): Promise<Reranker | undefined> {
  if (choice.userModel) {
    const r = await loadUserModel(choice);
    if (r.ok) {
      log(`reranker: ${r.reranker.name}`);
      return r.reranker;
    }
    log(`${r.error}; falling back to the ${choice.workspaceModel ? 'workspace-trained' : 'shipped'} reranker`);
  }
  if (choice.workspaceModel && existsSync(choice.workspaceModel)) {
    const r = await CompactReranker.load(choice.workspaceModel, `compact-reranker (trained on this workspace: ${choice.workspaceModel})`, choice.threads);
    if (r.ok) {
      log(`reranker: ${r.reranker.name}`);
      return r.reranker;
    }
    log(`${r.error}; falling back to the shipped reranker`);
  }
  const r = await CompactReranker.load(SHIPPED_COMPACT, SHIPPED_COMPACT_NAME, choice.threads);
  if (r.ok) return r.reranker;
  log(`${r.error}; completions use the retrieval order`);
  return undefined;
}

async function loadUserModel(choice: RerankerChoice): Promise<{ ok: true; reranker: Reranker } | { ok: false; error: string }> {
  const modelPath = choice.userModel!;
  if (!existsSync(modelPath)) return { ok: false, error: `reranker model not found: ${modelPath}` };
  if (choice.userKind === 'compact-reranker') return CompactReranker.load(modelPath, `compact-reranker (${modelPath})`, choice.threads);
  const kind = choice.userKind === 'cross-encoder' || choice.userKind === 'qwen3-reranker' ? choice.userKind : 'auto';
  const ce = await loadCrossEncoder({ modelPath, tokenizerPath: choice.tokenizer || undefined, kind, threads: choice.threads });
  if (ce.ok) return { ok: true, reranker: new CrossEncoderReranker(`${ce.encoder.kind} (${modelPath})`, ce.encoder) };
  // A model with a `features` input is a compact reranker even when the kind says auto.
  if (kind === 'auto') {
    const compact = await CompactReranker.load(modelPath, `compact-reranker (${modelPath})`, choice.threads);
    if (compact.ok) return compact;
    return { ok: false, error: `reranker model ${modelPath} is neither a cross-encoder (${ce.error}) nor a compact reranker (${compact.error})` };
  }
  return ce;
}
