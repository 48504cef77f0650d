/**
 * Code-aware tokens for retrieval. The same function turns index documents (names, JSDoc,
 * snippets) and cursor queries (identifiers, string literals, comments) into terms, so the two
 * sides meet: `getManagerForUser` in a query finds the method named so, and also documents that
 * talk about "managers" and "users".
 *
 * Everything here scans characters by hand instead of with regular expressions: the input can be
 * a minified multi-megabyte line, and a hand-written scanner is linear by construction.
 */

/** JavaScript keywords and code noise that occur everywhere and so tell documents apart poorly. */
const CODE_STOP_WORDS = [
  'var', 'let', 'const', 'function', 'return', 'this', 'new', 'true', 'false', 'null', 'undefined',
  'if', 'else', 'for', 'while', 'do', 'switch', 'case', 'break', 'continue', 'try', 'catch',
  'finally', 'throw', 'typeof', 'instanceof', 'in', 'of', 'void', 'delete', 'with', 'class',
  'extends', 'super', 'import', 'export', 'default', 'yield', 'await', 'async', 'static',
  'prototype', 'arguments', 'length', 'nan', 'infinity', 'param', 'returns', 'type',
];

/** The commonest English function words, for descriptions and comments. */
const PROSE_STOP_WORDS = [
  'a', 'an', 'the', 'and', 'or', 'not', 'no', 'to', 'is', 'it', 'its', 'be', 'as', 'at', 'by',
  'on', 'are', 'was', 'were', 'been', 'that', 'these', 'those', 'from', 'but', 'so', 'than',
  'then', 'there', 'which', 'who', 'will', 'can', 'has', 'have', 'had', 'into', 'also', 'all',
  'any', 'some', 'such', 'our', 'we', 'you', 'your', 'he', 'she', 'they', 'them', 'their', 'my',
  'me', 'i', 'us', 'am', 'would', 'should', 'could', 'may', 'must', 'when', 'where', 'how', 'what',
];

/** Terms `tokenize` drops by default. Compared after lowercasing, before stemming. */
export const STOP_WORDS: ReadonlySet<string> = new Set([...CODE_STOP_WORDS, ...PROSE_STOP_WORDS]);

export interface TokenizeOptions {
  /** Terms to drop (lowercase). Default `STOP_WORDS`. */
  stopWords?: ReadonlySet<string>;
  /** Fold plural, -ing and -ed forms (`records`, `recording`, `recorded` -> `record`). Default true. */
  stem?: boolean;
  /** Also emit a multi-part identifier whole, lowercased (`incidentutils`). Default true. */
  keepWhole?: boolean;
  /** Shorter terms are dropped. Default 2. */
  minLength?: number;
  /** Longer terms are dropped: base64 blobs and minified names carry no meaning. Default 48. */
  maxLength?: number;
}

// Character classes of the scanner.
const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
/** `_` and `$`: part of an identifier, but separate its parts. */
const JOINER = 4;

const UNICODE_UPPER = /\p{Lu}|\p{Lt}/u;
const UNICODE_WORD = /\p{L}|\p{M}|\p{Nd}/u;

/** The class of the code point starting at `i` (ASCII fast path; Unicode letters by property). */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) {
    if (c >= 97 && c <= 122) return LOWER;
    if (c >= 65 && c <= 90) return UPPER;
    if (c >= 48 && c <= 57) return DIGIT;
    if (c === 95 || c === 36) return JOINER;
    return OTHER;
  }
  const ch = String.fromCodePoint(text.codePointAt(i)!);
  if (!UNICODE_WORD.test(ch)) return OTHER;
  if (UNICODE_UPPER.test(ch)) return UPPER;
  return /\p{Nd}/u.test(ch) ? DIGIT : LOWER;
}

/** UTF-16 length of the code point at `i` (2 for a surrogate pair). */
function widthAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
}

/** `IDs`, `URLs`: a lone `s` after an acronym is its plural, not the start of a word. */
function isAcronymPlural(text: string, i: number, to: number): boolean {
  return text.charCodeAt(i) === 115 && (i + 1 >= to || classAt(text, i + 1) !== LOWER);
}

/**
 * Calls `emit(start, end)` for every identifier part of `word[from, to)`: splits at `_`/`$`,
 * at lower->Upper (`getManager`), at the last capital of an acronym (`HRAjax` -> `HR`, `Ajax`)
 * and between letters and digits (`utf8Encode` -> `utf`, `8`, `encode`).
 */
function forEachPart(text: string, from: number, to: number, emit: (start: number, end: number) => void): void {
  let start = -1;
  let prev = OTHER;
  let i = from;
  while (i < to) {
    const cls = classAt(text, i);
    const w = widthAt(text, i);
    if (cls === JOINER || cls === OTHER) {
      if (start >= 0) emit(start, i);
      start = -1;
      prev = OTHER;
      i += w;
      continue;
    }
    if (start < 0) {
      start = i;
    } else if (cls === DIGIT ? prev !== DIGIT : prev === DIGIT) {
      emit(start, i);
      start = i;
    } else if (cls === UPPER && prev === LOWER) {
      emit(start, i);
      start = i;
    } else if (cls === LOWER && prev === UPPER && i - start > 1 && !isAcronymPlural(text, i, to)) {
      // `HRAjax`: the capital before the first lowercase letter starts the next part.
      const j = i - 1;
      emit(start, j);
      start = j;
    }
    prev = cls;
    i += w;
  }
  if (start >= 0) emit(start, to);
}

/**
 * The lowercased parts of an identifier: `getManagerForUser` -> get, manager, for, user;
 * `HRAjaxUtils` -> hr, ajax, utils; `sys_user_group` -> sys, user, group; `sha256Hash` -> sha,
 * 256, hash. Non-identifier characters separate parts too, so a dotted name splits at the dots.
 */
export function splitIdentifier(identifier: string): string[] {
  const parts: string[] = [];
  forEachPart(identifier, 0, identifier.length, (s, e) => parts.push(identifier.slice(s, e).toLowerCase()));
  return parts;
}

function isVowel(c: number): boolean {
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117 || c === 121;
}

function hasVowel(word: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (isVowel(word.charCodeAt(i))) return true;
  return false;
}

function isLowerAscii(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/** Drops `-ing`/`-ed` and undoubles a final consonant when what is left still looks like a word. */
function stripVerbEnding(word: string): string {
  let cut = 0;
  if (word.endsWith('ing')) cut = 3;
  else if (word.endsWith('ed') && !word.endsWith('eed')) cut = 2;
  if (cut === 0) return word;
  const stemEnd = word.length - cut;
  if (stemEnd < 3 || !hasVowel(word, stemEnd)) return word;
  let stem = word.slice(0, stemEnd);
  const last = stem.charCodeAt(stem.length - 1);
  // `getting` -> get, `submitted` -> submit; but `called` stays call, `added` stays add.
  if (stem.length > 3 && last === stem.charCodeAt(stem.length - 2) && !isVowel(last) && last !== 108 && last !== 115 && last !== 122) {
    stem = stem.slice(0, -1);
  }
  return stem;
}

/**
 * A light, conservative English stemmer for lowercase ASCII words of four letters or more:
 * folds plurals, -ing and -ed, then drops a final `e`, so `update`, `updates`, `updated` and
 * `updating` all become `updat`. Anything else (short words, digits, Unicode) is returned as is:
 * a wrong merge costs retrieval more than a missed one.
 */
export function stem(word: string): string {
  if (word.length < 4 || !isLowerAscii(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  w = stripVerbEnding(w);
  if (w.length > 3 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

/**
 * Terms of a piece of code or prose, in order, with repeats (term frequency matters to BM25).
 * Identifiers give their parts and, when they have several, the whole identifier lowercased;
 * the contents of string literals and comments are read like any other text; keywords, common
 * English words, number literals and one-letter terms are dropped.
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const stopWords = options.stopWords ?? STOP_WORDS;
  const doStem = options.stem ?? true;
  const keepWhole = options.keepWhole ?? true;
  const minLength = options.minLength ?? 2;
  const maxLength = options.maxLength ?? 48;
  const out: string[] = [];

  let parts = 0;
  const emitPart = (s: number, e: number): void => {
    parts++;
    if (e - s < minLength || e - s > maxLength) return;
    const part = text.slice(s, e).toLowerCase();
    if (stopWords.has(part)) return;
    out.push(doStem ? stem(part) : part);
  };

  let i = 0;
  const n = text.length;
  while (i < n) {
    const cls = classAt(text, i);
    if (cls === OTHER) {
      i += widthAt(text, i);
      continue;
    }
    let end = i;
    while (end < n && classAt(text, end) !== OTHER) end += widthAt(text, end);
    // A number literal (`42`, `0x1F`, `1e3`) names nothing.
    if (cls !== DIGIT) {
      parts = 0;
      forEachPart(text, i, end, emitPart);
      if (keepWhole && parts > 1) emitWhole(text, i, end, minLength, maxLength, stopWords, out);
    }
    i = end;
  }
  return out;
}

/** The whole identifier, lowercased, without leading or trailing `_`/`$` (`_getX_` -> `getx`). */
function emitWhole(text: string, s: number, e: number, minLength: number, maxLength: number, stopWords: ReadonlySet<string>, out: string[]): void {
  while (s < e && classAt(text, s) === JOINER) s++;
  while (e > s && classAt(text, e - 1) === JOINER) e--;
  if (e - s < minLength || e - s > maxLength) return;
  const whole = text.slice(s, e).toLowerCase();
  if (!stopWords.has(whole)) out.push(whole);
}

/** Counts of each term, for building weighted queries. */
export function termCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
