/**
 * The one owner of the cache folder (`.deepcodeseek/` by default): where it is, whether it may be
 * used, and every read and write inside it. A folder is used only when it is dedicated to the
 * cache: absent (then created), empty, or marked by our `CACHEDIR.TAG`; never a symbolic link,
 * never the workspace root or a folder above it, never a folder holding files the server did not
 * write. A refused folder is one log line, and the server works from memory.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { PackedStore } from './packed-store';
import { appendChanges, CacheChange, CachedFile, CacheLoad, CacheReading, loadArtifact, loadBytes, loadCache, saveArtifact, saveBytes, saveCache } from './persistence';

/** The cache-directory tag convention (bford.info/cachedir): backup tools skip such folders. */
export const CACHE_TAG = 'CACHEDIR.TAG';
const TAG_TEXT = 'Signature: 8a477f597d28d172789f06886806bc55\n# The deepcodeseek language server keeps its index here; removing this folder costs one re-index.\n';
const GITIGNORE = '*\n';
/** Temporary files of interrupted writes older than this are removed when the folder is opened. */
const STALE_TEMP_MS = 10 * 60_000;

export type CacheFolderResult = { ok: true; folder: CacheFolder } | { ok: false; error: string };

export class CacheFolder {
  private prepared?: Promise<string | undefined>;

  private constructor(
    readonly dir: string,
    private readonly root: string,
  ) {}

  /** The cache folder `setting` names for `root`, or why it cannot be one (checked before any I/O). */
  static resolve(root: string, setting: string): CacheFolderResult {
    const name = setting.trim();
    if (!name) return { ok: false, error: 'index.cacheDir is empty' };
    const dir = path.resolve(root, name);
    const rel = path.relative(dir, path.resolve(root));
    // The workspace itself, or a folder above it: the cache would live among the user's files.
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return { ok: false, error: `index.cacheDir ${dir} is the workspace or a folder above it` };
    return { ok: true, folder: new CacheFolder(dir, path.resolve(root)) };
  }

  /**
   * Makes sure the folder may be used, creating and tagging it when absent; resolves to an error
   * message when it may not. Checked once per folder object.
   */
  prepare(): Promise<string | undefined> {
    return (this.prepared ??= this.check());
  }

  private async check(): Promise<string | undefined> {
    // A workspace that is not there is never created, not even to hold the cache.
    const rootStat = await fs.stat(this.root).catch(() => undefined);
    if (!rootStat?.isDirectory()) return `workspace folder ${this.root} does not exist`;
    let stat;
    try {
      stat = await fs.lstat(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return `cache folder ${this.dir}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`;
    }
    if (stat?.isSymbolicLink()) return `cache folder ${this.dir} is a symbolic link; the server writes only into a real folder`;
    if (stat && !stat.isDirectory()) return `cache folder ${this.dir} is a file, not a folder`;
    try {
      if (!stat) await fs.mkdir(this.dir, { recursive: true });
      const names = await fs.readdir(this.dir);
      if (names.length && !names.includes(CACHE_TAG) && !(await this.isUntaggedCache(names))) {
        return `cache folder ${this.dir} holds files the server did not write; give index.cacheDir a folder of its own`;
      }
      if (!names.includes(CACHE_TAG)) await fs.writeFile(path.join(this.dir, CACHE_TAG), TAG_TEXT);
      if (!names.includes('.gitignore')) await fs.writeFile(path.join(this.dir, '.gitignore'), GITIGNORE);
      await this.removeStaleTemp(names);
    } catch (err) {
      return `cache folder ${this.dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    }
    return undefined;
  }

  /**
   * A cache written before folders were tagged: its index file starts with our header line. Such
   * a folder is ours and gets its tag; any other untagged folder with content is not.
   */
  private async isUntaggedCache(names: readonly string[]): Promise<boolean> {
    if (!names.includes('index.jsonl')) return false;
    let handle;
    try {
      handle = await fs.open(path.join(this.dir, 'index.jsonl'), 'r');
      const buf = Buffer.alloc(512);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      const first = buf.subarray(0, bytesRead).toString('utf8').split('\n')[0];
      const header = JSON.parse(first) as { format?: unknown; writer?: unknown };
      return typeof header.format === 'number' && typeof header.writer === 'string';
    } catch {
      return false;
    } finally {
      await handle?.close();
    }
  }

  /** Leftovers of writes cut short (a crash, a full disk): ours, since the folder is. */
  private async removeStaleTemp(names: readonly string[]): Promise<void> {
    const now = Date.now();
    for (const name of names) {
      if (!name.endsWith('.tmp')) continue;
      const file = path.join(this.dir, name);
      const st = await fs.lstat(file).catch(() => undefined);
      if (st?.isFile() && now - st.mtimeMs > STALE_TEMP_MS) await fs.rm(file, { force: true });
    }
  }

  /** The path of a file in the folder (a bare name: no path separators reach outside it). */
  path(name: string): string {
    return path.join(this.dir, path.basename(name));
  }

  async loadIndex(reading?: CacheReading): Promise<CacheLoad> {
    if (await this.prepare()) return { status: 'absent' };
    return loadCache(this.dir, reading);
  }

  /** Writes the whole index; returns the id its change log names. */
  async saveIndex(files: Iterable<CachedFile>, writer: string, packs?: PackedStore): Promise<string> {
    const refused = await this.prepare();
    if (refused) throw new Error(refused);
    return saveCache(this.dir, files, writer, packs);
  }

  /** Appends changes to the log of index `base` (`fresh`: start the log over). */
  async appendIndexChanges(base: string, changes: readonly CacheChange[], fresh: boolean, packs?: PackedStore): Promise<void> {
    const refused = await this.prepare();
    if (refused) throw new Error(refused);
    await appendChanges(this.dir, base, changes, fresh, packs);
  }

  /** A JSON artifact; undefined when absent, unreadable, or the folder is refused. */
  async load(name: string): Promise<unknown> {
    if (await this.prepare()) return undefined;
    return loadArtifact(this.dir, path.basename(name));
  }

  async save(name: string, value: unknown): Promise<void> {
    const refused = await this.prepare();
    if (refused) throw new Error(refused);
    await saveArtifact(this.dir, path.basename(name), value);
  }

  /** A binary artifact; undefined when absent, unreadable, or the folder is refused. */
  async loadBytes(name: string): Promise<Buffer | undefined> {
    if (await this.prepare()) return undefined;
    return loadBytes(this.dir, path.basename(name));
  }

  async saveBytes(name: string, chunks: readonly Uint8Array[]): Promise<void> {
    const refused = await this.prepare();
    if (refused) throw new Error(refused);
    await saveBytes(this.dir, path.basename(name), chunks);
  }

  /** Names in the folder with their age in ms (empty when the folder is refused or unreadable). */
  async entries(): Promise<Array<{ name: string; ageMs: number }>> {
    if (await this.prepare()) return [];
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const now = Date.now();
    const out: Array<{ name: string; ageMs: number }> = [];
    for (const name of names) {
      const st = await fs.lstat(path.join(this.dir, name)).catch(() => undefined);
      if (st?.isFile()) out.push({ name, ageMs: now - st.mtimeMs });
    }
    return out;
  }

  async remove(name: string): Promise<void> {
    if (await this.prepare()) return;
    await fs.rm(this.path(name), { force: true });
  }
}
