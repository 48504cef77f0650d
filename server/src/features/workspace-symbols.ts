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
  const scored: Array<{ score: number; info: SymbolInformation }> = [];
  for (const source of sources) {
    for (const si of source.scriptIncludes()) {
      if (token?.isCancellationRequested) return [];
      const uri = source.uriOf(si.path);
      const siScore = matchScore(si.name, q) ?? matchScore(si.apiName, q);
      if (siScore !== undefined) {
        scored.push({
          score: siScore,
          info: { name: si.name, kind: SymbolKind.Class, location: { uri, range: si.nameRange }, containerName: si.apiName },
        });
      }
      for (const m of si.methods) {
        const mScore = matchScore(m.name, q);
        if (mScore === undefined) continue;
        scored.push({
          score: mScore + (m.isPrivate ? 0.5 : 0) + 0.25,
          info: { name: m.name, kind: SymbolKind.Method, location: { uri, range: m.nameRange }, containerName: si.apiName },
        });
      }
    }
  }
  scored.sort((a, b) => a.score - b.score || a.info.name.localeCompare(b.info.name));
  return scored.slice(0, LIMIT).map((s) => s.info);
}

/** Lower is better; undefined when the name does not match at all. */
export function matchScore(name: string, q: string): number | undefined {
  if (!q) return 4;
  const n = name.toLowerCase();
  if (n === q) return 0;
  if (n.startsWith(q)) return 1;
  const at = n.indexOf(q);
  if (at > 0) {
    const before = name[at - 1];
    const startsWord = before === '_' || before === '.' || (name[at] >= 'A' && name[at] <= 'Z');
    return startsWord ? 2 : 3;
  }
  let i = 0;
  for (const ch of n) if (ch === q[i] && ++i === q.length) return 4;
  return undefined;
}
