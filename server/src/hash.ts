/**
 * The one small non-cryptographic hash of the project: 32-bit FNV-1a, with murmur3's finaliser to
 * spread its bits. Used where a stable, fast fingerprint is wanted (hashed token features, seeds
 * of sub-streams, model fingerprints); content hashes of files use sha256.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of a string's UTF-16 code units, from an offset basis mixed with `seed`. */
export function fnv1a(text: string, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** Continues an FNV-1a hash over bytes (start from `fnv1aStart()`): for streaming large inputs. */
export function fnv1aBytes(h: number, bytes: ArrayLike<number>): number {
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** The offset basis a streamed FNV-1a starts from. */
export function fnv1aStart(): number {
  return FNV_OFFSET;
}

/** murmur3's 32-bit finaliser: every input bit reaches every output bit. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
