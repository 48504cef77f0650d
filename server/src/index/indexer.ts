/**
 * Fills and updates the ApiIndex from disk: scan the workspace, read each file into records
 * (workspace/), extract Script Includes and call sites (syntax/), and store one FileEntry per file.
 * On start it reuses the persisted cache: a file whose size and mtime are unchanged is not read;
 * one whose bytes hash the same is not re-extracted.
 *
 * This is an edge module (it does I/O through workspace/ and persistence); the analysis it calls
 * does none.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { FileEntry, Problem, ScriptIncludeKind } from '../model';
import { Settings } from '../config';
import { Editor } from '../editor';
import { isWithinAny, scanInWorker, ScannedFile } from '../workspace/scan';
import { FileChange } from '../workspace/watcher';
import { ApiIndex } from './api-index';
import { defaultWorkerCount, extractAll, ExtractJob, extractFile, ExtractResult } from './extract-pool';
import { CacheChange, CachedFile } from './persistence';
import { compactEntry, SharedStringsPool, StringPool } from './compact-entry';
import { spillPacked } from './snippets';
import { CacheFolder } from './cache-folder';

export { SERVER_VERSION } from '../version';
import { SERVER_VERSION } from '../version';

export interface IndexStats {
  files: number;
  /** Files whose entry came from the cache without reading (unchanged size and mtime). */
  reused: number;
  /** Files read but not re-extracted (same hash). */
  sameHash: number;
  /** Files read and extracted. */
  extracted: number;
  cache: 'loaded' | 'absent' | 'rebuilt';
  ms: number;
  problems: Problem[];
}

export interface IndexerOptions {
  root: string;
  settings: Settings;
  editor: Editor;
  /** Persist to the cache folder (the CLI's `--no-cache` turns it off). */
  persist: boolean;
  /** The cache folder (its owner); by default the one `index.cacheDir` names. */
  cache?: CacheFolder;
  /** Threads that read and extract files in a full index; 1 stays in-process. Default: one per core, at most 4. */
  workers?: number;
  /** Fewest files to read before a full index starts threads (below it their start-up costs more than it saves). */
  poolThreshold?: number;
  /** Files per batch handed to a thread (tests make it small to see batches arrive). */
  batchSize?: number;
}

/** Below this many files to read, starting worker threads costs more than it saves. */
export const POOL_THRESHOLD = 500;

/** Problems of the walk logged one per line; the rest are counted. */
const SCAN_PROBLEMS_LOGGED = 10;

/** Progress is reported each time this many more files are done. */
const PROGRESS_STEP = 200;

function byPath(a: FileEntry, b: FileEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The change log is folded into a rewritten index once it holds more changes than this share of the files (and at least LOG_MIN). */
const LOG_SHARE = 0.25;
const LOG_MIN = 2000;

export class Indexer {
  private cached = new Map<string, CachedFile>();
  /** Files whose entry changed (null: gone) since the cache was last written. */
  private dirty = new Map<string, CachedFile | null>();
  /** The index file on disk that changes are appended after; undefined: the next save writes it whole. */
  private base?: string;
  /** Changes in the log on disk; none means the next append starts the log over. */
  private logChanges = 0;
  private saveTimer?: NodeJS.Timeout;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly index: ApiIndex,
    private readonly opts: IndexerOptions,
  ) {}

  get root(): string {
    return this.opts.root;
  }

  /** The cache folder in use; undefined when not persisting or when the setting names no usable folder. */
  private get cache(): CacheFolder | undefined {
    if (!this.opts.persist) return undefined;
    if (this.opts.cache) return this.opts.cache;
    if (this.resolvedCache === undefined) {
      const r = CacheFolder.resolve(this.opts.root, this.opts.settings['index.cacheDir']);
      if (!r.ok) this.opts.editor.log('warn', `${r.error}; the index is kept in memory only`);
      this.resolvedCache = r.ok ? r.folder : null;
    }
    return this.resolvedCache ?? undefined;
  }

  private resolvedCache?: CacheFolder | null;

  /**
   * A warning line, for callbacks kept past a pass: a closure made in `indexAll` would keep its
   * whole scope alive with it (the walk's list of files among it, 6 MB at 10,000 Script Includes).
   */
  private readonly warn = (message: string): void => this.opts.editor.log('warn', message);

  /** Indexes the whole workspace, reusing the cache; reports progress as files are done. */
  async indexAll(onProgress?: (done: number, total: number) => void): Promise<IndexStats> {
    const started = performance.now();
    const { editor, settings } = this.opts;
    let cacheState: IndexStats['cache'] = 'absent';
    // One pool per pass: the entries of this pass share their repeated strings.
    const pool = new StringPool();
    const cache = this.cache;
    // The walk (on a thread of its own, its stat calls on libuv's) and the cache load (parsing,
    // on this one) go on at once: on a warm start at 10,000 Script Includes each is about half a
    // second, and the walk's callbacks no longer take turns with the parse.
    const walking = scanInWorker(this.opts.root, { exclude: settings['index.exclude'], allowOutside: settings['index.allowOutside'] }, (why) =>
      editor.log('warn', `the workspace was walked on the server's own thread: ${why}`),
    );
    // Handled where it is awaited below; this only keeps an early failure from counting as unhandled.
    walking.catch(() => undefined);
    if (cache) {
      const refused = await cache.prepare();
      if (refused) editor.log('warn', `${refused}; the index is kept in memory only`);
      else this.index.packs.useFolder(cache.dir, this.warn);
      const packs = this.index.packs;
      // The cache's strings arrive once each, so its entries need only their empty lists shared.
      // They are not added to the pool: interning 200,000 strings cost a tenth of a warm start at
      // 10,000 Script Includes, to share them with the few files read again.
      const shared = new SharedStringsPool(pool.values);
      const load = await cache.loadIndex({
        packs,
        each: (entry, fromBase) => {
          compactEntry(entry, fromBase ? shared : pool);
          spillPacked(entry, packs);
        },
      });
      if (load.status === 'loaded') {
        this.cached = load.files;
        cacheState = 'loaded';
        this.base = load.base;
        // A log read only in part is started over at the next append (what it lost is re-read by stat).
        this.logChanges = load.logNote ? 0 : load.changes;
        if (load.logNote) editor.log('info', `index cache at ${cache.dir}: ${load.logNote}`);
      } else if (load.status === 'unreadable') {
        editor.log('warn', `index cache at ${cache.dir} is unreadable (${load.reason}); rebuilding it`);
        cacheState = 'rebuilt';
      }
    }
    const scan = await walking;
    // What the walk could not follow or read is said, a line each for the first few.
    const shown = scan.problems.filter((p) => p.severity !== 'info');
    for (const p of shown.slice(0, SCAN_PROBLEMS_LOGGED)) editor.log('warn', `${p.path || this.opts.root}: ${p.message}`);
    if (shown.length > SCAN_PROBLEMS_LOGGED) editor.log('warn', `${shown.length - SCAN_PROBLEMS_LOGGED} more files or folders could not be walked (deepcodeseek index lists them)`);
    const stats: IndexStats = { files: scan.files.length, reused: 0, sameHash: 0, extracted: 0, cache: cacheState, ms: 0, problems: [...scan.problems] };
    const total = scan.files.length;
    // Size/mtime reuse is decided here; only the files left to read go to extraction.
    const slots = new Array<CachedFile | undefined>(total);
    const toRead: number[] = [];
    const priors: Array<CachedFile | undefined> = [];
    const jobs: ExtractJob[] = [];
    scan.files.forEach((file, i) => {
      const prior = this.cached.get(file.path);
      if (prior && isUnchangedOnDisk(prior, file)) {
        stats.reused++;
        slots[i] = prior;
      } else {
        toRead.push(i);
        priors.push(prior);
        jobs.push({ path: file.path, priorHash: prior?.entry.hash });
      }
    });
    let done = 0;
    // Results arrive a batch at a time, so progress fires on crossing each step, not on multiples.
    const report = (count: number): void => {
      if (count === 0) return;
      const before = done;
      done += count;
      if (onProgress && (Math.floor(before / PROGRESS_STEP) !== Math.floor(done / PROGRESS_STEP) || done === total)) onProgress(done, total);
    };
    report(stats.reused);
    // The first index answers while it is read: the files the cache vouches for go in at once,
    // the others as their batches arrive. A re-index swaps the whole set at the end, as before.
    const progressive = this.index.fileCount === 0;
    // In path order, so that when every file was reused the final ordering below has nothing to do.
    if (progressive) this.index.setFiles(slots.flatMap((x) => (x ? [x.entry] : [])).sort(byPath));
    const settleBatch = (start: number, got: readonly ExtractResult[]): void => {
      const entries: FileEntry[] = [];
      got.forEach((result, i) => {
        const k = start + i;
        const settled = this.settle(scan.files[toRead[k]], result, priors[k], stats);
        // A fresh extraction brings its own copies; an unchanged file keeps its compacted prior.
        if (settled && result.kind === 'extracted') {
          compactEntry(settled.entry, pool);
          spillPacked(settled.entry, this.index.packs);
        }
        slots[toRead[k]] = settled;
        if (settled) entries.push(settled.entry);
      });
      if (progressive && entries.length) this.index.setFiles(entries);
    };
    const pooled = jobs.length >= (this.opts.poolThreshold ?? POOL_THRESHOLD);
    const results = await extractAll({
      root: this.opts.root,
      jobs,
      maxFileSize: settings['index.maxFileSize'],
      workers: pooled ? (this.opts.workers ?? defaultWorkerCount()) : 1,
      ...(this.opts.batchSize ? { batchSize: this.opts.batchSize } : {}),
      log: (message) => editor.log('warn', message),
      onResults: report,
      // Settled against the prior each job was built from, even if an edit replaced it meanwhile.
      onBatch: settleBatch,
    });
    if (results.length !== jobs.length) throw new Error(`extraction returned ${results.length} of ${jobs.length} results`);
    const entries: FileEntry[] = [];
    const fresh = new Map<string, CachedFile>();
    for (let i = 0; i < total; i++) {
      const result = slots[i];
      if (!result) continue;
      entries.push(result.entry);
      // Keyed by the entry's own path string (the same text as the walk's): a key of its own per
      // file was 2.8 MB at 10,000 Script Includes.
      fresh.set(result.entry.path, result);
    }
    entries.sort(byPath);
    const stale = this.index.paths().filter((p) => !fresh.has(p));
    this.index.removeFiles(stale);
    // Files arrived in whatever order the workers finished; ranking ties follow the index's
    // order, so it is put back in path order, as a re-index sets it.
    if (progressive) this.index.putInOrder(entries);
    else this.index.setFiles(entries);
    for (const p of this.cached.keys()) if (!fresh.has(p)) this.markDirty(p, null);
    for (const i of toRead) if (slots[i]) this.markDirty(scan.files[i].path, slots[i]!);
    this.cached = fresh;
    stats.ms = performance.now() - started;
    if (cacheState !== 'loaded') this.base = undefined;
    if (this.opts.persist && (this.dirty.size > 0 || !this.base)) await this.save();
    return stats;
  }

  /**
   * Applies file changes (from the client's watcher, saves, or our own watcher). Each changed
   * path is re-read alone; Fluent files that include a changed file are re-read too.
   */
  async applyChanges(changes: readonly FileChange[]): Promise<{ updated: string[]; removed: string[] }> {
    const exclude = new Set(this.opts.settings['index.exclude']);
    const updated = new Set<string>();
    const removed = new Set<string>();
    for (const change of changes) {
      const rel = change.path;
      if (rel.split('/').some((seg) => exclude.has(seg))) continue;
      if (change.kind === 'deleted') removed.add(rel);
      else updated.add(rel);
      for (const claimant of this.index.claimantsOf(rel)) updated.add(claimant);
    }
    for (const rel of removed) updated.delete(rel);
    const entries: FileEntry[] = [];
    const stats: IndexStats = { files: 0, reused: 0, sameHash: 0, extracted: 0, cache: 'loaded', ms: 0, problems: [] };
    for (const rel of updated) {
      // A changed path comes from the client or a watcher: like the walk, follow it only when it
      // really lies in the workspace (a new link to /etc is not read).
      if (!(await this.liesInside(rel))) {
        this.opts.editor.log('warn', `${rel}: leads outside the workspace; not read`);
        removed.add(rel);
        continue;
      }
      const result = await this.readOne({ path: rel, size: -1, mtimeMs: -1 }, stats);
      if (result) {
        entries.push(result.entry);
        this.cached.set(result.entry.path, result);
        this.markDirty(rel, result);
      } else {
        removed.add(rel);
      }
    }
    const gone = [...removed].filter((p) => this.index.file(p));
    for (const rel of removed) {
      if (this.cached.delete(rel)) this.markDirty(rel, null);
    }
    if (gone.length) this.index.removeFiles(gone);
    if (entries.length) this.index.setFiles(entries);
    if (entries.length || gone.length) this.scheduleSave();
    return { updated: entries.map((e) => e.path), removed: gone };
  }

  /** Whether a workspace path's real location is in the workspace (or a folder `index.allowOutside` names); a missing file counts as inside. */
  private async liesInside(rel: string): Promise<boolean> {
    const abs = path.join(this.opts.root, ...rel.split('/'));
    const real = await fs.realpath(abs).catch(() => undefined);
    if (real === undefined) return true;
    const bases: string[] = [];
    for (const dir of [this.opts.root, ...this.opts.settings['index.allowOutside']]) {
      const base = await fs.realpath(dir).catch(() => undefined);
      if (base) bases.push(base);
    }
    return isWithinAny(real, bases);
  }

  /** Reads and extracts one file in-process (an edit: latency matters more than throughput). */
  private async readOne(file: ScannedFile, stats: IndexStats): Promise<CachedFile | undefined> {
    const prior = this.cached.get(file.path);
    const result = await extractFile(this.opts.root, { path: file.path, priorHash: prior?.entry.hash }, { maxFileSize: this.opts.settings['index.maxFileSize'] });
    return this.settle(file, result, prior, stats);
  }

  /**
   * What the index keeps for a file that was read: nothing if it is gone, the prior entry if its
   * hash is unchanged, else the new entry.
   */
  private settle(file: ScannedFile, result: ExtractResult, prior: CachedFile | undefined, stats: IndexStats): CachedFile | undefined {
    switch (result.kind) {
      case 'gone':
        return undefined;
      case 'unchanged':
        if (prior && prior.entry.hash === result.hash) {
          stats.sameHash++;
          return { entry: prior.entry, size: file.size, mtimeMs: file.mtimeMs };
        }
        // Jobs carry the hash of the prior they are settled against, so this cannot happen;
        // dropping the file is safe because the next change or start re-reads it.
        return undefined;
      case 'extracted':
        stats.extracted++;
        for (const p of result.entry.problems) if (p.severity !== 'info') this.opts.editor.log('debug', `${p.path}: ${p.message}`);
        return { entry: result.entry, size: file.size, mtimeMs: file.mtimeMs };
    }
  }

  /** Notes a file to write at the next save (only when the index is persisted at all). */
  private markDirty(path: string, file: CachedFile | null): void {
    if (this.opts.persist) this.dirty.set(path, file);
  }

  private scheduleSave(): void {
    if (!this.cache) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, 1500);
    this.saveTimer.unref?.();
  }

  /** Writes the cache now (serialised: one write at a time). */
  save(): Promise<void> {
    const cache = this.cache;
    if (!cache) return this.saving;
    this.saving = this.saving
      .then(async () => {
        // A refused folder was said once, when indexing started.
        if (await cache.prepare()) return;
        const changes: CacheChange[] = [...this.dirty].map(([p, f]) => f ?? { gone: p });
        this.dirty.clear();
        if (this.base && this.logChanges + changes.length <= Math.max(LOG_MIN, LOG_SHARE * this.cached.size)) {
          if (!changes.length) return;
          await cache.appendIndexChanges(this.base, changes, this.logChanges === 0, this.index.packs);
          this.logChanges += changes.length;
          return;
        }
        this.base = await cache.saveIndex(this.cached.values(), SERVER_VERSION, this.index.packs);
        this.logChanges = 0;
      })
      .catch((err) => {
        // What was not written is a file whose stat no longer matches its saved entry: read again
        // at the next start. The next save writes the whole index.
        this.base = undefined;
        this.opts.editor.log('warn', `could not write the index cache in ${cache.dir}: ${(err as Error).message}`);
      });
    return this.saving;
  }

  /** Flushes a pending save (on shutdown). */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      await this.save();
    }
    await this.saving;
  }
}

/**
 * A cached file whose size and mtime match needs no read. A file with Fluent includes is always
 * read, because an included file can change without the including file's stat changing.
 */
function isUnchangedOnDisk(prior: CachedFile, file: ScannedFile): boolean {
  return prior.size === file.size && prior.mtimeMs === file.mtimeMs && prior.entry.includes.length === 0;
}

export { buildEntry } from './extract-pool';

/** A summary of the index for `deepcodeseek index` and the bench. */
export interface IndexReport {
  root: string;
  files: number;
  layouts: Record<string, { files: number; scriptIncludes: number; callers: number }>;
  scriptIncludes: { total: number; active: number; byKind: Partial<Record<ScriptIncludeKind, number>>; byScope: Record<string, number>; methods: number; withJsDoc: number; clientCallable: number };
  callSites: { total: number; resolved: number; byForm: Record<string, number> };
  callers: Record<string, number>;
  graph: { packages: number; scopes: number };
  problems: { total: number; bySeverity: Record<string, number>; first: Problem[] };
  timing: { ms: number; reused: number; sameHash: number; extracted: number; cache: IndexStats['cache'] };
}

export function reportIndex(index: ApiIndex, stats: IndexStats, root: string): IndexReport {
  const layouts: IndexReport['layouts'] = {};
  const si: IndexReport['scriptIncludes'] = { total: 0, active: 0, byKind: {}, byScope: {}, methods: 0, withJsDoc: 0, clientCallable: 0 };
  const calls: IndexReport['callSites'] = { total: 0, resolved: 0, byForm: {} };
  const callers: Record<string, number> = {};
  const problems: Problem[] = [...stats.problems];
  const packages = new Set<string>();
  const scopes = new Set<string>();
  for (const entry of index.visibleFiles()) {
    const l = (layouts[entry.layout] ??= { files: 0, scriptIncludes: 0, callers: 0 });
    l.files++;
    l.scriptIncludes += entry.scriptIncludes.length;
    l.callers += entry.callers.length;
    problems.push(...entry.problems);
    for (const s of entry.scriptIncludes) {
      si.total++;
      if (s.active) si.active++;
      si.byKind[s.kind] = (si.byKind[s.kind] ?? 0) + 1;
      si.byScope[s.scope] = (si.byScope[s.scope] ?? 0) + 1;
      si.methods += s.methods.length;
      if (s.jsdoc || s.methods.some((m) => m.jsdoc)) si.withJsDoc++;
      if (s.clientCallable) si.clientCallable++;
      packages.add(s.package || s.scope);
      scopes.add(s.scope);
    }
    for (const c of entry.callers) callers[c.table] = (callers[c.table] ?? 0) + 1;
    for (const site of entry.callSites) {
      calls.total++;
      if (!index.targetOf(site)) continue;
      calls.resolved++;
      calls.byForm[site.form] = (calls.byForm[site.form] ?? 0) + 1;
    }
  }
  const bySeverity: Record<string, number> = {};
  for (const p of problems) bySeverity[p.severity] = (bySeverity[p.severity] ?? 0) + 1;
  return {
    root,
    files: stats.files,
    layouts,
    scriptIncludes: si,
    callSites: calls,
    callers,
    graph: { packages: packages.size, scopes: scopes.size },
    problems: { total: problems.length, bySeverity, first: problems.slice(0, 20) },
    timing: { ms: Math.round(stats.ms), reused: stats.reused, sameHash: stats.sameHash, extracted: stats.extracted, cache: stats.cache },
  };
}

