/**
 * What the names in a script refer to, as hover, definition, signature help, diagnostics and code
 * actions need it: each reference to a class (`new X`, `X.m`, `new GlideAjax('X')`,
 * `Object.extendsObject(X`) and each method call on something whose type is known (`x.m(` where
 * `var x = new X()`, `new X().m(`, `X.m(`, `gr.addQuery(`, `ga.addParam('sysparm_name', 'm')`),
 * with script offsets of the name.
 *
 * Variables are tracked as call-sites.ts tracks them, script-wide in document order: the last
 * assignment before a use wins. Class references come from the syntax layer's own scan, so the
 * index and the features agree on what counts as a call site.
 */
import { CallForm } from '../model';
import { isGlideGlobal, isPlatformClass, isScopeName } from '../platform/names';
import { scanScript } from '../syntax/call-sites';
import { childByField, codeChildren, isStringLiteral, NONE, nodeText, stringValue, SyntaxTable, unwrapParens } from '../syntax/walk';

/** What an expression holds, as far as a feature cares. */
export type Receiver =
  /** An instance of a Script Include (`new X()`), or the class itself (`X`, `scope.X`). */
  | { kind: 'script-include'; name: string; qualifier?: string; isClass: boolean }
  /** A platform class instance (`new GlideRecord()`), class (`GlideDateTime`) or global (`gs`). */
  | { kind: 'platform'; name: string; isClass: boolean }
  /** A GlideAjax whose constructor named a Script Include. */
  | { kind: 'ajax'; target?: { name: string; qualifier?: string } };

export interface ClassReference {
  kind: 'class';
  name: string;
  qualifier?: string;
  form: CallForm;
  /** The name as written without its qualifier (inside the string for GlideAjax). */
  start: number;
  end: number;
  /** Start of the qualifier when there is one, else `start`. */
  qualifiedStart: number;
  /** A platform class or global (`GlideRecord`, `gs`), not a Script Include. */
  platform?: boolean;
}

export interface MethodReference {
  kind: 'method';
  receiver: Receiver;
  method: string;
  start: number;
  end: number;
  /** The method is named in a `sysparm_name` string, not called. */
  viaAjax?: boolean;
}

export type Reference = ClassReference | MethodReference;

export interface ScriptSymbols {
  references: Reference[];
  /** The receiver a variable (or `this.x`) holds at an offset. */
  receiverOf(key: string, offset: number): Receiver | undefined;
}

interface Binding {
  offset: number;
  value: Receiver | undefined;
}

/** Analyses one script. Never throws on any tree tree-sitter produces. */
export function scriptSymbols(t: SyntaxTable): ScriptSymbols {
  const bindings = new Map<string, Binding[]>();
  const receiverOf = (key: string, offset: number): Receiver | undefined => {
    const list = bindings.get(key);
    let found: Binding | undefined;
    for (const b of list ?? []) if (b.offset < offset) found = b;
    return found?.value;
  };
  const references: Reference[] = [];
  const declared = new Set<string>();
  for (let i = 0; i < t.count; i++) {
    const type = t.type[i];
    if (type === 'variable_declarator' || type === 'assignment_expression') {
      const left = childByField(t, i, type === 'variable_declarator' ? 'name' : 'left');
      const right = childByField(t, i, type === 'variable_declarator' ? 'value' : 'right');
      const key = left === NONE ? undefined : bindingKey(t, left);
      if (key === undefined) continue;
      if (type === 'variable_declarator') declared.add(key);
      const value = right === NONE ? undefined : expressionReceiver(t, right, receiverOf, declared);
      const list = bindings.get(key) ?? [];
      list.push({ offset: t.end[i], value });
      bindings.set(key, list);
    } else if (type === 'call_expression') {
      methodReference(t, i, receiverOf, declared, references);
    } else if (type === 'new_expression') {
      platformClassReference(t, i, references);
    }
  }
  for (const site of scanScript(t).sites) {
    const ref: ClassReference = { kind: 'class', name: site.target, form: site.form, start: site.nameStart, end: site.nameEnd, qualifiedStart: site.targetOffset };
    if (site.qualifier !== undefined) ref.qualifier = site.qualifier;
    references.push(ref);
  }
  references.sort((a, b) => a.start - b.start);
  return { references, receiverOf };
}

/** The innermost reference whose name holds the offset (the end counts: the cursor after a word). */
export function referenceAt(symbols: ScriptSymbols, offset: number): Reference | undefined {
  let best: Reference | undefined;
  for (const r of symbols.references) {
    if (r.start <= offset && offset <= r.end && (!best || r.end - r.start < best.end - best.start)) best = r;
  }
  return best;
}

/** The variable key a node names: `x`, `this.x`; undefined for anything else. */
function bindingKey(t: SyntaxTable, node: number): string | undefined {
  if (t.type[node] === 'identifier') return nodeText(t, node);
  if (t.type[node] !== 'member_expression') return undefined;
  const obj = childByField(t, node, 'object');
  const prop = childByField(t, node, 'property');
  if (obj === NONE || prop === NONE || t.type[obj] !== 'this') return undefined;
  return `this.${nodeText(t, prop)}`;
}

/** `new X(...)` with X, `scope.X`, or `GlideAjax('...')`: what the new object is. */
function newReceiver(t: SyntaxTable, node: number): Receiver | undefined {
  const ctor = childByField(t, node, 'constructor');
  if (ctor === NONE) return undefined;
  const ref = classNameOf(t, ctor);
  if (!ref) return undefined;
  if (ref.name === 'GlideAjax' && (!ref.qualifier || ref.qualifier === 'global')) {
    const args = childByField(t, node, 'arguments');
    const first = args === NONE ? NONE : (codeChildren(t, args)[0] ?? NONE);
    if (first === NONE || !isStringLiteral(t, first)) return { kind: 'ajax' };
    const value = stringValue(t, first).trim();
    const dot = value.lastIndexOf('.');
    const target: { name: string; qualifier?: string } = { name: value.slice(dot + 1) };
    if (dot > 0) target.qualifier = value.slice(0, dot);
    return { kind: 'ajax', target };
  }
  if (isPlatformClass(ref.name, ref.qualifier)) return { kind: 'platform', name: ref.qualifier ? `${ref.qualifier}.${ref.name}` : ref.name, isClass: false };
  if (ref.qualifier && !isScopeName(ref.qualifier)) return undefined;
  return { kind: 'script-include', name: ref.name, ...(ref.qualifier ? { qualifier: ref.qualifier } : {}), isClass: false };
}

function classNameOf(t: SyntaxTable, node: number): { name: string; qualifier?: string } | undefined {
  const n = unwrapParens(t, node);
  if (n === NONE) return undefined;
  if (t.type[n] === 'identifier') return { name: nodeText(t, n) };
  if (t.type[n] !== 'member_expression') return undefined;
  const obj = childByField(t, n, 'object');
  const prop = childByField(t, n, 'property');
  if (obj === NONE || prop === NONE || t.type[obj] !== 'identifier') return undefined;
  return { name: nodeText(t, prop), qualifier: nodeText(t, obj) };
}

/** What an expression holds, from its shape and the bindings seen so far. */
function expressionReceiver(t: SyntaxTable, node: number, receiverOf: ScriptSymbols['receiverOf'], declared: ReadonlySet<string>): Receiver | undefined {
  const n = unwrapParens(t, node);
  if (n === NONE) return undefined;
  const type = t.type[n];
  if (type === 'new_expression') return newReceiver(t, n);
  if (type === 'identifier') {
    const name = nodeText(t, n);
    const bound = receiverOf(name, t.start[n]);
    if (bound || declared.has(name)) return bound;
    return receiverByName(name);
  }
  if (type === 'member_expression') {
    const key = bindingKey(t, n);
    if (key) return receiverOf(key, t.start[n]);
    const ref = classNameOf(t, n);
    if (ref?.qualifier && isScopeName(ref.qualifier) && /^[A-Z_$]/.test(ref.name)) return { kind: 'script-include', name: ref.name, qualifier: ref.qualifier, isClass: true };
  }
  return undefined;
}

/** A bare name not declared in the script: a platform global or class, or a Script Include class. */
export function receiverByName(name: string): Receiver | undefined {
  if (isGlideGlobal(name)) return { kind: 'platform', name, isClass: false };
  if (isPlatformClass(name)) return { kind: 'platform', name, isClass: true };
  if (/^[A-Z]/.test(name)) return { kind: 'script-include', name, isClass: true };
  return undefined;
}

function methodReference(t: SyntaxTable, call: number, receiverOf: ScriptSymbols['receiverOf'], declared: ReadonlySet<string>, out: Reference[]): void {
  const fn = childByField(t, call, 'function');
  if (fn === NONE || t.type[fn] !== 'member_expression') return;
  const obj = childByField(t, fn, 'object');
  const prop = childByField(t, fn, 'property');
  if (obj === NONE || prop === NONE || t.type[prop] !== 'property_identifier') return;
  const receiver = expressionReceiver(t, obj, receiverOf, declared);
  if (!receiver) return;
  const method = nodeText(t, prop);
  const o = unwrapParens(t, obj);
  if (receiver.kind === 'platform' && o !== NONE && t.type[o] === 'identifier' && !declared.has(receiver.name)) {
    out.push({ kind: 'class', name: receiver.name, form: 'static', start: t.start[o], end: t.end[o], qualifiedStart: t.start[o], platform: true });
  }
  if (receiver.kind === 'ajax') {
    if (method !== 'addParam' || !receiver.target) return;
    const args = childByField(t, call, 'arguments');
    const [nameArg, valueArg] = args === NONE ? [] : codeChildren(t, args);
    if (nameArg === undefined || valueArg === undefined || !isStringLiteral(t, nameArg) || !isStringLiteral(t, valueArg)) return;
    if (stringValue(t, nameArg) !== 'sysparm_name') return;
    const value = stringValue(t, valueArg);
    out.push({ kind: 'method', receiver, method: value, start: t.start[valueArg] + 1, end: t.start[valueArg] + 1 + value.length, viaAjax: true });
    return;
  }
  out.push({ kind: 'method', receiver, method, start: t.start[prop], end: t.end[prop] });
}

/** `new GlideRecord(`: the platform class named, so hover can describe it. */
function platformClassReference(t: SyntaxTable, node: number, out: Reference[]): void {
  const r = newReceiver(t, node);
  if (r?.kind !== 'platform' && r?.kind !== 'ajax') return;
  const ctor = unwrapParens(t, childByField(t, node, 'constructor'));
  if (ctor === NONE) return;
  const nameNode = t.type[ctor] === 'member_expression' ? childByField(t, ctor, 'property') : ctor;
  if (nameNode === NONE) return;
  const name = r.kind === 'ajax' ? 'GlideAjax' : r.name;
  out.push({ kind: 'class', name, form: 'new', start: t.start[nameNode], end: t.end[nameNode], qualifiedStart: t.start[ctor], platform: true });
}
