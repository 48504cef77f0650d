/** The fine-tuning worker thread (see fine-tune.ts): one request in, one reply out. */
import { answerOneJob } from '../worker-job';
import { mlpFromJson, mlpToJson } from '../rerank/mlp';
import { fineTuneLists } from './fine-tune';
import type { FineTuneReply, FineTuneRequest } from './fine-tune';

answerOneJob((req: FineTuneRequest): FineTuneReply => {
  try {
    const start = mlpFromJson(req.start);
    return start.ok ? { ok: true, model: mlpToJson(fineTuneLists(start.model, req.lists, req.options)) } : { ok: false, error: start.error };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
});
