/**
 * Finds the workspace files the readers handle. The walk follows symbolic links (monorepos link
 * app folders in) but visits each real folder once, so link loops end, and never follows a link
 * whose real path leaves the workspace (a link to `/` must not index the disk), unless the
 * settings name that outside folder; anything it cannot read becomes a Problem and the walk goes on.
 */
import { Dirent, readdir, realpath, stat, Stats } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Problem } from '../model';
import { runWorkerJob } from '../worker-job';
import { fileKindOf } from './classify';

/**
 * The callback forms, promisified: `fs.promises` spends about 13 µs of this thread per call on
 * its own machinery, which at 33,000 files was 450 ms of a warm start against 180 ms this way.
 */
const fs = { stat: promisify(stat), readdir: promisify(readdir), realpath: promisify(realpath) };

export interface ScannedFile {
  /** Workspace-relative, `/` separators. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface ScanOptions {
  /** Folder names never walked (in addition to node_modules, .git and .deepcodeseek). */
  exclude: string[];
  /** Stop after this many files (a Problem says so). */
  maxFiles?: number;
  /** Folders outside the workspace that links may lead into (absolute paths). */
  allowOutside?: readonly string[];
}

/** Folders no workspace wants indexed, whatever the settings say. */
export const ALWAYS_EXCLUDED: readonly string[] = ['node_modules', '.git', '.deepcodeseek'];

/** Folders read at the same time; enough to hide latency, few enough to stay clear of EMFILE. */
const CONCURRENCY = 16;

/**
 * Files stat'ed at the same time, across the walk. Issuing a folder's thousand stats at once
 * queued them all on libuv's four threads, ahead of the index cache's reads (a warm start read
 * its cache only once the walk was over), and held a thousand promises each; 64 at a time keeps
 * the threads busy and the rest of the server's file reads close to the front.
 */
const STAT_CONCURRENCY = 64;

/** Stats of this process waiting for a slot, oldest first (`head` is the next to start). */
class StatQueue {
  private inFlight = 0;
  private waiting: Array<() => void> = [];
  private head = 0;

  /** Calls `done` with the file's stat once a slot is free and the stat is back. */
  stat(abs: string, done: (err: NodeJS.ErrnoException | null, st?: Stats) => void): void {
    const start = (): void => {
      this.inFlight++;
      stat(abs, (err, st) => {
        this.inFlight--;
        this.next();
        done(err, st);
      });
    };
    if (this.inFlight < STAT_CONCURRENCY) start();
    else this.waiting.push(start);
  }

  private next(): void {
    if (this.head >= this.waiting.length) return;
    const start = this.waiting[this.head++];
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    }
    start();
  }
}
const statQueue = new StatQueue();

/** Whether the readers handle this file: `.js`, `.xml`, `.now.ts`, `now.config.json`. */
export function isCandidateFile(relPath: string): boolean {
  return fileKindOf(relPath) !== undefined;
}

/** Whether a real path is one of `bases` or lies under one (all real paths). */
export function isWithinAny(real: string, bases: readonly string[]): boolean {
  return bases.some((b) => real === b || real.startsWith(b.endsWith(path.sep) ? b : b + path.sep));
}

/** The set of excluded folder names for a settings list. */
export function excludedNames(exclude: readonly string[]): Set<string> {
  return new Set([...ALWAYS_EXCLUDED, ...exclude]);
}

/** What a walk found: the files sorted by path, and what it could not follow or read. */
export interface ScanResult {
  files: ScannedFile[];
  problems: Problem[];
}

/** Walks the workspace. Never throws; files come back sorted by path. */
export async function scanWorkspace(root: string, opts: ScanOptions): Promise<ScanResult> {
  const files: ScannedFile[] = [];
  const problems: Problem[] = [];
  let rootReal: string;
  try {
    rootReal = await fs.realpath(root);
    if (!(await fs.stat(rootReal)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (err) {
    problems.push({ path: '', message: `workspace folder ${root} cannot be read: ${codeOf(err)}`, severity: 'error' });
    return { files, problems };
  }

  const allowed: string[] = [rootReal];
  for (const dir of opts.allowOutside ?? []) {
    const real = await fs.realpath(dir).catch(() => undefined);
    if (real) allowed.push(real);
  }
  const inside = (real: string) => isWithinAny(real, allowed);
  /** A link that leads out of the workspace: not followed, said once. */
  const leaves = async (abs: string, rel: string): Promise<boolean> => {
    const real = await fs.realpath(abs).catch(() => undefined);
    if (real === undefined || inside(real)) return false;
    problems.push({ path: rel, message: `link leads outside the workspace (${real}); not followed (index.allowOutside names folders it may lead to)`, severity: 'warning' });
    return true;
  };
  const excluded = excludedNames(opts.exclude);
  const maxFiles = opts.maxFiles ?? Infinity;
  const visited = new Set<string>([rootReal]);
  let queue: string[] = [''];
  let linkedDirs: string[] = [];
  let truncated = false;

  const walkDir = async (relDir: string): Promise<void> => {
    const absDir = path.join(root, ...relDir.split('/').filter(Boolean));
    let entries: Dirent[];
    try {
      entries = await fs.readdir(absDir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: relDir, message: `folder cannot be read: ${codeOf(err)}`, severity: 'warning' });
      return;
    }
    // Plain files, the bulk of a large workspace, are stat'ed through the bounded pool below;
    // folders and links take the slower path that resolves them.
    const plain: string[] = [];
    const others: Promise<void>[] = [];
    for (const e of entries) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.name.includes('\uFFFD')) {
        // Node reads names as UTF-8; a name that is not cannot be opened again by its string.
        problems.push({ path: rel, message: 'name is not valid UTF-8; skipped', severity: 'warning' });
      } else if (e.isFile()) {
        if (isCandidateFile(rel)) plain.push(rel);
      } else others.push(visitEntry(rel, path.join(absDir, e.name), e));
    }
    await Promise.all([...others, statFiles(plain, absDir)]);
  };

  /** Lists the files of one folder with their size and time; one that cannot be stat'ed is a Problem. */
  const statFiles = (rels: readonly string[], absDir: string): Promise<void> =>
    new Promise<void>((resolve) => {
      let pending = rels.length;
      if (pending === 0) return resolve();
      for (const rel of rels) {
        if (files.length >= maxFiles) {
          truncated = true;
          if (--pending === 0) resolve();
          continue;
        }
        statQueue.stat(path.join(absDir, rel.slice(rel.lastIndexOf('/') + 1)), (err, st) => {
          if (err || !st) problems.push({ path: rel, message: `file cannot be read: ${codeOf(err)}`, severity: 'warning' });
          else listFile(rel, st);
          if (--pending === 0) resolve();
        });
      }
    });

  const listFile = (rel: string, st: Stats): void => {
    if (files.length >= maxFiles) truncated = true;
    else files.push({ path: rel, size: st.size, mtimeMs: st.mtimeMs });
  };

  const visitEntry = async (rel: string, abs: string, entry: Dirent): Promise<void> => {
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = await fs.stat(abs);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        // A dangling link is common (a deleted build output) and harmless: nothing to index.
        return;
      }
      if ((isDir || isFile) && !excluded.has(entry.name) && (await leaves(abs, rel))) return;
      if (isDir) {
        // Linked folders wait until every real folder is walked, so a file reached both ways is
        // always listed under its real path, whatever order the disk answers in.
        if (!excluded.has(entry.name)) linkedDirs.push(rel);
        return;
      }
    }
    if (isDir) {
      if (excluded.has(entry.name)) return;
      const real = await realpathOrProblem(abs, rel);
      if (real === undefined || visited.has(real)) return;
      visited.add(real);
      queue.push(rel);
      return;
    }
    if (!isFile || !isCandidateFile(rel)) return;
    if (files.length >= maxFiles) {
      truncated = true;
      return;
    }
    try {
      listFile(rel, await fs.stat(abs));
    } catch (err) {
      problems.push({ path: rel, message: `file cannot be read: ${codeOf(err)}`, severity: 'warning' });
    }
  };

  const realpathOrProblem = async (abs: string, rel: string): Promise<string | undefined> => {
    try {
      return await fs.realpath(abs);
    } catch (err) {
      problems.push({ path: rel, message: `folder cannot be resolved: ${codeOf(err)}`, severity: 'warning' });
      return undefined;
    }
  };

  // A small pool of workers drains the folder queue; each folder adds its subfolders to it.
  const drainQueue = (): Promise<void> =>
    new Promise<void>((resolve) => {
      let active = 0;
      const pump = (): void => {
        while (active < CONCURRENCY && queue.length > 0 && !truncated) {
          const dir = queue.shift()!;
          active++;
          void walkDir(dir)
            .catch(() => undefined)
            .finally(() => {
              active--;
              pump();
            });
        }
        if (active === 0 && (queue.length === 0 || truncated)) resolve();
      };
      pump();
    });

  // Real folders first, then linked ones in name order (each real folder once: loops end).
  for (;;) {
    await drainQueue();
    if (truncated || linkedDirs.length === 0) break;
    const links = linkedDirs.sort();
    linkedDirs = [];
    queue = [];
    for (const rel of links) {
      const real = await realpathOrProblem(path.join(root, ...rel.split('/')), rel);
      if (real === undefined || visited.has(real)) continue;
      visited.add(real);
      queue.push(rel);
    }
  }

  if (truncated) {
    problems.push({ path: '', message: `more than ${maxFiles} files in the workspace; the rest were not indexed`, severity: 'warning' });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems };
}

function codeOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? e?.message ?? String(err);
}

/** What the walk's thread is asked: the same arguments as `scanWorkspace`. */
export interface ScanRequest {
  root: string;
  opts: ScanOptions;
}

/**
 * A walk's files as columns, the form in which they cross from the walk's thread: two typed
 * arrays (moved, not copied) and one list of strings, instead of 30,000 objects to be copied
 * field by field into the server's heap.
 */
export interface PackedScan {
  paths: string[];
  sizes: Float64Array;
  mtimes: Float64Array;
  problems: Problem[];
}

export function packScan(scan: ScanResult): PackedScan {
  const n = scan.files.length;
  const sizes = new Float64Array(n);
  const mtimes = new Float64Array(n);
  const paths = new Array<string>(n);
  scan.files.forEach((f, i) => {
    paths[i] = f.path;
    sizes[i] = f.size;
    mtimes[i] = f.mtimeMs;
  });
  return { paths, sizes, mtimes, problems: scan.problems };
}

/** The walk back from its columns; undefined when they are not what `packScan` makes. */
export function unpackScan(packed: unknown): ScanResult | undefined {
  const p = packed as Partial<PackedScan> | null;
  if (!p || !Array.isArray(p.paths) || !(p.sizes instanceof Float64Array) || !(p.mtimes instanceof Float64Array) || !Array.isArray(p.problems)) return undefined;
  const n = p.paths.length;
  if (p.sizes.length !== n || p.mtimes.length !== n) return undefined;
  const files = new Array<ScannedFile>(n);
  for (let i = 0; i < n; i++) {
    const rel = p.paths[i];
    if (typeof rel !== 'string') return undefined;
    files[i] = { path: rel, size: p.sizes[i], mtimeMs: p.mtimes[i] };
  }
  return { files, problems: p.problems };
}

/**
 * `scanWorkspace` on a thread of its own. A warm start at 10,000 Script Includes stats 30,000
 * files while it parses its index cache: each stat's callback, and the sort, cost this thread
 * 150-200 ms on its own, which the walk's thread now spends beside the parse. When the thread
 * cannot run the walk (its script missing, a failure to start), the walk runs here, and `note`
 * says why.
 */
export async function scanInWorker(root: string, opts: ScanOptions, note?: (why: string) => void): Promise<ScanResult> {
  const job = await runWorkerJob<ScanRequest, PackedScan>(path.join(__dirname, 'scan-worker.js'), { root, opts }, 'workspace walk');
  const scan = job.ok ? unpackScan(job.reply) : undefined;
  if (scan) return scan;
  note?.(job.ok ? 'the workspace walk sent back a malformed list' : job.error);
  return scanWorkspace(root, opts);
}
