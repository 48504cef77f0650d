/**
 * Bytes to text for workspace files, and string offsets to LSP positions. Pure: the caller
 * reads the bytes. Files are decoded leniently (a stray Latin-1 byte must not hide a whole
 * Script Include), but binary content is refused so it never reaches the parsers.
 */
import { isUtf8 } from 'node:buffer';

export type Decoded =
  | { kind: 'binary'; reason: string }
  | { kind: 'text'; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; invalidUtf8: boolean };

/** How much of the head of a file decides whether it is binary. */
const SNIFF_BYTES = 8 * 1024;
/** Above this share of control characters in the head, a file is taken as binary. */
const CONTROL_SHARE = 0.1;

/** Why the head of a buffer looks binary (NUL bytes, many control characters), or undefined. */
export function binaryReason(bytes: Uint8Array): string | undefined {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return 'contains NUL bytes';
    // Tab, line feed, form feed, carriage return and escape appear in real text files.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) control++;
  }
  return n > 0 && control / n > CONTROL_SHARE ? 'mostly control characters' : undefined;
}

/**
 * Decodes a file's bytes: UTF-16 when it starts with a byte-order mark (Windows exports), else
 * UTF-8 with replacement characters for invalid sequences. A UTF-8 byte-order mark is dropped,
 * as editors do, so positions match the editor's view of the file.
 */
export function decodeBytes(bytes: Uint8Array): Decoded {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { kind: 'text', text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le', invalidUtf8: false };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { kind: 'text', text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be', invalidUtf8: false };
  }
  const reason = binaryReason(bytes);
  if (reason) return { kind: 'binary', reason };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return { kind: 'text', text, encoding: 'utf-8', invalidUtf8: !isUtf8(bytes) };
}


