/**
 * A map from numeric ids to numbers (a BM25 document's slot, the document a usage resolves to),
 * compact for the ids callers number from a counter: small non-negative integers with
 * non-negative integer values live in a typed array indexed by id (4 bytes each), where a Map took
 * about 48 (1.8 MB for the 40,000 usage documents of 10,000 Script Includes). Any other id, and
 * any other value (the -1 of a usage that resolves to nothing), goes to a Map.
 */
export class IdMap {
  private values = new Int32Array(0);
  private readonly others = new Map<number, number>();
  private count = 0;

  get size(): number {
    return this.count + this.others.size;
  }

  get(id: number): number | undefined {
    if (id >= 0 && id < this.values.length) {
      const s = this.values[id];
      if (s >= 0) return s;
    }
    return this.others.size ? this.others.get(id) : undefined;
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, value: number): void {
    // An id goes where it first went, so a later lookup finds it whatever the map grew to since.
    if (this.others.has(id) || !this.dense(id) || !(Number.isInteger(value) && value >= 0 && value <= 0x7fffffff)) {
      // Out of the array first, or its old value would still answer.
      if (!this.others.has(id)) this.delete(id);
      this.others.set(id, value);
      return;
    }
    if (id >= this.values.length) {
      const grown = new Int32Array(Math.max(id + 1, Math.ceil(this.values.length * 1.5), 64)).fill(-1);
      grown.set(this.values);
      this.values = grown;
    }
    if (this.values[id] < 0) this.count++;
    this.values[id] = value;
  }

  delete(id: number): boolean {
    if (id >= 0 && id < this.values.length && this.values[id] >= 0) {
      this.values[id] = -1;
      this.count--;
      return true;
    }
    return this.others.delete(id);
  }

  clear(): void {
    this.values = new Int32Array(0);
    this.others.clear();
    this.count = 0;
  }

  /** An id the typed array may hold: a non-negative integer not far past the ids held (so one stray large id cannot size it). */
  private dense(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < Math.max(1024, 4 * (this.size + 256), this.values.length);
  }
}
