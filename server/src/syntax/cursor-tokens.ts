/**
 * A small JavaScript tokenizer for the text just before the cursor.
 *
 * Why not the tree: the code at the cursor is almost always incomplete, and tree-sitter's error
 * recovery reads it together with the code after the cursor (`new ` on one line swallows the
 * identifier on the next). Tokens of the text before the cursor see exactly what the developer
 * has typed, cannot leak what follows, and say whether the cursor sits inside an unfinished
 * string or comment. One linear pass, no recursion, no exceptions.
 */

export type TokenKind = 'ident' | 'string' | 'template' | 'comment' | 'number' | 'regex' | 'punct';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Identifier name, string contents (quotes removed), comment text, or the punctuator. */
  value: string;
}

/** What the text ends inside of: the cursor's own surroundings. */
export type OpenKind = 'none' | 'string' | 'template' | 'line-comment' | 'block-comment';

export interface Lexed {
  /** Complete tokens, in order; the unfinished one at the end is in `open` instead. */
  tokens: Token[];
  open: OpenKind;
  /** Where the unfinished token starts (its quote or comment opener). */
  openStart: number;
  /** For an unfinished string: the quote character. */
  quote: string;
}

/** Operators longest first, so `===` is one token and a lone `=` always means assignment. */
const OPERATORS = [
  '>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=',
  '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=',
  '&=', '|=', '^=', '**', '<<', '>>',
];

/** After these a `/` divides; elsewhere it starts a regular expression. */
const VALUE_KEYWORDS = new Set(['this', 'super', 'null', 'true', 'false', 'undefined']);

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95 || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function slashIsDivision(prev: Token | undefined): boolean {
  if (!prev) return false;
  if (prev.kind === 'number' || prev.kind === 'string' || prev.kind === 'template' || prev.kind === 'regex') return true;
  if (prev.kind === 'ident') return VALUE_KEYWORDS.has(prev.value) || !KEYWORDS.has(prev.value);
  return prev.value === ')' || prev.value === ']' || prev.value === '}';
}

/** Reserved words and literals: never worth reporting as identifiers. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'export', 'extends', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'let', 'new',
  'return', 'super', 'switch', 'this', 'throw', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'await', 'async', 'of', 'null', 'true', 'false', 'undefined', 'static', 'get', 'set',
]);

/** Resolves the common escapes; enough for table and field names. */
function unescape(raw: string): string {
  return raw.indexOf('\\') < 0 ? raw : raw.replace(/\\(.)/g, '$1');
}

/**
 * Tokenizes `text[from, to)`. `from` must not fall inside a string or comment (the caller moves
 * it out of one). Whitespace is dropped.
 */
export function lexRange(text: string, from: number, to: number): Lexed {
  const tokens: Token[] = [];
  const out: Lexed = { tokens, open: 'none', openStart: to, quote: '' };
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff) {
      i++;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      i++;
      while (i < to && isIdentPart(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'ident', start, end: i, value: text.slice(start, i) });
      continue;
    }
    if (isDigit(c) || (c === 46 && i + 1 < to && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < to && (isIdentPart(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
      tokens.push({ kind: 'number', start, end: i, value: text.slice(start, i) });
      continue;
    }
    if (c === 34 || c === 39) {
      // A quote: the string ends at the same quote or, unterminated, at the line's end.
      i++;
      let closed = false;
      while (i < to) {
        const d = text.charCodeAt(i);
        if (d === 92) {
          i += 2;
          continue;
        }
        if (d === c) {
          closed = true;
          i++;
          break;
        }
        if (d === 10 || d === 13) break;
        i++;
      }
      if (closed) {
        tokens.push({ kind: 'string', start, end: i, value: unescape(text.slice(start + 1, i - 1)) });
        continue;
      }
      if (i >= to) return { ...out, open: 'string', openStart: start, quote: text[start] };
      // An unterminated string on an earlier line: skip it as a string.
      tokens.push({ kind: 'string', start, end: i, value: unescape(text.slice(start + 1, Math.min(i, to))) });
      continue;
    }
    if (c === 96 /* ` */) {
      const end = templateEnd(text, i, to);
      if (end < 0) return { ...out, open: 'template', openStart: start };
      const raw = text.slice(start + 1, end - 1);
      tokens.push({ kind: 'template', start, end, value: raw.includes('${') ? '' : unescape(raw) });
      i = end;
      continue;
    }
    if (c === 47 /* / */) {
      const next = i + 1 < to ? text.charCodeAt(i + 1) : -1;
      if (next === 47) {
        let e = i + 2;
        while (e < to && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
        if (e >= to) return { ...out, open: 'line-comment', openStart: start };
        tokens.push({ kind: 'comment', start, end: e, value: text.slice(start, e) });
        i = e;
        continue;
      }
      if (next === 42) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0 || close + 2 > to) return { ...out, open: 'block-comment', openStart: start };
        tokens.push({ kind: 'comment', start, end: close + 2, value: text.slice(start, close + 2) });
        i = close + 2;
        continue;
      }
      if (!slashIsDivision(tokens[tokens.length - 1])) {
        const end = regexEnd(text, i, to);
        if (end > 0) {
          tokens.push({ kind: 'regex', start, end, value: text.slice(start, end) });
          i = end;
          continue;
        }
      }
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i) && i + o.length <= to);
    const value = op ?? text[i];
    i += value.length;
    tokens.push({ kind: 'punct', start, end: i, value });
  }
  return out;
}

/** End of the template starting at `at` (after its closing backtick), or -1 when open at `to`. */
function templateEnd(text: string, at: number, to: number): number {
  let i = at + 1;
  // Depth of `${ ... }` substitutions; quotes inside them are skipped so their braces do not count.
  let depth = 0;
  while (i < to) {
    const d = text.charCodeAt(i);
    if (d === 92) {
      i += 2;
      continue;
    }
    if (depth === 0) {
      if (d === 96) return i + 1;
      if (d === 36 && text.charCodeAt(i + 1) === 123) {
        depth = 1;
        i += 2;
        continue;
      }
    } else if (d === 123) depth++;
    else if (d === 125) depth--;
    else if (d === 34 || d === 39) {
      const close = text.indexOf(text[i], i + 1);
      if (close < 0 || close >= to) return -1;
      i = close;
    }
    i++;
  }
  return -1;
}

/** End of a regex literal starting at `at`, or -1 when it is not one (no closing `/` on the line). */
function regexEnd(text: string, at: number, to: number): number {
  let i = at + 1;
  let inClass = false;
  while (i < to) {
    const d = text.charCodeAt(i);
    if (d === 10 || d === 13) return -1;
    if (d === 92) {
      i += 2;
      continue;
    }
    if (d === 91) inClass = true;
    else if (d === 93) inClass = false;
    else if (d === 47 && !inClass) {
      i++;
      while (i < to && isIdentPart(text.charCodeAt(i))) i++;
      return i;
    }
    i++;
  }
  return -1;
}

/** A function whose body is still open at the end of the tokens. */
export interface OpenFunction {
  name?: string;
  params: string[];
  /** The comments right before the definition (its key, `var`, or `function` keyword), in order. */
  comments: Token[];
  /** Where the definition starts: the comments must end just before it. */
  definitionStart: number;
}

/** A `{` seen and not yet closed: a function body (with its header) or any other block. */
type Frame = OpenFunction | null;

/**
 * The innermost function whose body is open at the end of `tokens`, read from the tokens alone.
 * Why: when the code after the cursor is missing (an eval prefix, a half-typed file), tree-sitter
 * folds the unclosed functions into one ERROR node and the tree cannot say where the cursor is.
 * A `}` without its `{` in the window (the window started inside a block) is ignored.
 */
export function openFunction(text: string, tokens: Token[]): OpenFunction | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if (t.value === '{') stack.push(functionHeader(text, tokens, i));
    else if (t.value === '}') stack.pop();
  }
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i];
    if (frame) return frame;
  }
  return undefined;
}

const BLOCK_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'function']);

/** The function a `{` at `brace` opens the body of, or null for any other block. */
function functionHeader(text: string, tokens: Token[], brace: number): Frame {
  let close = brace - 1;
  if (tokens[close]?.kind === 'punct' && tokens[close].value === '=>') {
    close--;
    const single = tokens[close];
    if (single?.kind === 'ident') return named(tokens, close, [single.value]);
  }
  const rp = tokens[close];
  if (!rp || rp.kind !== 'punct' || rp.value !== ')') return null;
  const lp = openParen(tokens, close);
  if (lp < 0) return null;
  const params = paramNames(text, tokens, lp, close);
  if (tokens[brace - 1].value === '=>') return named(tokens, lp, params);
  const before = tokens[lp - 1];
  if (before?.kind === 'punct' && before.value === '*') return named(tokens, lp, params);
  if (!before || before.kind !== 'ident') return null;
  if (before.value === 'function') return named(tokens, lp, params);
  if (BLOCK_KEYWORDS.has(before.value)) return null;
  const fn = tokens[lp - 2];
  if (fn?.kind === 'ident' && fn.value === 'function') {
    return withComments(tokens, startOfDeclaration(tokens, lp - 2), { name: before.value, params });
  }
  if (KEYWORDS.has(before.value)) return null;
  // `name(args) {`: a method in a class or an object literal.
  let start = lp - 1;
  while (tokens[start - 1]?.kind === 'ident' && MODIFIER_WORDS.has(tokens[start - 1].value)) start--;
  return withComments(tokens, start, { name: before.value, params });
}

const MODIFIER_WORDS = new Set(['static', 'async', 'get', 'set']);

/**
 * An anonymous function or arrow whose parameters start at token `params0`: named after the
 * key, variable or member it is stored into.
 */
function named(tokens: Token[], params0: number, params: string[]): OpenFunction {
  let i = params0 - 1;
  // Step back over `function`, `*` and `async` to what the value is stored in.
  while (i >= 0 && (tokens[i].value === '*' || (tokens[i].kind === 'ident' && (tokens[i].value === 'function' || tokens[i].value === 'async')))) i--;
  const op = tokens[i];
  const target = tokens[i - 1];
  if (op?.kind === 'punct' && (op.value === ':' || op.value === '=') && target && (target.kind === 'ident' || target.kind === 'string')) {
    if (op.value === ':') return withComments(tokens, i - 1, { name: target.value, params });
    let start = i - 1;
    while (tokens[start - 1]?.value === '.' && tokens[start - 2]?.kind === 'ident') start -= 2;
    if (tokens[start - 1]?.kind === 'ident' && DECLARATION_WORDS.has(tokens[start - 1].value)) start--;
    return withComments(tokens, start, { name: target.value, params });
  }
  return withComments(tokens, i + 1, { params });
}

const DECLARATION_WORDS = new Set(['var', 'let', 'const']);

function startOfDeclaration(tokens: Token[], fnKeyword: number): number {
  return tokens[fnKeyword - 1]?.kind === 'ident' && tokens[fnKeyword - 1].value === 'async' ? fnKeyword - 1 : fnKeyword;
}

function withComments(tokens: Token[], start: number, fn: { name?: string; params: string[] }): OpenFunction {
  const comments: Token[] = [];
  for (let i = start - 1; i >= 0 && tokens[i].kind === 'comment'; i--) comments.unshift(tokens[i]);
  const out: OpenFunction = { params: fn.params, comments, definitionStart: tokens[start]?.start ?? 0 };
  if (fn.name !== undefined) out.name = fn.name;
  return out;
}

function openParen(tokens: Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if (t.value === ')') depth++;
    else if (t.value === '(' && --depth === 0) return i;
  }
  return -1;
}

/** Parameter names between `(` at `lp` and `)` at `rp`: the identifier, or a pattern's text. */
function paramNames(text: string, tokens: Token[], lp: number, rp: number): string[] {
  const out: string[] = [];
  let depth = 0;
  let segment = lp + 1;
  for (let i = lp + 1; i <= rp; i++) {
    const v = tokens[i].kind === 'punct' ? tokens[i].value : '';
    if (v === '(' || v === '[' || v === '{') depth++;
    else if ((v === ')' || v === ']' || v === '}') && i !== rp) depth--;
    if ((v === ',' && depth === 0) || i === rp) {
      if (segment < i) {
        const first = tokens[segment].value === '...' ? tokens[segment + 1] : tokens[segment];
        const name = first?.kind === 'ident' ? first.value : text.slice(tokens[segment].start, tokens[i - 1].end).replace(/\s+/g, ' ');
        out.push(name.length > 60 ? name.slice(0, 60) : name);
      }
      segment = i + 1;
    }
  }
  return out;
}
