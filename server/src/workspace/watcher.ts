/**
 * The server's own recursive file watcher, for clients that cannot watch files (Neovim before
 * 0.9, for one). One `fs.watch` per directory, never per file: a directory's watch reports what
 * happens to the entries in it (inotify on Linux). chokidar, used before, watched every file on
 * its own and kept a stat of each: at 10,000 Script Includes, 30,000 watches (past many systems'
 * inotify limit) and about 100 MB of the server's memory. @parcel/watcher watches directories
 * too, but after a folder was renamed it reported later changes under the folder's old name.
 *
 * Each watched directory keeps the names of the candidate files and subdirectories it holds, so
 * an event is judged by looking at the entry: a file that is new is created, one that was known
 * changed, a name that is gone deleted (with everything known under it, for a directory); a new
 * directory is walked and watched. A renamed folder is one gone and one new. Links are never
 * followed. Bursts of events (an editor's atomic save is delete + create, or several changes)
 * become one change per path per batch.
 */
import { Dirent, promises as fsp, Stats, watch as fsWatch, FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { excludedNames, isCandidateFile } from './scan';

export type FileChangeKind = 'created' | 'changed' | 'deleted';

export interface FileChange {
  kind: FileChangeKind;
  /** Workspace-relative, `/` separators. */
  path: string;
}

export interface WatchOptions {
  /** Folder names never watched (in addition to node_modules, .git and .deepcodeseek). */
  exclude: string[];
  /** Quiet time that ends a batch, in milliseconds. */
  batchMs?: number;
  /** Called with watcher errors (a folder that cannot be watched); they never stop the watcher. */
  onError?: (message: string) => void;
}

export interface WorkspaceWatcher {
  close(): Promise<void>;
  /** Resolves once the initial walk is done and events are being reported. */
  ready: Promise<void>;
}

/** A batch never waits longer than this after its first event, however busy the disk. */
const MAX_BATCH_WAIT_MS = 250;

/**
 * Merges the events of one batch into one change per path, in first-seen order: what the path
 * is at the end of the batch compared with before it.
 */
export function coalesceChanges(events: readonly FileChange[]): FileChange[] {
  const first = new Map<string, FileChangeKind>();
  const last = new Map<string, FileChangeKind>();
  for (const e of events) {
    if (!first.has(e.path)) first.set(e.path, e.kind);
    last.set(e.path, e.kind);
  }
  const out: FileChange[] = [];
  for (const [p, start] of first) {
    const end = last.get(p)!;
    // Gone at the end: deleted. Present at the end: new if it first appeared in this batch, else
    // changed (a delete followed by a create is an atomic save of an existing file).
    const kind: FileChangeKind = end === 'deleted' ? 'deleted' : start === 'created' ? 'created' : 'changed';
    out.push({ kind, path: p });
  }
  return out;
}

/** What the watcher knows of one directory: its watch, and the candidate files and directories in it. */
interface Folder {
  watcher?: FSWatcher;
  files: Set<string>;
  dirs: Set<string>;
}

/** Watches the workspace and reports batched changes to candidate files. */
export function watchWorkspace(
  root: string,
  opts: WatchOptions,
  onChanges: (changes: FileChange[]) => void,
): WorkspaceWatcher {
  const absRoot = path.resolve(root);
  const excluded = excludedNames(opts.exclude);
  const batchMs = opts.batchMs ?? 30;
  /** By workspace-relative path ('' for the root). */
  const folders = new Map<string, Folder>();
  /** Error codes already reported. */
  const warned = new Set<string>();
  const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);

  let pending: FileChange[] = [];
  let quietTimer: NodeJS.Timeout | undefined;
  let maxTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = (): void => {
    if (quietTimer) clearTimeout(quietTimer);
    if (maxTimer) clearTimeout(maxTimer);
    quietTimer = maxTimer = undefined;
    const batch = coalesceChanges(pending);
    pending = [];
    if (batch.length > 0 && !closed) {
      try {
        onChanges(batch);
      } catch (err) {
        opts.onError?.(`file change handler failed: ${(err as Error).message}`);
      }
    }
  };

  const record = (kind: FileChangeKind, rel: string): void => {
    if (closed) return;
    pending.push({ kind, path: rel });
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = setTimeout(flush, batchMs);
    maxTimer ??= setTimeout(flush, MAX_BATCH_WAIT_MS);
  };

  /** Stops watching `rel` and everything under it; reports its files deleted when `report`. */
  const forget = (rel: string, report: boolean): void => {
    const folder = folders.get(rel);
    if (!folder) return;
    folders.delete(rel);
    folder.watcher?.close();
    if (report) for (const f of folder.files) record('deleted', join(rel, f));
    for (const d of folder.dirs) forget(join(rel, d), report);
  };

  /**
   * Watches directory `rel` and walks it, watching its subdirectories; its candidate files are
   * reported created when `report` (a directory that appeared after the start).
   */
  const watchFolder = async (rel: string, report: boolean): Promise<void> => {
    if (closed || folders.has(rel)) return;
    const folder: Folder = { files: new Set(), dirs: new Set() };
    folders.set(rel, folder);
    const abs = path.join(absRoot, rel);
    try {
      folder.watcher = fsWatch(abs, { persistent: false }, (_type, name) => void onEvent(rel, name === null ? null : String(name)));
      folder.watcher.on('error', () => forget(rel, false));
    } catch (err) {
      // A folder the user may not read is skipped quietly, as the scan skips it; any other
      // failure (the system's limit of watches reached) is said once, not once per folder.
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
      if (code !== 'EACCES' && code !== 'EPERM' && !warned.has(code)) {
        warned.add(code);
        opts.onError?.(`file watcher: cannot watch ${rel || '.'}: ${(err as Error).message}; changes in such folders are seen at the next start`);
      }
    }
    let entries: Dirent[] = [];
    try {
      entries = await fsp.readdir(abs, { withFileTypes: true });
    } catch {
      return;
    }
    const subdirs: string[] = [];
    for (const e of entries) {
      // Links are not followed: a link loop cannot make the watcher recurse forever.
      if (e.isDirectory() && !excluded.has(e.name)) {
        folder.dirs.add(e.name);
        subdirs.push(join(rel, e.name));
      } else if (e.isFile() && isCandidateFile(join(rel, e.name))) {
        folder.files.add(e.name);
        if (report) record('created', join(rel, e.name));
      }
    }
    for (const d of subdirs) await watchFolder(d, report);
  };

  /** Something happened to `name` in `dir` (null: the system did not say what): look at it. */
  const onEvent = async (dir: string, name: string | null): Promise<void> => {
    const folder = folders.get(dir);
    if (closed || !folder) return;
    if (name === null) {
      // Look at every entry the folder had or has now.
      let now: string[] = [];
      try {
        now = await fsp.readdir(path.join(absRoot, dir));
      } catch {
        now = [];
      }
      for (const n of new Set([...folder.files, ...folder.dirs, ...now])) await onEvent(dir, n);
      return;
    }
    if (name.includes('/') || name.includes(path.sep) || excluded.has(name)) return;
    const rel = join(dir, name);
    let stat: Stats | undefined;
    try {
      stat = await fsp.lstat(path.join(absRoot, rel));
    } catch {
      stat = undefined;
    }
    if (closed || folders.get(dir) !== folder) return;
    if (stat?.isDirectory()) {
      if (folder.files.delete(name)) record('deleted', rel);
      if (!folder.dirs.has(name)) {
        folder.dirs.add(name);
        await watchFolder(rel, true);
      }
      return;
    }
    if (folder.dirs.delete(name)) forget(rel, true);
    if (stat?.isFile() && isCandidateFile(rel)) {
      record(folder.files.has(name) ? 'changed' : 'created', rel);
      folder.files.add(name);
    } else if (folder.files.delete(name)) {
      record('deleted', rel);
    }
  };

  const ready = watchFolder('', false).catch((err: Error) => opts.onError?.(`file watcher: ${err.message}`));
  return {
    ready,
    async close(): Promise<void> {
      closed = true;
      if (quietTimer) clearTimeout(quietTimer);
      if (maxTimer) clearTimeout(maxTimer);
      for (const folder of folders.values()) folder.watcher?.close();
      folders.clear();
    },
  };
}
