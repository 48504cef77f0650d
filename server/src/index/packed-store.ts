/**
 * Where an index's packed values (`snippets.ts`: call sites' snippets, Script Includes' body
 * words) wait between the few times they are read. They are read only to make documents: at a
 * first index, when a file changes, or when retrieval is rebuilt. In memory they were the largest
 * single part of a steady server's heap (11.6 MB at 10,000 Script Includes: 25,686 files'
 * snippets and 10,000 bodies).
 *
 * With a cache folder, a store moves them into a file of its own there, and an entry keeps a
 * number in their place: where its bytes are in that file. The file is private to the process:
 * it is unlinked as soon as it is opened (where the system allows; else removed when the store is
 * closed, and by age when a crash left it), so it is never read by another server, needs no format
 * of its own, and goes with the process however it ends. The index cache writes its own copy of
 * the values beside its base (`persistence.ts`), which a load appends to this file (`adopt`).
 *
 * Without a cache folder, or once the file fails, values stay in memory as they were. A number
 * that cannot be read back (the file was cut, or the store closed) reads as nothing: the
 * documents lose those words, nothing fails.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Bytes gathered before each write: a first index writes its 8.5 MB in about 35 writes. */
const PENDING_BYTES = 256 * 1024;
/**
 * A number holds a value's place as `offset * LENGTH_SPAN + length`, exact in a double while the
 * offset stays under 2^31. A value of LENGTH_SPAN bytes or more stays in memory (none is near it).
 */
const LENGTH_SPAN = 2 ** 22;
const MAX_OFFSET = 2 ** 31;
/** The file's name: a prefix, the process, and a random part. */
export const PACKED_FILE_PREFIX = 'packed-values-';
/** A file of this kind left by a process that could not unlink it (and then crashed) is removed after this long. */
const STALE_FILE_MS = 24 * 60 * 60_000;

/** The number that stands for `length` bytes at `offset`; undefined when it cannot stand for them. */
export function packedPlace(offset: number, length: number): number | undefined {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || length >= LENGTH_SPAN || offset + length >= MAX_OFFSET) return undefined;
  return offset * LENGTH_SPAN + length;
}

/** The offset and length a number stands for; undefined for a number that stands for none. */
export function placeParts(place: number): { offset: number; length: number } | undefined {
  if (!Number.isSafeInteger(place) || place < 0) return undefined;
  const length = place % LENGTH_SPAN;
  const offset = (place - length) / LENGTH_SPAN;
  return offset + length < MAX_OFFSET ? { offset, length } : undefined;
}

/** The place, moved `by` bytes further into its file. */
export function shiftPlace(place: number, by: number): number | undefined {
  const parts = placeParts(place);
  return parts && packedPlace(parts.offset + by, parts.length);
}

/** What reads packed values back: a store, or a pass over one (`PackedStore.windowed`). */
export interface PackedReader {
  /** A value's bytes: the value itself, or read from its place; undefined when it cannot be read. */
  bytes(value: string | number): Buffer | undefined;
}

/** What a pass over many values reads of the file at once (`windowed`). */
const WINDOW_BYTES = 1 << 20;

/**
 * Bytes appended to an open file through a gathering buffer, each run given its place. Used by the
 * store for its own file and by the index cache for the file beside its base. A failed write
 * throws, and leaves what was gathered in place (readable through `gathered`).
 */
export class PackedAppender {
  /** Bytes in the file; the ones gathered after them are not yet written. */
  written = 0;
  private readonly pending = Buffer.allocUnsafe(PENDING_BYTES);
  private used = 0;

  constructor(readonly fd: number) {}

  /** Appends the bytes (a string: Latin-1, a byte a character); their place, or undefined when no place can stand for them (nothing is appended). */
  add(bytes: Buffer | string): number | undefined {
    const length = bytes.length;
    const place = packedPlace(this.written + this.used, length);
    if (place === undefined) return undefined;
    if (this.used + length > PENDING_BYTES) this.flush();
    if (length > PENDING_BYTES) this.writeAll(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    else this.used += typeof bytes === 'string' ? this.pending.write(bytes, this.used, 'latin1') : bytes.copy(this.pending, this.used);
    return place;
  }

  /** Writes what is gathered. */
  flush(): void {
    if (this.used === 0) return;
    this.writeAll(this.pending.subarray(0, this.used));
    this.used = 0;
  }

  /** A copy of gathered bytes from `offset` (at or past `written`); undefined when they are not all gathered. */
  gathered(offset: number, length: number): Buffer | undefined {
    const at = offset - this.written;
    if (at < 0 || at + length > this.used) return undefined;
    return Buffer.from(this.pending.subarray(at, at + length));
  }

  private writeAll(bytes: Buffer): void {
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
    this.written += bytes.length;
  }
}

export class PackedStore implements PackedReader {
  private file?: PackedAppender;
  private name?: string;
  /** Whether the file's name is still there (it could not be unlinked at once). */
  private named = false;
  /** Set when the store stopped taking values: the file could not be made or written. */
  private stopped = false;
  private folder?: string;
  private onError?: (message: string) => void;

  /**
   * Values moved from now on go into a file in `folder` (made at the first value). `onError`
   * hears, once, why the store stopped moving values and keeps them in memory.
   */
  useFolder(folder: string, onError?: (message: string) => void): void {
    if (this.folder !== undefined) return;
    this.folder = folder;
    this.onError = onError;
  }

  /** Whether values are moved into a file (or will be at the first). */
  get spills(): boolean {
    return this.folder !== undefined && !this.stopped;
  }

  /** The value's place in the file, or the value itself when it stays in memory. */
  put(value: string): string | number {
    const file = this.spills ? (this.file ?? this.open()) : undefined;
    if (!file) return value;
    try {
      return file.add(value) ?? value;
    } catch (err) {
      this.writeFailed(err);
      return value;
    }
  }

  /**
   * Appends the bytes of `file` (the packed values the index cache keeps beside its base) and
   * returns where they begin, so that places read with the base are moved by that much
   * (`shiftPlace`); or why it could not, with the store keeping values in memory from then on.
   */
  adopt(source: string): number | { error: string } {
    const file = this.spills ? (this.file ?? this.open()) : undefined;
    if (!file) return { error: 'the packed values have no file to go to' };
    let src: number | undefined;
    let start: number;
    try {
      file.flush();
      start = file.written;
      src = fs.openSync(source, 'r');
      const chunk = Buffer.allocUnsafe(1 << 20);
      for (let n = fs.readSync(src, chunk, 0, chunk.length, null); n > 0; n = fs.readSync(src, chunk, 0, chunk.length, null)) {
        if (file.add(chunk.subarray(0, n)) === undefined) return { error: 'the packed values do not fit in the file' };
      }
      // All written: a value of the copy must not lie partly in the file and partly still gathered.
      file.flush();
    } catch (err) {
      // A source that cannot be read leaves the store as it was; a write that failed stops it.
      if (src === undefined) return { error: `${path.basename(source)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
      this.writeFailed(err);
      return { error: 'the packed values could not be copied' };
    } finally {
      if (src !== undefined) fs.closeSync(src);
    }
    return start;
  }

  /** A value's bytes: the value itself, or read from its place; undefined when it cannot be read. */
  bytes(value: string | number): Buffer | undefined {
    if (typeof value === 'string') return Buffer.from(value, 'latin1');
    const parts = placeParts(value);
    if (!parts || !this.file) return undefined;
    const { offset, length } = parts;
    // At or past what is written: still gathered.
    if (offset >= this.file.written) return this.file.gathered(offset, length);
    if (offset + length > this.file.written) return undefined;
    return this.readAt(offset, length);
  }

  /**
   * A reader for a pass over many values in about the order they were put (a save of the index
   * cache): it reads the file a megabyte at a time, where reading value by value was a system
   * call each (35,700 at 10,000 Script Includes, a fifth of the save). The bytes it gives are
   * valid until its next call.
   */
  windowed(): PackedReader {
    let window: Buffer | undefined;
    let start = 0;
    return {
      bytes: (value) => {
        const written = this.file?.written ?? 0;
        const parts = typeof value === 'number' ? placeParts(value) : undefined;
        if (!parts || parts.length > WINDOW_BYTES || parts.offset + parts.length > written) return this.bytes(value);
        const { offset, length } = parts;
        if (!window || offset < start || offset + length > start + window.length) {
          window = this.readAt(offset, Math.min(WINDOW_BYTES, written - offset));
          start = offset;
          if (!window) return undefined;
        }
        return window.subarray(offset - start, offset - start + length);
      },
    };
  }

  /** `length` bytes of the file from `offset`; undefined when they cannot be read. */
  private readAt(offset: number, length: number): Buffer | undefined {
    if (!this.file) return undefined;
    const out = Buffer.allocUnsafe(length);
    try {
      let got = 0;
      while (got < length) {
        const n = fs.readSync(this.file.fd, out, got, length - got, offset + got);
        if (n === 0) return undefined;
        got += n;
      }
    } catch {
      return undefined;
    }
    return out;
  }

  /** Closes the file (at shutdown); values in it read as nothing after. */
  close(): void {
    this.stopped = true;
    if (this.file) {
      try {
        fs.closeSync(this.file.fd);
      } catch {
        // Closed either way.
      }
      this.file = undefined;
    }
    if (this.named && this.name) fs.rmSync(this.name, { force: true });
    this.named = false;
  }

  /** What was gathered stays readable from memory; what comes after stays in memory. */
  private writeFailed(err: unknown): void {
    this.stop(`could not write packed values to ${this.name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }

  private open(): PackedAppender | undefined {
    const folder = this.folder!;
    removeStaleFiles(folder);
    const name = path.join(folder, `${PACKED_FILE_PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    try {
      // Made new ('x'), readable and writable by this user only.
      this.file = new PackedAppender(fs.openSync(name, 'wx+', 0o600));
    } catch (err) {
      this.stop(`could not make a file for packed values in ${folder}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return undefined;
    }
    this.name = name;
    try {
      fs.unlinkSync(name);
    } catch {
      this.named = true;
    }
    return this.file;
  }

  private stop(message: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onError?.(`${message}; they are kept in memory`);
  }
}

/** Files of this kind whose process could not unlink them and did not close its store (a crash). */
function removeStaleFiles(folder: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(PACKED_FILE_PREFIX)) continue;
    const file = path.join(folder, name);
    try {
      const st = fs.lstatSync(file);
      if (st.isFile() && now - st.mtimeMs > STALE_FILE_MS) fs.rmSync(file, { force: true });
    } catch {
      // Gone meanwhile, or not ours to remove: left.
    }
  }
}
