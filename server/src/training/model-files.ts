/**
 * Where trained models go: the shipped compact reranker under `models/` (ONNX, its weights as
 * JSON for fine-tuning, a model card and its `manifest.json` entry with sha256), and a model
 * fine-tuned on one workspace under that workspace's `.deepcodeseek/`, used only when it beats the
 * shipped model on cases it did not train on.
 */
import { percentile } from '../stats';
import { createHash } from 'crypto';
import { existsSync, promises as fs } from 'fs';
import * as path from 'path';
import { defaultSettings } from '../config';
import { buildCases } from '../rank/cases';
import { EvalWorkspace } from '../eval/pipelines';
import { CacheFolder } from '../index/cache-folder';
import { CompactReranker, MODELS_DIR, SHIPPED_COMPACT } from '../rerank/reranker';
import { FEATURE_COUNT, FEATURE_NAMES } from '../rerank/features';
import { evaluateMlp, exportMlpToOnnx, MlpModel, mlpFromJson, mlpToJson, RankingMetrics, rankingMetrics } from '../rerank/mlp';
import { fineTuneLists } from '../rank/fine-tune';
import { indexWorkspace, listsForCases, TrainReport } from './train-reranker';
import { readWorkspaceModelReport as readReport, WORKSPACE_MODEL, WORKSPACE_REPORT, WorkspaceModelReport } from '../rerank/workspace-model';

export { SHIPPED_WEIGHTS } from '../rerank/reranker';
import { SHIPPED_WEIGHTS } from '../rerank/reranker';
export const MANIFEST = path.join(MODELS_DIR, 'manifest.json');
/** The report beside a workspace-trained model; the server reads `beatsShipped` from it. */
export { WORKSPACE_MODEL, WORKSPACE_REPORT } from '../rerank/workspace-model';

export interface ManifestEntry {
  name: string;
  file: string;
  kind: 'compact-reranker' | 'cross-encoder' | 'embedder';
  inputs: Array<{ name: string; type: string; shape: Array<string | number> }>;
  outputs: Array<{ name: string; type: string; shape: Array<string | number> }>;
  featureNames?: readonly string[];
  sha256: string;
  bytes: number;
  card: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Rerank time for 40 candidates through onnxruntime (p50/p95 over `runs`). */
export async function measureLatency(onnx: Uint8Array, runs = 300): Promise<{ p50: number; p95: number }> {
  const loaded = await CompactReranker.load(onnx, 'measure');
  if (!loaded.ok) throw new Error(loaded.error);
  const n = 40;
  const features = new Float32Array(n * FEATURE_COUNT).map((_, i) => ((i * 7919) % 101) / 101);
  const times: number[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const t = performance.now();
    await loaded.reranker.scoreFeatures(features, n);
    if (i >= 20) times.push(performance.now() - t);
  }
  await loaded.reranker.release();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function metricsRow(name: string, m: RankingMetrics): string {
  return `| ${name} | ${m.lists} | ${pct(m.withTrue / Math.max(1, m.lists))} | ${pct(m.top1)} | ${pct(m.top5)} | ${m.mrr.toFixed(3)} |`;
}

/** The synthetic instances a training configuration reads, by shape and size, as one clause. */
function instanceSources(c: TrainReport['config']): string {
  const seeds = (xs: readonly number[]) => xs.join(', ') || 'none';
  const parts = [`scoped (\`--shape scoped\`) training seeds ${seeds(c.trainSeeds)}, validation seeds ${seeds(c.validationSeeds)}`];
  if (c.platformTrainSeeds.length || c.platformValidationSeeds.length) {
    parts.push(`platform-shaped (\`--shape platform\`, one wide global scope) training seeds ${seeds(c.platformTrainSeeds)}, validation seeds ${seeds(c.platformValidationSeeds)}`);
  }
  if (c.sizedTrainInstances.length) parts.push(`smaller training instances ${c.sizedTrainInstances.map((x) => `${x.shape} seed ${x.seed} (${x.scriptIncludes})`).join(', ')}`);
  return parts.join('; ');
}

export function modelCard(report: TrainReport, bytes: number, hash: string, latency: { p50: number; p95: number }): string {
  const c = report.config;
  const rows = report.stages.flatMap((s) => [metricsRow(`${s.stage} (train)`, s.train), metricsRow(`${s.stage} (validation)`, s.validation)]);
  return `# compact-reranker

The default reranker of the DeepCodeSeek language server: a small neural network (multi-layer
perceptron, ${FEATURE_COUNT} -> ${c.hidden1} -> ${c.hidden2} -> 1, ReLU) over pair features of
(cursor context, candidate API). It reorders retrieval's top-40 on every keystroke.

- File: \`compact-reranker.onnx\` (${bytes} bytes, sha256 \`${hash}\`), weights also in
  \`compact-reranker.json\` (used as the starting point of \`deepcodeseek train --workspace\`).
- Contract: input \`features\` float32 [n, ${FEATURE_COUNT}] (raw features; standardisation is inside
  the graph), output \`scores\` float32 [n]. Feature names, in order, are in the model metadata
  and in \`manifest.json\`; the server refuses a model whose names differ.
- Trained by \`deepcodeseek train\` (server/src/training/), in TypeScript, seeded (seed ${c.seed}).

## Data

Synthetic ServiceNow instances from \`deepcodeseek synth\` (${c.scriptIncludes} Script Includes each),
${instanceSources(c)} (validation instances are never seen in training)${c.workspaces.length ? `, plus the workspaces ${c.workspaces.join(', ')}` : ''}.
Each leak-free case (the answer's name removed from the code) is run through the retrieval
pipeline with 0, 1 and 2 characters of the answer typed (${c.typedChars.join(', ')}); its top-40
with the true answer's position is one list. ${report.trainLists} training lists,
${report.validationLists} validation lists.

## Training

1. Supervised: listwise softmax cross-entropy, Adam, ${c.supervisedEpochs} epochs.
2. Reinforcement: listwise policy gradient (Plackett-Luce sampling, 8 rankings per list, reward =
   reciprocal rank of the true API, moving-average baseline), ${c.reinforceEpochs} epochs,
   keeping the epoch with the best validation MRR.

## Metrics

Lists whose true answer is not in the top-40 count as misses (the "in top-40" column).

| stage | lists | in top-40 | top-1 | top-5 | MRR |
|---|---|---|---|---|---|
${rows.join('\n')}

## Latency

Scoring 40 candidates in one onnxruntime-node run (1 thread), measured when the model was
written: p50 ${latency.p50.toFixed(3)} ms, p95 ${latency.p95.toFixed(3)} ms. Feature extraction adds
about as much again; see \`npm run bench\` for the end-to-end numbers.

## Limits

Trained on synthetic code; the features are about the workspace (usage, tables, scopes), not
about any one vocabulary, so they carry over, and \`deepcodeseek train --workspace DIR\` adapts
the model to an instance when that helps on its own held-back cases.
`;
}

/** Writes the shipped model, its weights, card and manifest entry; returns the paths written. */
export async function writeShippedModel(out: string | undefined, model: MlpModel, onnx: Uint8Array, report: TrainReport): Promise<string[]> {
  const file = out ?? SHIPPED_COMPACT;
  const dir = path.dirname(file);
  const base = path.basename(file, '.onnx');
  await fs.mkdir(dir, { recursive: true });
  const hash = sha256(onnx);
  const latency = await measureLatency(onnx);
  const weights = path.join(dir, `${base}.json`);
  const card = path.join(dir, `${base}.md`);
  await fs.writeFile(file, onnx);
  await fs.writeFile(weights, mlpToJson(model));
  await fs.writeFile(card, modelCard(report, onnx.byteLength, hash, latency));
  const manifestPath = path.join(dir, 'manifest.json');
  const entry: ManifestEntry = {
    name: base,
    file: path.basename(file),
    kind: 'compact-reranker',
    inputs: [{ name: 'features', type: 'float32', shape: ['n', FEATURE_COUNT] }],
    outputs: [{ name: 'scores', type: 'float32', shape: ['n'] }],
    featureNames: FEATURE_NAMES,
    sha256: hash,
    bytes: onnx.byteLength,
    card: path.basename(card),
  };
  let manifest: { models: ManifestEntry[] } = { models: [] };
  if (existsSync(manifestPath)) {
    try {
      manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8'));
    } catch {
      manifest = { models: [] };
    }
  }
  manifest.models = [...manifest.models.filter((m) => m.name !== base), entry].sort((a, b) => a.name.localeCompare(b.name));
  await fs.writeFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return [file, weights, card, manifestPath];
}

export type { WorkspaceModelReport } from '../rerank/workspace-model';

/** Reads the report of a workspace-trained model under the default cache folder of `root`. */
export async function readWorkspaceModelReport(root: string): Promise<WorkspaceModelReport | undefined> {
  const cache = CacheFolder.resolve(root, defaultSettings()['index.cacheDir']);
  return cache.ok ? readReport(cache.folder.dir) : undefined;
}

/** Deterministic split by case id: about one case in five is held back. */
function heldBack(id: string): boolean {
  return parseInt(createHash('sha1').update(id).digest('hex').slice(0, 8), 16) % 5 === 0;
}

/**
 * Fine-tunes the shipped model on a workspace's own call sites and keeps it (in the workspace's
 * `.deepcodeseek/`) only when it beats the shipped model on the held-back cases.
 */
export async function fineTuneOnWorkspace(root: string, log: (line: string) => void, cacheDir?: string): Promise<{ report: WorkspaceModelReport; summary: string }> {
  const weights = mlpFromJson(await fs.readFile(SHIPPED_WEIGHTS, 'utf8'));
  if (!weights.ok) throw new Error(`cannot read the shipped weights ${SHIPPED_WEIGHTS}: ${weights.error}`);
  const index = await indexWorkspace(root);
  const { cases } = await buildCases(root, index, { limit: 4000 });
  const train = cases.filter((c) => !heldBack(c.id));
  const test = cases.filter((c) => heldBack(c.id));
  const ws = new EvalWorkspace(index);
  const typed = [0, 1, 2];
  const trainLists = listsForCases(ws, train, typed);
  const testLists = listsForCases(ws, test, [0]);
  ws.dispose();
  log(`workspace ${root}: ${train.length} training cases, ${test.length} held back`);
  const tuned = fineTuneLists(weights.model, trainLists);
  const shippedM = evaluateMlp(weights.model, testLists);
  const tunedM = evaluateMlp(tuned, testLists);
  const order = (l: { n: number }) => Float32Array.from({ length: l.n }, (_, i) => l.n - i);
  const retrievalM = rankingMetrics(testLists, order);
  const beatsShipped = test.length >= 5 && tunedM.mrr > shippedM.mrr + 0.005;
  const resolved = CacheFolder.resolve(root, cacheDir ?? defaultSettings()['index.cacheDir']);
  if (!resolved.ok) throw new Error(resolved.error);
  const refused = await resolved.folder.prepare();
  if (refused) throw new Error(refused);
  const dir = resolved.folder.dir;
  if (beatsShipped) await fs.writeFile(path.join(dir, WORKSPACE_MODEL), exportMlpToOnnx(tuned));
  else await fs.rm(path.join(dir, WORKSPACE_MODEL), { force: true });
  const report: WorkspaceModelReport = { beatsShipped, trainCases: train.length, heldOutCases: test.length, shipped: shippedM, tuned: tunedM, retrieval: retrievalM, writtenAt: new Date().toISOString() };
  await fs.writeFile(path.join(dir, WORKSPACE_REPORT), JSON.stringify(report, null, 2) + '\n');
  const summary = `held-back MRR: retrieval ${retrievalM.mrr.toFixed(3)}, shipped ${shippedM.mrr.toFixed(3)}, fine-tuned ${tunedM.mrr.toFixed(3)} -> ${beatsShipped ? `kept in ${path.join(dir, WORKSPACE_MODEL)}` : 'not kept (no better than the shipped model)'}`;
  return { report, summary };
}
