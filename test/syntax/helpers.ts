/** Shared builders for the syntax tests. */
import type { Position, Range, SourceRecord } from '../../server/src/model';
import { offsetToPosition, shiftPosition } from '../../server/src/syntax/positions';

export function record(script: string, over: Partial<SourceRecord> = {}): SourceRecord {
  return {
    table: 'sys_script_include',
    name: 'HRUtils',
    scope: 'x_acme_hr',
    active: true,
    side: 'server',
    field: 'script',
    script,
    scriptStart: { line: 0, character: 0 },
    layout: 'plain',
    ...over,
  };
}

/** The file range of the `nth` occurrence of `needle` in `script` (optionally after `after`). */
export function rangeOf(script: string, needle: string, scriptStart: Position = { line: 0, character: 0 }, after = ''): Range {
  const from = after ? script.indexOf(after) : 0;
  const at = script.indexOf(needle, from);
  if (at < 0) throw new Error(`fixture lacks ${needle}`);
  return {
    start: shiftPosition(offsetToPosition(script, at), scriptStart),
    end: shiftPosition(offsetToPosition(script, at + needle.length), scriptStart),
  };
}

/** Lines joined with `\n`, so fixtures read like code. */
export function lines(...l: string[]): string {
  return l.join('\n');
}
