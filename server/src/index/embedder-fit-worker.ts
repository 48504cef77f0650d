/** The embedder-learning child process (see embedder-fit.ts): one corpus in, one embedder out. */
import { answerOneJob } from '../worker-job';
import { CooccurrenceEmbedder, isEncodedCorpus } from './embedders';
import { collectBuildGarbage } from '../memory';
import type { EmbedderFitReply, EmbedderFitRequest } from './embedder-fit';

answerOneJob((req: EmbedderFitRequest): EmbedderFitReply => {
  try {
    if (!isEncodedCorpus(req.corpus)) throw new Error('the embedder worker was sent a malformed corpus');
    // This process does nothing else: its garbage goes between the fit's large steps.
    return { ok: true, embedder: CooccurrenceEmbedder.fit(req.corpus, req.options, () => void collectBuildGarbage()).toJSON() };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
});
