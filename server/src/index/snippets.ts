/**
 * What an entry keeps packed: its call sites' snippets and its Script Includes' body words. A
 * snippet (the lines around a call) is read only when the file's usage documents are made, and a
 * body only when its Script Include's document is: at a first index, when the file changes, or
 * when retrieval is rebuilt. Between those times an index held every one as strings, 17 MB of
 * snippets and 7 MB of lists of body words at 10,000 Script Includes. An entry keeps each as one
 * value instead, deflated: the snippets in site order as JSON, and a body's words a line each.
 * Snippets of one file share most of their lines, so their packed form is a fraction of the text;
 * a body, whose words are distinct, packs to about half.
 *
 * In memory a packed value is a Latin-1 string, one character a byte (V8 keeps it in one byte a
 * character); the index cache writes it in base64 (`packedForDisk`, `packedFromDisk`), which its
 * JSON takes as it is, where Latin-1 would be escaped to twice its bytes. In base64 in memory too,
 * the 10,000 Script Includes' packed values took 4 MB more. Where the index has a cache folder,
 * its `PackedStore` takes the values out of memory altogether (`spillPacked`), and the entry keeps
 * where they are instead; the readers here take the store to read them back.
 */
import { deflateRawSync, inflateRawSync, constants } from 'zlib';
import { FileEntry, ScriptIncludeInfo } from '../model';
import { PackedReader, PackedStore } from './packed-store';

/**
 * Level 1: a first index packs every file (on its extraction workers), and higher levels cost
 * several times the time for a few percent less. A window of 4 KB holds the lines one snippet
 * shares with the next, and with a small hash table keeps zlib's state for each call at about
 * 24 KB: at its defaults (256 KB, above the C allocator's threshold for mapping memory apart)
 * packing each file of a first index left its server 20-50 MB larger.
 */
const ZLIB = { level: constants.Z_BEST_SPEED, windowBits: 12, memLevel: 4 };

/** More than a snippet can take as JSON: 600 characters of up to 3 UTF-8 bytes each, escapes included. */
const MAX_PACKED_BYTES_PER_SITE = 8192;
/** More than a body's words can take: extraction reads at most 200,000 characters of code for them. */
const MAX_PACKED_BODY_BYTES = 1 << 20;

/** How packed bytes are held in memory, and how the index cache writes them. */
const IN_MEMORY = 'latin1';
const ON_DISK = 'base64';

function recode(value: string, from: BufferEncoding, to: BufferEncoding): string {
  return Buffer.from(value, from).toString(to);
}

/**
 * The entry as the index cache writes it: itself, or a copy whose packed values are in base64, or
 * where `beside` put their bytes (a file the cache keeps beside its base); the entry is left as it
 * is. A value moved to `packs` is read back from it; one that cannot be is left out (the
 * documents made from the cached entry lose those words).
 */
export function packedForDisk(entry: FileEntry, packs?: PackedReader, beside?: (bytes: Buffer) => number | undefined): FileEntry {
  const packedSis = entry.scriptIncludes.some((si) => si.packedBody !== undefined);
  if (entry.snippets === undefined && !packedSis) return entry;
  const forDisk = (value: string | number): string | number | undefined => {
    if (typeof value === 'string' && !beside) return recode(value, IN_MEMORY, ON_DISK);
    const bytes = packedBytes(value, packs);
    if (!bytes) return undefined;
    return beside ? (beside(bytes) ?? bytes.toString(ON_DISK)) : bytes.toString(ON_DISK);
  };
  const out: FileEntry = { ...entry };
  if (entry.snippets !== undefined) out.snippets = forDisk(entry.snippets);
  if (packedSis) out.scriptIncludes = entry.scriptIncludes.map((si) => (si.packedBody === undefined ? si : { ...si, packedBody: forDisk(si.packedBody) }));
  return out;
}

/** Moves the entry's packed values into `packs` (in place), where it keeps them in a file. */
export function spillPacked(entry: FileEntry, packs: PackedStore): void {
  if (!packs.spills) return;
  if (typeof entry.snippets === 'string') entry.snippets = packs.put(entry.snippets);
  for (const si of entry.scriptIncludes) if (typeof si.packedBody === 'string') si.packedBody = packs.put(si.packedBody);
}

/** A packed value's bytes: its own, or read from `packs`; undefined when there are none to read. */
function packedBytes(value: string | number, packs: PackedReader | undefined): Buffer | undefined {
  if (typeof value === 'string') return Buffer.from(value, IN_MEMORY);
  return packs?.bytes(value);
}

/**
 * An entry read from the index cache, its packed values back in their form in memory (in place):
 * base64 decoded, and a place in the file beside the base given to `beside` (none: the value is
 * dropped, as one that cannot be read).
 */
export function packedFromDisk(entry: FileEntry, beside?: (place: number) => string | number | undefined): FileEntry {
  const fromDisk = (value: string | number): string | number | undefined => (typeof value === 'string' ? recode(value, ON_DISK, IN_MEMORY) : beside?.(value));
  if (entry.snippets !== undefined) entry.snippets = fromDisk(entry.snippets);
  for (const si of entry.scriptIncludes) if (si.packedBody !== undefined) si.packedBody = fromDisk(si.packedBody);
  return entry;
}

/** Packs what the entry keeps packed (in place): the sites' snippets, the Script Includes' body words. */
export function packEntry(entry: FileEntry): void {
  packSnippets(entry);
  for (const si of entry.scriptIncludes) {
    if (!si.body) continue;
    si.packedBody = deflateRawSync(Buffer.from(si.body.join('\n'), 'utf8'), ZLIB).toString(IN_MEMORY);
    // Undefined, not deleted (as for snippets below).
    si.body = undefined;
  }
}

/**
 * A Script Include's body words: its own, or the packed ones. A packed value that does not unpack
 * (a damaged cache) gives none: the document loses its body words, nothing fails.
 */
export function scriptIncludeBody(si: ScriptIncludeInfo, packs?: PackedReader): readonly string[] {
  if (si.body) return si.body;
  if (si.packedBody === undefined) return [];
  const bytes = packedBytes(si.packedBody, packs);
  if (!bytes) return [];
  try {
    const text = inflateRawSync(bytes, { windowBits: ZLIB.windowBits, maxOutputLength: MAX_PACKED_BODY_BYTES }).toString('utf8');
    return text ? text.split('\n') : [];
  } catch {
    return [];
  }
}

/** Moves the sites' snippets into `entry.snippets` (in place); an entry packed already, or without sites, is left as it is. */
function packSnippets(entry: FileEntry): void {
  const sites = entry.callSites;
  if (!sites.length || !sites.some((s) => s.snippet !== undefined)) return;
  const text = JSON.stringify(sites.map((s) => s.snippet ?? ''));
  entry.snippets = deflateRawSync(Buffer.from(text, 'utf8'), ZLIB).toString(IN_MEMORY);
  // Set to undefined, not deleted: deleting a property V8 did not add last turns the object into
  // a dictionary, and 40,000 call sites so turned grew a first index's heap by 20 MB.
  for (const s of sites) s.snippet = undefined;
}

/**
 * The snippets of the entry's sites, in site order: the packed ones, or the sites' own when not
 * packed. A packed value that does not unpack to one string per site (a damaged cache) gives
 * empty snippets: the usage documents lose their context words, nothing fails.
 */
export function entrySnippets(entry: FileEntry, packs?: PackedReader): string[] {
  const sites = entry.callSites;
  if (entry.snippets === undefined) return sites.map((s) => s.snippet ?? '');
  const bytes = packedBytes(entry.snippets, packs);
  if (!bytes) return sites.map(() => '');
  try {
    // A snippet is at most a few hundred characters: a value that unpacks to far more than its
    // sites could hold is damaged (or made to be), and is not unpacked past that.
    const maxOutputLength = MAX_PACKED_BYTES_PER_SITE * sites.length + 64;
    const list: unknown = JSON.parse(inflateRawSync(bytes, { windowBits: ZLIB.windowBits, maxOutputLength }).toString('utf8'));
    if (Array.isArray(list) && list.length === sites.length && list.every((s) => typeof s === 'string')) return list as string[];
  } catch {
    // Damaged: as below.
  }
  return sites.map(() => '');
}
