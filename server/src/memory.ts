/**
 * Gives the garbage of a bulk build back at once. Indexing a large workspace allocates several
 * times what the finished index holds (parsed JSON, per-file entries before their strings are
 * shared, the build's scratch), and V8 keeps the heap it grew to until its own heuristics shrink
 * it, which for an idle language server can be never: at 10,000 Script Includes that was a
 * quarter of a gigabyte held for nothing. A full collection after each bulk step of the first
 * index (the files read, retrieval built) returns it.
 *
 * The collector is reached through V8's `--expose-gc`, turned on here at run time and read from a
 * new context, because a language server cannot choose the flags its editor starts Node with. If
 * that ever stops working, nothing breaks: memory is simply given back later, as before.
 */
import * as v8 from 'v8';
import * as vm from 'vm';

let collector: (() => void) | null | undefined;

function findCollector(): (() => void) | null {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

/** Runs one full garbage collection; returns its milliseconds, or undefined when none could run. */
export function collectBuildGarbage(): number | undefined {
  if (collector === undefined) collector = findCollector();
  if (!collector) return undefined;
  const started = performance.now();
  collector();
  return performance.now() - started;
}
