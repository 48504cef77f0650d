/** The fine-tuning worker thread (see fine-tune.ts): one request in, one reply out. */
import { parentPort } from 'worker_threads';
import { mlpFromJson, mlpToJson, trainSupervised } from '../rerank/mlp';
import type { FineTuneReply, FineTuneRequest } from './fine-tune';

parentPort?.once('message', (req: FineTuneRequest) => {
  let reply: FineTuneReply;
  try {
    const start = mlpFromJson(req.start);
    if (!start.ok) reply = { ok: false, error: start.error };
    else {
      const learnable = req.lists.filter((l) => l.trueIndex >= 0 && l.n > 1);
      reply = { ok: true, model: mlpToJson(trainSupervised(start.model, learnable, req.options).model) };
    }
  } catch (err) {
    reply = { ok: false, error: (err as Error).message };
  }
  parentPort?.postMessage(reply);
});
