/**
 * Training the compact reranker, in TypeScript end to end:
 * 1. data: synthetic instances (deepcodeseek synth, several seeds) and, optionally, the
 *    self-supervised cases of real workspaces; each case is run through the retrieval pipeline
 *    exactly as a keystroke would be (the case's own file excluded), and its top-40 becomes a
 *    list of pair features with the true answer's position;
 * 2. a supervised stage (listwise softmax cross-entropy), then a reinforcement stage (listwise
 *    policy gradient, reward = reciprocal rank of the true API), each measured on held-out lists;
 * 3. export to ONNX with the feature names in the metadata.
 * Seeded and deterministic: the same options give the same model bytes.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultSettings } from '../config';
import { consoleEditor } from '../editor';
import { ApiIndex } from '../index/api-index';
import { Indexer } from '../index/indexer';
import { buildCases } from '../rank/cases';
import { EvalWorkspace } from '../eval/pipelines';
import { caseRequest } from '../rank/case-request';
import { EvalCase } from '../eval/types';
import { extractFeatures, FEATURE_COUNT, FEATURE_NAMES } from '../rerank/features';
import { generateInstance } from './synth';
import { InstanceShape } from './synth-plan';
import {
  createMlp,
  evaluateMlp,
  exportMlpToOnnx,
  MlpModel,
  RankingMetrics,
  rankingMetrics,
  RankList,
  trainReinforce,
  trainSupervised,
} from '../rerank/mlp';

export interface ListSource {
  /** `synth:<seed>` or the workspace path. */
  name: string;
  lists: RankList[];
  cases: number;
}

export interface CollectOptions {
  /** Cases drawn per source (deterministic sample). */
  casesPerSource: number;
  /** Characters of the answer typed, per case: each gives its own list. */
  typedChars: number[];
  seed: number;
}

/** Runs the retrieval pipeline on the given cases and keeps the feature lists. */
export function listsForCases(ws: EvalWorkspace, cases: readonly EvalCase[], typedChars: readonly number[]): RankList[] {
  const lists: RankList[] = [];
  for (const c of cases) {
    for (const k of typedChars) {
      const req = caseRequest(c, c.expected.scriptInclude.slice(0, k));
      const out = ws.pipeline.rank(req);
      if (out.details.length === 0) continue;
      const trueIndex = out.details.findIndex((d) => d.candidate.name === c.expected.scriptInclude && (!c.expected.apiName || d.candidate.apiName === c.expected.apiName));
      lists.push({ features: extractFeatures(req.context, out), n: out.details.length, trueIndex });
    }
  }
  return lists;
}

/** Builds the cases of an indexed workspace and collects their lists. */
export async function collectLists(root: string, index: ApiIndex, name: string, opts: CollectOptions): Promise<ListSource & { evalCases: EvalCase[] }> {
  const { cases } = await buildCases(root, index, { limit: opts.casesPerSource, seed: opts.seed });
  const ws = new EvalWorkspace(index);
  try {
    return { name, lists: listsForCases(ws, cases, opts.typedChars), cases: cases.length, evalCases: cases };
  } finally {
    ws.dispose();
  }
}

export async function indexWorkspace(root: string): Promise<ApiIndex> {
  const index = new ApiIndex();
  await new Indexer(index, { root, settings: defaultSettings(), editor: consoleEditor('error'), persist: false }).indexAll();
  return index;
}

/** Writes a synthetic instance to a temporary folder, indexes it, collects its lists, removes it. */
export async function syntheticLists(seed: number, scriptIncludes: number, opts: CollectOptions, shape: InstanceShape = 'scoped'): Promise<ListSource> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `dcs-synth-${seed}-`));
  try {
    await generateInstance({ outDir: dir, scriptIncludes, seed, shape });
    const index = await indexWorkspace(dir);
    const { evalCases: _unused, ...source } = await collectLists(dir, index, shape === 'scoped' ? `synth:${seed}` : `synth:${shape}:${seed}`, opts);
    void _unused;
    return source;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export interface TrainConfig {
  /** Seeds of the scoped synthetic instances trained on (`synth --shape scoped`). */
  trainSeeds: number[];
  validationSeeds: number[];
  /** Seeds of platform-shaped instances (one wide global scope, `synth --shape platform`) trained on, beside the scoped ones. */
  platformTrainSeeds: number[];
  platformValidationSeeds: number[];
  /** Further training instances, each of its own shape and size (real workspaces are often a few hundred Script Includes). */
  sizedTrainInstances: Array<{ seed: number; shape: InstanceShape; scriptIncludes: number }>;
  scriptIncludes: number;
  casesPerSource: number;
  typedChars: number[];
  /** Real workspaces whose own cases join the training data. */
  workspaces: string[];
  seed: number;
  hidden1: number;
  hidden2: number;
  supervisedEpochs: number;
  reinforceEpochs: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  trainSeeds: [101, 102, 103, 104],
  validationSeeds: [201],
  platformTrainSeeds: [],
  platformValidationSeeds: [],
  sizedTrainInstances: [],
  scriptIncludes: 1500,
  casesPerSource: 1200,
  typedChars: [0, 1, 2],
  workspaces: [],
  seed: 17,
  hidden1: 32,
  hidden2: 16,
  supervisedEpochs: 30,
  reinforceEpochs: 8,
};

export interface StageReport {
  stage: 'retrieval' | 'supervised' | 'reinforcement';
  train: RankingMetrics;
  validation: RankingMetrics;
}

export interface TrainReport {
  config: TrainConfig;
  featureNames: readonly string[];
  trainLists: number;
  validationLists: number;
  sources: Array<{ name: string; cases: number; lists: number; role: 'train' | 'validation' }>;
  stages: StageReport[];
  ms: number;
}

/** The retrieval order as a score: the first candidate scores highest. */
function retrievalOrder(list: RankList): Float32Array {
  return Float32Array.from({ length: list.n }, (_, i) => list.n - i);
}

export async function trainReranker(
  config: TrainConfig,
  log: (line: string) => void,
  extra: { trainLists?: ListSource[]; validationLists?: ListSource[] } = {},
): Promise<{ model: MlpModel; onnx: Uint8Array; report: TrainReport }> {
  const started = performance.now();
  const collect: CollectOptions = { casesPerSource: config.casesPerSource, typedChars: config.typedChars, seed: config.seed };
  const train: ListSource[] = [...(extra.trainLists ?? [])];
  const validation: ListSource[] = [...(extra.validationLists ?? [])];
  const instances = (seeds: number[], shape: InstanceShape) => seeds.map((seed) => ({ seed, shape, scriptIncludes: config.scriptIncludes }));
  const trainInstances = [...instances(config.trainSeeds, 'scoped'), ...instances(config.platformTrainSeeds, 'platform'), ...config.sizedTrainInstances];
  for (const { seed, shape, scriptIncludes } of trainInstances) {
    const t = performance.now();
    const src = await syntheticLists(seed, scriptIncludes, collect, shape);
    train.push(src);
    log(`collected ${src.lists.length} lists from synthetic ${shape} seed ${seed}, ${scriptIncludes} Script Includes (${src.cases} cases) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  for (const { seed, shape } of [...instances(config.validationSeeds, 'scoped'), ...instances(config.platformValidationSeeds, 'platform')]) {
    const src = await syntheticLists(seed, config.scriptIncludes, collect, shape);
    validation.push(src);
    log(`collected ${src.lists.length} validation lists from synthetic ${shape} seed ${seed}`);
  }
  for (const ws of config.workspaces) {
    const index = await indexWorkspace(ws);
    const src = await collectLists(ws, index, ws, collect);
    train.push(src);
    log(`collected ${src.lists.length} lists from ${ws}`);
  }
  const trainLists = train.flatMap((s) => s.lists);
  const validationLists = validation.flatMap((s) => s.lists);
  // Lists without the true answer teach nothing about order; they still count in the metrics.
  const learnable = trainLists.filter((l) => l.trueIndex >= 0 && l.n > 1);
  const stages: StageReport[] = [
    { stage: 'retrieval', train: rankingMetrics(trainLists, retrievalOrder), validation: rankingMetrics(validationLists, retrievalOrder) },
  ];
  let model = createMlp(
    { featureCount: FEATURE_COUNT, hidden1: config.hidden1, hidden2: config.hidden2, activation: 'relu', seed: config.seed, featureNames: [...FEATURE_NAMES], version: '1' },
    learnable,
  );
  const validLearnable = validationLists.filter((l) => l.trueIndex >= 0 && l.n > 1);
  model = trainSupervised(model, learnable, { epochs: config.supervisedEpochs, batchSize: 32, learningRate: 3e-3, l2: 1e-4, seed: config.seed }).model;
  stages.push({ stage: 'supervised', train: evaluateMlp(model, trainLists), validation: evaluateMlp(model, validationLists) });
  log(`supervised: validation MRR ${stages[1].validation.mrr.toFixed(3)} (retrieval ${stages[0].validation.mrr.toFixed(3)})`);
  model = trainReinforce(model, learnable, {
    epochs: config.reinforceEpochs,
    batchSize: 32,
    learningRate: 5e-4,
    l2: 1e-4,
    seed: config.seed + 1,
    samples: 8,
    temperature: 1,
    reward: 'reciprocal-rank',
    baselineMomentum: 0.9,
    validation: validLearnable,
  }).model;
  stages.push({ stage: 'reinforcement', train: evaluateMlp(model, trainLists), validation: evaluateMlp(model, validationLists) });
  log(`reinforcement: validation MRR ${stages[2].validation.mrr.toFixed(3)}`);
  const report: TrainReport = {
    config,
    featureNames: FEATURE_NAMES,
    trainLists: trainLists.length,
    validationLists: validationLists.length,
    sources: [
      ...train.map((s) => ({ name: s.name, cases: s.cases, lists: s.lists.length, role: 'train' as const })),
      ...validation.map((s) => ({ name: s.name, cases: s.cases, lists: s.lists.length, role: 'validation' as const })),
    ],
    stages,
    ms: performance.now() - started,
  };
  return { model, onnx: exportMlpToOnnx(model), report };
}
