/**
 * The compact reranker: a small MLP over pair features (F -> H1 -> H2 -> 1), trained in
 * TypeScript in two stages over lists (one list = one query's candidates):
 *
 *  1. supervised: listwise softmax cross-entropy on the true item (ListNet with a one-hot target);
 *  2. reinforcement: REINFORCE over rankings sampled from the Plackett-Luce distribution of
 *     softmax(scores / temperature), rewarded by the true item's reciprocal rank (or NDCG@5),
 *     with a moving-average baseline, starting from the supervised weights.
 *
 * Everything is seeded and runs in Float64Array math over a flat parameter vector, so the same
 * data and seed give the same weights and the same exported ONNX bytes. The model stores float32
 * weights, which is what the ONNX file carries.
 */
import { DataType, buildModel, floatTensor, int64Tensor, node, tensorValue } from '../onnx/onnx-builder';
import { mulberry32 } from '../random';
import { rankShares } from '../stats';

export type Activation = 'relu' | 'tanh';

/** One query's candidates: a row-major feature matrix [n, F] and the index of the true one (-1: none). */
export interface RankList {
  features: Float32Array;
  n: number;
  trueIndex: number;
}

export interface MlpModel {
  featureCount: number;
  hidden1: number;
  hidden2: number;
  activation: Activation;
  /** Standardisation from the training data; part of the model and of its ONNX graph. */
  mean: Float32Array;
  std: Float32Array;
  /** [hidden1, F] row-major. */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden2, hidden1] row-major. */
  w2: Float32Array;
  b2: Float32Array;
  /** [hidden2]. */
  w3: Float32Array;
  b3: number;
  featureNames: string[];
  version: string;
}

export interface MlpConfig {
  featureCount: number;
  hidden1?: number;
  hidden2?: number;
  activation?: Activation;
  seed?: number;
  featureNames?: string[];
  version?: string;
}

export interface SupervisedOptions {
  epochs?: number;
  /** Lists per minibatch. */
  batchSize?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /**
   * Held-out lists: when given, MRR is measured before training and after every epoch and the
   * best weights are returned (early stopping), so training can never hand back a worse model
   * than it got, on these lists.
   */
  validation?: RankList[];
}

export interface ReinforceOptions extends SupervisedOptions {
  /** Rankings sampled per list per step. */
  samples?: number;
  temperature?: number;
  reward?: 'reciprocal-rank' | 'ndcg@5';
  /** Weight of the old value in the moving-average baseline. */
  baselineMomentum?: number;
}

export interface EpochRecord {
  epoch: number;
  /** Mean cross-entropy (supervised) or mean sampled reward (reinforcement). */
  value: number;
  validationMrr?: number;
}

export interface TrainResult {
  model: MlpModel;
  history: EpochRecord[];
}

export interface RankingMetrics {
  lists: number;
  /** Lists whose true item is among the candidates; the others count as misses below. */
  withTrue: number;
  top1: number;
  top5: number;
  mrr: number;
}

// ---------------------------------------------------------------------------------------------
// Randomness

/** The project's one seeded generator, under the name this module's callers know. */
export const createRng = mulberry32;

function shuffled(count: number, rng: () => number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

// ---------------------------------------------------------------------------------------------
// Model creation

/** Per-feature mean and standard deviation over every candidate row; a constant feature gets std 1. */
export function featureStandardisation(lists: readonly RankList[], featureCount: number): { mean: Float32Array; std: Float32Array } {
  const sum = new Float64Array(featureCount);
  const sumSq = new Float64Array(featureCount);
  let rows = 0;
  for (const list of lists) {
    for (let i = 0; i < list.n; i++) {
      for (let f = 0; f < featureCount; f++) {
        const v = list.features[i * featureCount + f];
        sum[f] += v;
        sumSq[f] += v * v;
      }
      rows++;
    }
  }
  const mean = new Float32Array(featureCount);
  const std = new Float32Array(featureCount).fill(1);
  if (rows === 0) return { mean, std };
  for (let f = 0; f < featureCount; f++) {
    const m = sum[f] / rows;
    const variance = Math.max(0, sumSq[f] / rows - m * m);
    mean[f] = m;
    std[f] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean, std };
}

/** A freshly initialised model (He or Xavier uniform, zero biases) standardised on `lists`. */
export function createMlp(config: MlpConfig, lists: readonly RankList[]): MlpModel {
  const F = config.featureCount;
  const h1 = config.hidden1 ?? 32;
  const h2 = config.hidden2 ?? 16;
  const activation = config.activation ?? 'relu';
  const rng = createRng(config.seed ?? 1);
  const init = (fanIn: number, fanOut: number, count: number): Float32Array => {
    const limit = activation === 'relu' ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = (rng() * 2 - 1) * limit;
    return out;
  };
  const { mean, std } = featureStandardisation(lists, F);
  return {
    featureCount: F,
    hidden1: h1,
    hidden2: h2,
    activation,
    mean,
    std,
    w1: init(F, h1, h1 * F),
    b1: new Float32Array(h1),
    w2: init(h1, h2, h2 * h1),
    b2: new Float32Array(h2),
    // The output layer starts small so the first softmax is nearly uniform.
    w3: init(h2, 1, h2).map((v) => v * 0.1),
    b3: 0,
    featureNames: config.featureNames ? [...config.featureNames] : Array.from({ length: F }, (_, i) => `f${i}`),
    version: config.version ?? '1',
  };
}

// ---------------------------------------------------------------------------------------------
// Flat parameters: training works on one Float64Array so Adam and L2 are single loops.

interface Layout {
  F: number;
  h1: number;
  h2: number;
  w1: number;
  b1: number;
  w2: number;
  b2: number;
  w3: number;
  b3: number;
  size: number;
}

function layoutOf(m: MlpModel): Layout {
  const F = m.featureCount;
  const w1 = 0;
  const b1 = w1 + m.hidden1 * F;
  const w2 = b1 + m.hidden1;
  const b2 = w2 + m.hidden2 * m.hidden1;
  const w3 = b2 + m.hidden2;
  const b3 = w3 + m.hidden2;
  return { F, h1: m.hidden1, h2: m.hidden2, w1, b1, w2, b2, w3, b3, size: b3 + 1 };
}

function flatten(m: MlpModel, L: Layout): Float64Array {
  const p = new Float64Array(L.size);
  p.set(m.w1, L.w1);
  p.set(m.b1, L.b1);
  p.set(m.w2, L.w2);
  p.set(m.b2, L.b2);
  p.set(m.w3, L.w3);
  p[L.b3] = m.b3;
  return p;
}

function unflatten(m: MlpModel, L: Layout, p: Float64Array): MlpModel {
  const slice = (at: number, len: number): Float32Array => Float32Array.from(p.subarray(at, at + len));
  return {
    ...m,
    mean: Float32Array.from(m.mean),
    std: Float32Array.from(m.std),
    featureNames: [...m.featureNames],
    w1: slice(L.w1, L.h1 * L.F),
    b1: slice(L.b1, L.h1),
    w2: slice(L.w2, L.h2 * L.h1),
    b2: slice(L.b2, L.h2),
    w3: slice(L.w3, L.h2),
    b3: Math.fround(p[L.b3]),
  };
}

/** Whether a parameter index is a weight (L2 applies) rather than a bias. */
function weightMask(L: Layout): Uint8Array {
  const mask = new Uint8Array(L.size);
  mask.fill(1, L.w1, L.b1);
  mask.fill(1, L.w2, L.b2);
  mask.fill(1, L.w3, L.b3);
  return mask;
}

/** Activations of one list kept for the backward pass. */
interface ForwardCache {
  n: number;
  x: Float64Array;
  z1: Float64Array;
  a1: Float64Array;
  z2: Float64Array;
  a2: Float64Array;
  scores: Float64Array;
}

function activate(kind: Activation, z: number): number {
  return kind === 'relu' ? (z > 0 ? z : 0) : Math.tanh(z);
}

function activateGrad(kind: Activation, z: number, a: number): number {
  return kind === 'relu' ? (z > 0 ? 1 : 0) : 1 - a * a;
}

function forward(
  p: Float64Array,
  L: Layout,
  act: Activation,
  mean: Float32Array,
  std: Float32Array,
  features: Float32Array,
  n: number,
): ForwardCache {
  const { F, h1, h2 } = L;
  const x = new Float64Array(n * F);
  const z1 = new Float64Array(n * h1);
  const a1 = new Float64Array(n * h1);
  const z2 = new Float64Array(n * h2);
  const a2 = new Float64Array(n * h2);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < F; f++) x[i * F + f] = (features[i * F + f] - mean[f]) / std[f];
    for (let j = 0; j < h1; j++) {
      let z = p[L.b1 + j];
      const row = L.w1 + j * F;
      for (let f = 0; f < F; f++) z += p[row + f] * x[i * F + f];
      z1[i * h1 + j] = z;
      a1[i * h1 + j] = activate(act, z);
    }
    for (let k = 0; k < h2; k++) {
      let z = p[L.b2 + k];
      const row = L.w2 + k * h1;
      for (let j = 0; j < h1; j++) z += p[row + j] * a1[i * h1 + j];
      z2[i * h2 + k] = z;
      a2[i * h2 + k] = activate(act, z);
    }
    let s = p[L.b3];
    for (let k = 0; k < h2; k++) s += p[L.w3 + k] * a2[i * h2 + k];
    scores[i] = s;
  }
  return { n, x, z1, a1, z2, a2, scores };
}

/** Adds d(loss)/d(params) to `grad`, given d(loss)/d(score) for each item of the list. */
function backward(p: Float64Array, L: Layout, act: Activation, c: ForwardCache, dScores: Float64Array, grad: Float64Array): void {
  const { F, h1, h2 } = L;
  const dz2 = new Float64Array(h2);
  const dz1 = new Float64Array(h1);
  for (let i = 0; i < c.n; i++) {
    const g = dScores[i];
    if (g === 0) continue;
    grad[L.b3] += g;
    for (let k = 0; k < h2; k++) {
      const a = c.a2[i * h2 + k];
      grad[L.w3 + k] += g * a;
      dz2[k] = g * p[L.w3 + k] * activateGrad(act, c.z2[i * h2 + k], a);
    }
    dz1.fill(0);
    for (let k = 0; k < h2; k++) {
      const d = dz2[k];
      if (d === 0) continue;
      grad[L.b2 + k] += d;
      const row = L.w2 + k * h1;
      for (let j = 0; j < h1; j++) {
        grad[row + j] += d * c.a1[i * h1 + j];
        dz1[j] += d * p[row + j];
      }
    }
    for (let j = 0; j < h1; j++) {
      const d = dz1[j] * activateGrad(act, c.z1[i * h1 + j], c.a1[i * h1 + j]);
      if (d === 0) continue;
      grad[L.b1 + j] += d;
      const row = L.w1 + j * F;
      for (let f = 0; f < F; f++) grad[row + f] += d * c.x[i * F + f];
    }
  }
}

/** Adam; L2 is added to the weight gradients (biases are not decayed). */
class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  constructor(
    size: number,
    private readonly lr: number,
    private readonly l2: number,
    private readonly weights: Uint8Array,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }
  step(params: Float64Array, grad: Float64Array, scale: number): void {
    this.t++;
    const c1 = 1 - Math.pow(this.beta1, this.t);
    const c2 = 1 - Math.pow(this.beta2, this.t);
    for (let i = 0; i < params.length; i++) {
      const g = grad[i] * scale + (this.weights[i] ? this.l2 * params[i] : 0);
      this.m[i] = this.beta1 * this.m[i] + (1 - this.beta1) * g;
      this.v[i] = this.beta2 * this.v[i] + (1 - this.beta2) * g * g;
      params[i] -= (this.lr * (this.m[i] / c1)) / (Math.sqrt(this.v[i] / c2) + this.eps);
    }
  }
}

function softmaxInto(scores: Float64Array, temperature: number, out: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s / temperature);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    out[i] = Math.exp(scores[i] / temperature - max);
    sum += out[i];
  }
  for (let i = 0; i < scores.length; i++) out[i] /= sum;
}

/** Lists that carry a training signal: a true item and something to rank it against. */
function trainable(lists: readonly RankList[]): RankList[] {
  return lists.filter((l) => l.trueIndex >= 0 && l.trueIndex < l.n && l.n >= 2);
}

/**
 * Both training stages' epoch records, and with validation lists, the weights of the epoch that
 * ranked them best (the start's, if none beat it); without, the last epoch's.
 */
class EarlyStopping {
  private best: MlpModel;
  private bestMrr: number;

  constructor(
    private readonly start: MlpModel,
    private readonly L: Layout,
    private readonly validation?: RankList[],
  ) {
    this.best = start;
    this.bestMrr = validation ? evaluateMlp(start, validation).mrr : -Infinity;
  }

  /** The record of an epoch that ended with `params`. */
  epoch(epoch: number, value: number, params: Float64Array): EpochRecord {
    const record: EpochRecord = { epoch, value };
    if (this.validation) {
      const current = unflatten(this.start, this.L, params);
      record.validationMrr = evaluateMlp(current, this.validation).mrr;
      if (record.validationMrr > this.bestMrr) {
        this.bestMrr = record.validationMrr;
        this.best = current;
      }
    }
    return record;
  }

  result(params: Float64Array): MlpModel {
    return this.validation ? this.best : unflatten(this.start, this.L, params);
  }
}

// ---------------------------------------------------------------------------------------------
// Stage 1: supervised listwise cross-entropy

export function trainSupervised(start: MlpModel, lists: readonly RankList[], opts: SupervisedOptions = {}): TrainResult {
  const epochs = opts.epochs ?? 30;
  const batchSize = opts.batchSize ?? 16;
  const L = layoutOf(start);
  const params = flatten(start, L);
  const adam = new Adam(L.size, opts.learningRate ?? 3e-3, opts.l2 ?? 1e-4, weightMask(L));
  const rng = createRng(opts.seed ?? 7);
  const data = trainable(lists);
  const grad = new Float64Array(L.size);
  const history: EpochRecord[] = [];
  const stopping = new EarlyStopping(start, L, opts.validation);
  for (let epoch = 0; epoch < epochs && data.length > 0; epoch++) {
    const order = shuffled(data.length, rng);
    let lossSum = 0;
    for (let b = 0; b < order.length; b += batchSize) {
      grad.fill(0);
      const batch = order.slice(b, b + batchSize);
      for (const idx of batch) {
        const list = data[idx];
        const c = forward(params, L, start.activation, start.mean, start.std, list.features, list.n);
        const probs = new Float64Array(list.n);
        softmaxInto(c.scores, 1, probs);
        lossSum += -Math.log(Math.max(probs[list.trueIndex], 1e-300));
        // d(-log p_t)/ds_i = p_i - [i = t]
        probs[list.trueIndex] -= 1;
        backward(params, L, start.activation, c, probs, grad);
      }
      adam.step(params, grad, 1 / batch.length);
    }
    history.push(stopping.epoch(epoch, lossSum / data.length, params));
  }
  return { model: stopping.result(params), history };
}

// ---------------------------------------------------------------------------------------------
// Stage 2: REINFORCE over Plackett-Luce rankings

/** Reward of a ranking in which the (single) true item landed at 1-based `rank`. */
export function rankingReward(rank: number, kind: 'reciprocal-rank' | 'ndcg@5'): number {
  if (kind === 'reciprocal-rank') return 1 / rank;
  return rank <= 5 ? 1 / Math.log2(rank + 1) : 0;
}

/**
 * Samples a Plackett-Luce ranking and adds d(log-probability)/d(score) into `dLogP`, returning the
 * true item's rank. Sampling stops once the true item is placed: the reward depends only on that
 * prefix, and the rest of the ranking would add gradient noise with zero mean.
 */
function samplePlackettLuce(
  scores: Float64Array,
  trueIndex: number,
  temperature: number,
  rng: () => number,
  dLogP: Float64Array,
): number {
  const n = scores.length;
  const weights = new Float64Array(n);
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s / temperature);
  for (let i = 0; i < n; i++) weights[i] = Math.exp(scores[i] / temperature - max);
  const remaining = new Uint8Array(n).fill(1);
  for (let step = 0; step < n; step++) {
    let total = 0;
    for (let i = 0; i < n; i++) if (remaining[i]) total += weights[i];
    let u = rng() * total;
    let chosen = -1;
    for (let i = 0; i < n; i++) {
      if (!remaining[i]) continue;
      chosen = i;
      u -= weights[i];
      if (u < 0) break;
    }
    for (let i = 0; i < n; i++) {
      if (remaining[i]) dLogP[i] -= weights[i] / total / temperature;
    }
    dLogP[chosen] += 1 / temperature;
    remaining[chosen] = 0;
    if (chosen === trueIndex) return step + 1;
  }
  return n;
}

export function trainReinforce(start: MlpModel, lists: readonly RankList[], opts: ReinforceOptions = {}): TrainResult {
  const epochs = opts.epochs ?? 10;
  const batchSize = opts.batchSize ?? 16;
  const samples = opts.samples ?? 8;
  const temperature = opts.temperature ?? 1;
  const rewardKind = opts.reward ?? 'reciprocal-rank';
  const momentum = opts.baselineMomentum ?? 0.9;
  const L = layoutOf(start);
  const params = flatten(start, L);
  const adam = new Adam(L.size, opts.learningRate ?? 2e-4, opts.l2 ?? 1e-4, weightMask(L));
  const rng = createRng(opts.seed ?? 11);
  const data = trainable(lists);
  const grad = new Float64Array(L.size);
  const history: EpochRecord[] = [];
  const stopping = new EarlyStopping(start, L, opts.validation);
  let baseline: number | undefined;

  for (let epoch = 0; epoch < epochs && data.length > 0; epoch++) {
    const order = shuffled(data.length, rng);
    let rewardSum = 0;
    for (let b = 0; b < order.length; b += batchSize) {
      grad.fill(0);
      const batch = order.slice(b, b + batchSize);
      for (const idx of batch) {
        const list = data[idx];
        const c = forward(params, L, start.activation, start.mean, start.std, list.features, list.n);
        const dLoss = new Float64Array(list.n);
        const rewards: number[] = [];
        const dLogPs: Float64Array[] = [];
        for (let k = 0; k < samples; k++) {
          const dLogP = new Float64Array(list.n);
          rewards.push(rankingReward(samplePlackettLuce(c.scores, list.trueIndex, temperature, rng, dLogP), rewardKind));
          dLogPs.push(dLogP);
        }
        const b0 = baseline ?? rewards.reduce((a, r) => a + r, 0) / samples;
        // loss = -(R - b) log pi, averaged over the samples of this list
        for (let k = 0; k < samples; k++) {
          const advantage = rewards[k] - b0;
          for (let i = 0; i < list.n; i++) dLoss[i] -= (advantage * dLogPs[k][i]) / samples;
        }
        backward(params, L, start.activation, c, dLoss, grad);
        const meanReward = rewards.reduce((a, r) => a + r, 0) / samples;
        baseline = baseline === undefined ? meanReward : momentum * baseline + (1 - momentum) * meanReward;
        rewardSum += meanReward;
      }
      adam.step(params, grad, 1 / batch.length);
    }
    history.push(stopping.epoch(epoch, rewardSum / data.length, params));
  }
  return { model: stopping.result(params), history };
}

// ---------------------------------------------------------------------------------------------
// Scoring and metrics

/** Scores of the `n` rows of a [n, F] feature matrix: the same function the ONNX export computes. */
export function scoreMlp(model: MlpModel, features: Float32Array, n: number): Float32Array {
  const L = layoutOf(model);
  const c = forward(flatten(model, L), L, model.activation, model.mean, model.std, features, n);
  return Float32Array.from(c.scores);
}

/**
 * 1-based rank of the true item, ties broken by candidate order (the retrieval order, which is
 * what a stable sort keeps); 0 when the list has no true item.
 */
export function rankOfTrue(scores: ArrayLike<number>, trueIndex: number): number {
  if (trueIndex < 0 || trueIndex >= scores.length) return 0;
  const t = scores[trueIndex];
  let rank = 1;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] > t || (scores[i] === t && i < trueIndex)) rank++;
  }
  return rank;
}

/** Top-1, top-5 and MRR over all lists; a list without its true item counts as a miss. */
export function rankingMetrics(lists: readonly RankList[], score: (list: RankList) => ArrayLike<number>): RankingMetrics {
  const ranks = lists.map((list) => rankOfTrue(score(list), list.trueIndex));
  const shares = rankShares(ranks);
  return { lists: lists.length, withTrue: ranks.filter((r) => r > 0).length, top1: shares.top1, top5: shares.top5, mrr: shares.mrr };
}

export function evaluateMlp(model: MlpModel, lists: readonly RankList[]): RankingMetrics {
  return rankingMetrics(lists, (l) => scoreMlp(model, l.features, l.n));
}

// ---------------------------------------------------------------------------------------------
// Export

export const COMPACT_RERANKER_KIND = 'compact-reranker';

/**
 * The model as ONNX. Contract: input `features` float32 [n, F] (n symbolic), output `scores`
 * float32 [n] (one score per row, higher is better). Standardisation is in the graph as Sub/Div,
 * so callers feed raw features. `metadata_props`: kind, feature_count, feature_names (JSON
 * array), version, architecture. Same model -> same bytes.
 */
export function exportMlpToOnnx(model: MlpModel): Uint8Array {
  const { featureCount: F, hidden1: h1, hidden2: h2 } = model;
  const actOp = model.activation === 'relu' ? 'Relu' : 'Tanh';
  return buildModel({
    graphName: 'compact_reranker',
    inputs: [tensorValue('features', DataType.FLOAT, ['n', F])],
    outputs: [tensorValue('scores', DataType.FLOAT, ['n'])],
    initializers: [
      floatTensor('mean', [F], model.mean),
      floatTensor('std', [F], model.std),
      floatTensor('w1', [F, h1], transpose(model.w1, h1, F)),
      floatTensor('b1', [h1], model.b1),
      floatTensor('w2', [h1, h2], transpose(model.w2, h2, h1)),
      floatTensor('b2', [h2], model.b2),
      floatTensor('w3', [h2, 1], model.w3),
      floatTensor('b3', [1], [model.b3]),
      int64Tensor('squeeze_axes', [1], [1]),
    ],
    nodes: [
      node('Sub', ['features', 'mean'], ['centered']),
      node('Div', ['centered', 'std'], ['x']),
      node('MatMul', ['x', 'w1'], ['m1']),
      node('Add', ['m1', 'b1'], ['z1']),
      node(actOp, ['z1'], ['a1']),
      node('MatMul', ['a1', 'w2'], ['m2']),
      node('Add', ['m2', 'b2'], ['z2']),
      node(actOp, ['z2'], ['a2']),
      node('MatMul', ['a2', 'w3'], ['m3']),
      node('Add', ['m3', 'b3'], ['s2']),
      node('Squeeze', ['s2', 'squeeze_axes'], ['scores']),
    ],
    metadata: {
      kind: COMPACT_RERANKER_KIND,
      feature_count: String(F),
      feature_names: JSON.stringify(model.featureNames),
      version: model.version,
      architecture: `mlp ${F}-${h1}-${h2}-1 ${model.activation}`,
    },
  });
}

/** [rows, cols] row-major -> [cols, rows] row-major. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

/** A plain-JSON checkpoint (between the two stages, or for inspection). */
export function mlpToJson(model: MlpModel): string {
  return JSON.stringify({
    ...model,
    mean: [...model.mean],
    std: [...model.std],
    w1: [...model.w1],
    b1: [...model.b1],
    w2: [...model.w2],
    b2: [...model.b2],
    w3: [...model.w3],
  });
}

export function mlpFromJson(text: string): { ok: true; model: MlpModel } | { ok: false; error: string } {
  try {
    const o = JSON.parse(text);
    const F = o.featureCount;
    const m: MlpModel = {
      featureCount: F,
      hidden1: o.hidden1,
      hidden2: o.hidden2,
      activation: o.activation === 'tanh' ? 'tanh' : 'relu',
      mean: Float32Array.from(o.mean),
      std: Float32Array.from(o.std),
      w1: Float32Array.from(o.w1),
      b1: Float32Array.from(o.b1),
      w2: Float32Array.from(o.w2),
      b2: Float32Array.from(o.b2),
      w3: Float32Array.from(o.w3),
      b3: Number(o.b3),
      featureNames: o.featureNames,
      version: String(o.version),
    };
    const sizesOk =
      m.mean.length === F && m.std.length === F && m.w1.length === m.hidden1 * F && m.b1.length === m.hidden1 &&
      m.w2.length === m.hidden2 * m.hidden1 && m.b2.length === m.hidden2 && m.w3.length === m.hidden2;
    return sizesOk ? { ok: true, model: m } : { ok: false, error: 'mlp checkpoint: weight sizes do not match its dimensions' };
  } catch (err) {
    return { ok: false, error: `mlp checkpoint unreadable: ${err instanceof Error ? err.message : String(err)}` };
  }
}
