/**
 * Terms for the shape of the code just before a hole: the variable the call's result goes to
 * (`var grTracker = ` -> as:gr, as:tracker) and the token that opens the hole (`if (`, `return`,
 * `=`, `(`, `,`). The same function reads a query's cursor line and a usage example's call line,
 * so "a `gr…` variable is being assigned inside a condition" meets the Script Includes the
 * workspace calls in that spot. Pure, linear, no regular expression backtracking on long lines.
 */
import { tokenize } from './tokens';

/** Characters of the line before the hole that are read (a minified line is cut). */
const MAX_LINE = 200;

const KEYWORD_LEADS = new Set(['return', 'if', 'while', 'typeof', 'throw', 'case', 'else']);

/** The hole terms of the text of a line up to the hole (the call's name excluded). */
export function holeTerms(lineBefore: string): string[] {
  let s = lineBefore.length > MAX_LINE ? lineBefore.slice(-MAX_LINE) : lineBefore;
  s = s.replace(/\s+$/, '');
  // `new ` and a scope qualifier belong to the call, not to what precedes it.
  s = s.replace(/(?:^|[^\w$])new$/, (m) => m.slice(0, m.length - 3)).replace(/\s+$/, '');
  s = s.replace(/[A-Za-z_$][\w$]*\.$/, '').replace(/\s+$/, '');
  s = s.replace(/(?:^|[^\w$])new$/, (m) => m.slice(0, m.length - 3)).replace(/\s+$/, '');
  const out: string[] = [];
  if (!s) return ['lead:start'];
  const last = s[s.length - 1];
  if (/[\w$]/.test(last)) {
    const word = /[\w$]+$/.exec(s)![0];
    out.push(KEYWORD_LEADS.has(word) ? `lead:${word}` : 'lead:word');
    return out;
  }
  out.push(`lead:${last}`);
  if (last === '=' && s[s.length - 2] !== '=' && s[s.length - 2] !== '!') {
    const m = /([A-Za-z_$][\w$]*)\s*=$/.exec(s);
    if (m) {
      for (const t of tokenize(m[1])) out.push(`as:${t}`);
      // The variable's leading word, kept even when it is one letter: a naming habit such as
      // `bFound`, `nCount` or `strName` says what the call returns.
      const head = headWord(m[1]);
      if (head) out.push(`as-head:${head}`);
    }
  }
  if (last === '(') {
    const m = /([A-Za-z_$][\w$]*)\s*\($/.exec(s);
    if (m && KEYWORD_LEADS.has(m[1])) out.push(`lead:${m[1]}(`);
    else if (m) for (const t of tokenize(m[1])) out.push(`arg:${t}`);
  }
  return out;
}

/**
 * The first word of an identifier of two words or more (camel case or underscores), lowercase:
 * `bFound` -> b, `strName` -> str, `IsValidRecord` -> is, `MAX_ROWS` -> max; none for one word.
 */
export function headWord(identifier: string): string | undefined {
  const m = /^[_$]*([A-Z]*[a-z]*)(?=[A-Z0-9_$])[A-Za-z0-9_$]/.exec(identifier);
  if (!m || !m[1]) return undefined;
  let head = m[1];
  // `HTMLParser`: an upper-case run followed by a capitalised word ends one letter early.
  if (/^[A-Z]{2,}[a-z]/.test(head)) head = head.slice(0, head.search(/[A-Z][a-z]/));
  return head.toLowerCase();
}

/**
 * The hole terms of a usage example: the shape of the line before the first mention of `target`
 * in `snippet` (case-insensitive), or none when the snippet does not name it.
 */
export function snippetHoleTerms(snippet: string, target: string): string[] {
  if (!target) return [];
  const at = snippet.toLowerCase().indexOf(target.toLowerCase());
  if (at < 0) return [];
  return holeTerms(snippet.slice(snippet.lastIndexOf('\n', at) + 1, at));
}

/**
 * One frozen list per distinct set of hole terms: the shapes before a call are few and recur
 * across tens of thousands of call sites (10 MB as a list of fresh strings per site at 10,000
 * Script Includes). Never emptied: the shapes a server meets in its life are few.
 */
const holeTermLists = new Map<string, readonly string[]>();
const NO_HOLE_TERMS: readonly string[] = Object.freeze([]);

/** The shared frozen list equal to `terms`. */
export function internHoleTerms(terms: readonly string[]): readonly string[] {
  if (!terms.length) return NO_HOLE_TERMS;
  const key = terms.join('\u0000');
  let shared = holeTermLists.get(key);
  if (!shared) holeTermLists.set(key, (shared = Object.freeze([...terms])));
  return shared;
}
