/**
 * Recognises Script Includes by the shape of their code and describes their methods.
 *
 * Only the top level of a script is searched (and the body of a top-level IIFE, which scoped
 * apps use to keep helpers private): a Script Include is defined there or nowhere. The search
 * gathers facts per name first (`X = Class.create()`, `X.prototype = ...`, `X.m = function`),
 * then assembles them, because the statements of one class may come in any order.
 */
import type { JsDoc, ParamInfo, ScriptIncludeKind } from '../model';
import { isEmptyJsDoc, parseJsDoc } from './jsdoc';
import { NONE, SyntaxTable, childByField, codeChildren, nodeText, stringValue, unwrapParens } from './walk';

/** A method as found in the tree; extract.ts turns it into a MethodInfo. */
export interface MethodShape {
  name: string;
  /** The function node: its parameters and body. */
  fn: number;
  /** The whole definition (pair, method, statement): its range, and the comment above it. */
  def: number;
  nameNode: number;
  isStatic: boolean;
  isPrivate: boolean;
}

/** A Script Include as found in the tree. */
export interface ScriptIncludeShape {
  name: string;
  kind: ScriptIncludeKind;
  parent?: string;
  nameNode: number;
  /** The statements that make it up; the first one's comment is the class comment. */
  statements: number[];
  methods: MethodShape[];
}

const FUNCTION_TYPES = new Set(['function_expression', 'arrow_function', 'generator_function', 'function']);
const DECLARATION_TYPES = new Set(['variable_declaration', 'lexical_declaration']);

function isPrivateName(name: string): boolean {
  return name.startsWith('_') || name.startsWith('#') || name === 'initialize' || name === 'constructor';
}

/** `a.b.c` -> identifier names and the node of each, outermost object first; undefined for anything else. */
function memberChain(t: SyntaxTable, node: number): { names: string[]; nodes: number[] } | undefined {
  const names: string[] = [];
  const nodes: number[] = [];
  let n = node;
  while (t.type[n] === 'member_expression') {
    const prop = childByField(t, n, 'property');
    if (prop === NONE || t.type[prop] !== 'property_identifier') return undefined;
    names.push(nodeText(t, prop));
    nodes.push(prop);
    n = childByField(t, n, 'object');
    if (n === NONE) return undefined;
  }
  if (t.type[n] !== 'identifier') return undefined;
  names.push(nodeText(t, n));
  nodes.push(n);
  return { names: names.reverse(), nodes: nodes.reverse() };
}

/** `callee(...)` where callee is the member chain `path` (`Class.create`). */
function isCallTo(t: SyntaxTable, node: number, path: string): boolean {
  const n = unwrapParens(t, node);
  if (n === NONE || t.type[n] !== 'call_expression') return false;
  const fn = childByField(t, n, 'function');
  const chain = fn === NONE ? undefined : memberChain(t, fn);
  return chain !== undefined && chain.names.join('.') === path;
}

/** `Object.extendsObject(Parent, {...})` -> the parent as written and the object node. */
function extendsObject(t: SyntaxTable, node: number): { parent?: string; object: number } | undefined {
  const n = unwrapParens(t, node);
  if (!isCallTo(t, n, 'Object.extendsObject')) return undefined;
  const args = codeChildren(t, childByField(t, n, 'arguments'));
  const parentNode = args[0];
  const object = args[1] === undefined ? NONE : unwrapParens(t, args[1]);
  const parent = parentNode === undefined ? undefined : nodeText(t, parentNode).replace(/\s+/g, '');
  return { parent, object: object !== NONE && t.type[object] === 'object' ? object : NONE };
}

/** The name of an object key (`a`, `'a'`, `"a"`); undefined for computed keys. */
function keyName(t: SyntaxTable, key: number): string | undefined {
  switch (t.type[key]) {
    case 'property_identifier':
    case 'private_property_identifier':
    case 'identifier':
      return nodeText(t, key);
    case 'string':
      return stringValue(t, key);
    default:
      return undefined;
  }
}

/** The methods of an object literal: `a: function`, `a: () =>`, `a() {}`. */
function objectMethods(t: SyntaxTable, object: number, isStatic: boolean): MethodShape[] {
  const out: MethodShape[] = [];
  for (let c = t.firstChild[object]; c !== NONE; c = t.nextSibling[c]) {
    if (t.type[c] === 'pair') {
      const key = childByField(t, c, 'key');
      const value = unwrapParens(t, childByField(t, c, 'value'));
      const name = key === NONE ? undefined : keyName(t, key);
      if (name === undefined || value === NONE || !FUNCTION_TYPES.has(t.type[value])) continue;
      out.push({ name, fn: value, def: c, nameNode: key, isStatic, isPrivate: isPrivateName(name) });
    } else if (t.type[c] === 'method_definition') {
      const m = methodDefinition(t, c);
      if (m) out.push({ ...m, isStatic });
    }
  }
  return out;
}

function methodDefinition(t: SyntaxTable, node: number): MethodShape | undefined {
  const key = childByField(t, node, 'name');
  const name = key === NONE ? undefined : keyName(t, key);
  if (name === undefined) return undefined;
  return { name, fn: node, def: node, nameNode: key, isStatic: t.modifier[node] === 'static', isPrivate: isPrivateName(name) };
}

function classMethods(t: SyntaxTable, classNode: number): MethodShape[] {
  const body = childByField(t, classNode, 'body');
  if (body === NONE) return [];
  const out: MethodShape[] = [];
  for (let c = t.firstChild[body]; c !== NONE; c = t.nextSibling[c]) {
    if (t.type[c] === 'method_definition') {
      const m = methodDefinition(t, c);
      if (m) out.push(m);
    } else if (t.type[c] === 'field_definition') {
      // `handler = () => {...}` and `static make = function () {...}` are methods in all but syntax.
      const key = childByField(t, c, 'property');
      const value = unwrapParens(t, childByField(t, c, 'value'));
      const name = key === NONE ? undefined : keyName(t, key);
      if (name === undefined || value === NONE || !FUNCTION_TYPES.has(t.type[value])) continue;
      out.push({ name, fn: value, def: c, nameNode: key, isStatic: t.modifier[c] === 'static', isPrivate: isPrivateName(name) });
    }
  }
  return out;
}

function classParent(t: SyntaxTable, classNode: number): string | undefined {
  for (let c = t.firstChild[classNode]; c !== NONE; c = t.nextSibling[c]) {
    if (t.type[c] === 'class_heritage') {
      const expr = codeChildren(t, c)[0];
      return expr === undefined ? undefined : nodeText(t, expr).replace(/\s+/g, '');
    }
  }
  return undefined;
}

/** The object a revealing module returns, and the functions declared in its body. */
function revealingModule(t: SyntaxTable, value: number): MethodShape[] | undefined {
  const call = unwrapParens(t, value);
  if (call === NONE || t.type[call] !== 'call_expression') return undefined;
  const fn = unwrapParens(t, childByField(t, call, 'function'));
  if (fn === NONE || !FUNCTION_TYPES.has(t.type[fn])) return undefined;
  const body = childByField(t, fn, 'body');
  if (body === NONE || t.type[body] !== 'statement_block') return undefined;
  const inner = new Map<string, { fn: number; def: number; nameNode: number }>();
  let returned = NONE;
  for (let c = t.firstChild[body]; c !== NONE; c = t.nextSibling[c]) {
    if (t.type[c] === 'function_declaration' || t.type[c] === 'generator_function_declaration') {
      const name = childByField(t, c, 'name');
      if (name !== NONE) inner.set(nodeText(t, name), { fn: c, def: c, nameNode: name });
    } else if (DECLARATION_TYPES.has(t.type[c])) {
      for (const d of codeChildren(t, c)) {
        const name = childByField(t, d, 'name');
        const v = unwrapParens(t, childByField(t, d, 'value'));
        if (name !== NONE && v !== NONE && FUNCTION_TYPES.has(t.type[v])) inner.set(nodeText(t, name), { fn: v, def: c, nameNode: name });
      }
    } else if (t.type[c] === 'return_statement') {
      const r = unwrapParens(t, codeChildren(t, c)[0] ?? NONE);
      if (r !== NONE && t.type[r] === 'object') returned = r;
    }
  }
  if (returned === NONE) return undefined;
  const methods: MethodShape[] = [];
  const exposed = new Set<string>();
  for (let c = t.firstChild[returned]; c !== NONE; c = t.nextSibling[c]) {
    let key = NONE;
    let ref = NONE;
    if (t.type[c] === 'pair') {
      key = childByField(t, c, 'key');
      ref = unwrapParens(t, childByField(t, c, 'value'));
    } else if (t.type[c] === 'shorthand_property_identifier') {
      key = c;
      ref = c;
    } else if (t.type[c] === 'method_definition') {
      const m = methodDefinition(t, c);
      if (m) methods.push({ ...m, isPrivate: false });
      continue;
    }
    const name = key === NONE ? undefined : keyName(t, key);
    if (name === undefined || ref === NONE) continue;
    if (FUNCTION_TYPES.has(t.type[ref])) {
      methods.push({ name, fn: ref, def: c, nameNode: key, isStatic: false, isPrivate: false });
    } else if (t.type[ref] === 'identifier' || t.type[ref] === 'shorthand_property_identifier') {
      const target = inner.get(nodeText(t, ref));
      if (!target) continue;
      exposed.add(nodeText(t, ref));
      // Point at the function's own definition: that is where a reader wants to land.
      methods.push({ name, ...target, isStatic: false, isPrivate: false });
    }
  }
  for (const [name, f] of inner) {
    if (!exposed.has(name)) methods.push({ name, ...f, isStatic: false, isPrivate: true });
  }
  return methods;
}

/** Everything the top level says about one name. */
interface NameFacts {
  name: string;
  nameNode: number;
  statements: number[];
  classCreate?: boolean;
  prototype?: { object: number; parent?: string };
  esClass?: number;
  functionDef?: { fn: number; def: number; nameNode: number };
  revealing?: MethodShape[];
  objectLiteral?: number;
  protoMethods: MethodShape[];
  /** `X.m = function`; kept only when X turns out to be a class. */
  statics: MethodShape[];
}

/** The statements to search: the program's, and those of top-level IIFEs (iteratively). */
function topLevelStatements(t: SyntaxTable): number[] {
  const out: number[] = [];
  if (t.count === 0) return out;
  const queue = [0];
  let guard = 0;
  while (queue.length && guard++ < 64) {
    const container = queue.shift() as number;
    for (let c = t.firstChild[container]; c !== NONE; c = t.nextSibling[c]) {
      out.push(c);
      const body = iifeBody(t, c);
      if (body !== NONE) queue.push(body);
    }
  }
  return out;
}

/** `(function () {...})();`, `(function () {...}());`: the function body, or NONE. */
function iifeBody(t: SyntaxTable, statement: number): number {
  if (t.type[statement] !== 'expression_statement') return NONE;
  let e = unwrapParens(t, t.firstChild[statement]);
  if (e !== NONE && t.type[e] === 'unary_expression') e = unwrapParens(t, codeChildren(t, e)[0] ?? NONE);
  if (e === NONE || t.type[e] !== 'call_expression') return NONE;
  const fn = unwrapParens(t, childByField(t, e, 'function'));
  if (fn === NONE || !FUNCTION_TYPES.has(t.type[fn])) return NONE;
  const body = childByField(t, fn, 'body');
  return body !== NONE && t.type[body] === 'statement_block' ? body : NONE;
}

function factsFor(all: Map<string, NameFacts>, name: string, nameNode: number): NameFacts {
  let f = all.get(name);
  if (!f) {
    f = { name, nameNode, statements: [], protoMethods: [], statics: [] };
    all.set(name, f);
  }
  return f;
}

function hasFunctionProperty(t: SyntaxTable, object: number): boolean {
  return objectMethods(t, object, false).length > 0;
}

/** A value bound to `name` at the top level: which shape does it give? */
function onBinding(t: SyntaxTable, all: Map<string, NameFacts>, name: string, nameNode: number, value: number, statement: number): void {
  const v = unwrapParens(t, value);
  if (v === NONE) return;
  const type = t.type[v];
  if (isCallTo(t, v, 'Class.create')) {
    const f = factsFor(all, name, nameNode);
    f.nameNode = nameNode;
    f.classCreate = true;
    f.statements.unshift(statement);
  } else if (type === 'class') {
    const f = factsFor(all, name, nameNode);
    f.esClass = v;
    f.statements.unshift(statement);
  } else if (FUNCTION_TYPES.has(type)) {
    const f = factsFor(all, name, nameNode);
    f.functionDef = { fn: v, def: statement, nameNode };
    f.statements.unshift(statement);
  } else if (type === 'object') {
    if (!hasFunctionProperty(t, v)) return;
    const f = factsFor(all, name, nameNode);
    f.objectLiteral = v;
    f.statements.unshift(statement);
  } else if (type === 'call_expression') {
    const ext = extendsObject(t, v);
    if (ext) {
      // `var X = Object.extendsObject(Base, {...})`: a class without Class.create.
      const f = factsFor(all, name, nameNode);
      f.prototype = ext.object === NONE ? { object: NONE, parent: ext.parent } : ext;
      f.statements.unshift(statement);
      return;
    }
    const methods = revealingModule(t, v);
    if (methods) {
      const f = factsFor(all, name, nameNode);
      f.revealing = methods;
      f.statements.unshift(statement);
    }
  }
}

function onAssignmentStatement(t: SyntaxTable, all: Map<string, NameFacts>, pendingStatics: { owner: string; method: MethodShape; statement: number }[], statement: number, assignment: number): void {
  const left = childByField(t, assignment, 'left');
  const right = childByField(t, assignment, 'right');
  if (left === NONE || right === NONE) return;
  const chain = memberChain(t, left);
  if (!chain) return;
  const { names, nodes } = chain;
  const proto = names.indexOf('prototype');
  if (proto > 0) {
    const owner = names[proto - 1];
    const f = factsFor(all, owner, nodes[proto - 1]);
    f.statements.push(statement);
    if (proto === names.length - 1) {
      const v = unwrapParens(t, right);
      const ext = extendsObject(t, v);
      if (ext) f.prototype = ext;
      else if (v !== NONE && t.type[v] === 'object') f.prototype = { object: v };
    } else if (proto === names.length - 2) {
      const fn = unwrapParens(t, right);
      if (fn !== NONE && FUNCTION_TYPES.has(t.type[fn])) {
        const name = names[names.length - 1];
        f.protoMethods.push({ name, fn, def: statement, nameNode: nodes[nodes.length - 1], isStatic: false, isPrivate: isPrivateName(name) });
      }
    }
    return;
  }
  const last = names.length - 1;
  const v = unwrapParens(t, right);
  if (v === NONE) return;
  // `X = Class.create()`, `x_acme.X = Class.create()`: a class under its (scoped) name.
  if (isCallTo(t, v, 'Class.create') || t.type[v] === 'class' || extendsObject(t, v)) {
    onBinding(t, all, names[last], nodes[last], v, statement);
    return;
  }
  if (names.length === 1) {
    onBinding(t, all, names[0], nodes[0], v, statement);
    return;
  }
  if (FUNCTION_TYPES.has(t.type[v])) {
    const name = names[last];
    pendingStatics.push({
      owner: names[last - 1],
      method: { name, fn: v, def: statement, nameNode: nodes[last], isStatic: true, isPrivate: name.startsWith('_') },
      statement,
    });
  }
}

/** Gathers the facts of every name defined at the top level. */
function collectFacts(t: SyntaxTable): Map<string, NameFacts> {
  const all = new Map<string, NameFacts>();
  const pendingStatics: { owner: string; method: MethodShape; statement: number }[] = [];
  for (const s of topLevelStatements(t)) {
    const type = t.type[s];
    if (DECLARATION_TYPES.has(type)) {
      for (const d of codeChildren(t, s)) {
        const name = childByField(t, d, 'name');
        const value = childByField(t, d, 'value');
        if (name !== NONE && value !== NONE && t.type[name] === 'identifier') onBinding(t, all, nodeText(t, name), name, value, s);
      }
    } else if (type === 'class_declaration') {
      const name = childByField(t, s, 'name');
      if (name !== NONE) {
        const f = factsFor(all, nodeText(t, name), name);
        f.esClass = s;
        f.statements.unshift(s);
      }
    } else if (type === 'function_declaration' || type === 'generator_function_declaration') {
      const name = childByField(t, s, 'name');
      if (name !== NONE) {
        const f = factsFor(all, nodeText(t, name), name);
        f.functionDef = { fn: s, def: s, nameNode: name };
        f.statements.unshift(s);
      }
    } else if (type === 'expression_statement') {
      const e = unwrapParens(t, t.firstChild[s]);
      if (e !== NONE && t.type[e] === 'assignment_expression') onAssignmentStatement(t, all, pendingStatics, s, e);
    }
  }
  for (const p of pendingStatics) {
    const f = all.get(p.owner);
    if (!f) continue;
    f.statics.push(p.method);
    f.statements.push(p.statement);
  }
  return all;
}

function isClassLike(f: NameFacts): boolean {
  return f.esClass !== undefined || f.classCreate === true || f.prototype !== undefined;
}

/** Turns one name's facts into a shape, or undefined when they do not make a Script Include. */
function assemble(t: SyntaxTable, f: NameFacts): ScriptIncludeShape | undefined {
  const base = { name: f.name, nameNode: f.nameNode, statements: f.statements };
  if (f.esClass !== undefined) {
    const cls = f.esClass;
    const parent = classParent(t, cls);
    return { ...base, kind: 'es-class', ...(parent ? { parent } : {}), methods: [...classMethods(t, cls), ...f.protoMethods, ...f.statics] };
  }
  if (f.classCreate || f.prototype) {
    const proto = f.prototype;
    const methods = proto && proto.object !== NONE ? objectMethods(t, proto.object, false) : [];
    if (proto?.parent !== undefined) {
      return { ...base, kind: 'extends-object', parent: proto.parent, methods: [...methods, ...f.protoMethods, ...f.statics] };
    }
    return { ...base, kind: 'class-create', methods: [...methods, ...f.protoMethods, ...f.statics] };
  }
  if (f.revealing) return { ...base, kind: 'revealing-module', methods: [...f.revealing, ...f.statics] };
  if (f.objectLiteral !== undefined) return { ...base, kind: 'object-literal', methods: [...objectMethods(t, f.objectLiteral, false), ...f.statics] };
  if (f.functionDef) {
    const self: MethodShape = { name: f.name, ...f.functionDef, isStatic: false, isPrivate: false };
    // A constructor function with prototype methods reads like a class; keep them all.
    return { ...base, kind: 'classless-function', methods: [self, ...f.protoMethods, ...f.statics] };
  }
  return undefined;
}

function startsUpper(name: string): boolean {
  return /^[A-Z]/.test(name);
}

/**
 * Every Script Include shape defined at the top level of the script.
 * `stem` is the record's name: a classless function or object literal counts only under it
 * (or, for an object, under a capitalised name), since scripts of every kind declare helpers.
 */
export function findScriptIncludes(t: SyntaxTable, stem: string): ScriptIncludeShape[] {
  const out: ScriptIncludeShape[] = [];
  for (const f of collectFacts(t).values()) {
    if (!isClassLike(f) && !f.revealing) {
      if (f.objectLiteral !== undefined && !(f.name === stem || startsUpper(f.name))) continue;
      if (f.objectLiteral === undefined && f.name !== stem) continue;
    }
    const shape = assemble(t, f);
    if (shape) out.push(shape);
  }
  return out;
}

const KIND_PREFERENCE: ScriptIncludeKind[] = ['extends-object', 'class-create', 'es-class', 'revealing-module', 'object-literal', 'classless-function'];

/**
 * The one Script Include a `sys_script_include` record named `name` defines: its shape by
 * name, else (a renamed record) the most class-like shape found; undefined when none.
 */
export function findNamedScriptInclude(t: SyntaxTable, name: string): ScriptIncludeShape | undefined {
  const all = collectFacts(t);
  const exact = all.get(name) ?? [...all.values()].find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (exact) {
    const shape = assemble(t, exact);
    if (shape) return shape;
  }
  let best: ScriptIncludeShape | undefined;
  for (const f of all.values()) {
    if (!isClassLike(f) && !f.revealing && f.objectLiteral === undefined) continue;
    const shape = assemble(t, f);
    if (shape && (!best || KIND_PREFERENCE.indexOf(shape.kind) < KIND_PREFERENCE.indexOf(best.kind))) best = shape;
  }
  return best;
}

/**
 * The comment directly above a node: a `/** *\/` block, or a run of `//` lines with no blank
 * line between them and the node. A comment that trails code on its line belongs to that code.
 */
export function leadingComment(t: SyntaxTable, node: number): JsDoc | undefined {
  const text = t.text;
  let c = t.prevSibling[node];
  if (c === NONE || t.type[c] !== 'comment') return undefined;
  if (!onlySpace(text, t.end[c], t.start[node]) || !startsLine(text, t.start[c])) return undefined;
  const first = text.slice(t.start[c], t.start[c] + 3);
  if (first.startsWith('/**') && first !== '/**/') {
    const doc = parseJsDoc(nodeText(t, c));
    return isEmptyJsDoc(doc) ? undefined : doc;
  }
  if (!first.startsWith('//') || newlines(text, t.end[c], t.start[node]) > 1) return undefined;
  const lines: string[] = [nodeText(t, c)];
  for (let p = t.prevSibling[c]; p !== NONE && t.type[p] === 'comment'; p = t.prevSibling[p]) {
    if (!text.startsWith('//', t.start[p]) || !startsLine(text, t.start[p]) || newlines(text, t.end[p], t.start[c]) > 1) break;
    lines.unshift(nodeText(t, p));
    c = p;
  }
  const doc = parseJsDoc(lines.join('\n'));
  return isEmptyJsDoc(doc) ? undefined : doc;
}

function onlySpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 32 && ch !== 9 && ch !== 10 && ch !== 13 && ch !== 44 /* , */) return false;
  }
  return true;
}

function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Only whitespace (or the comma ending the previous member) precedes `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) return true;
    if (ch !== 32 && ch !== 9) return false;
  }
  return true;
}

/** The parameters a function declares, as written: defaults make them optional, patterns keep their text. */
export function functionParams(t: SyntaxTable, fn: number): ParamInfo[] {
  const single = childByField(t, fn, 'parameter');
  if (single !== NONE) return [{ name: nodeText(t, single) }];
  const params = childByField(t, fn, 'parameters');
  if (params === NONE) return [];
  const out: ParamInfo[] = [];
  for (const c of codeChildren(t, params)) {
    switch (t.type[c]) {
      case 'identifier':
        out.push({ name: nodeText(t, c) });
        break;
      case 'assignment_pattern': {
        const left = childByField(t, c, 'left');
        out.push({ name: left === NONE ? patternText(t, c) : patternText(t, left), optional: true });
        break;
      }
      case 'rest_pattern':
        out.push({ name: patternText(t, c), optional: true });
        break;
      default:
        out.push({ name: patternText(t, c) });
    }
  }
  return out;
}

function patternText(t: SyntaxTable, node: number): string {
  const s = nodeText(t, node).replace(/\s+/g, ' ').trim();
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}
