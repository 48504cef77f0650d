/**
 * workspace/symbol: Script Includes and their methods across every workspace folder, matched by a
 * case-insensitive fuzzy query (exact, then prefix, then word start, then substring, then
 * subsequence), public methods before private ones.
 */
import { SymbolInformation, SymbolKind } from 'vscode-languageserver';
import { ScriptIncludeInfo } from '../model';
import { CancellationLike } from './common';

export interface SymbolSource {
  scriptIncludes(): Iterable<ScriptIncludeInfo>;
  uriOf(relPath: string): string;
}

const LIMIT = 500;

export function workspaceSymbols(sources: readonly SymbolSource[], query: string, token?: CancellationLike): SymbolInformation[] {
  const q = query.trim().toLowerCase();
  // Score everything first and build symbols (with their URIs, which cost) for the best only.
  const scored: Array<{ score: number; name: string; kind: SymbolKind; si: ScriptIncludeInfo; range: SymbolInformation['location']['range']; source: SymbolSource }> = [];
  for (const source of sources) {
    for (const si of source.scriptIncludes()) {
      if (token?.isCancellationRequested) return [];
      const siScore = matchScore(si.name, q) ?? matchScore(si.apiName, q);
      if (siScore !== undefined) scored.push({ score: siScore, name: si.name, kind: SymbolKind.Class, si, range: si.nameRange, source });
      for (const m of si.methods) {
        const mScore = matchScore(m.name, q);
        if (mScore === undefined) continue;
        scored.push({ score: mScore + (m.isPrivate ? 0.5 : 0) + 0.25, name: m.name, kind: SymbolKind.Method, si, range: m.nameRange, source });
      }
    }
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, LIMIT).map((s) => ({ name: s.name, kind: s.kind, location: { uri: s.source.uriOf(s.si.path), range: s.range }, containerName: s.si.apiName }));
}

/** ASCII-folded char code: matching ignores case without allocating lowercased copies. */
function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Where `q` (already lowercase) occurs in `name` ignoring case, from `from`; -1 when it does not. */
function indexOfFolded(name: string, q: string, from = 0): number {
  outer: for (let i = from; i + q.length <= name.length; i++) {
    for (let j = 0; j < q.length; j++) if (fold(name.charCodeAt(i + j)) !== q.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** Lower is better; undefined when the name does not match at all. `q` must be lowercase. */
export function matchScore(name: string, q: string): number | undefined {
  if (!q) return 4;
  const at = indexOfFolded(name, q);
  if (at === 0) return name.length === q.length ? 0 : 1;
  if (at > 0) {
    const before = name.charCodeAt(at - 1);
    const first = name.charCodeAt(at);
    const startsWord = before === 95 /* _ */ || before === 46 /* . */ || (first >= 65 && first <= 90);
    return startsWord ? 2 : 3;
  }
  let i = 0;
  for (let k = 0; k < name.length; k++) if (fold(name.charCodeAt(k)) === q.charCodeAt(i) && ++i === q.length) return 4;
  return undefined;
}
