/**
 * One job off the main thread: start the script, send one request, take one reply, let it end.
 * Every way it can go wrong (the script missing, a start failure, an uncaught error, an exit
 * before replying) resolves with an error as a value, exactly once. Used where the server learns
 * something heavy (the embedder, a fine-tuned reranker) or walks the workspace without holding the
 * main thread.
 *
 * A job runs in a worker thread or in a child process (`JobOptions.in`); the job's script is the
 * same for both (`answerOneJob`).
 * - A thread shares the server's process: what it allocates natively stays in a malloc arena of
 *   the server's after the thread ends. glibc keeps such an arena's freed pages while its trim
 *   threshold has been raised by an earlier large free, which Node always makes: the embedder's
 *   fit on a thread left 57 MB resident in the server after a cold start at 10,000 Script Includes.
 * - A process gives all of its memory back when it exits, but it is a second Node runtime while it
 *   runs: fine-tuning in a process had the server and its child at 525 MB together, against 476 MB
 *   for the server with the thread, for no less memory after it.
 *
 * A child is started with no stdin or stdout (the server's stdout is the editor's channel), with
 * its stderr kept for the error message, and it exits when the server goes away.
 */
import { ChildProcess, fork, Serializable } from 'child_process';
import { existsSync } from 'fs';
import { parentPort, Worker } from 'worker_threads';
import { keepHeapFlags, YOUNG_SEMI_SPACE_MB } from './memory';

export type JobResult<R> = { ok: true; reply: R; peakMb?: number } | { ok: false; error: string };

export interface JobOptions {
  /** Where the job runs. Default: a worker thread. */
  in?: 'thread' | 'process';
  /** Buffers moved, not copied, to a thread (a process always gets a copy). */
  transfer?: ArrayBuffer[];
}

/** What travels back: the reply, and in a child process its own peak resident set. */
interface Envelope<R> {
  reply: R;
  peakKb?: number;
}

/** Last characters of a child's stderr kept for an error message. */
const STDERR_KEPT = 4096;

/**
 * `what` names the job in errors ("the embedder worker exited (1)"). In a child process, `peakMb`
 * of a success is the child's peak resident set: memory the job took beside the server's own.
 */
export function runWorkerJob<Req, R>(script: string, request: Req, what: string, opts: JobOptions = {}): Promise<JobResult<R>> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: JobResult<R>) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    if (!existsSync(script)) return done({ ok: false, error: `the ${what} script is missing` });
    if (opts.in === 'process') inProcess(script, request, what, done);
    else inThread(script, request, what, opts.transfer ?? [], done);
  });
}

function inThread<Req, R>(script: string, request: Req, what: string, transfer: ArrayBuffer[], done: (r: JobResult<R>) => void): void {
  let worker: Worker;
  try {
    worker = new Worker(script);
    keepHeapFlags(worker);
  } catch (err) {
    return done({ ok: false, error: `could not start the ${what}: ${(err as Error).message}` });
  }
  worker.on('message', (m: Envelope<R>) => {
    done({ ok: true, reply: m.reply });
    void worker.terminate();
  });
  worker.on('error', (err) => done({ ok: false, error: `the ${what} failed: ${err.message}` }));
  worker.on('exit', (code) => done({ ok: false, error: `the ${what} exited (${code})` }));
  worker.postMessage(request, transfer);
}

function inProcess<Req, R>(script: string, request: Req, what: string, done: (r: JobResult<R>) => void): void {
  let child: ChildProcess;
  let stderr = '';
  try {
    // V8 would let the child's young generation grow to 16 MB a semi-space; it is held to the server's.
    child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [`--max-semi-space-size=${YOUNG_SEMI_SPACE_MB}`] });
  } catch (err) {
    return done({ ok: false, error: `could not start the ${what}: ${(err as Error).message}` });
  }
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEPT)));
  child.on('message', (m: Envelope<R>) => {
    done({ ok: true, reply: m.reply, peakMb: m.peakKb === undefined ? undefined : Math.round(m.peakKb / 1024) });
    // The child disconnects and exits on its own once the reply is out; this is the backstop.
    if (child.connected) child.disconnect();
  });
  child.on('error', (err) => done({ ok: false, error: `the ${what} failed: ${err.message}` }));
  child.on('exit', (code, signal) => {
    const thrown = /^\w*Error: (.+)$/m.exec(stderr);
    done({ ok: false, error: thrown ? `the ${what} failed: ${thrown[1]}` : `the ${what} exited (${code ?? signal})` });
  });
  try {
    child.send(request as Serializable);
  } catch (err) {
    child.kill();
    done({ ok: false, error: `could not send the ${what} its job: ${(err as Error).message}` });
  }
}

/**
 * The job's side, in a thread or a child process: answers the one request with `handle` and ends.
 * A child also ends when the server goes away first (the channel closes), so no job outlives its
 * server.
 */
export function answerOneJob<Req, R>(handle: (request: Req) => R | Promise<R>, transferOf?: (reply: R) => ArrayBuffer[]): void {
  const port = parentPort;
  if (port) {
    port.once('message', (request: Req) => {
      // A job that throws or rejects ends the thread with an error: runWorkerJob says so.
      void Promise.resolve(handle(request)).then((reply) => port.postMessage({ reply } satisfies Envelope<R>, transferOf?.(reply) ?? []));
    });
    return;
  }
  if (!process.send) return;
  process.once('disconnect', () => process.exit(0));
  process.once('message', (request: Req) => {
    void Promise.resolve(handle(request)).then((reply) => {
      const envelope: Envelope<R> = { reply, peakKb: process.resourceUsage().maxRSS };
      process.send!(envelope, undefined, undefined, () => process.disconnect());
    });
  });
}
