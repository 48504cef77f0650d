/**
 * Cursor-marker fixtures: `var u = new HRU|` -> the text without the marker and the cursor
 * offset. The marker is a lone `|`; `||` in a fixture is code and is left alone.
 */
export interface CursorFixture {
  text: string;
  offset: number;
}

const LONE_BAR = /(?<!\|)\|(?!\|)/g;

/** Throws (a broken fixture is a broken test) unless the source holds exactly one lone `|`. */
export function cursorFixture(source: string): CursorFixture {
  const hits = [...source.matchAll(LONE_BAR)];
  if (hits.length !== 1) throw new Error(`cursor fixture needs exactly one lone '|', found ${hits.length}`);
  const offset = hits[0].index ?? 0;
  return { text: source.slice(0, offset) + source.slice(offset + 1), offset };
}
