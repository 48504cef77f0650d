/**
 * The ServiceNow platform's own APIs (GlideRecord, gs, g_form, GlideAjax, ...) as a built-in
 * catalog, so completion, hover, signature help and retrieval treat them like the workspace's
 * Script Includes. The index files them under the package `PLATFORM_PACKAGE`, scope
 * `PLATFORM_SCOPE`.
 *
 * The data lives in `platform-apis-server.ts` and `platform-apis-client.ts`, written in a compact
 * TypeScript-like signature notation (`addQuery(name: string, operator?: string): void`) that is
 * easier to read and review than nested objects; this module parses it once, at load, into the
 * frozen `PlatformApi` shapes that the rest of the server uses.
 *
 * Server and client are kept apart on purpose: `GlideRecord` exists on both sides with different
 * surfaces, `GlideAjax` exists only in the browser, `gs` only on the instance.
 */
import type { Side } from '../model';
import { SERVER_APIS } from './platform-apis-server';
import { CLIENT_APIS } from './platform-apis-client';

export const PLATFORM_PACKAGE = 'platform';
export const PLATFORM_SCOPE = 'global';

export interface PlatformParam {
  name: string;
  type: string;
  optional?: boolean;
  /** A rest parameter (`...fields`): any number of arguments of `type`. Always last. */
  rest?: boolean;
  description?: string;
}

export interface PlatformMethod {
  name: string;
  params: PlatformParam[];
  /** `void` when the method returns nothing useful. */
  returns?: string;
  description: string;
  /** Called on the class itself (`GlideDateTime.subtract(a, b)`), not on an instance. */
  isStatic?: boolean;
  example?: string;
}

/** A plain value on an object (`g_user.userID`, `request.body`). */
export interface PlatformProperty {
  name: string;
  type: string;
  description: string;
}

export interface PlatformApi {
  /** As written in code: `GlideRecord`, `gs`, `g_form`, `sn_ws.RESTMessageV2`. */
  name: string;
  /** class: constructed with `new` or used through static methods; global: an object that is simply there. */
  kind: 'class' | 'global';
  side: Side;
  description: string;
  /** For globals: the class it is an instance of (`gs` -> GlideSystem, `current` -> GlideRecord). */
  type?: string;
  /**
   * Present when the class is constructed with `new` (empty for `new X()`). Absent for classes
   * whose instances only come from other APIs (GlideElement, RESTResponseV2), which completion
   * after `new` should not offer.
   */
  constructorParams?: PlatformParam[];
  /** Instance and static methods, including those inherited from `parent` or from `type`. Overloads share a name. */
  methods: PlatformMethod[];
  properties?: PlatformProperty[];
  /** The class this one extends (GlideAggregate -> GlideRecord). */
  parent?: string;
  /** The name in scoped apps when different (`ArrayUtil` -> `global.ArrayUtil`). */
  scopedName?: string;
}

// ---------------------------------------------------------------------------------------------
// The notation the data files are written in.

/** `[signature, description, example?]`; signature: `[static ]name(p: type, q?: type, ...r: type): returns`. */
export type MethodSpec = readonly [signature: string, description: string, example?: string];
/** `[declaration, description]`; declaration: `name: type`. */
export type PropertySpec = readonly [declaration: string, description: string];

export interface ApiSpec {
  name: string;
  kind: 'class' | 'global';
  description: string;
  type?: string;
  parent?: string;
  /** Constructor parameter list with its parentheses, `(tableName: string)`; absent when not constructed with `new`. */
  ctor?: string;
  scopedName?: string;
  methods: readonly MethodSpec[];
  properties?: readonly PropertySpec[];
}

interface ParsedSignature {
  name: string;
  isStatic: boolean;
  params: PlatformParam[];
  returns?: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Splits at top-level commas: commas inside `(...)`, `[...]` or `{...}` belong to a type. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseParam(text: string): PlatformParam | string {
  const m = /^(\.\.\.)?([A-Za-z_$][\w$]*)(\?)?\s*:\s*(.+)$/.exec(text);
  if (!m) return `malformed parameter '${text}'`;
  const param: PlatformParam = { name: m[2], type: m[4].trim() };
  if (m[3]) param.optional = true;
  if (m[1]) param.rest = true;
  return param;
}

/** Parses `(a: t, b?: u)` (without the parentheses) into parameters, or says what is wrong. */
export function parseParamList(inner: string): PlatformParam[] | string {
  const params: PlatformParam[] = [];
  for (const part of splitTopLevel(inner)) {
    const p = parseParam(part);
    if (typeof p === 'string') return p;
    params.push(p);
  }
  return params;
}

/** Index of the `)` that closes the `(` at `open`, or -1. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Parses one method signature of the notation; a string result says why it could not. */
export function parseSignature(signature: string): ParsedSignature | string {
  let text = signature.trim();
  const isStatic = text.startsWith('static ');
  if (isStatic) text = text.slice('static '.length).trim();
  const open = text.indexOf('(');
  const close = open < 0 ? -1 : closingParen(text, open);
  if (close < 0) return `no parameter list in '${signature}'`;
  const name = text.slice(0, open).trim();
  if (!IDENT.test(name)) return `bad method name in '${signature}'`;
  const params = parseParamList(text.slice(open + 1, close));
  if (typeof params === 'string') return `${params} in '${signature}'`;
  const rest = text.slice(close + 1).trim();
  let returns: string | undefined;
  if (rest.length > 0) {
    if (!rest.startsWith(':') || rest.slice(1).trim().length === 0) return `bad return type in '${signature}'`;
    returns = rest.slice(1).trim();
  }
  return { name, isStatic, params, returns };
}

function parseProperty(declaration: string, description: string): PlatformProperty | string {
  const m = /^([A-Za-z_$][\w$]*)\s*:\s*(.+)$/.exec(declaration.trim());
  if (!m) return `malformed property '${declaration}'`;
  return { name: m[1], type: m[2].trim(), description };
}

/** Says what is wrong with a parameter list's order: required after optional, or rest not last. */
function paramOrderProblem(params: readonly PlatformParam[]): string | undefined {
  let sawOptional = false;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p.rest && i !== params.length - 1) return `rest parameter '${p.name}' is not last`;
    if (p.optional || p.rest) sawOptional = true;
    else if (sawOptional) return `required parameter '${p.name}' follows an optional one`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Building the catalog.

interface Catalog {
  apis: readonly PlatformApi[];
  /** Lookup keys per side, in priority order: name, scopedName, unqualified tail, instance type. */
  byKey: Record<Side, ReadonlyMap<string, PlatformApi>[]>;
  problems: readonly string[];
}

function methodFromSpec(apiName: string, spec: MethodSpec, problems: string[]): PlatformMethod | undefined {
  const [signature, description, example] = spec;
  const parsed = parseSignature(signature);
  if (typeof parsed === 'string') {
    problems.push(`${apiName}: ${parsed}`);
    return undefined;
  }
  const order = paramOrderProblem(parsed.params);
  if (order) problems.push(`${apiName}.${parsed.name}: ${order}`);
  if (!description.trim()) problems.push(`${apiName}.${parsed.name}: no description`);
  const method: PlatformMethod = { name: parsed.name, params: parsed.params, description };
  if (parsed.returns !== undefined) method.returns = parsed.returns;
  else problems.push(`${apiName}.${parsed.name}: no return type`);
  if (parsed.isStatic) method.isStatic = true;
  if (example) method.example = example;
  return method;
}

/** The API's own members, before inheritance. */
function ownApi(spec: ApiSpec, side: Side, problems: string[]): PlatformApi {
  const methods: PlatformMethod[] = [];
  const signatures = new Set<string>();
  for (const m of spec.methods) {
    const method = methodFromSpec(spec.name, m, problems);
    if (!method) continue;
    const key = `${method.isStatic ? 'static ' : ''}${method.name}(${method.params.map((p) => p.type).join(',')})`;
    if (signatures.has(key)) problems.push(`${spec.name}: duplicate method ${key}`);
    signatures.add(key);
    methods.push(method);
  }
  const api: PlatformApi = { name: spec.name, kind: spec.kind, side, description: spec.description, methods };
  if (spec.type) api.type = spec.type;
  if (spec.parent) api.parent = spec.parent;
  if (spec.scopedName) api.scopedName = spec.scopedName;
  if (spec.ctor !== undefined) {
    const inner = /^\((.*)\)$/.exec(spec.ctor.trim());
    const params = inner ? parseParamList(inner[1]) : `malformed constructor '${spec.ctor}'`;
    if (typeof params === 'string') problems.push(`${spec.name}: ${params}`);
    else {
      const order = paramOrderProblem(params);
      if (order) problems.push(`${spec.name} constructor: ${order}`);
      api.constructorParams = params;
    }
  }
  if (spec.properties) {
    const props: PlatformProperty[] = [];
    for (const [decl, description] of spec.properties) {
      const p = parseProperty(decl, description);
      if (typeof p === 'string') problems.push(`${spec.name}: ${p}`);
      else props.push(p);
    }
    api.properties = props;
  }
  return api;
}

/**
 * Copies in the instance members of the class an API extends (`parent`) or, for a global, is an
 * instance of (`type`), so consumers see the whole surface of `current` or `GlideAggregate`
 * without walking a hierarchy. Own members win over inherited ones of the same name; static
 * methods stay with their class.
 */
function withInherited(api: PlatformApi, bySide: ReadonlyMap<string, PlatformApi>, problems: string[], seen: Set<string> = new Set()): PlatformApi {
  const from = api.parent ?? (api.kind === 'global' ? api.type : undefined);
  if (!from || from === api.name) return api;
  const base = bySide.get(from);
  if (!base) {
    // A global's type may legitimately have no entry of its own (gs -> GlideSystem).
    if (api.parent) problems.push(`${api.name}: unknown parent '${api.parent}'`);
    return api;
  }
  if (seen.has(api.name)) {
    problems.push(`${api.name}: inheritance cycle`);
    return api;
  }
  seen.add(api.name);
  const full = withInherited(base, bySide, problems, seen);
  const own = new Set(api.methods.map((m) => m.name));
  const inherited = full.methods.filter((m) => !m.isStatic && !own.has(m.name));
  const ownProps = new Set((api.properties ?? []).map((p) => p.name));
  const props = [...(api.properties ?? []), ...(full.properties ?? []).filter((p) => !ownProps.has(p.name))];
  const out: PlatformApi = { ...api, methods: [...api.methods, ...inherited] };
  if (props.length > 0) out.properties = props;
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

function tailOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? name : name.slice(dot + 1);
}

function buildSide(specs: readonly ApiSpec[], side: Side, problems: string[]): PlatformApi[] {
  const own = specs.map((s) => ownApi(s, side, problems));
  const byName = new Map<string, PlatformApi>();
  for (const api of own) {
    if (byName.has(api.name)) problems.push(`${side}: duplicate API '${api.name}'`);
    else byName.set(api.name, api);
  }
  return own.map((api) => withInherited(api, byName, problems));
}

function indexSide(apis: readonly PlatformApi[]): ReadonlyMap<string, PlatformApi>[] {
  const keyers: ((a: PlatformApi) => string | undefined)[] = [
    (a) => a.name,
    (a) => a.scopedName,
    (a) => (a.name.includes('.') ? tailOf(a.name) : undefined),
    (a) => (a.kind === 'global' ? a.type : undefined),
  ];
  return keyers.map((key) => {
    const map = new Map<string, PlatformApi>();
    for (const api of apis) {
      const k = key(api);
      // First one wins: `current` and `previous` are both GlideRecords, `current` is listed first.
      if (k && !map.has(k)) map.set(k, api);
    }
    return map;
  });
}

function buildCatalog(): Catalog {
  const problems: string[] = [];
  const server = buildSide(SERVER_APIS, 'server', problems);
  const client = buildSide(CLIENT_APIS, 'client', problems);
  const apis = deepFreeze([...server, ...client]);
  return { apis, byKey: { server: indexSide(apis.filter((a) => a.side === 'server')), client: indexSide(apis.filter((a) => a.side === 'client')) }, problems: Object.freeze(problems) };
}

// Built once, at load: the data is static, and parsing it (some 20 ms in a cold process) costs
// little next to server start-up.
const CATALOG: Catalog = buildCatalog();

// ---------------------------------------------------------------------------------------------
// Public queries.

/** Every platform API, server then client, frozen. */
export function platformApis(): readonly PlatformApi[] {
  return CATALOG.apis;
}

/**
 * The API a name refers to: by name (`GlideRecord`, `sn_ws.RESTMessageV2`), by scoped name
 * (`global.ArrayUtil`), by unqualified name of a namespaced API (`RESTMessageV2`), or by the
 * type of a global (`GlideSystem` -> `gs`, `GlideForm` -> `g_form`). Without a side, the server
 * is searched first.
 */
export function findPlatformApi(name: string, side?: Side): PlatformApi | undefined {
  const sides: Side[] = side ? [side] : ['server', 'client'];
  for (const s of sides) {
    for (const map of CATALOG.byKey[s]) {
      const api = map.get(name);
      if (api) return api;
    }
  }
  return undefined;
}

/** The methods of that name (several when overloaded), own and inherited. */
export function findPlatformMethods(api: PlatformApi, name: string): readonly PlatformMethod[] {
  return api.methods.filter((m) => m.name === name);
}

/** Names code uses for the side's APIs (names and scoped names), sorted; both sides when none is given. */
export function platformApiNames(side?: Side): readonly string[] {
  const names = new Set<string>();
  for (const api of CATALOG.apis) {
    if (side && api.side !== side) continue;
    names.add(api.name);
    if (api.scopedName) names.add(api.scopedName);
  }
  return [...names].sort();
}

/** What is malformed in the catalog data (bad signatures, parameter order, duplicates); empty when sound. */
export function platformCatalogProblems(): readonly string[] {
  return CATALOG.problems;
}

/** A signature label and, for LSP signature help, where each parameter sits in it ([start, end) offsets). */
export interface SignatureLabel {
  label: string;
  parameters: [number, number][];
}

function formatParam(p: PlatformParam): string {
  return `${p.rest ? '...' : ''}${p.name}${p.optional ? '?' : ''}: ${p.type}`;
}

function labelWithParams(head: string, params: readonly PlatformParam[], tail: string): SignatureLabel {
  let label = `${head}(`;
  const parameters: [number, number][] = [];
  params.forEach((p, i) => {
    if (i > 0) label += ', ';
    const text = formatParam(p);
    parameters.push([label.length, label.length + text.length]);
    label += text;
  });
  label += `)${tail}`;
  return { label, parameters };
}

/** `addQuery(name: string, operator?: string, value?: any): GlideQueryCondition`, with parameter offsets. */
export function signatureLabelOf(api: PlatformApi, method: PlatformMethod): SignatureLabel {
  // Statics read as they are called, `GlideDateTime.subtract(...)`, so the label cannot be mistaken for an instance call.
  const head = method.isStatic ? `${api.name}.${method.name}` : method.name;
  return labelWithParams(head, method.params, method.returns ? `: ${method.returns}` : '');
}

/** `addQuery(name: string, operator?: string, value?: any): GlideQueryCondition` (statics prefixed with the class name). */
export function signatureOf(api: PlatformApi, method: PlatformMethod): string {
  return signatureLabelOf(api, method).label;
}

/** `new GlideRecord(tableName: string)`, or undefined when the API is not constructed with `new`. */
export function constructorSignatureOf(api: PlatformApi): SignatureLabel | undefined {
  if (!api.constructorParams) return undefined;
  return labelWithParams(`new ${api.name}`, api.constructorParams, '');
}
