/**
 * How the workspace calls one Script Include: its call sites, and of them how many come from each
 * record type, call each method, sit in a record of each collection, and show each hole term
 * (the shape of the code before the call, `holeTerms`). Ranking reads these for every candidate.
 *
 * One flat list of (kind, key, count) for the four kinds, not a Map per kind: at 10,000 Script
 * Includes the counts of 7,900 names as four Maps each held 7 MB, most of it the Maps' own
 * tables around two or three keys. A kind with many keys gets an index (a popular Script
 * Include of a large workspace is called from hundreds of shapes of code).
 */
import { CallSite } from '../model';
import { siteHoleTerms } from '../index/api-documents';

const RECORD = 0;
const METHOD = 1;
const COLLECTION = 2;
const HOLE = 3;
type Kind = typeof RECORD | typeof METHOD | typeof COLLECTION | typeof HOLE;

/** Past this many keys in all, lookups go through an index instead of a scan. */
const SCAN_LIMIT = 24;

export class UsageCounts {
  /** Call sites counted. */
  total = 0;
  /** `kind, key, count` for each counted key, in the order first counted. */
  private entries: Array<number | string> = [];
  /** `kind + NUL + key` to the entry's offset, once there are more than `SCAN_LIMIT` keys. */
  private index?: Map<string, number>;

  /** Counts one call site (`by` 1), or takes one back (`by` -1); a key that reaches 0 is dropped. */
  add(site: CallSite, by: number): void {
    this.total = Math.max(0, this.total + by);
    this.bump(RECORD, site.callerTable, by);
    this.bump(METHOD, site.method, by);
    this.bump(COLLECTION, site.collection?.toLowerCase(), by);
    for (const t of siteHoleTerms(site)) this.bump(HOLE, t, by);
  }

  /** Call sites from records of this type (`sys_script`, `sys_ui_action`, ...). */
  record(recordType: string): number {
    return this.get(RECORD, recordType);
  }

  /** Call sites calling this method. */
  method(name: string): number {
    return this.get(METHOD, name);
  }

  /** Call sites in records of this collection (table), lower case. */
  collection(table: string): number {
    return this.get(COLLECTION, table);
  }

  /** Call sites whose code before the call shows this hole term. */
  hole(term: string): number {
    return this.get(HOLE, term);
  }

  /**
   * Gives back the room the list grew with (an array grows by half as it is pushed to): once
   * counted, a name's counts change only with an edit. At 10,000 Script Includes the counts of
   * 7,900 names held 3.5 MB of lists.
   */
  trim(): void {
    this.entries = this.entries.slice();
  }

  /** A copy that changes apart from this one. */
  clone(): UsageCounts {
    const c = new UsageCounts();
    c.total = this.total;
    c.entries = this.entries.slice();
    if (this.index) c.index = new Map(this.index);
    return c;
  }

  private get(kind: Kind, key: string): number {
    const at = this.find(kind, key);
    return at < 0 ? 0 : (this.entries[at + 2] as number);
  }

  private find(kind: Kind, key: string): number {
    if (this.index) return this.index.get(`${kind}\u0000${key}`) ?? -1;
    const e = this.entries;
    for (let i = 0; i < e.length; i += 3) if (e[i + 1] === key && e[i] === kind) return i;
    return -1;
  }

  private bump(kind: Kind, key: string | undefined, by: number): void {
    if (!key) return;
    const at = this.find(kind, key);
    if (at >= 0) {
      const v = (this.entries[at + 2] as number) + by;
      if (v > 0) this.entries[at + 2] = v;
      else {
        this.entries.splice(at, 3);
        // Offsets after it moved: index again (or scan, when few keys are left).
        this.reindex();
      }
      return;
    }
    if (by <= 0) return;
    this.entries.push(kind, key, by);
    if (this.index) this.index.set(`${kind}\u0000${key}`, this.entries.length - 3);
    else if (this.entries.length > SCAN_LIMIT * 3) this.reindex();
  }

  private reindex(): void {
    if (this.entries.length <= SCAN_LIMIT * 3) {
      this.index = undefined;
      return;
    }
    const index = new Map<string, number>();
    for (let i = 0; i < this.entries.length; i += 3) index.set(`${this.entries[i]}\u0000${this.entries[i + 1]}`, i);
    this.index = index;
  }
}
