/**
 * Gives the garbage of a bulk build back at once. Indexing a large workspace allocates several
 * times what the finished index holds (parsed JSON, per-file entries before their strings are
 * shared, the build's scratch), and V8 keeps the heap it grew to until its own heuristics shrink
 * it, which for an idle language server can be never: at 10,000 Script Includes that was a
 * quarter of a gigabyte held for nothing. A full collection after each bulk step of the first
 * index (the files read, retrieval built) returns it. Requests leave garbage too; `IdleCollector`
 * gives it back once the editor has been quiet.
 *
 * The collector is reached through V8's `--expose-gc`, turned on here at run time and read from a
 * new context, because a language server cannot choose the flags its editor starts Node with. If
 * that ever stops working, nothing breaks: memory is simply given back later, as before.
 */
import { constants, PerformanceObserver } from 'perf_hooks';
import * as v8 from 'v8';
import { RequestActivity } from './activity';
import * as vm from 'vm';

/** V8's `gc`: a full collection at once, or (`execution: 'async'`) one that marks in steps and resolves when done. */
type Collector = (options?: { type: 'major'; execution: 'async' | 'sync' }) => Promise<void> | undefined;
let collector: Collector | null | undefined;
/** The live heap after the last full collection this module ran (bytes); 0 before the first. */
let liveAfterCollection = 0;

function findCollector(): Collector | null {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as Collector) : null;
  } catch {
    return null;
  }
}

/** V8's collector, looked up once. */
function gc(): Collector | null {
  if (collector === undefined) collector = findCollector();
  return collector;
}

/** Runs one full garbage collection; returns its milliseconds, or undefined when none could run. */
export function collectBuildGarbage(): number | undefined {
  const collect = gc();
  if (!collect) return undefined;
  const started = performance.now();
  collect();
  const ms = performance.now() - started;
  liveAfterCollection = usedHeap();
  return ms;
}

/**
 * During a bulk build that yields now and then: one full collection, in V8's incremental mode,
 * when the heap and its buffers grew since the last full collection by `minGrowth` bytes or
 * `share` of what was live then, whichever is larger (the idle collection's rule, `grewPast`, with
 * the build's numbers, `COLLECT_AFTER_GROWTH`: a larger heap collects more slowly, so less often).
 * V8 lets a large heap grow far between full collections, and a build's short-lived pieces that
 * outlive a scavenge or two (the young generation is small, `capYoungGeneration`) wait for the
 * next one: at 10,000 Script Includes the end of a first retrieval build held some 90 MB of such
 * garbage at the cold start's peak. Resolves with the collection's milliseconds, or undefined
 * when none was due or none could run.
 */
export async function collectBuildGarbageIfGrown(minGrowth: number, share = 0): Promise<number | undefined> {
  if (!grewPast(usedHeap(), liveAfterCollection, minGrowth, share)) return undefined;
  return collectInBackground();
}

/** How much growth makes a collection worth its pause within a first index's build. */
export const COLLECT_AFTER_GROWTH = { minGrowth: 48 * 2 ** 20, share: 0.25 };

/**
 * How much growth makes an idle collection worth running. Less than a build's: nobody waits for
 * it (it runs after a quiet spell, incrementally; 70-95 ms of work at 10,000 Script Includes),
 * and at the build's threshold a server at rest after a morning's edits kept 20-25 MB of garbage
 * it would not collect (a stdio probe's V8 pages 178 MB once quiet, 155 after a collection).
 */
export const IDLE_COLLECT_AFTER_GROWTH = { minGrowth: 16 * 2 ** 20, share: 0.1 };

/** Whether `used` exceeds `liveAfter` (the heap after the last full collection) by `minGrowth` or `share` of it, whichever is larger. */
function grewPast(used: number, liveAfter: number, minGrowth: number, share: number): boolean {
  return used - liveAfter > Math.max(minGrowth, share * liveAfter);
}

/**
 * Runs one full collection in V8's incremental mode: marking goes on in small steps between
 * tasks (and on helper threads), so work that arrives meanwhile waits for a step, not for the
 * whole collection. Resolves with its milliseconds, or undefined when none could run.
 */
export async function collectInBackground(): Promise<number | undefined> {
  const collect = gc();
  if (!collect) return undefined;
  const started = performance.now();
  try {
    await collect({ type: 'major', execution: 'async' });
  } catch {
    return undefined;
  }
  liveAfterCollection = usedHeap();
  return performance.now() - started;
}

/**
 * The JavaScript heap in use and the memory its objects hold outside it (array buffers). A buffer
 * dropped (the BM25 arrays a save replaced, 50 MB at 10,000 Script Includes) is given back only
 * by a full collection, yet its small wrapper barely moves the heap: counted here, the idle
 * collection sees it.
 */
function usedHeap(): number {
  const h = v8.getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

export interface IdleCollectorOptions {
  /** How long without requests or notifications counts as idle. */
  idleMs: number;
  /** Growth of the heap since the last full collection below which nothing is done (bytes)... */
  minGrowth: number;
  /** ...or this share of the live heap then, whichever is larger. */
  share: number;
  /** While it says so, nothing is collected (a bulk build that collects on its own). */
  paused?: () => boolean;
  /** Hears of each collection: the heap before and after (bytes) and its milliseconds. */
  onCollect?: (before: number, after: number, ms: number) => void;
  /** When the editor last asked for something (the server's, which every message touches); by default its own. */
  activity?: RequestActivity;
  // For tests: the clock, the heap in use, and the collection.
  now?: () => number;
  heapUsed?: () => number;
  collect?: () => Promise<number | undefined>;
}

/**
 * Gives an idle server's garbage back. Requests leave garbage that lives a little while (a
 * ranking's candidates, a document's context), so V8 promotes it to the old space and, with the
 * large heap limit of a 64-bit process, collects it rarely: at 10,000 Script Includes, 600
 * completions grew the heap from 160 to 337 MB, of which 191 MB were live. After a quiet spell
 * (no request, no notification) and enough growth since the last full collection, one full
 * collection runs, incrementally, so a keystroke that arrives meanwhile waits for a marking step
 * at most.
 */
export class IdleCollector {
  private readonly activity: RequestActivity;
  private timer?: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly heapUsed: () => number;
  private readonly collect: () => Promise<number | undefined>;
  private collecting = false;

  constructor(private readonly opts: IdleCollectorOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.heapUsed = opts.heapUsed ?? usedHeap;
    this.collect = opts.collect ?? collectInBackground;
    this.activity = opts.activity ?? new RequestActivity(this.now);
    // A server just started is not idle.
    this.activity.touch();
  }

  /** A request or notification came: the quiet spell starts again. */
  touch(): void {
    this.activity.touch();
  }

  /** Whether a collection is due now (quiet long enough, and the heap grew past the threshold since `liveAfter`). */
  due(liveAfter: number): boolean {
    if (this.activity.sinceLast() < this.opts.idleMs || this.opts.paused?.()) return false;
    return grewPast(this.heapUsed(), liveAfter, this.opts.minGrowth, this.opts.share);
  }

  /** Collects if due (one at a time); says whether it did. The timer calls it; tests call it directly. */
  async check(liveAfter = liveAfterCollection): Promise<boolean> {
    if (this.collecting || !this.due(liveAfter)) return false;
    this.collecting = true;
    try {
      const before = this.heapUsed();
      const ms = await this.collect();
      if (ms === undefined) return false;
      this.opts.onCollect?.(before, this.heapUsed(), ms);
      return true;
    } finally {
      this.collecting = false;
    }
  }

  /** Checks every `idleMs` until stopped; the timer never keeps the process alive. */
  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.opts.idleMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** The young generation's semi-space, at most: the server's once grown (`capYoungGeneration`), and its job processes' from the start (worker-job.ts). */
export const YOUNG_SEMI_SPACE_MB = 4;

/**
 * Keeps V8's young generation at `semiSpaceMb` per semi-space once it has grown that far. V8 grows
 * it (to 16 MB a semi-space, 32 MB in all on 64-bit Node) while many young objects survive, as
 * a bulk build's do, and never gives it back: at 10,000 Script Includes a server held 32 MB of
 * young generation for requests whose garbage fits in a few. Its ceiling can only be set when
 * Node starts, and a language server does not choose how its editor starts Node; the factor by
 * which it grows is read at each growth, so after each scavenge growth is allowed (V8's factor 2)
 * while one more doubling stays within the cap, and stopped (factor 1) once it would not. The
 * check follows the scavenge's report, so a long synchronous stretch may grow it a step past the
 * cap; the server's work yields often enough that it stays at the cap. Returns a function that
 * stops watching.
 *
 * The flag is the process's: worker threads started afterwards grow theirs no further either.
 * But a worker thread that starts sets V8's flags back to the process's own (Node 20 does, as the
 * thread boots): the factor is set again when a worker comes online (`keepHeapFlags`)
 * and whenever a scavenge finds the young generation past the cap. Before this, a cold start's
 * extraction workers let the server's young generation grow to 32 MB.
 */
export function capYoungGeneration(semiSpaceMb: number): () => void {
  const cap = 2 * semiSpaceMb * 2 ** 20;
  let growing = true;
  let seen = 0;
  const setFactor = (grow: boolean): void => {
    // A Node that refuses the flag: the young generation keeps V8's own sizing.
    if (setV8Flag(`--semi-space-growth-factor=${grow ? SEMI_SPACE_GROWTH : 1}`)) growing = grow;
  };
  const check = (): void => {
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (!space) return;
    // It grows by doubling: allowed while one more doubling stays within the cap.
    const grow = space.space_size * SEMI_SPACE_GROWTH <= cap;
    const grew = space.space_size > seen;
    seen = space.space_size;
    // Grown while stopped: something set the flag back, so it is set again (once a growth, not
    // at every scavenge while it stays past the cap).
    if (grow !== growing || (!grow && grew)) setFactor(grow);
  };
  const reapply = (): void => {
    if (!growing) setFactor(false);
  };
  reapplyFlags.add(reapply);
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) return check();
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  check();
  return () => {
    observer.disconnect();
    reapplyFlags.delete(reapply);
    if (!growing) setV8Flag(`--semi-space-growth-factor=${SEMI_SPACE_GROWTH}`);
  };
}

/** Sets one of V8's flags at run time; false when this Node refuses it (V8 then keeps its own rule). */
function setV8Flag(flag: string): boolean {
  try {
    v8.setFlagsFromString(flag);
    return true;
  } catch {
    return false;
  }
}

/** How each flag this module set at run time is set again (the young generation's cap, the serving heap growth). */
const reapplyFlags = new Set<() => void>();

/**
 * Call with each worker thread the server starts: once the thread is online (it has set V8's
 * flags back to the process's own by then), the flags this module set at run time are set again:
 * the young generation's cap and the serving heap growth.
 */
export function keepHeapFlags(worker: { once(event: 'online', listener: () => void): unknown }): void {
  worker.once('online', () => {
    for (const reapply of reapplyFlags) reapply();
  });
}

/**
 * How far, in percent of what the last full collection left live, the old generation of a
 * serving server grows before V8 collects it again (V8's `--heap-growing-percent`): V8's own
 * smallest factor, 1.1, which it keeps for a heap that should shrink.
 *
 * By its own rule V8 lets a heap grow to as much as four times what was live when it has the
 * room, and a 64-bit Node has gigabytes of it. Completions leave garbage that lives just long
 * enough to be promoted (a ranking's candidates, a document's context), so a server at 10,000
 * Script Includes with 160 MB live went on to hold 230-240 MB of heap under the bench's stream of
 * requests, its resident set 350-375 MB (300-310 when a quiet spell let the idle collection fall
 * early). Held to 10% it grows by at most 16 MB (V8's smallest step, 8 MB, for a small heap)
 * between full collections: the same requests left it at 289-293 MB, latency the same within the
 * machine's noise; 15% gave 290-302 MB and 30% 294-305 MB.
 */
export const SERVING_HEAP_GROWTH_PERCENT = 10;

/**
 * Holds the old generation's growth to `percent` (see SERVING_HEAP_GROWTH_PERCENT) until the
 * returned function is called, which gives V8 its own rule back. A first index does not run
 * under it: its bulk steps collect on their own (`collectBuildGarbage`), and at 10,000 Script
 * Includes a cold index under 15% took 8% longer. V8 reads the flag each time it sets the heap's
 * next limit, so it takes effect at the next full collection. One hold at a time.
 */
export function holdHeapGrowth(percent: number): () => void {
  const reapply = (): void => void setV8Flag(`--heap-growing-percent=${percent}`);
  reapplyFlags.add(reapply);
  reapply();
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    reapplyFlags.delete(reapply);
    setV8Flag('--heap-growing-percent=0');
  };
}

/** V8's own factor of growth of the young generation. */
const SEMI_SPACE_GROWTH = 2;

/**
 * Calls `report` for each garbage collection that paused the main thread for at least
 * `minMs` (V8's `gc` performance entries): what a slow keystroke met, when it was the
 * collector. Returns a function that stops watching.
 */
export function watchLongCollections(minMs: number, report: (ms: number, kind: string) => void): () => void {
  const kinds: Record<number, string> = {
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
  };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // Node puts the collection's kind in `detail` (the typings of PerformanceEntry do not say so).
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (entry.duration >= minMs) report(entry.duration, kind !== undefined ? (kinds[kind] ?? 'other') : 'other');
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
