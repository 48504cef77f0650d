/**
 * The usage documents' call sites and files, by usage id. Ids come from a counter (a first build
 * numbers them from 0, a changed file takes the next ones), so two arrays indexed by id hold them:
 * a Map of one small object per usage took about 3.7 MB at 10,000 Script Includes (40,000 call
 * sites) for what the arrays hold in 0.6. A removed id leaves a hole; ids are never reused. An id
 * far past the end (or not a counter value at all: a damaged snapshot) goes to a Map instead, so
 * no id can make the arrays long.
 */
import { CallSite } from '../model';

/** How far past the arrays' end an id may lie and still go in them (the rest of a file's sites, a snapshot's ids in any order). */
const MAX_GAP = 1 << 16;

export class UsageTable {
  private sites: Array<CallSite | undefined> = [];
  /** The file each site's entry came from (a Fluent file's entry may hold the sites of a file it includes). */
  private paths: Array<string | undefined> = [];
  private count = 0;
  private readonly others = new Map<number, { site: CallSite; path: string }>();

  get size(): number {
    return this.count + this.others.size;
  }

  /** The call site of usage `id`, or undefined when there is none. */
  site(id: number): CallSite | undefined {
    return this.sites[id] ?? (this.others.size ? this.others.get(id)?.site : undefined);
  }

  /** The path of the file entry usage `id` came from. */
  path(id: number): string | undefined {
    return this.paths[id] ?? (this.others.size ? this.others.get(id)?.path : undefined);
  }

  set(id: number, site: CallSite, path: string): void {
    if (this.others.has(id) || !Number.isSafeInteger(id) || id < 0 || id > this.sites.length + MAX_GAP) {
      this.others.set(id, { site, path });
      return;
    }
    // Grown one by one from the end, the arrays stay packed (holes only where ids were removed).
    while (this.sites.length < id) {
      this.sites.push(undefined);
      this.paths.push(undefined);
    }
    if (this.sites[id] === undefined) this.count++;
    this.sites[id] = site;
    this.paths[id] = path;
  }

  delete(id: number): boolean {
    if (this.others.delete(id)) return true;
    if (this.sites[id] === undefined) return false;
    this.sites[id] = undefined;
    this.paths[id] = undefined;
    this.count--;
    return true;
  }

  /** The ids present, ascending. */
  ids(): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.sites.length; id++) if (this.sites[id] !== undefined) out.push(id);
    if (this.others.size) return [...out, ...this.others.keys()].sort((a, b) => a - b);
    return out;
  }
}
