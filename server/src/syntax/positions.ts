/**
 * The one module that converts between offsets, LSP positions and tree-sitter points.
 *
 * Everything is in UTF-16 code units, which is what JavaScript string indices, LSP characters
 * and the Node tree-sitter binding all use. Line breaks follow LSP: `\r\n`, `\n` and a lone `\r`
 * each end a line (tree-sitter rows only count `\n`, so offsets are the safer currency).
 */
import type { Position, Range } from '../model';

/** A tree-sitter point: 0-based row and UTF-16 column. */
export interface Point {
  row: number;
  column: number;
}

/** What `pointToPosition` and `nodeRange` need of a tree-sitter node. */
export interface PointSpan {
  startPosition: Point;
  endPosition: Point;
}

/** Offsets at which each line starts; line 0 starts at 0. */
function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) starts.push(i + 1);
    else if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * Fast repeated offset <-> position conversion on one text: line starts are computed once and
 * looked up by binary search.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    this.starts = computeLineStarts(text);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset of the first character of `line` (clamped to the text). */
  lineStart(line: number): number {
    if (line <= 0) return 0;
    if (line >= this.starts.length) return this.text.length;
    return this.starts[line];
  }

  /** 0-based line holding `offset` (clamped to the text). */
  lineAt(offset: number): number {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(o);
    return { line, character: o - this.starts[line] };
  }

  /** Offset of `pos`; a character past the end of its line clamps to the line's end. */
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    let end = next;
    // The line's content stops before its line break.
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.min(start + Math.max(0, pos.character), end);
  }
}

export function offsetToPosition(text: string, offset: number): Position {
  return new LineIndex(text).positionAt(offset);
}

export function positionToOffset(text: string, pos: Position): number {
  return new LineIndex(text).offsetAt(pos);
}

/**
 * A position inside a script -> the same place in the file the script is embedded in. Only the
 * script's first line shares its line with text before the script (an XML CDATA opening), so
 * only it is shifted sideways.
 */
export function shiftPosition(pos: Position, scriptStart: Position): Position {
  if (pos.line === 0) return { line: scriptStart.line, character: scriptStart.character + pos.character };
  return { line: scriptStart.line + pos.line, character: pos.character };
}

export function shiftRange(range: Range, scriptStart: Position): Range {
  return { start: shiftPosition(range.start, scriptStart), end: shiftPosition(range.end, scriptStart) };
}

/** Script offsets -> a range in file coordinates. */
export function offsetsToRange(index: LineIndex, start: number, end: number, scriptStart: Position): Range {
  return {
    start: shiftPosition(index.positionAt(start), scriptStart),
    end: shiftPosition(index.positionAt(end), scriptStart),
  };
}

export function pointToPosition(point: Point): Position {
  return { line: point.row, character: point.column };
}

export function positionToPoint(pos: Position): Point {
  return { row: pos.line, column: pos.character };
}

/**
 * A tree-sitter node's range as an LSP range. Rows are tree-sitter's (`\n` only); for texts
 * that may hold lone `\r`, convert the node's offsets with a `LineIndex` instead.
 */
export function nodeRange(node: PointSpan): Range {
  return { start: pointToPosition(node.startPosition), end: pointToPosition(node.endPosition) };
}
