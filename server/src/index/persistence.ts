/**
 * The persisted index (`.deepcodeseek/index.json` by default): versioned, written atomically
 * (temporary file + rename), keyed by each file's content hash, and treated as absent when it
 * cannot be read, so a corrupt cache costs one rebuild and one log line, never a crash.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { FileEntry } from '../model';

/** Bump when FileEntry or extraction changes meaning: older caches are then rebuilt. */
export const CACHE_FORMAT = 4;
const CACHE_FILE = 'index.json';

export interface CachedFile {
  entry: FileEntry;
  size: number;
  mtimeMs: number;
}

export interface CacheContents {
  format: number;
  /** The server version that wrote it (for diagnostics only). */
  writer: string;
  savedAt: string;
  files: CachedFile[];
}

export type CacheLoad =
  | { status: 'loaded'; files: Map<string, CachedFile> }
  | { status: 'absent' }
  | { status: 'unreadable'; reason: string };

export function cacheDirFor(root: string, setting: string): string {
  return path.isAbsolute(setting) ? setting : path.join(root, setting);
}

export async function loadCache(dir: string): Promise<CacheLoad> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, CACHE_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'absent' };
    return { status: 'unreadable', reason: (err as Error).message };
  }
  try {
    const data = JSON.parse(text) as Partial<CacheContents>;
    if (!data || typeof data !== 'object') return { status: 'unreadable', reason: 'not a JSON object' };
    if (data.format !== CACHE_FORMAT) return { status: 'unreadable', reason: `format ${String(data.format)}, expected ${CACHE_FORMAT}` };
    if (!Array.isArray(data.files)) return { status: 'unreadable', reason: 'no file list' };
    const files = new Map<string, CachedFile>();
    for (const f of data.files) {
      if (!isCachedFile(f)) return { status: 'unreadable', reason: 'malformed file entry' };
      files.set(f.entry.path, f);
    }
    return { status: 'loaded', files };
  } catch (err) {
    return { status: 'unreadable', reason: `invalid JSON (${(err as Error).message.slice(0, 80)})` };
  }
}

function isCachedFile(f: unknown): f is CachedFile {
  const c = f as CachedFile;
  return (
    !!c &&
    typeof c.size === 'number' &&
    typeof c.mtimeMs === 'number' &&
    !!c.entry &&
    typeof c.entry.path === 'string' &&
    typeof c.entry.hash === 'string' &&
    Array.isArray(c.entry.scriptIncludes) &&
    Array.isArray(c.entry.callSites) &&
    Array.isArray(c.entry.includes)
  );
}

/** Writes the cache atomically: readers see the old file or the new one, never half of one. */
export async function saveCache(dir: string, files: Iterable<CachedFile>, writer: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const head = JSON.stringify({ format: CACHE_FORMAT, writer, savedAt: new Date().toISOString() }).slice(0, -1);
  // Written file by file: one string of the whole index would double the memory it takes.
  await writeAtomically(path.join(dir, CACHE_FILE), function* () {
    yield `${head},"files":[`;
    let first = true;
    for (const f of files) {
      yield (first ? '' : ',') + JSON.stringify(f);
      first = false;
    }
    yield ']}';
  });
  // A .gitignore keeps the cache out of the user's commits without touching their own files.
  await fs.writeFile(path.join(dir, '.gitignore'), '*\n').catch(() => undefined);
}

/** Writes the pieces to a temporary file, then renames it over the target. */
async function writeAtomically(target: string, pieces: () => Iterable<string>): Promise<void> {
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    let buffered: string[] = [];
    let size = 0;
    for (const piece of pieces()) {
      buffered.push(piece);
      size += piece.length;
      if (size > 1 << 20) {
        await handle.write(buffered.join(''));
        buffered = [];
        size = 0;
      }
    }
    if (buffered.length) await handle.write(buffered.join(''));
    await handle.close();
    await fs.rename(tmp, target);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Reads a JSON artifact of the cache folder (the learned embedder); undefined when absent or unreadable. */
export async function loadArtifact(dir: string, name: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, name), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Writes a JSON artifact of the cache folder atomically. Top-level fields are serialised one at a
 * time, so a large artifact never exists as one string.
 */
export async function saveArtifact(dir: string, name: string, value: unknown): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeAtomically(path.join(dir, name), function* () {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      yield JSON.stringify(value);
      return;
    }
    let first = true;
    yield '{';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      yield `${first ? '' : ','}${JSON.stringify(k)}:${JSON.stringify(v)}`;
      first = false;
    }
    yield '}';
  });
}
