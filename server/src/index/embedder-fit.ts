/**
 * Learning the co-occurrence embedder off the main thread: the corpus goes to a worker that fits
 * it (embedders.ts) and sends back the embedder in its persisted form, which the main thread reads
 * back with the same checks as a cached one. The server then keeps answering while a large
 * workspace's embedder is learned. The worker exits after its one job.
 */
import * as path from 'path';
import { existsSync } from 'fs';
import { Worker } from 'worker_threads';
import { CooccurrenceEmbedder, CooccurrenceFitOptions } from './embedders';

export interface EmbedderFitRequest {
  corpus: string[][];
  options: CooccurrenceFitOptions;
}

export type EmbedderFitReply = { ok: true; embedder: unknown } | { ok: false; error: string };

/** Fits in a worker thread; an error (no worker, a crash, a malformed reply) comes back as a value. */
export function fitEmbedderInWorker(corpus: string[][], options: CooccurrenceFitOptions): Promise<{ ok: true; embedder: CooccurrenceEmbedder } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: { ok: true; embedder: CooccurrenceEmbedder } | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const script = path.join(__dirname, 'embedder-fit-worker.js');
    if (!existsSync(script)) return done({ ok: false, error: 'the embedder worker script is missing' });
    let worker: Worker;
    try {
      worker = new Worker(script);
    } catch (err) {
      return done({ ok: false, error: `could not start the embedder worker: ${(err as Error).message}` });
    }
    worker.on('message', (reply: EmbedderFitReply) => {
      if (!reply.ok) done(reply);
      else {
        const loaded = CooccurrenceEmbedder.fromJSON(reply.embedder);
        done(loaded.ok ? { ok: true, embedder: loaded.embedder } : { ok: false, error: loaded.error });
      }
      void worker.terminate();
    });
    worker.on('error', (err) => done({ ok: false, error: `learning the embedder failed: ${err.message}` }));
    worker.on('exit', (code) => done({ ok: false, error: `the embedder worker exited (${code})` }));
    const request: EmbedderFitRequest = { corpus, options };
    worker.postMessage(request);
  });
}
