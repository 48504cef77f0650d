/**
 * One job in a child process: start the script, send one request, take one reply, let the process
 * end. Every way it can go wrong (the script missing, a start failure, an uncaught error, an exit
 * before replying) resolves with an error as a value, exactly once. Used where the server learns
 * something heavy (the embedder, a fine-tuned reranker) without holding the main thread.
 *
 * A process, not a worker thread: a thread's native allocations stay in a malloc arena of the
 * server's own after the thread ends. glibc keeps such an arena's freed pages while its trim
 * threshold has been raised by an earlier large free, which Node always makes: the embedder's
 * fit left 57 MB resident in the server after a cold start at 10,000 Script Includes. A process
 * gives all of its memory back when it exits.
 *
 * The child is started with no stdin or stdout (the server's stdout is the editor's channel),
 * with its stderr kept for the error message, and it exits when the server goes away.
 */
import { ChildProcess, fork, Serializable } from 'child_process';
import { existsSync } from 'fs';

export type JobResult<R> = { ok: true; reply: R; peakMb?: number } | { ok: false; error: string };

/** What travels back: the reply, and the child's own peak resident set. */
interface Envelope<R> {
  reply: R;
  peakKb: number;
}

/** Last characters of the child's stderr kept for an error message. */
const STDERR_KEPT = 4096;

/**
 * `what` names the job in errors ("the embedder worker exited (1)"). On success, `peakMb` is the
 * child's peak resident set: memory the job took beside the server's own.
 */
export function runWorkerJob<Req, R>(script: string, request: Req, what: string): Promise<JobResult<R>> {
  return new Promise((resolve) => {
    let settled = false;
    let stderr = '';
    const done = (r: JobResult<R>) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    if (!existsSync(script)) return done({ ok: false, error: `the ${what} script is missing` });
    let child: ChildProcess;
    try {
      child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
    } catch (err) {
      return done({ ok: false, error: `could not start the ${what}: ${(err as Error).message}` });
    }
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEPT)));
    child.on('message', (m: Envelope<R>) => {
      done({ ok: true, reply: m.reply, peakMb: Math.round(m.peakKb / 1024) });
      // The child disconnects and exits on its own once the reply is out; this is the backstop.
      child.disconnect?.();
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
  });
}

/**
 * The child's side: answers the one request with `handle` and ends. It also ends when the server
 * goes away first (the channel closes), so no job outlives its server.
 */
export function answerOneJob<Req, R>(handle: (request: Req) => R): void {
  if (!process.send) return;
  process.once('disconnect', () => process.exit(0));
  process.once('message', (request: Req) => {
    const reply = handle(request);
    const envelope: Envelope<R> = { reply, peakKb: process.resourceUsage().maxRSS };
    process.send!(envelope, undefined, undefined, () => process.disconnect());
  });
}
