/** The embedder-learning worker thread (see embedder-fit.ts): one corpus in, one embedder out. */
import { parentPort } from 'worker_threads';
import { CooccurrenceEmbedder, isEncodedCorpus } from './embedders';
import { collectBuildGarbage } from '../memory';
import type { EmbedderFitReply, EmbedderFitRequest } from './embedder-fit';

parentPort?.once('message', (req: EmbedderFitRequest) => {
  let reply: EmbedderFitReply;
  try {
    if (!isEncodedCorpus(req.corpus)) throw new Error('the embedder worker was sent a malformed corpus');
    // This thread does nothing else: its garbage goes between the fit's large steps.
    reply = { ok: true, embedder: CooccurrenceEmbedder.fit(req.corpus, req.options, () => void collectBuildGarbage()).toJSON() };
  } catch (err) {
    reply = { ok: false, error: (err as Error).message };
  }
  parentPort?.postMessage(reply);
});
