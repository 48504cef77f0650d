/**
 * One pass over a script's syntax table, in document order, that finds what the script uses:
 * the places it may call a Script Include (call sites) and, for Script Include methods, the
 * tables, Glide APIs and other classes each part of the code touches (uses).
 *
 * Variables are tracked simply, script-wide and in document order (the last assignment seen
 * wins): `var gr = new GlideRecord(...)` types `gr`; `var x = new X()` lets a later `x.m(`
 * name the method; `var t = 'incident'` lets `new GlideRecord(t)` name the table. That is what
 * real scripts do; full scope analysis would cost more than the cases it would fix.
 */
import type { CallForm } from '../model';
import {
  NONE,
  SyntaxTable,
  childByField,
  codeChildren,
  isStringLiteral,
  nodeText,
  stringValue,
  unwrapParens,
} from './walk';

import { findPlatformApi } from '../platform/platform-apis';
import { encodedQueryFields, takesEncodedQuery, takesField, takesProperty } from '../platform/tables';
import { isExcludedName, isGlideGlobal, isJsBuiltin, isPlatformClass, isPlatformFunction, isPlatformNamespace, isScopeName, isTableClass } from '../platform/names';

function isCapitalized(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90;
}

/** A call site found in the script, in script offsets; extract.ts adds the record's details. */
export interface RawCallSite {
  target: string;
  qualifier?: string;
  method?: string;
  form: CallForm;
  /** The target name (without qualifier) in the script. */
  nameStart: number;
  nameEnd: number;
  /** Start of the name as written, qualifier included (inside the string for GlideAjax). */
  targetOffset: number;
  /** Start of the whole call or `new` expression. */
  scriptOffset: number;
}

export type UseKind = 'table' | 'glide' | 'call';

/** Something the code at `offset` uses; script-includes.ts attributes it to a method. */
export interface Use {
  offset: number;
  kind: UseKind;
  value: string;
}

export interface ScriptScan {
  sites: RawCallSite[];
  uses: Use[];
  /** Names declared anywhere in the script (variables, functions, classes, parameters). */
  declared: Set<string>;
  /**
   * Tables, fields and properties the code names, in document order: `incident`,
   * `incident.state`, `@current.state` (a field of the record's own table, which extract.ts
   * knows), `@g_form.state`, `property:x_acme.enabled`.
   */
  schema: string[];
}

/** A class reference as written: `X` or `scope.X`. */
interface ClassRef {
  name: string;
  qualifier?: string;
  nameNode: number;
  /** Start of the whole reference (the qualifier when there is one). */
  start: number;
}

function classRef(t: SyntaxTable, node: number): ClassRef | undefined {
  const n = unwrapParens(t, node);
  if (n === NONE) return undefined;
  if (t.type[n] === 'identifier') return { name: nodeText(t, n), nameNode: n, start: t.start[n] };
  if (t.type[n] !== 'member_expression') return undefined;
  const obj = childByField(t, n, 'object');
  const prop = childByField(t, n, 'property');
  if (obj === NONE || prop === NONE || t.type[obj] !== 'identifier' || t.type[prop] !== 'property_identifier') return undefined;
  return { name: nodeText(t, prop), qualifier: nodeText(t, obj), nameNode: prop, start: t.start[obj] };
}

/** The first argument of a call or `new`, or NONE. */
export function firstArgument(t: SyntaxTable, callNode: number): number {
  const args = childByField(t, callNode, 'arguments');
  if (args === NONE) return NONE;
  for (let c = t.firstChild[args]; c !== NONE; c = t.nextSibling[c]) if (t.type[c] !== 'comment') return c;
  return NONE;
}

function argumentsOf(t: SyntaxTable, callNode: number): number[] {
  const args = childByField(t, callNode, 'arguments');
  return args === NONE ? [] : codeChildren(t, args);
}

/** The variable key a node names: `x`, `this.x`, `a.b`; undefined for anything else. */
function bindingKey(t: SyntaxTable, node: number): string | undefined {
  if (t.type[node] === 'identifier') return nodeText(t, node);
  if (t.type[node] !== 'member_expression' || t.end[node] - t.start[node] > 120) return undefined;
  const obj = childByField(t, node, 'object');
  if (obj === NONE || (t.type[obj] !== 'this' && t.type[obj] !== 'identifier')) return undefined;
  return nodeText(t, node).replace(/\s+/g, '');
}

/** The variable an expression is stored into (`var x = <expr>`, `this.x = <expr>`), if any. */
function assignedKey(t: SyntaxTable, expr: number): string | undefined {
  let n = expr;
  let p = t.parent[n];
  while (p !== NONE && t.type[p] === 'parenthesized_expression') {
    n = p;
    p = t.parent[p];
  }
  if (p === NONE) return undefined;
  if (t.type[p] === 'variable_declarator' && t.field[n] === 'value') {
    const name = childByField(t, p, 'name');
    return name !== NONE && t.type[name] === 'identifier' ? nodeText(t, name) : undefined;
  }
  if (t.type[p] === 'assignment_expression' && t.field[n] === 'right') {
    const left = childByField(t, p, 'left');
    return left === NONE ? undefined : bindingKey(t, left);
  }
  return undefined;
}

/** `new X().m(`: the method called directly on the new instance, if any. */
function chainedMethod(t: SyntaxTable, newNode: number): string | undefined {
  let n = newNode;
  let p = t.parent[n];
  while (p !== NONE && t.type[p] === 'parenthesized_expression') {
    n = p;
    p = t.parent[p];
  }
  if (p === NONE || t.type[p] !== 'member_expression' || t.field[n] !== 'object') return undefined;
  const call = t.parent[p];
  if (call === NONE || t.type[call] !== 'call_expression' || t.field[p] !== 'function') return undefined;
  const prop = childByField(t, p, 'property');
  return prop === NONE ? undefined : nodeText(t, prop);
}

/** Collects every name the script declares, so a bare call to it is known to be local. */
function declaredNames(t: SyntaxTable): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < t.count; i++) {
    switch (t.type[i]) {
      case 'variable_declarator':
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'class_declaration':
      case 'function_expression':
      case 'class': {
        const name = childByField(t, i, 'name');
        if (name !== NONE && t.type[name] === 'identifier') out.add(nodeText(t, name));
        break;
      }
      case 'formal_parameters':
        for (const c of codeChildren(t, i)) {
          const id = t.type[c] === 'assignment_pattern' ? childByField(t, c, 'left') : t.type[c] === 'rest_pattern' ? t.firstChild[c] : c;
          if (id !== NONE && t.type[id] === 'identifier') out.add(nodeText(t, id));
        }
        break;
      case 'arrow_function': {
        const param = childByField(t, i, 'parameter');
        if (param !== NONE && t.type[param] === 'identifier') out.add(nodeText(t, param));
        break;
      }
      case 'catch_clause': {
        const param = childByField(t, i, 'parameter');
        if (param !== NONE && t.type[param] === 'identifier') out.add(nodeText(t, param));
        break;
      }
    }
  }
  return out;
}

/** Mutable state of one scan; lives only for the duration of `scanScript`. */
interface ScanState {
  t: SyntaxTable;
  sites: RawCallSite[];
  uses: Use[];
  declared: Set<string>;
  /** Variable -> string literal node it holds. */
  strings: Map<string, number>;
  /** Variable -> Glide class of the instance it holds. */
  glideTypes: Map<string, string>;
  /** Variable -> index in `sites` of the instance (or GlideAjax) it holds. */
  instances: Map<string, number>;
  /** Variable -> the table of the GlideRecord (or kin) it holds. */
  tableOf: Map<string, string>;
  schema: string[];
}

/** A string literal, or a variable bound to one: the literal's node. */
function resolveString(s: ScanState, node: number): number {
  if (node === NONE) return NONE;
  const n = unwrapParens(s.t, node);
  if (n === NONE) return NONE;
  if (isStringLiteral(s.t, n)) return n;
  if (s.t.type[n] === 'identifier') return s.strings.get(nodeText(s.t, n)) ?? NONE;
  return NONE;
}

function forget(s: ScanState, key: string): void {
  s.strings.delete(key);
  s.glideTypes.delete(key);
  s.instances.delete(key);
  s.tableOf.delete(key);
}

function onAssignment(s: ScanState, keyNode: number, valueNode: number): void {
  const { t } = s;
  if (keyNode === NONE) return;
  const key = bindingKey(t, keyNode);
  if (key === undefined) return;
  forget(s, key);
  const v = valueNode === NONE ? NONE : unwrapParens(t, valueNode);
  if (v !== NONE && isStringLiteral(t, v)) s.strings.set(key, v);
}

function onNew(s: ScanState, node: number): void {
  const { t } = s;
  const ctor = childByField(t, node, 'constructor');
  const ref = ctor === NONE ? undefined : classRef(t, ctor);
  if (!ref) return;
  const key = assignedKey(t, node);
  const scriptOffset = t.start[node];
  if (ref.name === 'GlideAjax' && (ref.qualifier === undefined || ref.qualifier === 'global')) {
    s.uses.push({ offset: scriptOffset, kind: 'glide', value: 'GlideAjax' });
    const lit = resolveString(s, firstArgument(t, node));
    if (lit === NONE) return;
    const inner = t.start[lit] + 1;
    const value = stringValue(t, lit);
    const dot = value.lastIndexOf('.');
    const target = value.slice(dot + 1).trim();
    if (!target || /[^\w$]/.test(target)) return;
    const site: RawCallSite = {
      target,
      form: 'glide-ajax',
      nameStart: inner + dot + 1,
      nameEnd: inner + dot + 1 + target.length,
      targetOffset: inner,
      scriptOffset,
    };
    if (dot > 0) site.qualifier = value.slice(0, dot);
    s.sites.push(site);
    if (key !== undefined) {
      s.instances.set(key, s.sites.length - 1);
      s.glideTypes.set(key, 'GlideAjax');
    }
    return;
  }
  if (isPlatformClass(ref.name, ref.qualifier)) {
    const cls = ref.qualifier === undefined ? ref.name : `${ref.qualifier}.${ref.name}`;
    s.uses.push({ offset: scriptOffset, kind: 'glide', value: cls });
    const table = isTableClass(ref.name) ? addTable(s, scriptOffset, firstArgument(t, node)) : undefined;
    const chained = chainedMethod(t, node);
    if (chained) s.uses.push({ offset: scriptOffset, kind: 'glide', value: `${cls}.${chained}` });
    if (key !== undefined) s.glideTypes.set(key, cls);
    if (key !== undefined && table !== undefined) s.tableOf.set(key, table);
    return;
  }
  if (ref.qualifier === undefined && isJsBuiltin(ref.name)) return;
  if (ref.qualifier !== undefined && !isScopeName(ref.qualifier)) return;
  const site: RawCallSite = {
    target: ref.name,
    form: 'new',
    nameStart: t.start[ref.nameNode],
    nameEnd: t.end[ref.nameNode],
    targetOffset: ref.start,
    scriptOffset,
  };
  if (ref.qualifier !== undefined) site.qualifier = ref.qualifier;
  const chained = chainedMethod(t, node);
  if (chained) site.method = chained;
  s.sites.push(site);
  s.uses.push({ offset: scriptOffset, kind: 'call', value: ref.name });
  if (key !== undefined) s.instances.set(key, s.sites.length - 1);
}

function addTable(s: ScanState, offset: number, arg: number): string | undefined {
  const lit = resolveString(s, arg);
  if (lit === NONE) return undefined;
  const table = stringValue(s.t, lit).trim();
  if (!table || !/^[\w$.]+$/.test(table)) return undefined;
  s.uses.push({ offset, kind: 'table', value: table });
  s.schema.push(table);
  return table;
}

const FIELD_NAME = /^[a-z_][a-z0-9_]{0,79}$/;

/**
 * A call whose first argument names fields or a property (`gr.addQuery('state', ...)`,
 * `g_form.getValue('state')`, `gs.getProperty('x')`): what it names, against `owner` (a table, or
 * `@current` / `@g_form` for the record's own table).
 */
function onSchemaArgument(s: ScanState, owner: string, receiverType: string, method: string, call: number): void {
  const lit = resolveString(s, firstArgument(s.t, call));
  if (lit === NONE) return;
  const value = stringValue(s.t, lit).trim();
  if (takesProperty(receiverType, method)) {
    if (/^[\w.$-]{1,200}$/.test(value)) s.schema.push(`property:${value}`);
  } else if (takesEncodedQuery(receiverType, method)) {
    for (const f of encodedQueryFields(value)) if (FIELD_NAME.test(f)) s.schema.push(`${owner}.${f}`);
  } else if (takesField(receiverType, method) && FIELD_NAME.test(value)) {
    s.schema.push(`${owner}.${value}`);
  }
}

let recordMethods: Set<string> | undefined;

/** `gr.state`, `current.priority`: a field read or written, not a method called. */
function onMember(s: ScanState, node: number): void {
  const { t } = s;
  const parent = t.parent[node];
  if (parent !== NONE && t.type[parent] === 'call_expression' && t.field[node] === 'function') return;
  const obj = childByField(t, node, 'object');
  const prop = childByField(t, node, 'property');
  if (obj === NONE || prop === NONE || t.type[prop] !== 'property_identifier') return;
  const key = bindingKey(t, obj);
  if (key === undefined) return;
  const owner = key === 'current' || key === 'previous' ? '@current' : s.tableOf.get(key);
  if (owner === undefined) return;
  const field = nodeText(t, prop);
  recordMethods ??= new Set(findPlatformApi('GlideRecord')?.methods.map((m) => m.name) ?? []);
  if (FIELD_NAME.test(field) && !recordMethods.has(field)) s.schema.push(`${owner}.${field}`);
}

function pushSite(s: ScanState, ref: ClassRef, form: CallForm, scriptOffset: number, method?: string): void {
  const site: RawCallSite = {
    target: ref.name,
    form,
    nameStart: s.t.start[ref.nameNode],
    nameEnd: s.t.end[ref.nameNode],
    targetOffset: ref.start,
    scriptOffset,
  };
  if (ref.qualifier !== undefined) site.qualifier = ref.qualifier;
  if (method !== undefined) site.method = method;
  s.sites.push(site);
  if (form !== 'extends') s.uses.push({ offset: scriptOffset, kind: 'call', value: ref.name });
}

function onExtends(s: ScanState, exprNode: number, scriptOffset: number): void {
  const ref = classRef(s.t, exprNode);
  if (!ref || (ref.qualifier === undefined && isExcludedName(ref.name))) return;
  if (ref.qualifier !== undefined && !isScopeName(ref.qualifier)) return;
  pushSite(s, ref, 'extends', scriptOffset);
}

function onCall(s: ScanState, node: number): void {
  const { t } = s;
  const fn = childByField(t, node, 'function');
  if (fn === NONE) return;
  const offset = t.start[node];
  if (t.type[fn] === 'identifier') {
    const name = nodeText(t, fn);
    if (name === 'GlideQuery') {
      s.uses.push({ offset, kind: 'glide', value: 'GlideQuery' });
      addTable(s, offset, firstArgument(t, node));
      return;
    }
    if (isExcludedName(name) || s.declared.has(name)) return;
    pushSite(s, { name, nameNode: fn, start: t.start[fn] }, 'function', offset);
    return;
  }
  if (t.type[fn] !== 'member_expression') return;
  const obj = childByField(t, fn, 'object');
  const prop = childByField(t, fn, 'property');
  if (obj === NONE || prop === NONE) return;
  const method = nodeText(t, prop);
  const objType = t.type[obj];
  if (objType === 'identifier') {
    const name = nodeText(t, obj);
    if (name === 'Object' && method === 'extendsObject') {
      onExtends(s, firstArgument(t, node), offset);
      return;
    }
    if (isGlideGlobal(name)) {
      s.uses.push({ offset, kind: 'glide', value: `${name}.${method}` });
      if (name === 'current' || name === 'previous') onSchemaArgument(s, '@current', 'GlideRecord', method, node);
      else if (name === 'g_form' || name === 'gs') onSchemaArgument(s, `@${name}`, name, method, node);
      return;
    }
    if (onInstanceCall(s, name, method, node, offset)) return;
    if (isPlatformClass(name)) {
      s.uses.push({ offset, kind: 'glide', value: `${name}.${method}` });
      return;
    }
    if (isJsBuiltin(name) || isPlatformFunction(name)) return;
    if (isCapitalized(name)) {
      pushSite(s, { name, nameNode: obj, start: t.start[obj] }, 'static', offset, method);
      return;
    }
    // `x_acme.doThing(`: a classless Script Include called through its scope.
    if (isScopeName(name) && !s.declared.has(name) && !isPlatformNamespace(name) && t.type[prop] === 'property_identifier') {
      pushSite(s, { name: method, qualifier: name, nameNode: prop, start: t.start[obj] }, 'function', offset);
    }
    return;
  }
  if (objType === 'member_expression') {
    const key = bindingKey(t, obj);
    if (key !== undefined && onInstanceCall(s, key, method, node, offset)) return;
    const ref = classRef(t, obj);
    if (!ref || ref.qualifier === undefined) return;
    if (isPlatformNamespace(ref.qualifier)) {
      s.uses.push({ offset, kind: 'glide', value: `${ref.qualifier}.${ref.name}.${method}` });
      return;
    }
    if (isGlideGlobal(ref.qualifier) || s.declared.has(ref.qualifier) || !isScopeName(ref.qualifier)) return;
    pushSite(s, ref, 'static', offset, method);
  }
}

/** A method call on a tracked variable; true when the variable was tracked. */
function onInstanceCall(s: ScanState, key: string, method: string, call: number, offset: number): boolean {
  const glideType = s.glideTypes.get(key);
  const siteIndex = s.instances.get(key);
  if (glideType !== undefined) s.uses.push({ offset, kind: 'glide', value: `${glideType}.${method}` });
  const table = s.tableOf.get(key);
  if (table !== undefined && glideType !== undefined) onSchemaArgument(s, table, glideType, method, call);
  if (siteIndex !== undefined) {
    const site = s.sites[siteIndex];
    if (site.form === 'glide-ajax') {
      if (method === 'addParam' && site.method === undefined) {
        const [nameArg, valueArg] = argumentsOf(s.t, call);
        const n = resolveString(s, nameArg ?? NONE);
        const v = resolveString(s, valueArg ?? NONE);
        if (n !== NONE && v !== NONE && stringValue(s.t, n) === 'sysparm_name') site.method = stringValue(s.t, v);
      }
    } else if (site.method === undefined) {
      site.method = method;
    }
  }
  return glideType !== undefined || siteIndex !== undefined;
}

/** Finds the script's call sites and uses. Never throws on any tree tree-sitter can produce. */
export function scanScript(t: SyntaxTable): ScriptScan {
  const s: ScanState = {
    t,
    sites: [],
    uses: [],
    declared: declaredNames(t),
    strings: new Map(),
    glideTypes: new Map(),
    instances: new Map(),
    tableOf: new Map(),
    schema: [],
  };
  for (let i = 0; i < t.count; i++) {
    switch (t.type[i]) {
      case 'variable_declarator':
        onAssignment(s, childByField(t, i, 'name'), childByField(t, i, 'value'));
        break;
      case 'assignment_expression':
        onAssignment(s, childByField(t, i, 'left'), childByField(t, i, 'right'));
        break;
      case 'new_expression':
        onNew(s, i);
        break;
      case 'call_expression':
        onCall(s, i);
        break;
      case 'member_expression':
        onMember(s, i);
        break;
      case 'class_heritage': {
        const expr = codeChildren(t, i)[0];
        if (expr !== undefined) onExtends(s, expr, t.parent[i] === NONE ? t.start[i] : t.start[t.parent[i]]);
        break;
      }
    }
  }
  return { sites: s.sites, uses: s.uses, declared: s.declared, schema: s.schema };
}
