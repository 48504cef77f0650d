/**
 * JSDoc parsing. Script Includes in the wild document their methods with `/** ... *\/` blocks,
 * sloppily as often as not, or with a plain `//` block, so the parser is forgiving: it never
 * throws, an unknown tag is kept as written, and a comment without tags is all summary.
 */
import type { JsDoc, ParamInfo } from '../model';

/** The comment's lines with the comment markers (`/**`, `*\/`, leading `*`, `//`) removed. */
function commentLines(commentText: string): string[] {
  const text = commentText.trim();
  if (text.startsWith('/*')) {
    const body = text.replace(/^\/\*+/, '').replace(/\*+\/$/, '');
    // Drop the decorative leading `*` (and one space after it) of each line, keeping any deeper
    // indentation: it matters inside @example code.
    return body.split(/\r\n|\r|\n/).map((l) => l.replace(/^\s*\*(?!\/) ?/, '').replace(/^\s+$/, ''));
  }
  return text.split(/\r\n|\r|\n/).map((l) => l.replace(/^\s*\/\/+ ?/, '').replace(/^\s+$/, ''));
}

function normalise(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Reads a `{...}` type at the start of `s` (braces may nest); returns it and the rest. */
function readType(s: string): { type?: string; rest: string } {
  const t = s.trimStart();
  if (!t.startsWith('{')) return { rest: t };
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '{') depth++;
    else if (t[i] === '}' && --depth === 0) return { type: normalise(t.slice(1, i)), rest: t.slice(i + 1).trimStart() };
  }
  // Unclosed brace: take the rest as the type rather than lose it.
  return { type: normalise(t.slice(1)), rest: '' };
}

/** Strips a leading `-` separator that many authors put between name and description. */
function description(s: string): string | undefined {
  const d = normalise(s.replace(/^\s*-\s*/, ''));
  return d || undefined;
}

function parseParamTag(body: string): ParamInfo | undefined {
  const { type: rawType, rest } = readType(body);
  let type = rawType;
  let optional = false;
  if (type && type.endsWith('=')) {
    type = type.slice(0, -1).trim();
    optional = true;
  }
  let name: string;
  let after: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    const inner = close < 0 ? rest.slice(1) : rest.slice(1, close);
    name = inner.split('=')[0].trim();
    after = close < 0 ? '' : rest.slice(close + 1);
    optional = true;
  } else {
    const m = /^(\S+)([\s\S]*)$/.exec(rest);
    if (!m) return undefined;
    name = m[1];
    after = m[2];
  }
  if (!name) return undefined;
  const p: ParamInfo = { name };
  if (type) p.type = type;
  const d = description(after);
  if (d) p.description = d;
  if (optional) p.optional = true;
  return p;
}

function trimBlankLines(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}

/** Splits comment lines into the leading free text and one block per `@tag`. */
function splitTags(lines: string[]): { lead: string[]; blocks: { tag: string; lines: string[] }[] } {
  const lead: string[] = [];
  const blocks: { tag: string; lines: string[] }[] = [];
  for (const line of lines) {
    const m = /^\s*@([A-Za-z][\w-]*)\s?(.*)$/.exec(line);
    // Inside an @example, a line starting with `@` is more likely code (a decorator) than a tag.
    const inExample = blocks.length > 0 && blocks[blocks.length - 1].tag === 'example';
    if (m && !(inExample && !KNOWN_TAGS.has(m[1]))) blocks.push({ tag: m[1], lines: [m[2]] });
    else if (blocks.length) blocks[blocks.length - 1].lines.push(line);
    else lead.push(line);
  }
  return { lead, blocks };
}

const KNOWN_TAGS = new Set([
  'param', 'arg', 'argument', 'returns', 'return', 'example', 'description', 'deprecated', 'since',
  'throws', 'exception', 'see', 'type', 'author', 'version', 'private', 'public', 'static', 'memberof',
  'function', 'method', 'class', 'constructor', 'namespace', 'todo', 'typedef', 'property', 'prop',
]);

/**
 * Parses a `/** ... *\/` block, or the text of consecutive `//` comments, into a JsDoc:
 * summary (text before the first tag, whitespace-normalised), params (`{Type} name desc`,
 * `[name]`, `[name=default]`, `{Type=}`), returns, examples (code kept as written) and every
 * other tag under its name.
 */
export function parseJsDoc(commentText: string): JsDoc {
  const { lead, blocks } = splitTags(commentLines(commentText));
  const doc: JsDoc = { summary: normalise(lead.join(' ')), params: [], examples: [], tags: {} };
  for (const { tag, lines } of blocks) {
    const body = lines.join('\n');
    switch (tag) {
      case 'param':
      case 'arg':
      case 'argument': {
        const p = parseParamTag(body);
        if (p) doc.params.push(p);
        break;
      }
      case 'returns':
      case 'return': {
        const { type, rest } = readType(body);
        const d = description(rest);
        doc.returns = { ...(type ? { type } : {}), ...(d ? { description: d } : {}) };
        break;
      }
      case 'example': {
        const code = trimBlankLines(lines).join('\n');
        if (code) doc.examples.push(code);
        break;
      }
      case 'description':
      case 'desc':
        // A summary given by tag is as good as one given by position.
        if (!doc.summary) doc.summary = normalise(body);
        else (doc.tags[tag] ??= []).push(normalise(body));
        break;
      default:
        (doc.tags[tag] ??= []).push(normalise(body));
    }
  }
  return doc;
}

/** True when the JsDoc says nothing at all (an empty `/** *\/`). */
export function isEmptyJsDoc(doc: JsDoc): boolean {
  return !doc.summary && !doc.params.length && !doc.returns && !doc.examples.length && !Object.keys(doc.tags).length;
}

/**
 * Merges the parameter names read from the code with what the JsDoc says about them: by name,
 * and by position for a parameter the code destructures (its name there is a pattern). When the
 * code declares no parameters (the function reads `arguments`), the documented ones stand.
 */
export function mergeParams(code: ParamInfo[], doc?: JsDoc): ParamInfo[] {
  if (!doc || !doc.params.length) return code;
  // `options.limit` documents a property of a parameter, not a parameter.
  const documented = doc.params.filter((p) => !p.name.includes('.'));
  if (!code.length) return documented.map((p) => ({ ...p }));
  return code.map((p, i) => {
    const byName = documented.find((d) => d.name === p.name || d.name === p.name.replace(/^\.\.\./, ''));
    const isPattern = /^[{[]/.test(p.name);
    const d = byName ?? (isPattern ? documented[i] : undefined);
    if (!d) return p;
    const merged: ParamInfo = { name: p.name };
    if (d.type) merged.type = d.type;
    if (d.description) merged.description = d.description;
    if (p.optional || d.optional) merged.optional = true;
    return merged;
  });
}
