/**
 * Fine-tuning the compact reranker on a workspace's lists, off the main thread: the lists go to a
 * worker as transferable arrays, the worker trains (rerank/mlp.ts) and sends back the weights as
 * numbers, and the main thread builds the ONNX model from them with our own exporter. Nothing
 * here reads or writes files.
 */
import * as path from 'path';
import { runWorkerJob } from '../worker-job';
import { mlpFromJson, mlpToJson, MlpModel, RankList, SupervisedOptions } from '../rerank/mlp';

/** What fine-tuning on a workspace uses: a few epochs from the shipped weights, a small step. */
export const FINE_TUNE_OPTIONS: SupervisedOptions = { epochs: 12, batchSize: 16, learningRate: 1e-3, l2: 1e-4, seed: 5 };

export interface FineTuneRequest {
  start: string;
  lists: Array<{ features: Float32Array; n: number; trueIndex: number }>;
  options: SupervisedOptions;
}

export type FineTuneReply = { ok: true; model: string } | { ok: false; error: string };

/** Trains in a worker thread; resolves with the tuned model, or an error as a value. */
export async function fineTuneInWorker(start: MlpModel, lists: readonly RankList[], options: SupervisedOptions = FINE_TUNE_OPTIONS): Promise<{ ok: true; model: MlpModel } | { ok: false; error: string }> {
  const copies = lists.map((l) => ({ features: Float32Array.from(l.features), n: l.n, trueIndex: l.trueIndex }));
  const request: FineTuneRequest = { start: mlpToJson(start), lists: copies, options };
  const job = await runWorkerJob<FineTuneRequest, FineTuneReply>(path.join(__dirname, 'fine-tune-worker.js'), request, 'fine-tuning worker', copies.map((l) => l.features.buffer as ArrayBuffer));
  if (!job.ok) return job;
  if (!job.reply.ok) return job.reply;
  const parsed = mlpFromJson(job.reply.model);
  return parsed.ok ? { ok: true, model: parsed.model } : { ok: false, error: parsed.error };
}
