/**
 * The API index: the one owner of what the server knows about the workspace. It stores one
 * FileEntry per file and keeps derived lookups (Script Includes by name and api name, call sites
 * by target) up to date incrementally, so a file change costs work proportional to that file.
 *
 * Two rules shape the derived views:
 * - a file that a Fluent record includes (`Now.include('../server/X.js')`) is read through that
 *   record; its own plain entry is hidden while the claim stands, whichever was indexed first;
 * - call sites are kept as extracted (every candidate); they count as usages only when their
 *   target resolves to a known Script Include (`resolve`).
 */
import { CallSite, FileEntry, ScriptIncludeInfo, Side } from '../model';
import { MultiMap } from './multi-map';
import { PackedStore } from './packed-store';

export interface IndexChange {
  /** Paths whose entries were added, replaced or removed. */
  paths: string[];
  generation: number;
  /**
   * Every name whose Script Includes or call sites this change may have added, removed or shown
   * or hidden (through a Fluent claim): before and after, in the files of `paths`. What is known
   * of any other name is as it was.
   */
  names: ReadonlySet<string>;
  /** Whether a Script Include came, went or changed visibility: what a call resolves to may differ. */
  scriptIncludes: boolean;
}

export class ApiIndex {
  private readonly entries = new Map<string, FileEntry>();
  /** Where the entries' packed values are kept when not in memory (the indexer points it at the cache folder). */
  readonly packs = new PackedStore();
  /** included path -> paths of the Fluent files that include it */
  private readonly claims = new Map<string, Set<string>>();
  private readonly byName = new MultiMap<string, ScriptIncludeInfo>();
  private readonly byApiName = new MultiMap<string, ScriptIncludeInfo>();
  private readonly sitesByTarget = new MultiMap<string, CallSite>();
  private readonly listeners: Array<(change: IndexChange) => void> = [];
  private gen = 0;

  /** Bumped on every change: caches keyed by it stay valid until the index changes. */
  get generation(): number {
    return this.gen;
  }

  /**
   * Bumped on a change that added, removed, replaced or showed or hid a Script Include: what
   * depends on the Script Includes alone (the knowledge graph) stays valid across edits of
   * callers.
   */
  get scriptIncludeGeneration(): number {
    return this.siGen;
  }
  private siGen = 0;

  onDidChange(listener: (change: IndexChange) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Adds or replaces the entries of several files as one change. */
  setFiles(entries: readonly FileEntry[]): void {
    const touched: string[] = [];
    for (const entry of entries) touched.push(...this.put(entry));
    this.emit(touched);
  }

  /**
   * Makes `entries` (already sorted) the whole index, in that order, as one change: iteration and
   * lookups then follow that order whatever order the files first arrived in.
   */
  putInOrder(entries: readonly FileEntry[]): void {
    // The same entries already in this order (a warm start that reused every file): no change.
    if (entries.length === this.entries.size) {
      let k = 0;
      let same = true;
      for (const entry of this.entries.values()) {
        same = entry === entries[k++];
        if (!same) break;
      }
      if (same) return;
    }
    const touched: string[] = [];
    for (const path of [...this.entries.keys()]) touched.push(...this.drop(path));
    for (const entry of entries) touched.push(...this.put(entry));
    this.emit(touched);
  }

  setFile(entry: FileEntry): void {
    this.setFiles([entry]);
  }

  removeFiles(paths: readonly string[]): void {
    const touched: string[] = [];
    for (const path of paths) touched.push(...this.drop(path));
    if (touched.length) this.emit(touched);
  }

  removeFile(path: string): void {
    this.removeFiles([path]);
  }

  file(path: string): FileEntry | undefined {
    return this.entries.get(path);
  }

  paths(): string[] {
    return [...this.entries.keys()];
  }

  files(): IterableIterator<FileEntry> {
    return this.entries.values();
  }

  get fileCount(): number {
    return this.entries.size;
  }

  /** Fluent files that read `path` into their records. */
  claimantsOf(path: string): string[] {
    return [...(this.claims.get(path) ?? [])];
  }

  /** True when the file is read through a Fluent record, so its own entry does not count. */
  isClaimed(path: string): boolean {
    const c = this.claims.get(path);
    return !!c && c.size > 0;
  }

  /** Entries whose Script Includes and call sites count: every file that is not claimed. */
  *visibleFiles(): IterableIterator<FileEntry> {
    for (const entry of this.entries.values()) if (!this.isClaimed(entry.path)) yield entry;
  }

  /** Every visible Script Include, active or not. */
  *scriptIncludes(): IterableIterator<ScriptIncludeInfo> {
    for (const entry of this.visibleFiles()) yield* entry.scriptIncludes;
  }

  *callSites(): IterableIterator<CallSite> {
    for (const entry of this.visibleFiles()) yield* entry.callSites;
  }

  /** Script Includes with this class name, in any scope. */
  named(name: string): ScriptIncludeInfo[] {
    return this.visible(this.byName.get(name));
  }

  withApiName(apiName: string): ScriptIncludeInfo | undefined {
    return this.visible(this.byApiName.get(apiName))[0];
  }

  /**
   * What a reference from code means: `scope.Name` by api name; a bare name prefers the caller's
   * own scope, then global, then the only match anywhere. Inactive ones resolve too (a call to an
   * inactive Script Include is still a call to it).
   */
  resolve(target: string, qualifier: string | undefined, fromScope: string): ScriptIncludeInfo | undefined {
    if (qualifier) return this.withApiName(`${qualifier}.${target}`) ?? this.withApiName(`${qualifier}.${target}`.replace(/^global\./, ''));
    const all = this.named(target);
    if (all.length <= 1) return all[0];
    return all.find((si) => si.scope === fromScope) ?? all.find((si) => si.scope === 'global') ?? all[0];
  }

  /** How many call sites name `name` as their target (any scope; a cheap count, not a resolution). */
  callsNaming(name: string): number {
    return this.sitesByTarget.count(name);
  }

  /** The call sites naming `name` that count: those of files that are not claimed (as `callSites()`). */
  *countedSitesNaming(name: string): IterableIterator<CallSite> {
    for (const site of this.sitesByTarget.get(name)) {
      if (!this.isClaimed(this.siteOwner.get(site) ?? site.path)) yield site;
    }
  }

  /** Call sites whose target resolves to this Script Include. */
  usagesOf(si: ScriptIncludeInfo): CallSite[] {
    const out: CallSite[] = [];
    for (const site of this.sitesByTarget.get(si.name)) {
      if (this.isClaimed(site.path) && !this.isFromClaimant(site)) continue;
      if (this.resolve(site.target, site.qualifier, site.scope) === si) out.push(site);
    }
    return out;
  }

  /** The Script Include a call site refers to, if it is one. */
  targetOf(site: CallSite): ScriptIncludeInfo | undefined {
    return this.resolve(site.target, site.qualifier, site.scope);
  }

  /** The Script Include defined at `path` whose range holds the line, if any. */
  scriptIncludeAt(path: string, line: number): ScriptIncludeInfo | undefined {
    for (const si of this.scriptIncludes()) {
      if (si.path === path && si.range.start.line <= line && line <= si.range.end.line) return si;
    }
    return undefined;
  }

  /** Whether `side` code in `fromScope` may use this Script Include (the knowledge graph's access rule). */
  static accessible(si: ScriptIncludeInfo, fromScope: string, side: Side): boolean {
    if (side === 'client') return si.clientCallable;
    return si.scope === fromScope || si.access === 'public';
  }

  // --- internals ---------------------------------------------------------------------------

  private visible(sis: Iterable<ScriptIncludeInfo>): ScriptIncludeInfo[] {
    const out: ScriptIncludeInfo[] = [];
    for (const si of sis) if (this.ownerVisible(si)) out.push(si);
    return out;
  }

  /** A Script Include is visible unless the file it was extracted from is claimed. */
  private ownerVisible(si: ScriptIncludeInfo): boolean {
    const owner = this.ownerOf.get(si);
    return owner === undefined || !this.isClaimed(owner);
  }

  /** A claimed file's call sites still count when they came through the claimant (path = scriptPath). */
  private isFromClaimant(site: CallSite): boolean {
    const owner = this.siteOwner.get(site);
    return owner !== undefined && owner !== site.path;
  }

  private readonly ownerOf = new WeakMap<ScriptIncludeInfo, string>();
  private readonly siteOwner = new WeakMap<CallSite, string>();

  private put(entry: FileEntry): string[] {
    const touched = this.drop(entry.path);
    this.entries.set(entry.path, entry);
    for (const inc of entry.includes) addTo(this.claims, inc, entry.path);
    for (const si of entry.scriptIncludes) {
      this.ownerOf.set(si, entry.path);
      this.byName.add(si.name, si);
      this.byApiName.add(si.apiName, si);
    }
    for (const site of entry.callSites) {
      this.siteOwner.set(site, entry.path);
      this.sitesByTarget.add(site.target, site);
    }
    if (!touched.includes(entry.path)) touched.push(entry.path);
    touched.push(...entry.includes);
    return touched;
  }

  private drop(path: string): string[] {
    const old = this.entries.get(path);
    if (!old) return [];
    this.noteNames(old);
    this.entries.delete(path);
    for (const inc of old.includes) removeFrom(this.claims, inc, path);
    for (const si of old.scriptIncludes) {
      this.byName.delete(si.name, si);
      this.byApiName.delete(si.apiName, si);
    }
    for (const site of old.callSites) this.sitesByTarget.delete(site.target, site);
    return [path, ...old.includes];
  }

  /** Names of the entries dropped since the last change was told (`drop` notes them). */
  private changedNames = new Set<string>();
  private changedScriptIncludes = false;

  private noteNames(entry: FileEntry): void {
    for (const si of entry.scriptIncludes) this.changedNames.add(si.name);
    for (const site of entry.callSites) this.changedNames.add(site.target);
    if (entry.scriptIncludes.length) this.changedScriptIncludes = true;
  }

  private emit(paths: string[]): void {
    this.gen++;
    const unique = [...new Set(paths)];
    // The entries now at the touched paths: new ones, and claimed files whose visibility moved.
    for (const p of unique) {
      const entry = this.entries.get(p);
      if (entry) this.noteNames(entry);
    }
    if (this.changedScriptIncludes) this.siGen++;
    const change: IndexChange = { paths: unique, generation: this.gen, names: this.changedNames, scriptIncludes: this.changedScriptIncludes };
    this.changedNames = new Set();
    this.changedScriptIncludes = false;
    for (const l of this.listeners) l(change);
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
