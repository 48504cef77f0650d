/**
 * How the index cache writes its values: JSON whose strings are numbers into a string table that
 * grows line by line, so each distinct string is parsed once per load. The plain JSON of a large
 * workspace repeats the same scope, table, Glide API, path and body word hundreds of thousands of
 * times; parsing made a fresh string of each, and sharing them again cost as much as the parse.
 *
 * The encoding is generic (no field names), so a change to `FileEntry` needs no change here:
 * - a string is its index in the table (a number >= 0); strings a line is the first to use
 *   travel with that line, in order;
 * - a non-negative integer n is -(n + 1); any other number is the string `#` + its text;
 * - a range (`{start: {line, character}, end: {...}}`) is `["r", l1, c1, l2, c2]`, one array
 *   instead of three objects, the first time; after that `["R", n]`, the n-th range written;
 * - a short list of strings and numbers (at most `MAX_SHARED_LIST`) is `["l", ...items]` the
 *   first time and `["L", n]` after, the n-th such list written;
 * - booleans, null, other arrays and objects are themselves; an undefined property is left out.
 *
 * A load makes one frozen object of each range and short list, however often entries repeat it
 * (at 10,000 Script Includes 168,000 ranges are 34,000 distinct, 53,000 lists of Glide APIs
 * 13,000): the sharing that `compact-entry.ts` does for entries from elsewhere, at no cost here.
 *
 * Decoding works in place on the parsed value and fails (returns undefined) on anything the
 * encoder never writes, so a damaged line reads as damaged, not as a wrong entry.
 */
import { Range } from '../model';
import { MAX_SHARED_LIST, ValuePool } from './compact-entry';

const RANGE_TAG = 'r';
const RANGE_AGAIN = 'R';
const LIST_TAG = 'l';
const LIST_AGAIN = 'L';


/** Writes values against one growing string table. */
export class CacheEncoder {
  private readonly indices = new Map<string, number>();
  private fresh: string[] = [];
  /** Ranges and short lists written so far, by their encoded text, to their number. */
  private readonly ranges = new Map<string, number>();
  private readonly lists = new Map<string, number>();

  /**
   * The value encoded, with the strings it is the first to use (`strings`); write both, and read
   * them back with `CacheDecoder.decode` in the same order.
   */
  encode(value: unknown): { strings: string[]; value: unknown } {
    const encoded = this.walk(value);
    const strings = this.fresh;
    this.fresh = [];
    return { strings, value: encoded };
  }

  private walk(v: unknown): unknown {
    switch (typeof v) {
      case 'string': {
        let i = this.indices.get(v);
        if (i === undefined) {
          i = this.indices.size;
          this.indices.set(v, i);
          this.fresh.push(v);
        }
        return i;
      }
      case 'number':
        return Number.isSafeInteger(v) && v >= 0 ? -v - 1 : `#${v}`;
      case 'object': {
        if (v === null) return null;
        if (Array.isArray(v)) {
          const items = v.map((x) => this.walk(x));
          if (!isShareableList(v)) return items;
          return this.once(this.lists, items.join(','), LIST_TAG, LIST_AGAIN, items);
        }
        if (isRange(v)) {
          const r = [-v.start.line - 1, -v.start.character - 1, -v.end.line - 1, -v.end.character - 1];
          return this.once(this.ranges, r.join(','), RANGE_TAG, RANGE_AGAIN, r);
        }
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = this.walk(x);
        return out;
      }
      case 'boolean':
        return v;
      default:
        return undefined;
    }
  }

  /** `[tag, ...items]` the first time this text is written, `[again, n]` after (encoded items hold no comma, so the text is exact). */
  private once(seen: Map<string, number>, text: string, tag: string, again: string, items: unknown[]): unknown[] {
    const n = seen.get(text);
    if (n !== undefined) return [again, n];
    seen.set(text, seen.size);
    return [tag, ...items];
  }
}

/** A list the cache writes once: 1 to `MAX_SHARED_LIST` strings and numbers. */
function isShareableList(v: readonly unknown[]): boolean {
  if (v.length === 0 || v.length > MAX_SHARED_LIST) return false;
  for (const x of v) if (typeof x !== 'string' && typeof x !== 'number') return false;
  return true;
}

/** Reads values written by one `CacheEncoder`, in the order they were written. */
export class CacheDecoder {
  private readonly table: string[] = [];
  private readonly ranges: Range[] = [];
  private readonly lists: Array<readonly unknown[]> = [];
  /** Makes the decoded ranges one object each, over shared positions. */
  private readonly values = new ValuePool();

  /** `share` sees each new string once (a string pool), and its answer is what values hold. */
  constructor(private readonly share: (s: string) => string = (s) => s) {}

  /** The value, or undefined when `strings` or `value` is not what an encoder writes. */
  decode(strings: unknown, value: unknown): unknown {
    if (strings !== undefined) {
      if (!Array.isArray(strings)) return undefined;
      for (const s of strings) {
        if (typeof s !== 'string') return undefined;
        this.table.push(this.share(s));
      }
    }
    try {
      return this.walk(value);
    } catch (err) {
      if (err instanceof Malformed) return undefined;
      throw err;
    }
  }

  private walk(v: unknown): unknown {
    switch (typeof v) {
      case 'number': {
        if (v < 0) return -v - 1;
        const s = this.table[v];
        if (s === undefined) throw new Malformed();
        return s;
      }
      case 'string': {
        if (v.charCodeAt(0) !== 35 /* # */) throw new Malformed();
        return Number(v.slice(1));
      }
      case 'object': {
        if (v === null) return null;
        if (Array.isArray(v)) {
          switch (v[0]) {
            case RANGE_TAG: {
              const r = this.range(v);
              this.ranges.push(r);
              return r;
            }
            case RANGE_AGAIN:
              return again(this.ranges, v);
            case LIST_TAG: {
              const items = v.slice(1);
              for (let i = 0; i < items.length; i++) items[i] = this.walk(items[i]);
              if (!isShareableList(items)) throw new Malformed();
              this.lists.push(Object.freeze(items));
              return items;
            }
            case LIST_AGAIN:
              return again(this.lists, v);
          }
          for (let i = 0; i < v.length; i++) v[i] = this.walk(v[i]);
          return v;
        }
        const o = v as Record<string, unknown>;
        for (const k in o) o[k] = this.walk(o[k]);
        return o;
      }
      case 'boolean':
        return v;
      default:
        throw new Malformed();
    }
  }

  /** A frozen range from `["r", l1, c1, l2, c2]`, over shared frozen positions. */
  private range(v: unknown[]): Range {
    if (v.length !== 5) throw new Malformed();
    const [, a, b, c, d] = v;
    if (typeof a !== 'number' || typeof b !== 'number' || typeof c !== 'number' || typeof d !== 'number' || a >= 0 || b >= 0 || c >= 0 || d >= 0) throw new Malformed();
    const [l1, c1, l2, c2] = [-a - 1, -b - 1, -c - 1, -d - 1];
    // A range the pool cannot key (a character past 65,535) is frozen on its own.
    return this.values.rangeAt(l1, c1, l2, c2) ?? Object.freeze({ start: Object.freeze({ line: l1, character: c1 }), end: Object.freeze({ line: l2, character: c2 }) });
  }
}

class Malformed extends Error {}

/** The n-th of `table` for `[again, n]`. */
function again<T>(table: readonly T[], v: unknown[]): T {
  const n = v[1];
  if (v.length !== 2 || typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= table.length) throw new Malformed();
  return table[n];
}

/** Exactly a range: two keys, each a position of two non-negative integers (anything else is written as an object). */
function isRange(v: object): v is Range {
  const r = v as Range;
  return Object.keys(v).length === 2 && isPosition(r.start) && isPosition(r.end);
}

function isPosition(p: unknown): boolean {
  if (!p || typeof p !== 'object') return false;
  const q = p as { line: unknown; character: unknown };
  return Object.keys(p).length === 2 && Number.isSafeInteger(q.line) && Number.isSafeInteger(q.character) && (q.line as number) >= 0 && (q.character as number) >= 0;
}
