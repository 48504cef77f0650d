/**
 * Interfaces shared by every reranker (the compact model, external cross-encoders) and the
 * pipeline that calls them under a deadline. No I/O and no runtime imports.
 */

export type { CancellationLike } from '../cancellation';
import type { CancellationLike } from '../cancellation';

export type RerankStatus = 'ok' | 'deadline' | 'cancelled' | 'error';

/**
 * What one rerank attempt produced. `scores` is set only when `status` is `ok`; otherwise the
 * caller keeps the retrieval order and records `status` and `detail` in its trace.
 */
export interface RerankOutcome {
  scores: Float32Array | null;
  /** Wall time spent waiting, in milliseconds. */
  ms: number;
  status: RerankStatus;
  detail?: string;
}

/**
 * Rejection used by scorers that notice cancellation between batches. `withDeadline` maps it to
 * `cancelled` (or `deadline` when the deadline was what cancelled it).
 */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A cancellation signal that fires when either the deadline passes or the outer token fires. */
export interface DeadlineSignal extends CancellationLike {
  readonly deadlineExpired: boolean;
}

/**
 * Runs `promiseFactory` and waits for it at most `deadlineMs`. The factory receives a signal it
 * may poll between batches so a long cross-encoder run stops early; a single onnxruntime run
 * cannot be interrupted, so past the deadline we simply stop waiting and let it finish unseen.
 * Never rejects: failures become `status: 'error'` with the message in `detail`.
 */
export async function withDeadline(
  promiseFactory: (signal: DeadlineSignal) => Promise<Float32Array>,
  deadlineMs: number,
  token?: CancellationLike,
): Promise<RerankOutcome> {
  const start = performance.now();
  const elapsed = (): number => performance.now() - start;
  let expired = false;
  const signal: DeadlineSignal = {
    get isCancellationRequested() {
      return expired || !!token?.isCancellationRequested;
    },
    get deadlineExpired() {
      return expired;
    },
  };
  if (token?.isCancellationRequested) return { scores: null, ms: 0, status: 'cancelled' };
  if (!(deadlineMs > 0)) return { scores: null, ms: 0, status: 'deadline', detail: 'no time left for reranking' };

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => {
      expired = true;
      resolve('deadline');
    }, deadlineMs);
    // A pending deadline must not keep a finished process (or a test run) alive.
    timer.unref?.();
  });
  let work: Promise<Float32Array>;
  try {
    work = promiseFactory(signal);
  } catch (err) {
    clearTimeout(timer);
    return { scores: null, ms: elapsed(), status: 'error', detail: messageOf(err) };
  }
  // Swallow a late rejection of abandoned work so it never surfaces as unhandled.
  work.catch(() => undefined);
  try {
    const winner = await Promise.race([work, timeout]);
    if (winner === 'deadline') {
      return { scores: null, ms: elapsed(), status: 'deadline', detail: `reranking exceeded ${deadlineMs} ms` };
    }
    if (token?.isCancellationRequested) return { scores: null, ms: elapsed(), status: 'cancelled' };
    return { scores: winner, ms: elapsed(), status: 'ok' };
  } catch (err) {
    if (err instanceof CancelledError) {
      return { scores: null, ms: elapsed(), status: expired ? 'deadline' : 'cancelled', detail: err.message };
    }
    return { scores: null, ms: elapsed(), status: 'error', detail: messageOf(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** The first line of an error's message: log lines stay one line. */
export function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].trim();
}
