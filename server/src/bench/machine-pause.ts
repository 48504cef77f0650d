/**
 * A control for the benchmark's after-a-pause rows: the same pauses in front of a plain JavaScript
 * workload that has nothing to do with the server. It does about what one ranking does, a few
 * milliseconds of hash lookups over tens of thousands of small objects (a working set the caches
 * hold while it runs), timed back to back and then after pauses of the lengths the benchmark
 * leaves. On a shared virtual machine the same work takes longer the longer the thread slept, with
 * no collection and no change of code in between (caches and address translations others used
 * meanwhile), so a server's first request after a pause is read against these factors.
 */
import { LatencySummary, latencySummary, median } from '../stats';

export interface PauseControl {
  /** The workload, timed back to back (1 ms apart). */
  steady: LatencySummary;
  /** Per pause length (ms): the workload's times right after such a pause, and their median over the steady median. */
  afterPause: Array<{ pauseMs: number; ms: number[]; factor: number }>;
}

const OBJECTS = 50_000;
const LOOKUPS = 100_000;

/** Times the workload back to back, then after each pause length (`samples` times each). */
export async function measurePauseControl(pauses: ReadonlyArray<{ pauseMs: number; samples: number }>): Promise<PauseControl> {
  const graph = new Map<string, { n: number; pair: number[]; tag: string }>();
  const keys: string[] = [];
  for (let i = 0; i < OBJECTS; i++) {
    const key = `k${i}`;
    keys.push(key);
    graph.set(key, { n: i, pair: [i, i + 1], tag: `t${i % 997}` });
  }
  const timed = (): number => {
    const t = performance.now();
    let sum = 0;
    for (let i = 0; i < LOOKUPS; i++) {
      const o = graph.get(keys[(i * 7919 + 13) % OBJECTS])!;
      sum += o.n + o.pair[1] + o.tag.length;
    }
    const ms = performance.now() - t;
    // The sum is checked so the lookups cannot be left out as unused.
    if (!(sum >= 0)) throw new Error('the control walk went wrong');
    return ms;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  for (let i = 0; i < 30; i++) timed();
  const steady: number[] = [];
  for (let i = 0; i < 30; i++) {
    await sleep(1);
    steady.push(timed());
  }
  const s = latencySummary(steady);
  const afterPause: PauseControl['afterPause'] = [];
  for (const { pauseMs, samples } of pauses) {
    const ms: number[] = [];
    for (let i = 0; i < samples; i++) {
      // Back to back first, so each pause starts from the same warm state.
      for (let k = 0; k < 3; k++) timed();
      await sleep(pauseMs);
      ms.push(timed());
    }
    afterPause.push({ pauseMs, ms, factor: median(ms) / s.p50 });
  }
  return { steady: s, afterPause };
}
