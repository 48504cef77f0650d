/**
 * Fills and updates the ApiIndex from disk: scan the workspace, read each file into records
 * (workspace/), extract Script Includes and call sites (syntax/), and store one FileEntry per file.
 * On start it reuses the persisted cache: a file whose size and mtime are unchanged is not read;
 * one whose bytes hash the same is not re-extracted.
 *
 * This is an edge module (it does I/O through workspace/ and persistence); the analysis it calls
 * does none.
 */
import * as path from 'path';
import { FileEntry, Problem, ScriptIncludeKind } from '../model';
import { Settings } from '../config';
import { Editor } from '../editor';
import { extractRecord } from '../syntax/extract';
import { scanWorkspace, ScannedFile } from '../workspace/scan';
import { readWorkspaceFile, ReadResult } from '../workspace/read';
import { FileChange } from '../workspace/watcher';
import { ApiIndex } from './api-index';
import { CachedFile, cacheDirFor, loadCache, saveCache } from './persistence';

export const SERVER_VERSION = '0.1.0';

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
}

/** How many files are read at once: enough to overlap I/O, few enough to bound memory. */
const READ_CONCURRENCY = 16;

export class Indexer {
  private cached = new Map<string, CachedFile>();
  private saveTimer?: NodeJS.Timeout;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly index: ApiIndex,
    private readonly opts: IndexerOptions,
  ) {}

  get root(): string {
    return this.opts.root;
  }

  private get cacheDir(): string {
    return cacheDirFor(this.opts.root, this.opts.settings['index.cacheDir']);
  }

  /** Indexes the whole workspace, reusing the cache; reports progress as files are done. */
  async indexAll(onProgress?: (done: number, total: number) => void): Promise<IndexStats> {
    const started = performance.now();
    const { editor, settings } = this.opts;
    let cacheState: IndexStats['cache'] = 'absent';
    if (this.opts.persist) {
      const load = await loadCache(this.cacheDir);
      if (load.status === 'loaded') {
        this.cached = load.files;
        cacheState = 'loaded';
      } else if (load.status === 'unreadable') {
        editor.log('warn', `index cache at ${this.cacheDir} is unreadable (${load.reason}); rebuilding it`);
        cacheState = 'rebuilt';
      }
    }
    const scan = await scanWorkspace(this.opts.root, { exclude: settings['index.exclude'] });
    const stats: IndexStats = { files: scan.files.length, reused: 0, sameHash: 0, extracted: 0, cache: cacheState, ms: 0, problems: [...scan.problems] };
    const entries: FileEntry[] = [];
    const fresh = new Map<string, CachedFile>();
    let done = 0;
    await forEachLimited(scan.files, READ_CONCURRENCY, async (file) => {
      const result = await this.entryFor(file, stats);
      if (result) {
        entries.push(result.entry);
        fresh.set(file.path, result);
      }
      done++;
      if (onProgress && (done % 200 === 0 || done === scan.files.length)) onProgress(done, scan.files.length);
    });
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const stale = this.index.paths().filter((p) => !fresh.has(p));
    this.index.removeFiles(stale);
    this.index.setFiles(entries);
    this.cached = fresh;
    stats.ms = performance.now() - started;
    if (this.opts.persist && (stats.extracted > 0 || stats.sameHash > 0 || cacheState !== 'loaded' || stale.length > 0)) {
      await this.save();
    }
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
      const result = await this.entryFor({ path: rel, size: -1, mtimeMs: -1 }, stats, true);
      if (result) {
        entries.push(result.entry);
        this.cached.set(rel, result);
      } else {
        removed.add(rel);
      }
    }
    const gone = [...removed].filter((p) => this.index.file(p));
    for (const rel of removed) this.cached.delete(rel);
    if (gone.length) this.index.removeFiles(gone);
    if (entries.length) this.index.setFiles(entries);
    if (entries.length || gone.length) this.scheduleSave();
    return { updated: entries.map((e) => e.path), removed: gone };
  }

  /** Reads and extracts one file, or reuses what the cache has for it. */
  private async entryFor(file: ScannedFile, stats: IndexStats, forceRead = false): Promise<CachedFile | undefined> {
    const prior = this.cached.get(file.path);
    if (!forceRead && prior && prior.size === file.size && prior.mtimeMs === file.mtimeMs && prior.entry.includes.length === 0) {
      stats.reused++;
      return prior;
    }
    const read = await readWorkspaceFile(this.opts.root, file.path, { maxFileSize: this.opts.settings['index.maxFileSize'] });
    if (read.layout === undefined || (read.records.length === 0 && isGone(read))) return undefined;
    if (prior && prior.entry.hash === read.hash) {
      stats.sameHash++;
      return { entry: prior.entry, size: file.size, mtimeMs: file.mtimeMs };
    }
    stats.extracted++;
    const entry = buildEntry(file.path, read);
    for (const p of entry.problems) if (p.severity !== 'info') this.opts.editor.log('debug', `${p.path}: ${p.message}`);
    return { entry, size: file.size, mtimeMs: file.mtimeMs };
  }

  private scheduleSave(): void {
    if (!this.opts.persist) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, 1500);
    this.saveTimer.unref?.();
  }

  /** Writes the cache now (serialised: one write at a time). */
  save(): Promise<void> {
    this.saving = this.saving
      .then(() => saveCache(this.cacheDir, this.cached.values(), SERVER_VERSION))
      .catch((err) => this.opts.editor.log('warn', `could not write the index cache in ${this.cacheDir}: ${(err as Error).message}`));
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

/** A read that failed because the file is no longer there. */
function isGone(read: ReadResult): boolean {
  return read.problems.some((p) => /ENOENT|no longer exists|not found/i.test(p.message));
}

/** Turns the records of one file into its index entry. */
export function buildEntry(relPath: string, read: ReadResult): FileEntry {
  const entry: FileEntry = {
    path: relPath,
    hash: read.hash,
    layout: read.layout,
    scriptIncludes: [],
    callSites: [],
    callers: [],
    problems: [...read.problems],
    includes: [...read.includes],
  };
  for (const record of read.records) {
    const x = extractRecord(record, relPath);
    entry.scriptIncludes.push(...x.scriptIncludes);
    entry.callSites.push(...x.callSites);
    if (x.caller) entry.callers.push(x.caller);
    entry.problems.push(...x.problems);
  }
  return entry;
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]);
    }
  });
  await Promise.all(workers);
}

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

/** Converts an absolute file path or file URI under `root` to the index's relative form. */
export function toRelative(root: string, fsPath: string): string | undefined {
  const rel = path.relative(root, fsPath);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
