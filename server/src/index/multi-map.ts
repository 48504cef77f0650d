/**
 * Values by key where most keys have one value: a Script Include's class name names one Script
 * Include almost always, and its api name always. A key holds its value itself while it has one,
 * and a Set past that. A Set per key cost about 200 bytes each: at 10,000 Script Includes the
 * index's lookups by name and by api name held 5 MB, most of it Sets of one.
 *
 * Values are objects, so a value is never mistaken for the Set of a key with several. A key's
 * values come back in the order they were added, as from a Set.
 */
const NONE: readonly never[] = Object.freeze([]);

export class MultiMap<K, V extends object> {
  private readonly map = new Map<K, V | Set<V>>();

  add(key: K, value: V): void {
    const had = this.map.get(key);
    if (had === undefined) this.map.set(key, value);
    else if (had instanceof Set) had.add(value);
    else if (had !== value) this.map.set(key, new Set([had, value]));
  }

  delete(key: K, value: V): void {
    const had = this.map.get(key);
    if (had === undefined) return;
    if (had instanceof Set) {
      had.delete(value);
      if (had.size === 1) this.map.set(key, had.values().next().value as V);
    } else if (had === value) this.map.delete(key);
  }

  /** How many values the key has. */
  count(key: K): number {
    const had = this.map.get(key);
    return had === undefined ? 0 : had instanceof Set ? had.size : 1;
  }

  /** The key's values, in the order they were added. */
  get(key: K): Iterable<V> {
    const had = this.map.get(key);
    return had === undefined ? NONE : had instanceof Set ? had : [had];
  }
}
