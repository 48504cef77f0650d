/**
 * Fine-tuning the compact reranker on a workspace's lists, off the main thread: the lists go to a
 * worker as transferable arrays, the worker trains (rerank/mlp.ts) and sends back the weights as
 * numbers, and the main thread builds the ONNX model from them with our own exporter. Nothing
 * here reads or writes files.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
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
export function fineTuneInWorker(start: MlpModel, lists: readonly RankList[], options: SupervisedOptions = FINE_TUNE_OPTIONS): Promise<{ ok: true; model: MlpModel } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: { ok: true; model: MlpModel } | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    let worker: Worker;
    try {
      worker = new Worker(path.join(__dirname, 'fine-tune-worker.js'));
    } catch (err) {
      done({ ok: false, error: `could not start the fine-tuning worker: ${(err as Error).message}` });
      return;
    }
    worker.on('message', (reply: FineTuneReply) => {
      if (!reply.ok) done(reply);
      else {
        const parsed = mlpFromJson(reply.model);
        done(parsed.ok ? { ok: true, model: parsed.model } : { ok: false, error: parsed.error });
      }
      void worker.terminate();
    });
    worker.on('error', (err) => done({ ok: false, error: `fine-tuning failed: ${err.message}` }));
    worker.on('exit', (code) => done({ ok: false, error: `the fine-tuning worker exited (${code})` }));
    const copies = lists.map((l) => ({ features: Float32Array.from(l.features), n: l.n, trueIndex: l.trueIndex }));
    const request: FineTuneRequest = { start: mlpToJson(start), lists: copies, options };
    worker.postMessage(request, copies.map((l) => l.features.buffer as ArrayBuffer));
  });
}
