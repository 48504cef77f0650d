/**
 * What the cursor is in the middle of, as far as API prediction cares: the kind of position
 * (after `new`, after `x.`, inside `new GlideAjax('`, ...), what is typed there, and the code
 * around it that a query can use.
 *
 * Runs on every keystroke, so it reads a bounded window of text before the cursor (tokens, see
 * cursor-tokens.ts) and asks the tree only for the function around the cursor, walking up from
 * the cursor's node rather than over the whole tree.
 *
 * The leak rule shapes everything here: in evaluation the text after the cursor is the hidden
 * answer, so nothing at or after the cursor enters the context except `suffix`, and the typed
 * fragment itself appears nowhere but in `typed`.
 */
import type { CursorContext, FileFacts, PositionKind } from '../retrieval/types';
import { findPlatformApi } from '../platform/platform-apis';
import { isExcludedName, isGlideGlobal, isPlatformClass, isPlatformNamespace, isScopeName, isTableClass } from '../platform/names';
import { takesEncodedQuery, takesField, takesProperty } from '../platform/tables';
import { KEYWORDS, Lexed, OpenFunction, Token, lexRange, openFunction } from './cursor-tokens';
import type { SyntaxNode, Tree } from './parser';

const WINDOW_LINES = 150;
const MAX_IDENTIFIERS = 200;
const MAX_CALLS = 20;
const MAX_STRINGS = 60;
const MAX_COMMENTS = 20;
const MAX_LINES = 30;
const MAX_APIS = 60;
const MAX_COMMENT_CHARS = 400;
const MAX_STRING_CHARS = 200;
const SUFFIX_LINES = 5;
const SUFFIX_CHARS = 400;
/** How far back (characters) a variable's `= new X()` is searched for when outside the window. */
const BINDING_SEARCH_CHARS = 200_000;

/** What a variable was last seen holding: an instance of `cls`, or a string. */
interface Binding {
  /** The class as written, qualifier apart; platform classes keep their namespace (`sn_ws.RESTMessageV2`). */
  cls?: string;
  qualifier?: string;
  /** `cls` is a platform class (its members are Glide APIs), not a Script Include. */
  platform?: boolean;
  /** First constructor argument when it is a string (GlideAjax target, GlideRecord table). */
  arg?: string;
  str?: string;
}

/** The facts of the window before the cursor, gathered in one forward pass over its tokens. */
interface WindowFacts {
  bindings: Map<string, Binding>;
  /** In document order; reversed (nearest first) at the end. */
  glideApis: string[];
  tables: string[];
}

/** Never throws. `text` is the script (for an XML record, only the script), `offset` the cursor in it. */
export function cursorContext(text: string, tree: Tree, offset: number, facts: FileFacts): CursorContext {
  const at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, text.length));
  try {
    return buildContext(text, tree, at, facts);
  } catch {
    // Defensive: an unexpected tree shape must not break completion; offer a bare position.
    return emptyContext(text, at, facts, 'bare');
  }
}

function emptyContext(text: string, at: number, facts: FileFacts, kind: PositionKind): CursorContext {
  return {
    ...factsOf(facts),
    kind,
    typed: '',
    replaceStart: at,
    replaceEnd: at,
    identifiers: [],
    callsBefore: [],
    callsAfter: callsAfter(text, at),
    strings: [],
    comments: [],
    glideApis: [],
    tables: [],
    linesBefore: linesBefore(text, at),
    suffix: suffixOf(text, at),
  };
}

function factsOf(facts: FileFacts): FileFacts {
  const out: FileFacts = { recordType: facts.recordType, side: facts.side, scope: facts.scope };
  if (facts.collection !== undefined) out.collection = facts.collection;
  if (facts.recordName !== undefined) out.recordName = facts.recordName;
  return out;
}

/** The kind-specific part of the context. */
interface Position {
  kind: PositionKind;
  typed: string;
  replaceStart: number;
  qualifier?: string;
  receiver?: CursorContext['receiver'];
  ajaxTarget?: CursorContext['ajaxTarget'];
  table?: string;
}

function buildContext(text: string, tree: Tree, at: number, facts: FileFacts): CursorContext {
  const from = windowStart(text, tree, at);
  const lexed = lexRange(text, from, at);
  const tokens = lexed.tokens;
  // The identifier being typed is the last token when it touches the cursor.
  const last = tokens[tokens.length - 1];
  const typedToken = lexed.open === 'none' && last && last.kind === 'ident' && last.end === at ? last : undefined;
  const before = typedToken ? tokens.slice(0, -1) : tokens;
  const win = windowFacts(before);
  const resolve = (key: string) => win.bindings.get(key) ?? bindingBefore(text, from, key);

  const pos = lexed.open === 'none' ? codePosition(text, before, typedToken, at, resolve, facts) : openPosition(text, lexed, before, at, resolve, facts);
  const ctx: CursorContext = {
    ...factsOf(facts),
    kind: pos.kind,
    typed: pos.typed,
    replaceStart: pos.replaceStart,
    replaceEnd: at,
    identifiers: identifiersOf(before, pos.typed),
    callsBefore: callHeads(before, MAX_CALLS, true),
    callsAfter: callsAfter(text, at),
    strings: stringsOf(before, pos.typed),
    comments: commentsOf(before),
    glideApis: dedupeReversed(win.glideApis, MAX_APIS),
    tables: dedupeReversed(win.tables, MAX_APIS),
    linesBefore: linesBefore(text, pos.replaceStart),
    suffix: suffixOf(text, at),
  };
  if (pos.qualifier !== undefined) ctx.qualifier = pos.qualifier;
  if (pos.receiver) ctx.receiver = pos.receiver;
  if (pos.ajaxTarget) ctx.ajaxTarget = pos.ajaxTarget;
  if (pos.table !== undefined) ctx.table = pos.table;
  // The tokens see exactly what was typed; the tree knows functions that began before the window.
  const open = openFunction(text, before);
  const fn = open ? functionFromTokens(text, open) : enclosingFunction(text, tree, pos.replaceStart);
  if (fn) ctx.enclosingFunction = fn;
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// The window.

/**
 * Start of the text worth reading: the start of the line WINDOW_LINES above the cursor, moved
 * out of any comment or string it falls in (the tokenizer must start between tokens).
 */
function windowStart(text: string, tree: Tree, at: number): number {
  let lines = 0;
  let i = at;
  while (i > 0) {
    if (text.charCodeAt(i - 1) === 10 && ++lines > WINDOW_LINES) break;
    i--;
  }
  if (i === 0) return 0;
  // A string or comment holds `i` within a few levels of the smallest node there.
  let n: SyntaxNode | null = tree.rootNode.descendantForIndex(i);
  for (let depth = 0; n && depth < 4; depth++, n = n.parent) {
    const t = n.type;
    if ((t === 'comment' || t === 'string' || t === 'template_string' || t === 'regex') && n.startIndex < i) {
      // Inside the cursor's own comment or string, start at its opening so the tokenizer sees it open.
      return n.endIndex > at ? n.startIndex : n.endIndex;
    }
  }
  return i;
}

// ---------------------------------------------------------------------------------------------
// The position kinds.

function isPunct(t: Token | undefined, value: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.value === value;
}

function isIdent(t: Token | undefined, value?: string): boolean {
  return t !== undefined && t.kind === 'ident' && (value === undefined || t.value === value);
}

/** Inside an unfinished string or comment. */
function openPosition(text: string, lexed: Lexed, before: Token[], at: number, resolve: (key: string) => Binding | undefined, facts: FileFacts): Position {
  const none: Position = { kind: 'none', typed: '', replaceStart: at };
  if (lexed.open !== 'string') return none;
  const contentStart = lexed.openStart + 1;
  const content = text.slice(contentStart, at);
  const n = before.length;
  const tail = (k: number) => before[n - k];

  // `new GlideAjax('` or `new global.GlideAjax('`
  if (isPunct(tail(1), '(') && isIdent(tail(2), 'GlideAjax') && newBefore(before, n - 2)) {
    const dot = content.lastIndexOf('.');
    const typed = content.slice(dot + 1);
    const pos: Position = { kind: 'glide-ajax', typed, replaceStart: at - typed.length };
    if (dot > 0) pos.qualifier = content.slice(0, dot);
    return pos;
  }

  // `ga.addParam('sysparm_name', '`
  const nameArg = tail(2);
  if (isPunct(tail(1), ',') && nameArg?.kind === 'string' && nameArg.value === 'sysparm_name' && isPunct(tail(3), '(') && isIdent(tail(4), 'addParam') && isPunct(tail(5), '.')) {
    const key = receiverKey(before, n - 6);
    const pos: Position = { kind: 'sysparm-name', typed: content, replaceStart: contentStart };
    const b = key === undefined ? undefined : resolve(key);
    if (b?.cls === 'GlideAjax' && b.arg) {
      const dot = b.arg.lastIndexOf('.');
      pos.ajaxTarget = { name: b.arg.slice(dot + 1).trim() };
      if (dot > 0) pos.ajaxTarget.qualifier = b.arg.slice(0, dot).trim();
    }
    return pos;
  }

  // The first argument of a call, and only the first: table, field and property names.
  if (!isPunct(tail(1), '(') || !isIdent(tail(2))) return none;
  const callee = tail(2).value;
  // `new GlideRecord('`, `new global.GlideRecord('`, `new GlideQuery('`
  if (isTableClass(callee) && newBefore(before, n - 2)) {
    return /^[\w$]*$/.test(content) ? { kind: 'table', typed: content, replaceStart: contentStart } : none;
  }
  if (!isPunct(tail(3), '.')) return none;
  const key = receiverKey(before, n - 4);
  if (key === undefined) return none;
  const stringPos = (table: string | undefined, kind: 'field' | 'property'): Position => {
    const pos: Position = { kind, typed: content, replaceStart: contentStart };
    if (table) pos.table = table;
    return pos;
  };
  if (key === 'gs') return takesProperty('gs', callee) && /^[\w.$-]*$/.test(content) ? stringPos(undefined, 'property') : none;
  let type: string | undefined;
  let table: string | undefined;
  if (key === 'g_form' && facts.side === 'client') {
    type = 'g_form';
    table = facts.collection;
  } else if ((key === 'current' || key === 'previous') && facts.side === 'server') {
    type = 'GlideRecord';
    table = facts.collection;
  } else {
    const b = resolve(key);
    if (b?.platform && b.cls && isTableClass(b.cls)) {
      type = b.cls;
      table = b.arg;
    }
  }
  if (type === undefined) return none;
  if (takesEncodedQuery(type, callee)) {
    // Only the field of the term being written, before its operator.
    const term = /(?:^|\^(?:OR|NQ)?)([\w]*)$/.exec(content);
    if (!term) return none;
    return { kind: 'field', typed: term[1], replaceStart: at - term[1].length, ...(table ? { table } : {}) };
  }
  if (takesField(type, callee)) return /^[\w]*$/.test(content) ? stringPos(table, 'field') : none;
  return none;
}

/** `new` (optionally `new global.`) directly before the class name at index `nameIndex`. */
function newBefore(tokens: Token[], nameIndex: number): boolean {
  if (isIdent(tokens[nameIndex - 1], 'new')) return true;
  return isPunct(tokens[nameIndex - 1], '.') && isIdent(tokens[nameIndex - 2], 'global') && isIdent(tokens[nameIndex - 3], 'new');
}

/** The variable key ending at token `end`: `x`, `this.x` or `a.x`; undefined for anything else. */
function receiverKey(tokens: Token[], end: number): string | undefined {
  const name = tokens[end];
  if (!isIdent(name) || KEYWORDS.has(name.value)) return undefined;
  if (isPunct(tokens[end - 1], '.') && isIdent(tokens[end - 2]) && !isPunct(tokens[end - 3], '.')) {
    const obj = tokens[end - 2].value;
    if (obj === 'this' || !KEYWORDS.has(obj)) return `${obj}.${name.value}`;
    return undefined;
  }
  return isPunct(tokens[end - 1], '.') ? undefined : name.value;
}

/** In code: after `new`, after `x.`, or a bare expression. */
function codePosition(text: string, before: Token[], typedToken: Token | undefined, at: number, resolve: (key: string) => Binding | undefined, facts: FileFacts): Position {
  const typed = typedToken ? typedToken.value : '';
  const replaceStart = typedToken ? typedToken.start : at;
  const n = before.length;
  const prev = before[n - 1];
  const base = { typed, replaceStart };

  if (isIdent(prev, 'new')) return { ...base, kind: 'new' };
  if (isPunct(prev, '.') || isPunct(prev, '?.')) {
    const q = before[n - 2];
    if (isIdent(q) && !KEYWORDS.has(q.value) && isIdent(before[n - 3], 'new')) return { ...base, kind: 'new-scoped', qualifier: q.value };
    return { ...base, kind: 'member', receiver: receiverOf(text, before, n - 1, resolve, facts) };
  }
  // `new GlideAjax(` with no quote yet: the string is the next thing typed.
  if (!typed && isPunct(prev, '(') && isIdent(before[n - 2], 'GlideAjax') && newBefore(before, n - 2)) return { ...base, kind: 'glide-ajax' };
  // Naming something new: there is no API to suggest.
  if (isIdent(prev) && DECLARING.has(prev.value)) return { ...base, kind: 'none' };
  return { ...base, kind: 'bare' };
}

/** Keywords after which the next identifier is a new name, not a use. */
const DECLARING = new Set(['var', 'let', 'const', 'function', 'class']);

const CLOSERS: Record<string, string> = { ')': '(', ']': '[' };

/** Index of the first token of the expression that ends just before token `dot`. */
function receiverStart(tokens: Token[], dot: number): number {
  let i = dot - 1;
  for (;;) {
    const t = tokens[i];
    if (!t) return i + 1;
    if (t.kind === 'punct' && CLOSERS[t.value]) {
      const open = matchingOpen(tokens, i);
      if (open < 0) return i + 1;
      i = open - 1;
      continue;
    }
    if (t.kind === 'ident' || t.kind === 'string' || t.kind === 'template') {
      if (t.kind === 'ident' && KEYWORDS.has(t.value) && t.value !== 'this' && t.value !== 'super') return i + 1;
      const p = tokens[i - 1];
      if (isPunct(p, '.') || isPunct(p, '?.')) {
        i -= 2;
        continue;
      }
      // `new X(...)`: the instance is the receiver.
      if (isIdent(p, 'new')) return i - 1;
      return i;
    }
    return i + 1;
  }
}

function matchingOpen(tokens: Token[], close: number): number {
  const closer = tokens[close].value;
  const opener = CLOSERS[closer];
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if (t.value === closer) depth++;
    else if (t.value === opener && --depth === 0) return i;
  }
  return -1;
}

function receiverOf(text: string, tokens: Token[], dot: number, resolve: (key: string) => Binding | undefined, facts: FileFacts): NonNullable<CursorContext['receiver']> {
  const start = receiverStart(tokens, dot);
  const parts = tokens.slice(start, dot);
  const written = parts.length ? text.slice(parts[0].start, parts[parts.length - 1].end).replace(/\s+/g, ' ') : '';
  const receiver: NonNullable<CursorContext['receiver']> = { text: written.length > 200 ? written.slice(-200) : written };
  const v = parts.map((t) => (t.kind === 'punct' || t.kind === 'ident' ? t.value : '#'));

  // `new X(...)` and `new q.X(...)`
  if (v[0] === 'new' && v[v.length - 1] === ')') {
    const qualified = v[2] === '.';
    const name = qualified ? v[3] : v[1];
    const qualifier = qualified ? v[1] : undefined;
    if (name && isIdent(parts[qualified ? 3 : 1]) && v[qualified ? 4 : 2] === '(' && matchingOpen(parts, parts.length - 1) === (qualified ? 4 : 2)) {
      describeBinding(receiver, classBinding(name, qualifier));
    }
    return receiver;
  }
  if (parts.length === 1 && isIdent(parts[0])) {
    const name = parts[0].value;
    const b = resolve(name);
    if (b?.cls) describeBinding(receiver, b);
    else if (isGlobal(name, facts)) {
      receiver.platform = name;
      if ((name === 'current' || name === 'previous') && facts.side === 'server' && facts.collection) receiver.table = facts.collection;
    }
    else if (isCapitalized(name) && !b) {
      if (isPlatformClass(name) || findPlatformApi(name, facts.side)) receiver.platform = name;
      else if (!isExcludedName(name)) describeClass(receiver, name, undefined, true);
    }
    return receiver;
  }
  if (parts.length === 3 && v[1] === '.' && isIdent(parts[0]) && isIdent(parts[2])) {
    const b = resolve(`${v[0]}.${v[2]}`);
    if (b?.cls) describeBinding(receiver, b);
    // `x_acme.HRUtils.`: a class through its scope.
    else if (!b && isScopeName(v[0]) && isCapitalized(v[2])) describeClass(receiver, v[2], v[0], true);
  }
  return receiver;
}

function describeBinding(receiver: NonNullable<CursorContext['receiver']>, b: Binding): void {
  if (b.platform) {
    receiver.platform = b.cls;
    receiver.isClass = false;
    if (b.cls && isTableClass(b.cls) && b.arg && /^[\w$]+$/.test(b.arg)) receiver.table = b.arg;
  } else if (b.cls) describeClass(receiver, b.cls, b.qualifier, false);
}

function describeClass(receiver: NonNullable<CursorContext['receiver']>, name: string, qualifier: string | undefined, isClass: boolean): void {
  if (isPlatformClass(name, qualifier)) {
    receiver.platform = qualifier === undefined ? name : `${qualifier}.${name}`;
  } else {
    receiver.scriptInclude = name;
    if (qualifier !== undefined) receiver.qualifier = qualifier;
  }
  receiver.isClass = isClass;
}

function isCapitalized(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90;
}

/** A platform global object (`gs`, `g_form`, `current`): its members are Glide APIs. */
function isGlobal(name: string, facts: FileFacts): boolean {
  if (isGlideGlobal(name)) return true;
  const api = findPlatformApi(name, facts.side) ?? findPlatformApi(name);
  return api !== undefined && api.kind === 'global' && api.name === name;
}

// ---------------------------------------------------------------------------------------------
// What the window holds.

/** One forward pass: variable bindings (last assignment wins), Glide APIs used, tables named. */
function windowFacts(tokens: Token[]): WindowFacts {
  const out: WindowFacts = { bindings: new Map(), glideApis: [], tables: [] };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'ident') continue;
    if (t.value === 'new') {
      const ref = classAt(tokens, i + 1);
      if (ref) onNew(out, tokens, ref);
      continue;
    }
    if (isPunct(tokens[i + 1], '=')) {
      const key = receiverKey(tokens, i);
      if (key !== undefined) out.bindings.set(key, bindingOf(tokens, i + 2, out.bindings));
      continue;
    }
    // `x.m(`: a call on a platform global, a Glide class, or a variable holding a Glide instance.
    if (isPunct(tokens[i + 1], '.') && isIdent(tokens[i + 2]) && isPunct(tokens[i + 3], '(') && !isPunct(tokens[i - 1], '.')) {
      const method = tokens[i + 2].value;
      const b = out.bindings.get(t.value);
      if (b?.platform) out.glideApis.push(`${b.cls}.${method}`);
      else if (b === undefined && (isGlideGlobal(t.value) || isPlatformClass(t.value))) out.glideApis.push(`${t.value}.${method}`);
    }
  }
  return out;
}

interface ClassAt {
  name: string;
  qualifier?: string;
  /** Index of the `(` after the class name, when there is one. */
  paren: number;
}

/** The class reference starting at token `i` (`X` or `q.X`) and its argument list. */
function classAt(tokens: Token[], i: number): ClassAt | undefined {
  if (!isIdent(tokens[i])) return undefined;
  if (isPunct(tokens[i + 1], '.') && isIdent(tokens[i + 2])) {
    return { name: tokens[i + 2].value, qualifier: tokens[i].value, paren: isPunct(tokens[i + 3], '(') ? i + 3 : -1 };
  }
  return { name: tokens[i].value, paren: isPunct(tokens[i + 1], '(') ? i + 1 : -1 };
}

function onNew(out: WindowFacts, tokens: Token[], ref: ClassAt): void {
  const b = classBinding(ref.name, ref.qualifier);
  if (!b.platform || !b.cls) return;
  out.glideApis.push(b.cls);
  if (b.cls === ref.name && isTableClass(ref.name) && ref.paren >= 0) {
    const table = stringArgument(tokens, ref.paren, out.bindings);
    if (table && /^[\w$.]+$/.test(table)) out.tables.push(table);
  }
}

/** The first argument after `(` at `paren` when it is a string, or a variable holding one. */
function stringArgument(tokens: Token[], paren: number, bindings: Map<string, Binding>): string | undefined {
  const a = tokens[paren + 1];
  if (!a || !(isPunct(tokens[paren + 2], ')') || isPunct(tokens[paren + 2], ','))) return undefined;
  if (a.kind === 'string' || (a.kind === 'template' && a.value)) return a.value.trim();
  if (a.kind === 'ident') return bindings.get(a.value)?.str?.trim();
  return undefined;
}

/** What the value starting at token `i` puts in a variable. */
function bindingOf(tokens: Token[], i: number, bindings: Map<string, Binding>): Binding {
  const v = tokens[i];
  if (!v) return {};
  const next = tokens[i + 1];
  if ((v.kind === 'string' || v.kind === 'template') && !(isPunct(next, '+') || isPunct(next, '.') || isPunct(next, '['))) return { str: v.value };
  if (!isIdent(v, 'new')) return {};
  const ref = classAt(tokens, i + 1);
  if (!ref) return {};
  const b = classBinding(ref.name, ref.qualifier);
  if (ref.paren >= 0) {
    const arg = stringArgument(tokens, ref.paren, bindings);
    if (arg !== undefined) b.arg = arg;
  }
  return b;
}

/** `new q.X`: a Script Include (qualifier kept apart) or a platform class (namespace kept in the name). */
function classBinding(name: string, qualifier: string | undefined): Binding {
  const q = qualifier === 'global' && isPlatformClass(name) ? undefined : qualifier;
  if (isPlatformClass(name, q)) return { cls: q === undefined ? name : `${q}.${name}`, platform: true };
  return q === undefined ? { cls: name } : { cls: name, qualifier: q };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A variable's binding from text before the window: the last `key = new X(` there. Rare (the
 * window covers most scripts), so a regular expression over the older text is cheap enough.
 */
function bindingBefore(text: string, windowStart: number, key: string): Binding | undefined {
  if (windowStart === 0) return undefined;
  const from = Math.max(0, windowStart - BINDING_SEARCH_CHARS);
  const pattern = key.split('.').map(escapeRegExp).join('\\s*\\.\\s*');
  const re = new RegExp(`(?:^|[^\\w$.])${pattern}\\s*=(?!=)\\s*(new\\s+([A-Za-z_$][\\w$]*)(?:\\s*\\.\\s*([A-Za-z_$][\\w$]*))?\\s*(?:\\(\\s*(['"])([^'"\\n]*)\\4)?)?`, 'g');
  const older = text.slice(from, windowStart);
  let found: RegExpExecArray | null = null;
  for (let m = re.exec(older); m; m = re.exec(older)) found = m;
  if (!found) return undefined;
  if (!found[1]) return {};
  const b = found[3] ? classBinding(found[3], found[2]) : classBinding(found[2], undefined);
  if (found[5] !== undefined) b.arg = found[5].trim();
  return b;
}

/** Identifiers nearest first, once each, without keywords and without the typed fragment. */
function identifiersOf(tokens: Token[], typed: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = tokens.length - 1; i >= 0 && out.length < MAX_IDENTIFIERS; i--) {
    const t = tokens[i];
    if (t.kind !== 'ident' || KEYWORDS.has(t.value) || t.value === typed || seen.has(t.value)) continue;
    seen.add(t.value);
    out.push(t.value);
  }
  return out;
}

/**
 * The names at the head of calls (`X(`, `new X`, `X.m(`), once each: nearest first when
 * `backwards`, else in order. Not a member (`a.X(`) and not a declaration (`function X(`).
 */
function callHeads(tokens: Token[], cap: number, backwards: boolean): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const n = tokens.length;
  for (let k = 0; k < n && out.length < cap; k++) {
    const i = backwards ? n - 1 - k : k;
    const t = tokens[i];
    if (t.kind !== 'ident' || KEYWORDS.has(t.value) || seen.has(t.value)) continue;
    const prev = tokens[i - 1];
    if (prev && ((prev.kind === 'punct' && (prev.value === '.' || prev.value === '?.')) || (prev.kind === 'ident' && prev.value === 'function'))) continue;
    const next = tokens[i + 1];
    const member = next?.kind === 'punct' && next.value === '.' && tokens[i + 2]?.kind === 'ident' ? tokens[i + 2].value : undefined;
    const memberCalled = member !== undefined && tokens[i + 3]?.kind === 'punct' && tokens[i + 3].value === '(';
    // `x_acme_hr.HRUtils(...)`, `new x_acme_hr.HRUtils()`: the scope only qualifies the call, whose
    // head is the Script Include after it (as call sites record it), not the scope.
    const isNew = prev?.kind === 'ident' && prev.value === 'new';
    const scoped = member !== undefined && (memberCalled || isNew) && isScopeName(t.value) && !isPlatformNamespace(t.value) && !isPlatformClass(member, t.value);
    const called = (next?.kind === 'punct' && next.value === '(') || isNew || memberCalled;
    const head = scoped ? member : t.value;
    if (!called || seen.has(head) || KEYWORDS.has(head)) continue;
    seen.add(head);
    out.push(head);
  }
  return out;
}

/** The call heads of the suffix (what the code goes on to call), read from the same few lines as `suffix`. */
function callsAfter(text: string, at: number): string[] {
  return callHeads(lexRange(text, at, at + suffixOf(text, at).length).tokens, MAX_CALLS, false);
}

function stringsOf(tokens: Token[], typed: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = tokens.length - 1; i >= 0 && out.length < MAX_STRINGS; i--) {
    const t = tokens[i];
    if ((t.kind !== 'string' && t.kind !== 'template') || !t.value.trim()) continue;
    const value = t.value.length > MAX_STRING_CHARS ? t.value.slice(0, MAX_STRING_CHARS) : t.value;
    if ((typed && value === typed) || seen.has(value)) continue;
    seen.add(value);
    out.push(value);
  }
  return out;
}

function commentsOf(tokens: Token[]): string[] {
  const out: string[] = [];
  for (let i = tokens.length - 1; i >= 0 && out.length < MAX_COMMENTS; i--) {
    if (tokens[i].kind !== 'comment') continue;
    const c = cleanComment(tokens[i].value);
    if (c) out.push(c);
  }
  return out;
}

/** A comment's words without its markers (`//`, `/**`, leading `*`), on one line. */
function cleanComment(raw: string): string {
  const body = raw.startsWith('//') ? raw.slice(2) : raw.slice(2, raw.endsWith('*/') ? -2 : undefined);
  const words = body
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/^\s*(?:\/\/|\*+)?/, '').trim())
    .filter((l) => l.length > 0)
    .join(' ')
    .replace(/^\*+\s*/, '');
  return words.length > MAX_COMMENT_CHARS ? words.slice(0, MAX_COMMENT_CHARS) : words;
}

function dedupeReversed(values: string[], cap: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = values.length - 1; i >= 0 && out.length < cap; i--) {
    if (seen.has(values[i])) continue;
    seen.add(values[i]);
    out.push(values[i]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lines and suffix.

/** The line up to `end` (trimmed, kept even when empty), then earlier non-blank lines, trimmed. */
function linesBefore(text: string, end: number): string[] {
  const out: string[] = [];
  let lineEnd = end;
  let i = end;
  while (out.length < MAX_LINES) {
    while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
    const line = text.slice(i, lineEnd).trim();
    if (line || out.length === 0) out.push(line);
    if (i === 0) break;
    // Step over the line break (`\r\n` counts once).
    i--;
    if (text.charCodeAt(i) === 10 && i > 0 && text.charCodeAt(i - 1) === 13) i--;
    lineEnd = i;
  }
  return out;
}

function suffixOf(text: string, at: number): string {
  let i = at;
  let lines = 0;
  const limit = Math.min(text.length, at + SUFFIX_CHARS);
  while (i < limit) {
    if (text.charCodeAt(i) === 10 && ++lines >= SUFFIX_LINES) break;
    i++;
  }
  return text.slice(at, i);
}

// ---------------------------------------------------------------------------------------------
// The enclosing function, from the tree.

const FUNCTION_TYPES = new Set([
  'function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'generator_function',
  'arrow_function', 'method_definition',
]);

function functionFromTokens(text: string, open: OpenFunction): NonNullable<CursorContext['enclosingFunction']> {
  const out: NonNullable<CursorContext['enclosingFunction']> = { params: open.params };
  if (open.name !== undefined) out.name = open.name;
  const parts: string[] = [];
  let next = open.definitionStart;
  for (let i = open.comments.length - 1; i >= 0; i--) {
    const c = open.comments[i];
    const isLine = c.value.startsWith('//');
    if (!onlySpaceBetween(text, c.end, next, 1) || (parts.length > 0 && !isLine)) break;
    parts.unshift(c.value);
    next = c.start;
    if (!isLine) break;
  }
  const comment = parts.map(cleanComment).filter((s) => s).join(' ');
  if (comment) out.comment = comment;
  return out;
}

/** The innermost function whose body holds `at`, with its name, parameters and leading comment. */
function enclosingFunction(text: string, tree: Tree, at: number): CursorContext['enclosingFunction'] {
  // The character before the cursor: at the end of an unclosed body the cursor is past every node.
  const target = Math.max(0, at - 1);
  // Down to the deepest node holding it with a cursor, which then climbs back one step at a time
  // for a constant cost (a node's `parent` searches down from the root: quadratic in the nesting).
  const cursor = tree.walk();
  while (cursor.gotoFirstChildForIndex(target)) {
    if (cursor.startIndex > target) {
      cursor.gotoParent();
      break;
    }
  }
  do {
    if (!FUNCTION_TYPES.has(cursor.nodeType)) continue;
    const n = cursor.currentNode;
    const body = n.childForFieldName('body');
    // Only a function the cursor is inside the body of: its header is then wholly before the cursor.
    if (!body || body.startIndex >= at) continue;
    if (body.type === 'statement_block' && body.endIndex <= at && text.charCodeAt(body.endIndex - 1) === 125 /* } */) continue;
    const out: NonNullable<CursorContext['enclosingFunction']> = { params: paramsOf(n) };
    const { name, definition } = functionName(n);
    if (name) out.name = name;
    const comment = leadingComment(text, definition);
    if (comment) out.comment = comment;
    return out;
  } while (cursor.gotoParent());
  return undefined;
}

function paramsOf(fn: SyntaxNode): string[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single.text];
  const params = fn.childForFieldName('parameters');
  if (!params) return [];
  const out: string[] = [];
  for (const c of params.namedChildren) {
    if (c.type === 'comment') continue;
    const id = c.type === 'assignment_pattern' ? c.childForFieldName('left') : c;
    const name = (id ?? c).text.replace(/\s+/g, ' ');
    out.push(name.length > 60 ? name.slice(0, 60) : name);
  }
  return out;
}

/** The function's name (own, property key, variable or assigned member) and the node a comment would sit above. */
function functionName(fn: SyntaxNode): { name?: string; definition: SyntaxNode } {
  const own = fn.childForFieldName('name');
  if (own && fn.type !== 'function_expression' && fn.type !== 'function') return { name: own.text, definition: fn };
  const parent = fn.parent;
  if (parent) {
    if (parent.type === 'pair') {
      const key = parent.childForFieldName('key');
      return { name: key ? key.text.replace(/^['"]|['"]$/g, '') : undefined, definition: parent };
    }
    if (parent.type === 'variable_declarator') {
      const name = parent.childForFieldName('name');
      return { name: name?.text, definition: parent.parent ?? parent };
    }
    if (parent.type === 'assignment_expression') {
      const left = parent.childForFieldName('left');
      const prop = left?.type === 'member_expression' ? left.childForFieldName('property') : left;
      const stmt = parent.parent?.type === 'expression_statement' ? parent.parent : parent;
      return { name: prop?.text, definition: stmt };
    }
  }
  return { name: own?.text, definition: fn };
}

/** The comment right above a definition: a block comment, or adjacent `//` lines. */
function leadingComment(text: string, node: SyntaxNode): string | undefined {
  let c = node.previousNamedSibling;
  if (!c || c.type !== 'comment' || !onlySpaceBetween(text, c.endIndex, node.startIndex, 1)) return undefined;
  const parts = [c.text];
  if (c.text.startsWith('//')) {
    for (let p = c.previousNamedSibling; p && p.type === 'comment' && p.text.startsWith('//') && onlySpaceBetween(text, p.endIndex, c.startIndex, 1); p = p.previousNamedSibling) {
      parts.unshift(p.text);
      c = p;
    }
  }
  const cleaned = parts.map(cleanComment).filter((s) => s).join(' ');
  return cleaned || undefined;
}

/** Only whitespace (or a comma ending the previous member) and at most `maxBreaks` line breaks. */
function onlySpaceBetween(text: string, from: number, to: number, maxBreaks: number): boolean {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 && ++breaks > maxBreaks) return false;
    if (ch !== 32 && ch !== 9 && ch !== 10 && ch !== 13 && ch !== 44) return false;
  }
  return true;
}

/** A table, field or property name written in the code, as hover sees it. */
export interface SchemaName {
  kind: 'table' | 'field' | 'property';
  name: string;
  /** For a field: its table. */
  table?: string;
  /** Offsets of the name in `text`. */
  start: number;
  end: number;
}

/**
 * The table, field or property name under `offset`: a whole string where one is named
 * (`new GlideRecord('incident')`, `gr.addQuery('state'`, `gs.getProperty('x.y')`) or a field read
 * on a GlideRecord of a known table (`current.state`). Never throws.
 */
export function schemaNameAt(text: string, tree: Tree, offset: number, facts: FileFacts): SchemaName | undefined {
  try {
    let node: SyntaxNode | null = tree.rootNode.descendantForIndex(offset);
    if (node?.type === 'string_fragment') node = node.parent;
    if (!node) return undefined;
    if (node.type === 'string') {
      const start = node.startIndex + 1;
      const end = Math.max(start, node.endIndex - 1);
      const ctx = cursorContext(text, tree, end, facts);
      if (ctx.kind !== 'table' && ctx.kind !== 'field' && ctx.kind !== 'property') return undefined;
      // The whole string is the name (an encoded query is not one name).
      if (!ctx.typed || ctx.replaceStart !== start) return undefined;
      return { kind: ctx.kind, name: ctx.typed, start, end, ...(ctx.table ? { table: ctx.table } : {}) };
    }
    if (node.type === 'property_identifier' && node.parent?.type === 'member_expression') {
      const ctx = cursorContext(text, tree, node.endIndex, facts);
      const table = ctx.receiver?.table;
      if (ctx.kind !== 'member' || !table || ctx.typed !== node.text) return undefined;
      return { kind: 'field', name: node.text, table, start: node.startIndex, end: node.endIndex };
    }
  } catch {
    return undefined;
  }
  return undefined;
}
