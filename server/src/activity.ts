/**
 * When the editor last asked for something. Background work that runs on the main thread in
 * steps (learning the workspace's ranking) waits for a quiet spell before each step, so a step
 * never sits between a keystroke and its answer while the developer types; it goes on in the
 * pauses between bursts of typing.
 */
export class RequestActivity {
  private last = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  /** A request or notification came. */
  touch(): void {
    this.last = this.now();
  }

  /** Milliseconds since the last request (infinite before the first). */
  sinceLast(): number {
    return this.now() - this.last;
  }

  /**
   * Resolves once no request has come for `quietMs`, after at least one turn of the event loop
   * (so whatever is queued is answered first).
   */
  async quiet(quietMs: number): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let wait = quietMs - this.sinceLast(); wait > 0; wait = quietMs - this.sinceLast()) {
      await new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(wait)));
    }
  }
}

/** Quiet time before each step of learning the workspace: longer than the gaps between keystrokes while typing. */
export const LEARN_QUIET_MS = 400;
