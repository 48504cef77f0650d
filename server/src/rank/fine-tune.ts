/**
 * Fine-tuning the compact reranker on a workspace's lists, off the main thread: the lists go to a
 * worker as transferable arrays, the worker trains (rerank/mlp.ts) and sends back the weights as
 * numbers, and the main thread builds the ONNX model from them with our own exporter. Nothing
 * here reads or writes files.
 */
import * as path from 'path';
import { runWorkerJob } from '../worker-job';
import { mlpFromJson, mlpToJson, MlpModel, RankList, SupervisedOptions, trainSupervised } from '../rerank/mlp';

export interface FineTuneOptions extends Omit<SupervisedOptions, 'validation'> {
  /**
   * Every how-many-th list is kept out of the training and scored after each epoch, and the epoch
   * that ranked those lists best ends the training (early stopping); then, with `refit`, the
   * model is trained again from the start on every list for that many epochs. 0: every list
   * trains for `epochs` and the last epoch's weights are the result.
   */
  validateEvery: number;
  refit: boolean;
}

/**
 * What fine-tuning on a workspace uses, from the shipped weights. How long to train is decided on
 * the workspace's own lists (early stopping on a fifth of them), so the step can be larger than a
 * fixed number of epochs would allow: on the two dev corpora that fine-tune (one real, one
 * synthetic), this against the earlier fixed 12 epochs at 1e-3 gained on the real one and was
 * even on the other (see README, Results on real code).
 */
export const FINE_TUNE_OPTIONS: FineTuneOptions = { epochs: 20, batchSize: 16, learningRate: 3e-3, l2: 1e-4, seed: 5, validateEvery: 5, refit: true };

/** Fine-tunes `start` on `lists` as `options` say (see `FineTuneOptions`), on this thread. */
export function fineTuneLists(start: MlpModel, lists: readonly RankList[], options: FineTuneOptions = FINE_TUNE_OPTIONS): MlpModel {
  const { validateEvery, refit, ...supervised } = options;
  const learnable = lists.filter((l) => l.trueIndex >= 0 && l.trueIndex < l.n && l.n > 1);
  const held = (i: number) => validateEvery > 1 && i % validateEvery === validateEvery - 1;
  const validation = learnable.filter((_, i) => held(i));
  if (validation.length === 0) return trainSupervised(start, learnable, supervised).model;
  const first = trainSupervised(start, learnable.filter((_, i) => !held(i)), { ...supervised, validation });
  if (!refit || first.model === start) return first.model;
  // The epoch whose weights ranked the held-out lists best (trainSupervised returned them).
  let best = 0;
  for (const r of first.history) if (r.validationMrr! > first.history[best].validationMrr!) best = r.epoch;
  return trainSupervised(start, learnable, { ...supervised, epochs: best + 1 }).model;
}

export interface FineTuneRequest {
  start: string;
  lists: RankList[];
  options: FineTuneOptions;
}

export type FineTuneReply = { ok: true; model: string } | { ok: false; error: string };

/**
 * `fineTuneLists` in a worker thread (worker-job.ts: in a child process, the server and the child
 * together took more memory); resolves with the tuned model, or an error as a value.
 */
export async function fineTuneInWorker(start: MlpModel, lists: readonly RankList[], options: FineTuneOptions = FINE_TUNE_OPTIONS): Promise<{ ok: true; model: MlpModel } | { ok: false; error: string }> {
  const copies = lists.map((l) => ({ features: Float32Array.from(l.features), n: l.n, trueIndex: l.trueIndex }));
  const request: FineTuneRequest = { start: mlpToJson(start), lists: copies, options };
  const job = await runWorkerJob<FineTuneRequest, FineTuneReply>(path.join(__dirname, 'fine-tune-worker.js'), request, 'fine-tuning worker', { transfer: copies.map((l) => l.features.buffer as ArrayBuffer) });
  if (!job.ok) return job;
  if (!job.reply.ok) return job.reply;
  const parsed = mlpFromJson(job.reply.model);
  return parsed.ok ? { ok: true, model: parsed.model } : { ok: false, error: parsed.error };
}
