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
 *   instead of three objects;
 * - booleans, null, arrays and objects are themselves; an undefined property is left out.
 *
 * Decoding works in place on the parsed value and fails (returns undefined) on anything the
 * encoder never writes, so a damaged line reads as damaged, not as a wrong entry.
 */
import { Range } from '../model';

const RANGE_TAG = 'r';

/** Writes values against one growing string table. */
export class CacheEncoder {
  private readonly indices = new Map<string, number>();
  private fresh: string[] = [];

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
        if (Array.isArray(v)) return v.map((x) => this.walk(x));
        if (isRange(v)) return [RANGE_TAG, -v.start.line - 1, -v.start.character - 1, -v.end.line - 1, -v.end.character - 1];
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
}

/** Reads values written by one `CacheEncoder`, in the order they were written. */
export class CacheDecoder {
  private readonly table: string[] = [];

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
          if (v[0] === RANGE_TAG) return decodeRange(v);
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
}

class Malformed extends Error {}

function decodeRange(v: unknown[]): Range {
  if (v.length !== 5) throw new Malformed();
  const [, a, b, c, d] = v;
  if (typeof a !== 'number' || typeof b !== 'number' || typeof c !== 'number' || typeof d !== 'number' || a >= 0 || b >= 0 || c >= 0 || d >= 0) throw new Malformed();
  return { start: { line: -a - 1, character: -b - 1 }, end: { line: -c - 1, character: -d - 1 } };
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
