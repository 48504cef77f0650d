/**
 * One job on a worker thread: start the script, post one request, take one reply, end the thread.
 * Every way it can go wrong (the script missing, a start failure, an uncaught error, an exit
 * before replying) resolves with an error as a value, exactly once. Used where the server learns
 * something heavy (the embedder, a fine-tuned reranker) without holding the main thread.
 */
import { existsSync } from 'fs';
import { Worker } from 'worker_threads';
import { keepYoungGenerationCap } from './memory';

export type JobResult<R> = { ok: true; reply: R } | { ok: false; error: string };

/** `what` names the job in errors ("the embedder worker exited (1)"). */
export function runWorkerJob<Req, R>(script: string, request: Req, what: string, transfer: ArrayBuffer[] = []): Promise<JobResult<R>> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: JobResult<R>) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    if (!existsSync(script)) return done({ ok: false, error: `the ${what} script is missing` });
    let worker: Worker;
    try {
      worker = new Worker(script);
      keepYoungGenerationCap(worker);
    } catch (err) {
      return done({ ok: false, error: `could not start the ${what}: ${(err as Error).message}` });
    }
    worker.on('message', (reply: R) => {
      done({ ok: true, reply });
      void worker.terminate();
    });
    worker.on('error', (err) => done({ ok: false, error: `the ${what} failed: ${err.message}` }));
    worker.on('exit', (code) => done({ ok: false, error: `the ${what} exited (${code})` }));
    worker.postMessage(request, transfer);
  });
}
