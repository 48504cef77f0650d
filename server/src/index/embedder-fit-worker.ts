/** The embedder-learning worker thread (see embedder-fit.ts): one corpus in, one embedder out. */
import { parentPort } from 'worker_threads';
import { CooccurrenceEmbedder, isEncodedCorpus } from './embedders';
import type { EmbedderFitReply, EmbedderFitRequest } from './embedder-fit';

parentPort?.once('message', (req: EmbedderFitRequest) => {
  let reply: EmbedderFitReply;
  try {
    if (!isEncodedCorpus(req.corpus)) throw new Error('the embedder worker was sent a malformed corpus');
    reply = { ok: true, embedder: CooccurrenceEmbedder.fit(req.corpus, req.options).toJSON() };
  } catch (err) {
    reply = { ok: false, error: (err as Error).message };
  }
  parentPort?.postMessage(reply);
});
