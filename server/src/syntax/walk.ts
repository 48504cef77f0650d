/**
 * A flat, pure-JavaScript copy of a tree-sitter tree: one array slot per named node, in document
 * (pre-)order, with parent, first child, next sibling and field name.
 *
 * Why: every property read on a tree-sitter node crosses into the native binding, and analysis
 * touches each node several times. One cursor walk that reads each node once, then analysis on
 * plain arrays, is several times cheaper and cannot recurse: there is no recursion anywhere, so
 * 20,000 levels of nesting cost what 20,000 siblings cost.
 */
import type { Tree, TreeCursor } from './parser';

export const NONE = -1;

export interface SyntaxTable {
  /** The parsed text; node text is a slice of it. */
  readonly text: string;
  readonly count: number;
  readonly type: string[];
  readonly start: number[];
  readonly end: number[];
  readonly parent: number[];
  readonly firstChild: number[];
  readonly nextSibling: number[];
  readonly prevSibling: number[];
  /** The field this node fills in its parent (`name`, `body`, ...), or '' */
  readonly field: string[];
  /** `static`, `get`, `set` or `async` written before a method, or '' */
  readonly modifier: string[];
  /** ERROR nodes plus nodes the parser had to invent (MISSING). */
  readonly errorCount: number;
  /** Offset of the first error, or NONE. */
  readonly firstErrorOffset: number;
}

/** Node types whose inside the analysis never needs: their text is read by slicing. */
const OPAQUE = new Set([
  'string', 'comment', 'number', 'regex', 'html_comment', 'hash_bang_line',
  // Leaves: asking them for children would be a wasted native call.
  'identifier', 'property_identifier', 'private_property_identifier', 'shorthand_property_identifier',
  'shorthand_property_identifier_pattern', 'statement_identifier', 'string_fragment', 'escape_sequence',
  'this', 'super', 'true', 'false', 'null', 'undefined', 'optional_chain',
]);
const MODIFIERS = new Set(['static', 'get', 'set', 'async']);

/**
 * Type and field names by numeric id. These are constants of the grammar, filled the first time
 * an id is met, so later walks read a number instead of a native string.
 */
interface GrammarNames {
  types: (string | undefined)[];
  named: boolean[];
  fields: (string | undefined)[];
}
const grammarNames: GrammarNames = { types: [], named: [], fields: [] };

function typeName(c: TreeCursor, id: number): string {
  let t = grammarNames.types[id];
  if (t === undefined) {
    t = c.nodeType;
    grammarNames.types[id] = t;
    grammarNames.named[id] = c.nodeIsNamed;
  }
  return t;
}

function fieldName(c: TreeCursor, id: number): string {
  if (id === 0) return '';
  let f = grammarNames.fields[id];
  if (f === undefined) {
    f = c.currentFieldName ?? '';
    grammarNames.fields[id] = f;
  }
  return f;
}

/** Copies the tree into a SyntaxTable with a single cursor walk. */
export function buildSyntaxTable(tree: Tree, text: string): SyntaxTable {
  const type: string[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const parent: number[] = [];
  const firstChild: number[] = [];
  const nextSibling: number[] = [];
  const prevSibling: number[] = [];
  const field: string[] = [];
  const modifier: string[] = [];
  let errorCount = 0;
  let firstErrorOffset = NONE;
  // MISSING nodes are invisible to the ERROR count; asking each node costs a native call, so ask
  // only when the tree says it has errors.
  const checkMissing = tree.rootNode.hasError;

  const c = tree.walk();
  // For each open ancestor: its index and the last child recorded under it.
  const stack: number[] = [];
  const lastChild: number[] = [];
  for (;;) {
    const id = c.nodeTypeId;
    const t = typeName(c, id);
    let descend = false;
    if (grammarNames.named[id]) {
      const i = type.length;
      const p = stack.length ? stack[stack.length - 1] : NONE;
      type.push(t);
      start.push(c.startIndex);
      end.push(c.endIndex);
      parent.push(p);
      firstChild.push(NONE);
      nextSibling.push(NONE);
      prevSibling.push(NONE);
      field.push(fieldName(c, c.currentFieldId));
      modifier.push('');
      if (p !== NONE) {
        const prev = lastChild[lastChild.length - 1];
        if (prev === NONE) firstChild[p] = i;
        else {
          nextSibling[prev] = i;
          prevSibling[i] = prev;
        }
        lastChild[lastChild.length - 1] = i;
      }
      if (t === 'ERROR' || (checkMissing && c.nodeIsMissing)) {
        errorCount++;
        if (firstErrorOffset === NONE) firstErrorOffset = start[i];
      }
      if (!OPAQUE.has(t) && c.gotoFirstChild()) {
        stack.push(i);
        lastChild.push(NONE);
        descend = true;
      }
    } else {
      if (MODIFIERS.has(t) && stack.length) {
        const p = stack[stack.length - 1];
        if (type[p] === 'method_definition' || type[p] === 'field_definition') modifier[p] = t;
      }
      if (checkMissing && c.nodeIsMissing) {
        errorCount++;
        if (firstErrorOffset === NONE) firstErrorOffset = c.startIndex;
      }
      // Anonymous nodes are tokens (punctuation, keywords): leaves, never worth descending.
    }
    if (descend) continue;
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) {
        return { text, count: type.length, type, start, end, parent, firstChild, nextSibling, prevSibling, field, modifier, errorCount, firstErrorOffset };
      }
      stack.pop();
      lastChild.pop();
    }
  }
}


export function nodeText(t: SyntaxTable, i: number): string {
  return t.text.slice(t.start[i], t.end[i]);
}

/** First child filling `name`, or NONE. */
export function childByField(t: SyntaxTable, i: number, name: string): number {
  for (let c = t.firstChild[i]; c !== NONE; c = t.nextSibling[c]) if (t.field[c] === name) return c;
  return NONE;
}

export function children(t: SyntaxTable, i: number): number[] {
  const out: number[] = [];
  for (let c = t.firstChild[i]; c !== NONE; c = t.nextSibling[c]) out.push(c);
  return out;
}

/** Named children that are not comments. */
export function codeChildren(t: SyntaxTable, i: number): number[] {
  const out: number[] = [];
  for (let c = t.firstChild[i]; c !== NONE; c = t.nextSibling[c]) if (t.type[c] !== 'comment') out.push(c);
  return out;
}

/** Skips any wrapping parentheses: `((x))` -> `x`. */
export function unwrapParens(t: SyntaxTable, i: number): number {
  let n = i;
  while (n !== NONE && t.type[n] === 'parenthesized_expression') {
    const inner = codeChildren(t, n);
    n = inner.length ? inner[inner.length - 1] : NONE;
  }
  return n;
}

/** The innermost enclosing node of one of `types`, or NONE. */
export function enclosing(t: SyntaxTable, i: number, types: ReadonlySet<string>): number {
  for (let p = t.parent[i]; p !== NONE; p = t.parent[p]) if (types.has(t.type[p])) return p;
  return NONE;
}

/** The value of a string literal node without its quotes (common escapes resolved). */
export function stringValue(t: SyntaxTable, i: number): string {
  const raw = t.text.slice(t.start[i] + 1, t.end[i] - 1);
  return raw.indexOf('\\') < 0 ? raw : raw.replace(/\\(.)/g, '$1');
}

/** A string literal, or a template without substitutions: a constant. */
export function isStringLiteral(t: SyntaxTable, i: number): boolean {
  if (t.type[i] === 'string') return true;
  if (t.type[i] !== 'template_string') return false;
  for (let c = t.firstChild[i]; c !== NONE; c = t.nextSibling[c]) if (t.type[c] === 'template_substitution') return false;
  return true;
}
