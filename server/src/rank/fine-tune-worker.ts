/** The fine-tuning worker thread (see fine-tune.ts): one request in, one reply out. */
import { parentPort } from 'worker_threads';
import { mlpFromJson, mlpToJson } from '../rerank/mlp';
import { fineTuneLists } from './fine-tune';
import type { FineTuneReply, FineTuneRequest } from './fine-tune';

parentPort?.once('message', (req: FineTuneRequest) => {
  let reply: FineTuneReply;
  try {
    const start = mlpFromJson(req.start);
    reply = start.ok ? { ok: true, model: mlpToJson(fineTuneLists(start.model, req.lists, req.options)) } : { ok: false, error: start.error };
  } catch (err) {
    reply = { ok: false, error: (err as Error).message };
  }
  parentPort?.postMessage(reply);
});
