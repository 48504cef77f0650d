/**
 * A control for the benchmark's first-request-after-a-pause numbers: the same pause in front of a
 * plain JavaScript workload that has nothing to do with the server. It walks a large graph of
 * small objects by hash lookups, as ranking does, and is timed steadily and then once right after
 * sleeping. On a shared virtual machine the first walk after a few idle seconds can take several
 * times as long with no collection and no change of code in between (caches and address
 * translations others have used meanwhile), so a server's first request after the same pause is
 * read against this factor.
 */
import { LatencySummary, latencySummary, median } from '../stats';

export interface PauseControl {
  /** The walk, timed back to back (20 ms apart). */
  steady: LatencySummary;
  /** The first walk after each pause. */
  afterPause: number[];
  pauseMs: number;
  /** Median first walk after a pause over the steady median. */
  factor: number;
}

const OBJECTS = 1_000_000;
const LOOKUPS = 100_000;

export async function measurePauseControl(pauseMs: number, pauses = 3): Promise<PauseControl> {
  const graph = new Map<string, { n: number; pair: number[]; tag: string }>();
  const keys: string[] = [];
  for (let i = 0; i < OBJECTS; i++) {
    const key = `k${i}`;
    keys.push(key);
    graph.set(key, { n: i, pair: [i, i + 1], tag: `t${i % 997}` });
  }
  const walk = (): number => {
    let sum = 0;
    for (let i = 0; i < LOOKUPS; i++) {
      const o = graph.get(keys[(i * 7919 + 13) % OBJECTS])!;
      sum += o.n + o.pair[1] + o.tag.length;
    }
    return sum;
  };
  const timed = (): number => {
    const t = performance.now();
    walk();
    return performance.now() - t;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  for (let i = 0; i < 10; i++) walk();
  const steady: number[] = [];
  const afterPause: number[] = [];
  for (let p = 0; p < pauses; p++) {
    for (let i = 0; i < 5; i++) {
      steady.push(timed());
      await sleep(20);
    }
    await sleep(pauseMs);
    afterPause.push(timed());
  }
  const s = latencySummary(steady);
  return { steady: s, afterPause, pauseMs, factor: median(afterPause) / s.p50 };
}
