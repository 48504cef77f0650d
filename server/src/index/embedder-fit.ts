/**
 * Learning the co-occurrence embedder off the main thread: the corpus goes to a child process that
 * fits it (embedders.ts) and sends back the embedder in its persisted form, which the main thread
 * reads back with the same checks as a cached one. The server then keeps answering while a large
 * workspace's embedder is learned. The child exits after its one job, and its memory with it.
 */
import * as path from 'path';
import { runWorkerJob } from '../worker-job';
import { CooccurrenceEmbedder, CooccurrenceFitOptions, EncodedCorpus } from './embedders';

export interface EmbedderFitRequest {
  /** Encoded, so it crosses as a few typed arrays rather than a string per token. */
  corpus: EncodedCorpus;
  options: CooccurrenceFitOptions;
}

export type EmbedderFitReply = { ok: true; embedder: unknown } | { ok: false; error: string };

/**
 * Fits in a child process (worker-job.ts); an error (no process, a crash, a malformed reply) comes
 * back as a value. `peakMb` is the child's peak resident set.
 */
export async function fitEmbedderInWorker(corpus: EncodedCorpus, options: CooccurrenceFitOptions): Promise<{ ok: true; embedder: CooccurrenceEmbedder; peakMb?: number } | { ok: false; error: string }> {
  const request: EmbedderFitRequest = { corpus, options };
  const job = await runWorkerJob<EmbedderFitRequest, EmbedderFitReply>(path.join(__dirname, 'embedder-fit-worker.js'), request, 'embedder worker', { in: 'process' });
  if (!job.ok) return job;
  if (!job.reply.ok) return job.reply;
  const loaded = CooccurrenceEmbedder.fromJSON(job.reply.embedder);
  return loaded.ok ? { ok: true, embedder: loaded.embedder, peakMb: job.peakMb } : { ok: false, error: loaded.error };
}
