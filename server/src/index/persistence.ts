/**
 * The persisted index (`.deepcodeseek/index.jsonl` by default): versioned, written atomically
 * (temporary file + rename), keyed by each file's content hash, and treated as absent when it
 * cannot be read, so a corrupt cache costs one rebuild and one log line, never a crash.
 *
 * Edits do not rewrite it: the files changed since are appended to `index-changes.jsonl`, which
 * names the base it follows and is read after it. Rewriting 100 MB of JSON on every save of one
 * file at 10,000 Script Includes grew the server's heap with each edit. A change log that does not
 * follow the base, or whose tail was cut by a crash, is read as far as it is whole: whatever it
 * missed is a file whose size or time no longer matches its entry, which is read again.
 */
import { closeSync, createReadStream, openSync, promises as fs, readFileSync, renameSync, rmSync } from 'fs';
import * as path from 'path';
import { FileEntry } from '../model';
import { CacheDecoder, CacheEncoder } from './cache-codec';
import { PackedAppender, PackedStore, placeParts, shiftPlace } from './packed-store';
import { packedForDisk, packedFromDisk } from './snippets';

/** Bump when FileEntry, extraction or the cache's encoding changes meaning: older caches are then rebuilt. */
export const CACHE_FORMAT = 18;
const CACHE_FILE = 'index.jsonl';
/** The packed values of a base are in a file beside it, named for the base: `index-<id>.packed`. */
const PACKED_PREFIX = 'index-';
const PACKED_SUFFIX = '.packed';
const CHANGES_FILE = 'index-changes.jsonl';

export interface CachedFile {
  entry: FileEntry;
  size: number;
  mtimeMs: number;
}

/**
 * The first line of the cache file. One line per file follows, `{"s": [strings], "f": CachedFile}`
 * in the encoding of `cache-codec.ts` (`s`: the strings this line is the first to use), then
 * `{"end": count}`.
 */
export interface CacheContents {
  format: number;
  /** The server version that wrote it (for diagnostics only). */
  writer: string;
  savedAt: string;
  /** Names this base for its change log (absent in caches written before there was one). */
  id?: string;
  /** The file beside the base that holds its entries' packed values; a line holds each value's place in it. */
  packed?: string;
}

/** The change log's first line: the base it follows. Each line after is `{"file": CachedFile}` or `{"gone": path}`. */
interface ChangesHeader {
  format: number;
  base: string;
}

/** A change to append: a file's new entry, or a path that is gone. */
export type CacheChange = CachedFile | { gone: string };

export type CacheLoad =
  | {
      status: 'loaded';
      files: Map<string, CachedFile>;
      /** The base's id, to append changes to it; undefined for a base without one. */
      base?: string;
      /** Changes read from the log and applied; `logNote` says why the log was not read to its end. */
      changes: number;
      logNote?: string;
    }
  | { status: 'absent' }
  | { status: 'unreadable'; reason: string };

/** What a reader does with the entries as they are read (the indexer shares their strings before the next is parsed). */
export interface CacheReading {
  /** Sees each distinct string of the base once; entries of the base hold what it returns (a string pool). */
  share?: (s: string) => string;
  /** Sees every entry as it is read; an entry `fromBase` holds only strings that `share` returned. */
  each?: (entry: FileEntry, fromBase: boolean) => void;
  /**
   * Takes the base's packed values into its file (`PackedStore.adopt`), and the entries keep
   * places in it; without one, they are read into memory.
   */
  packs?: PackedStore;
}

export async function loadCache(dir: string, reading: CacheReading = {}): Promise<CacheLoad> {
  const { share, each, packs } = reading;
  const file = path.join(dir, CACHE_FILE);
  try {
    await fs.access(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'absent' };
    return { status: 'unreadable', reason: (err as Error).message };
  }
  // JSON Lines, read line by line: the whole cache never exists as one string.
  const files = new Map<string, CachedFile>();
  let header: Partial<CacheContents> | undefined;
  let footer: { end?: number } | undefined;
  const decoder = new CacheDecoder(share);
  let beside: ((place: number) => string | number | undefined) | undefined;
  try {
    for await (const line of readLines(file)) {
      if (!line) continue;
      if (footer) return { status: 'unreadable', reason: 'data after the end marker' };
      const value = JSON.parse(line) as unknown;
      if (!header) {
        header = value as Partial<CacheContents>;
        if (!header || typeof header !== 'object') return { status: 'unreadable', reason: 'not a JSON object' };
        if (header.format !== CACHE_FORMAT) return { status: 'unreadable', reason: `format ${String(header.format)}, expected ${CACHE_FORMAT}` };
        if (header.packed !== undefined) {
          const opened = openPacked(dir, header.packed, packs);
          if (typeof opened === 'string') return { status: 'unreadable', reason: opened };
          beside = opened;
        }
      } else if (value && typeof value === 'object' && 'end' in value) {
        footer = value as { end?: number };
      } else {
        const line = value as { s?: unknown; f?: unknown } | null;
        const file = line && typeof line === 'object' ? decoder.decode(line.s, line.f) : undefined;
        if (!isCachedFile(file)) return { status: 'unreadable', reason: 'malformed file entry' };
        packedFromDisk(file.entry, beside);
        each?.(file.entry, true);
        files.set(file.entry.path, file);
      }
    }
  } catch (err) {
    return { status: 'unreadable', reason: `invalid JSON (${(err as Error).message.slice(0, 80)})` };
  }
  if (!header) return { status: 'unreadable', reason: 'empty' };
  if (!footer || footer.end !== files.size) return { status: 'unreadable', reason: 'truncated' };
  const base = typeof header.id === 'string' ? header.id : undefined;
  const log = base ? await applyChanges(dir, base, files, each) : { changes: 0 };
  return { status: 'loaded', files, base, ...log };
}

/**
 * Where the base's packed values are read from: the store that took a copy of them (places moved
 * by where the copy begins), or else the file read into memory. A string says why neither could be.
 */
function openPacked(dir: string, name: unknown, packs: PackedStore | undefined): ((place: number) => string | number | undefined) | string {
  if (typeof name !== 'string' || !isPackedName(name)) return 'the name of its packed values is not one the server writes';
  const file = path.join(dir, name);
  if (packs?.spills) {
    const start = packs.adopt(file);
    if (typeof start === 'number') return (place) => shiftPlace(place, start);
    // The store has said why it stopped (a folder it cannot write, say): read into memory instead.
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return `its packed values could not be read (${name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  return (place) => {
    const parts = placeParts(place);
    if (!parts || parts.offset + parts.length > bytes.length) return undefined;
    return bytes.toString('latin1', parts.offset, parts.offset + parts.length);
  };
}

function isPackedName(name: string): boolean {
  return name.startsWith(PACKED_PREFIX) && name.endsWith(PACKED_SUFFIX) && name === path.basename(name) && !name.includes('..');
}

/**
 * Writes the packed values of a base being written to a temporary file, one after the other, and
 * says where each went (`add`, a `PackedAppender`'s); `finish` renames the file to its name
 * (before the base is renamed to its own, so a base never names a file that is not there).
 */
class PackedWriter {
  private readonly tmp: string;
  private readonly file: PackedAppender;
  private closed = false;

  constructor(
    private readonly dir: string,
    readonly name: string,
  ) {
    this.tmp = path.join(dir, `${name}.${process.pid}.${Date.now()}.tmp`);
    this.file = new PackedAppender(openSync(this.tmp, 'w'));
  }

  /** Appends the bytes; returns their place, or undefined when a place could not hold them (the caller writes them inline). */
  add(bytes: Buffer): number | undefined {
    return this.file.add(bytes);
  }

  finish(): void {
    this.file.flush();
    this.close();
    renameSync(this.tmp, path.join(this.dir, this.name));
  }

  /** Closes the file if still open and removes it if not renamed (after a failed write). */
  abandon(): void {
    this.close();
    rmSync(this.tmp, { force: true });
  }

  private close(): void {
    if (this.closed) return;
    // Once only: the number may belong to another file after.
    this.closed = true;
    closeSync(this.file.fd);
  }
}

/** Applies the change log to the loaded base, as far as it is whole and follows that base. */
async function applyChanges(dir: string, base: string, files: Map<string, CachedFile>, each?: (entry: FileEntry, fromBase: boolean) => void): Promise<{ changes: number; logNote?: string }> {
  const file = path.join(dir, CHANGES_FILE);
  let changes = 0;
  let header: Partial<ChangesHeader> | undefined;
  try {
    for await (const line of readLines(file)) {
      if (!line) continue;
      const value = JSON.parse(line) as unknown;
      if (!header) {
        header = (value ?? {}) as Partial<ChangesHeader>;
        if (header.format !== CACHE_FORMAT || header.base !== base) return { changes, logNote: 'the change log follows another index file; ignored' };
        continue;
      }
      const change = value as { file?: unknown; gone?: unknown };
      if (typeof change?.gone === 'string') files.delete(change.gone);
      else if (isCachedFile(change?.file)) {
        packedFromDisk(change.file.entry);
        each?.(change.file.entry, false);
        files.set(change.file.entry.path, change.file);
      } else return { changes, logNote: `the change log has a malformed line after ${changes} changes; the rest is ignored` };
      changes++;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { changes };
    return { changes, logNote: `the change log is cut or unreadable after ${changes} changes (${(err as Error).message.slice(0, 80)}); the rest is ignored` };
  }
  return { changes };
}

/**
 * Appends changes to the log that follows base `base`; `fresh` starts the log over (its first
 * append after the base was written or loaded under another log). One write per call.
 */
export async function appendChanges(dir: string, base: string, changes: readonly CacheChange[], fresh: boolean, packs?: PackedStore): Promise<void> {
  const lines = changes.map((c) => JSON.stringify('gone' in c ? { gone: c.gone } : { file: { ...c, entry: packedForDisk(c.entry, packs) } }) + '\n');
  const header: ChangesHeader = { format: CACHE_FORMAT, base };
  if (fresh) await writeAtomically(path.join(dir, CHANGES_FILE), () => [JSON.stringify(header) + '\n', ...lines]);
  else await fs.appendFile(path.join(dir, CHANGES_FILE), lines.join(''));
}

/**
 * The lines of a UTF-8 file, read in 256 KB chunks of bytes and cut at each `\n` (a `\r` before
 * it is dropped); each line is decoded on its own. A `\n` byte is never part of a longer UTF-8
 * sequence, so a character cut by a chunk's end is decoded whole with its line. Decoding the
 * chunks as text first (a stream with an encoding, then cutting the strings) took twice as long at
 * 10,000 Script Includes: 0.5 of a warm start's 3.5 s, against 0.2 for the lines from bytes.
 * readline, with a regular expression and an event per line, was slower still.
 */
async function* readLines(file: string): AsyncGenerator<string> {
  // The pieces of a line that earlier chunks began, joined once its end arrives.
  const rest: Buffer[] = [];
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 18 }) as AsyncIterable<Buffer>) {
    let from = 0;
    let nl = chunk.indexOf(10);
    if (rest.length) {
      if (nl === -1) {
        rest.push(chunk);
        continue;
      }
      rest.push(chunk.subarray(0, nl));
      const line = Buffer.concat(rest);
      rest.length = 0;
      yield lineText(line);
      from = nl + 1;
      nl = chunk.indexOf(10, from);
    }
    for (; nl !== -1; nl = chunk.indexOf(10, from)) {
      yield lineText(chunk, from, nl);
      from = nl + 1;
    }
    if (from < chunk.length) rest.push(chunk.subarray(from));
  }
  if (rest.length) yield lineText(Buffer.concat(rest));
}

/** The text of bytes `from` to `end` (a `\r` at its end dropped). */
function lineText(bytes: Buffer, from = 0, end = bytes.length): string {
  return bytes.toString('utf8', from, end > from && bytes[end - 1] === 13 ? end - 1 : end);
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
    Array.isArray(c.entry.includes) &&
    isPackedValue(c.entry.snippets) &&
    c.entry.scriptIncludes.every((si) => !!si && isPackedValue(si.packedBody)) &&
    (c.entry.schema === undefined ||
      (Array.isArray(c.entry.schema.tables) && Array.isArray(c.entry.schema.fields) && Array.isArray(c.entry.schema.properties) && Array.isArray(c.entry.schema.uses) && Array.isArray(c.entry.schema.useCounts) && c.entry.schema.useCounts.length === c.entry.schema.uses.length))
  );
}

function isPackedValue(v: unknown): boolean {
  return v === undefined || typeof v === 'string' || typeof v === 'number';
}

/**
 * Writes the cache atomically (readers see the old file or the new one, never half of one) and
 * drops the change log, which followed the old one. Returns the new base's id. The entries'
 * packed values go into a file beside the base (`packs`: where the moved ones are read back
 * from), so that a load neither parses nor decodes them; the change log writes its entries'
 * values inline, in base64.
 */
export async function saveCache(dir: string, files: Iterable<CachedFile>, writer: string, packs?: PackedStore): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const id = `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const packed = new PackedWriter(dir, `${PACKED_PREFIX}${id}${PACKED_SUFFIX}`);
  const beside = (bytes: Buffer) => packed.add(bytes);
  const reader = packs?.windowed();
  try {
    // JSON Lines: a header, one file per line, and an end marker with the count (a cut file is
    // then recognised as such). Written piece by piece, never as one string.
    await writeAtomically(
      path.join(dir, CACHE_FILE),
      function* () {
        yield JSON.stringify({ format: CACHE_FORMAT, writer, savedAt: new Date().toISOString(), id, packed: packed.name } satisfies CacheContents) + '\n';
        const encoder = new CacheEncoder();
        let count = 0;
        for (const f of files) {
          const { strings, value } = encoder.encode({ ...f, entry: packedForDisk(f.entry, reader, beside) });
          yield JSON.stringify(strings.length ? { s: strings, f: value } : { f: value }) + '\n';
          count++;
        }
        yield JSON.stringify({ end: count }) + '\n';
      },
      () => packed.finish(),
    );
  } finally {
    packed.abandon();
  }
  // A crash between the two leaves a log naming the old base, which is then ignored.
  await fs.rm(path.join(dir, CHANGES_FILE), { force: true });
  // The packed values of earlier bases (a server that loaded one has taken its own copy).
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (isPackedName(name) && name !== packed.name) await fs.rm(path.join(dir, name), { force: true });
  }
  return id;
}

/**
 * Writes the pieces to a temporary file, then renames it over the target. Bytes go out as they
 * are; text is copied into one reused buffer as it comes, so each piece is garbage at once. Joining
 * pieces into a string of a megabyte kept them alive across collections (promoted to the old
 * generation) and made strings large enough for V8's large-object space, which only a full
 * collection empties: writing the index cache of a cold start at 10,000 Script Includes held
 * some 70 MB of such garbage at its peak.
 */
async function writeAtomically(target: string, pieces: () => Iterable<string | Uint8Array>, beforeRename?: () => void): Promise<void> {
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    const chunk = Buffer.allocUnsafe(WRITE_CHUNK);
    let used = 0;
    const flush = async (): Promise<void> => {
      if (used) await handle.write(chunk, 0, used);
      used = 0;
    };
    for (const piece of pieces()) {
      if (typeof piece !== 'string') {
        await flush();
        await handle.write(piece);
        continue;
      }
      // At most three bytes of UTF-8 per UTF-16 unit (a surrogate pair is four bytes for two).
      if (used + piece.length * 3 > WRITE_CHUNK) await flush();
      if (piece.length * 3 > WRITE_CHUNK) await handle.write(piece);
      else used += chunk.write(piece, used);
    }
    await flush();
    await handle.close();
    beforeRename?.();
    await fs.rename(tmp, target);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Bytes gathered before each write of `writeAtomically`. */
const WRITE_CHUNK = 1 << 20;

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

/** Reads a binary artifact of the cache folder whole; undefined when absent or unreadable. */
export async function loadBytes(dir: string, name: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(path.join(dir, name));
  } catch {
    return undefined;
  }
}

/** Writes a binary artifact of the cache folder atomically, chunk by chunk (no joined copy). */
export async function saveBytes(dir: string, name: string, chunks: readonly Uint8Array[]): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeAtomically(path.join(dir, name), () => chunks);
}
