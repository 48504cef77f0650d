/**
 * The server's own recursive file watcher, for clients that cannot watch files. chokidar does
 * the watching; this module filters to the files the readers handle, skips excluded folders
 * and turns bursts of events (an editor's atomic save is delete + create, or several changes)
 * into one change per path per batch.
 */
import * as path from 'node:path';
import { watch } from 'chokidar';
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

/** Whether a workspace-relative path lies in an excluded folder. */
export function isExcludedPath(relPath: string, excluded: ReadonlySet<string>): boolean {
  return relPath.split('/').some((segment) => excluded.has(segment));
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
  const relativeOf = (p: string): string => path.relative(absRoot, path.resolve(absRoot, p)).split(path.sep).join('/');

  const watcher = watch(absRoot, {
    ignoreInitial: true,
    // Links are not followed: a link loop cannot make the watcher recurse forever.
    followSymlinks: false,
    awaitWriteFinish: false,
    ignorePermissionErrors: true,
    ignored: (p: string) => {
      const rel = relativeOf(p);
      return rel !== '' && !rel.startsWith('..') && isExcludedPath(rel, excluded);
    },
  });

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

  const record = (kind: FileChangeKind) => (p: string): void => {
    const rel = relativeOf(p);
    if (!rel || rel.startsWith('..') || !isCandidateFile(rel)) return;
    pending.push({ kind, path: rel });
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = setTimeout(flush, batchMs);
    maxTimer ??= setTimeout(flush, MAX_BATCH_WAIT_MS);
  };

  watcher.on('add', record('created'));
  watcher.on('change', record('changed'));
  watcher.on('unlink', record('deleted'));
  watcher.on('error', (err) => opts.onError?.(`file watcher: ${(err as Error).message ?? String(err)}`));

  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close(): Promise<void> {
      closed = true;
      if (quietTimer) clearTimeout(quietTimer);
      if (maxTimer) clearTimeout(maxTimer);
      await watcher.close();
    },
  };
}
