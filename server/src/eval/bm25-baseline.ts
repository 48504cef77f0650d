/**
 * The `bm25` baseline: plain BM25 over raw Script Include code, the query being the raw code
 * before the hole. It is the paper's starting point and what every other stage must beat, so it
 * takes none of their help: no knowledge-graph pruning (scope, access, side), no JSDoc or usage
 * enrichment, no query building beyond tokenizing the code.
 *
 * - Documents: one per active Script Include, its script text as stored on disk (re-read in
 *   prepare(); a record holding several Script Includes is cut to each one's lines), tokenized
 *   with the index's `tokenize`, in a single field.
 * - Query: the tokens of the last `queryTokens` (default 256) of the prefix's tokens. The code
 *   nearest the hole says most about it, and a bounded query keeps latency independent of how
 *   long the caller is; `queryTokens: 0` uses the whole prefix.
 * - `exclude`d files' Script Includes are never answered. With typed characters, only names
 *   starting with them (case-insensitive) are answered, and names that score nothing follow the
 *   scored ones alphabetically, as a completion list filtered by what was typed would show them.
 */
import { defaultSettings } from '../config';
import { ScriptIncludeInfo, SourceRecord } from '../model';
import { ApiIndex } from '../index/api-index';
import { Bm25Index } from '../index/bm25';
import { tokenize } from '../text/tokens';
import { readWorkspaceFile } from '../workspace/read';
import { DEPTH } from './metrics';
import { EvalAnswer, EvalCase, EvalPipeline } from './types';

export interface Bm25BaselineOptions {
  /** Last tokens of the prefix used as the query; 0 for all. Default 256. */
  queryTokens?: number;
  /** Answers returned. Default 40. */
  depth?: number;
  maxFileSize?: number;
}

interface BaselineDoc {
  name: string;
  apiName: string;
  /** The files it comes from (the index entry's path and the script's path), for `exclude`. */
  paths: string[];
}

/** The lines [from, to] (0-based, inclusive) of a text. */
function lineSlice(text: string, from: number, to: number): string {
  return text
    .split('\n')
    .slice(Math.max(0, from), Math.max(0, to + 1))
    .join('\n');
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The raw code of one Script Include: its record's script, or only its lines when the record
 * defines several (a plain file with two classes). Empty when no record holds it (name only).
 */
export function scriptIncludeCode(si: ScriptIncludeInfo, records: readonly SourceRecord[], entryPath: string, siblings: number): string {
  for (const r of records) {
    if ((r.scriptPath ?? entryPath) !== si.path) continue;
    const first = r.scriptStart.line;
    const last = first + lineCount(r.script) - 1;
    if (si.range.start.line < first || si.range.start.line > last) continue;
    if (siblings <= 1) return r.script;
    return lineSlice(r.script, si.range.start.line - first, si.range.end.line - first);
  }
  return '';
}

/** The query terms of a prefix: its last `n` tokens (all when n <= 0). */
export function prefixQuery(prefix: string, n: number): string[] {
  const tokens = tokenize(prefix);
  return n > 0 && tokens.length > n ? tokens.slice(tokens.length - n) : tokens;
}

export function createBm25Baseline(index: ApiIndex, root: string, opts: Bm25BaselineOptions = {}): EvalPipeline {
  const queryTokens = opts.queryTokens ?? 256;
  const depth = opts.depth ?? DEPTH;
  const maxFileSize = opts.maxFileSize ?? defaultSettings()['index.maxFileSize'];
  const docs: BaselineDoc[] = [];
  const bm25 = new Bm25Index<'code'>({ fields: { code: { weight: 1, b: 0.75 } } });
  let byName: number[] = [];

  return {
    name: 'bm25',
    async prepare() {
      for (const entry of index.visibleFiles()) {
        const active = entry.scriptIncludes.filter((si) => si.active);
        if (!active.length) continue;
        const read = await readWorkspaceFile(root, entry.path, { maxFileSize });
        for (const si of active) {
          const siblings = entry.scriptIncludes.filter((o) => o.path === si.path).length;
          const code = scriptIncludeCode(si, read.records, entry.path, siblings);
          const id = docs.length;
          docs.push({ name: si.name, apiName: si.apiName, paths: [...new Set([entry.path, si.path])] });
          bm25.add(id, { code: tokenize(code) });
        }
      }
      byName = docs.map((_, i) => i).sort((a, b) => (docs[a].name.toLowerCase() < docs[b].name.toLowerCase() ? -1 : docs[a].name.toLowerCase() > docs[b].name.toLowerCase() ? 1 : a - b));
    },
    async answer(c: EvalCase, typed: string): Promise<EvalAnswer> {
      const hidden = new Set(c.exclude ?? []);
      const want = typed.toLowerCase();
      const allowed = (id: number): boolean => {
        const d = docs[id];
        return (!want || d.name.toLowerCase().startsWith(want)) && !d.paths.some((p) => hidden.has(p));
      };
      const query = prefixQuery(c.prefix, queryTokens).map((term) => ({ term, weight: 1 }));
      const ids = bm25.search(query, depth, allowed).map((h) => h.id);
      if (want) {
        const seen = new Set(ids);
        for (const id of byName) {
          if (ids.length >= depth) break;
          if (!seen.has(id) && allowed(id)) ids.push(id);
        }
      }
      return { scriptIncludes: ids.map((id) => docs[id].apiName) };
    },
  };
}
