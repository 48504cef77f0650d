/**
 * Reads ServiceNow SDK (Fluent) `.now.ts` files into plain data: every call of the shape
 * `Name({ ... })` with its object literal, and the file's imports. The JavaScript grammar is
 * used on TypeScript on purpose: type annotations, `as` and `satisfies` become ERROR nodes, but
 * the calls and object literals the SDK writes still parse, and no TypeScript parser is needed.
 * What the records mean is decided by the workspace layer; this module only reads values.
 */
import { Range } from '../model';
import { SyntaxNode, parseJavaScript } from './parser';

export type FluentValue =
  /** A quoted string; `value` has escapes resolved, `range` covers the text between the quotes. */
  | { kind: 'string'; value: string; range: Range }
  /** A template literal, plain or tagged (`script\`...\``); `value` is the raw text between the backticks. */
  | { kind: 'template'; value: string; range: Range; tag?: string }
  | { kind: 'number'; value: number; range: Range }
  | { kind: 'boolean'; value: boolean; range: Range }
  | { kind: 'null'; range: Range }
  /** `Now.include('path')` */
  | { kind: 'include'; path: string; range: Range }
  /** `Now.ID['key']` or `Now.ID.key` */
  | { kind: 'now-id'; key: string; range: Range }
  | { kind: 'identifier'; name: string; range: Range }
  /** An inline function or arrow function; `text` is its source. */
  | { kind: 'function'; text: string; range: Range }
  | { kind: 'object'; props: Record<string, FluentValue>; range: Range }
  | { kind: 'array'; items: FluentValue[]; range: Range }
  /** Anything else, as written. */
  | { kind: 'other'; text: string; range: Range };

export interface FluentCall {
  /** The called name (`ScriptInclude`, `Record`, `BusinessRule`, ...). */
  callee: string;
  /** The properties of the first argument. */
  props: Record<string, FluentValue>;
  range: Range;
}

/** `import { local as imported } from 'source'` (default imports have imported `default`). */
export interface FluentImport {
  local: string;
  imported: string;
  source: string;
}

export interface FluentFile {
  calls: FluentCall[];
  imports: FluentImport[];
}

/** Reads the calls and imports of a `.now.ts` file. Never throws; unreadable parts are left out. */
export function parseFluent(text: string): FluentFile {
  const tree = parseJavaScript(text);
  const calls: FluentCall[] = [];
  const imports: FluentImport[] = [];
  // Iterative walk: generated files can nest deeply, and recursion depth is not ours to spend.
  const stack: SyntaxNode[] = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'import_statement') {
      imports.push(...importsOf(node));
      continue;
    }
    if (node.type === 'call_expression') {
      const call = fluentCallOf(node);
      if (call) calls.push(call);
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
  }
  return { calls, imports };
}

/** A call `Name({...})` whose callee starts with a capital letter, as every Fluent API does. */
function fluentCallOf(node: SyntaxNode): FluentCall | undefined {
  const fn = node.childForFieldName('function');
  if (!fn || fn.type !== 'identifier' || !/^[A-Z]/.test(fn.text)) return undefined;
  const args = node.childForFieldName('arguments');
  const first = objectOf(args?.namedChildren.find((c) => c.type !== 'comment'));
  if (!first) return undefined;
  return { callee: fn.text, props: propsOf(first), range: rangeOf(node) };
}

/**
 * The object literal of an argument. `{...} satisfies T<U>` reads in the JavaScript grammar as a
 * comparison whose left side is the object, so the object is looked for on the left.
 */
function objectOf(node: SyntaxNode | undefined): SyntaxNode | undefined {
  let cur: SyntaxNode | null | undefined = node;
  for (let depth = 0; cur && depth < 8; depth++) {
    if (cur.type === 'object') return cur;
    if (cur.type === 'binary_expression') cur = cur.childForFieldName('left');
    else if (cur.type === 'parenthesized_expression') cur = cur.namedChildren.find((c) => c.type !== 'comment');
    else return undefined;
  }
  return undefined;
}

function propsOf(obj: SyntaxNode, depth = 0): Record<string, FluentValue> {
  const props: Record<string, FluentValue> = {};
  for (const child of obj.namedChildren) {
    if (child.type === 'pair') {
      const key = keyOf(child.childForFieldName('key'));
      const value = child.childForFieldName('value');
      if (key !== undefined && value) props[key] = valueOf(value, depth + 1);
    } else if (child.type === 'shorthand_property_identifier') {
      props[child.text] = { kind: 'identifier', name: child.text, range: rangeOf(child) };
    } else if (child.type === 'method_definition') {
      const key = keyOf(child.childForFieldName('name'));
      if (key !== undefined) props[key] = { kind: 'function', text: child.text, range: rangeOf(child) };
    }
  }
  return props;
}

function keyOf(node: SyntaxNode | null): string | undefined {
  if (!node) return undefined;
  if (node.type === 'property_identifier' || node.type === 'identifier' || node.type === 'number') return node.text;
  if (node.type === 'string') return stringValue(node);
  return undefined;
}

/** Values nested deeper than this are kept as text: no Fluent API nests so far, and recursion must end. */
const MAX_VALUE_DEPTH = 32;

function valueOf(node: SyntaxNode, depth = 0): FluentValue {
  const range = rangeOf(node);
  if (depth > MAX_VALUE_DEPTH) return { kind: 'other', text: node.text, range };
  switch (node.type) {
    case 'string':
      return { kind: 'string', value: stringValue(node), range: innerRange(node) };
    case 'template_string':
      return { kind: 'template', value: node.text.slice(1, -1), range: innerRange(node) };
    case 'number':
      return { kind: 'number', value: Number(node.text), range };
    case 'true':
    case 'false':
      return { kind: 'boolean', value: node.type === 'true', range };
    case 'null':
    case 'undefined':
      return { kind: 'null', range };
    case 'identifier':
      return { kind: 'identifier', name: node.text, range };
    case 'function_expression':
    case 'arrow_function':
    case 'function':
      return { kind: 'function', text: node.text, range };
    case 'object':
      return { kind: 'object', props: propsOf(node, depth), range };
    case 'array':
      return { kind: 'array', items: node.namedChildren.filter((c) => c.type !== 'comment').map((c) => valueOf(c, depth + 1)), range };
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c.type !== 'comment');
      return inner ? valueOf(inner, depth + 1) : { kind: 'other', text: node.text, range };
    }
    case 'call_expression':
      return callValueOf(node) ?? { kind: 'other', text: node.text, range };
    case 'subscript_expression':
    case 'member_expression':
      return nowIdOf(node) ?? { kind: 'other', text: node.text, range };
    default:
      return { kind: 'other', text: node.text, range };
  }
}

/** `Now.include('x')` and tagged templates (`script\`...\``). */
function callValueOf(node: SyntaxNode): FluentValue | undefined {
  const fn = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  if (!fn || !args) return undefined;
  if (args.type === 'template_string') {
    return { kind: 'template', value: args.text.slice(1, -1), range: innerRange(args), tag: fn.text };
  }
  if (fn.type === 'member_expression' && fn.text.replace(/\s+/g, '') === 'Now.include') {
    const arg = args.namedChildren.find((c) => c.type !== 'comment');
    if (arg?.type === 'string') return { kind: 'include', path: stringValue(arg), range: rangeOf(node) };
    if (arg?.type === 'template_string' && !arg.namedChildren.some((c) => c.type === 'template_substitution')) {
      return { kind: 'include', path: arg.text.slice(1, -1), range: rangeOf(node) };
    }
  }
  return undefined;
}

/** `Now.ID['key']`, `Now.ID.key` */
function nowIdOf(node: SyntaxNode): FluentValue | undefined {
  const object = node.childForFieldName('object');
  if (!object || object.text.replace(/\s+/g, '') !== 'Now.ID') return undefined;
  if (node.type === 'subscript_expression') {
    const index = node.childForFieldName('index');
    if (index?.type === 'string') return { kind: 'now-id', key: stringValue(index), range: rangeOf(node) };
    if (index?.type === 'number') return { kind: 'now-id', key: index.text, range: rangeOf(node) };
    return undefined;
  }
  const prop = node.childForFieldName('property');
  return prop ? { kind: 'now-id', key: prop.text, range: rangeOf(node) } : undefined;
}

function importsOf(node: SyntaxNode): FluentImport[] {
  const sourceNode = node.childForFieldName('source');
  if (!sourceNode) return [];
  const source = stringValue(sourceNode);
  const out: FluentImport[] = [];
  const clause = node.namedChildren.find((c) => c.type === 'import_clause');
  for (const part of clause?.namedChildren ?? []) {
    if (part.type === 'identifier') out.push({ local: part.text, imported: 'default', source });
    if (part.type === 'named_imports') {
      for (const spec of part.namedChildren) {
        if (spec.type !== 'import_specifier') continue;
        const name = spec.childForFieldName('name');
        const alias = spec.childForFieldName('alias');
        if (name) out.push({ local: (alias ?? name).text, imported: name.text, source });
      }
    }
    if (part.type === 'namespace_import') {
      const id = part.namedChildren.find((c) => c.type === 'identifier');
      if (id) out.push({ local: id.text, imported: '*', source });
    }
  }
  return out;
}

/** The value of a quoted string literal with its escapes resolved. */
function stringValue(node: SyntaxNode): string {
  let out = '';
  for (const part of node.namedChildren) {
    if (part.type === 'string_fragment') out += part.text;
    else if (part.type === 'escape_sequence') out += unescape(part.text);
  }
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

function unescape(seq: string): string {
  const body = seq.slice(1);
  if (body in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[body];
  const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]+)\})$/.exec(body);
  if (hex) {
    const code = parseInt(hex[1] ?? hex[2] ?? hex[3], 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }
  // A line continuation disappears; any other escaped character stands for itself.
  return /^(\r\n|\r|\n|\u2028|\u2029)$/.test(body) ? '' : body;
}

function rangeOf(node: SyntaxNode): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** The range inside a literal's delimiters (one character each side: quotes or backticks). */
function innerRange(node: SyntaxNode): Range {
  const r = rangeOf(node);
  return {
    start: { line: r.start.line, character: r.start.character + 1 },
    end: { line: r.end.line, character: Math.max(0, r.end.character - 1) },
  };
}
