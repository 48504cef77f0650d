/**
 * ServiceNow SDK (Fluent) calls to SourceRecords. Pure: the calls come from syntax/fluent.ts and
 * the script files they include are read by read.ts, which fills in each plan's script. The SDK
 * names fields in camelCase on its typed APIs (`clientCallable`) and in the table's own
 * snake_case inside `Record({ data })`; both are accepted.
 */
import * as posix from 'node:path/posix';
import { Access, DefinedSchema, FieldFact, Position, Problem, SourceRecord, TableFact } from '../model';
import { FluentCall, FluentFile, FluentImport, FluentValue } from '../syntax/fluent';
import { fileStem } from './classify';
import { sideOfField, specOrGeneric, tableSpec } from './tables';

/** Where a record's script text comes from. */
export type ScriptSource =
  | { kind: 'inline'; text: string; start: Position }
  /** A workspace file (`Now.include`, an imported function's module); the first candidate that exists wins. */
  | { kind: 'file'; candidates: string[] }
  | { kind: 'none' };

export interface FluentRecordPlan {
  /** The record with `script` still empty and `scriptStart` at the file's start. */
  record: SourceRecord;
  source: ScriptSource;
}

/** The typed Fluent APIs and the table each writes. */
const CALLEE_TABLES: Record<string, string> = {
  ScriptInclude: 'sys_script_include',
  BusinessRule: 'sys_script',
  ClientScript: 'sys_script_client',
  CatalogClientScript: 'catalog_script_client',
  UiAction: 'sys_ui_action',
  UiPage: 'sys_ui_page',
  UiPolicy: 'sys_ui_policy',
  ScheduledScript: 'sysauto_script',
  ScheduledJob: 'sysauto_script',
  ScriptAction: 'sysevent_script_action',
  FixScript: 'sys_script_fix',
  Acl: 'sys_security_acl',
};

/** Turns the calls of one `.now.ts` file into record plans. `scope` comes from now.config.json. */
export function planFluentRecords(
  file: FluentFile,
  relPath: string,
  scope: string,
): { plans: FluentRecordPlan[]; problems: Problem[] } {
  const plans: FluentRecordPlan[] = [];
  const problems: Problem[] = [];
  const ctx: PlanContext = { relPath, scope, imports: file.imports, problems };
  for (const call of file.calls) {
    if (call.callee === 'Record') plans.push(...planRecordCall(call, ctx));
    else if (call.callee === 'RestApi') plans.push(...planRestApi(call, ctx));
    else plans.push(...planTypedCall(call, ctx));
  }
  return { plans, problems };
}

interface PlanContext {
  relPath: string;
  scope: string;
  imports: FluentImport[];
  problems: Problem[];
}

/** `Record({ table: 'sys_script_include', data: { name, script, ... } })` */
function planRecordCall(call: FluentCall, ctx: PlanContext): FluentRecordPlan[] {
  const table = stringOf(call.props.table);
  const data = call.props.data;
  if (!table || data?.kind !== 'object') return [];
  return planFields(table, data.props, call, ctx);
}

/** `ScriptInclude({...})`, `BusinessRule({...})`, ... and any other call with a `script` property. */
function planTypedCall(call: FluentCall, ctx: PlanContext): FluentRecordPlan[] {
  const table = CALLEE_TABLES[call.callee];
  if (table) return planFields(table, call.props, call, ctx);
  return call.props.script ? planFields('unknown', call.props, call, ctx) : [];
}

/** A scripted REST API keeps one script per route. */
function planRestApi(call: FluentCall, ctx: PlanContext): FluentRecordPlan[] {
  const routes = call.props.routes;
  if (routes?.kind !== 'array') return [];
  const apiName = stringOf(call.props.name) ?? nowIdOf(call.props.$id);
  return routes.items.flatMap((route) => {
    if (route.kind !== 'object' || !prop(route.props, 'script')) return [];
    const props = { ...route.props };
    if (!props.name && apiName) props.name = { kind: 'string', value: apiName, range: route.range } as FluentValue;
    return planFields('sys_ws_operation', { ...props, operation_script: prop(route.props, 'script')! }, call, ctx);
  });
}

function planFields(
  table: string,
  props: Record<string, FluentValue>,
  call: FluentCall,
  ctx: PlanContext,
): FluentRecordPlan[] {
  const spec = specOrGeneric(table);
  const present = spec.fields.filter((f) => prop(props, f.name) !== undefined);
  // A Script Include known only by name is still worth a record; callers only for their code.
  const fields = present.length > 0 || table !== 'sys_script_include' ? present.map((f) => f.name) : ['script'];
  return fields.map((field) => {
    const value = prop(props, field);
    return { record: recordOf(table, field, props, call, ctx), source: value ? sourceOf(value, ctx) : { kind: 'none' } };
  });
}

function recordOf(
  table: string,
  field: string,
  props: Record<string, FluentValue>,
  call: FluentCall,
  ctx: PlanContext,
): SourceRecord {
  const name = stringOf(props.name) ?? nowIdOf(props.$id ?? call.props.$id) ?? fileStem(ctx.relPath.replace(/\.now\.ts$/i, ''));
  const apiName = stringOf(prop(props, 'api_name')) ?? (table === 'sys_script_include' ? `${ctx.scope}.${name}` : undefined);
  const scope = apiName && apiName.lastIndexOf('.') > 0 ? apiName.slice(0, apiName.lastIndexOf('.')) : ctx.scope;
  const record: SourceRecord = {
    table,
    name,
    scope,
    package: ctx.scope,
    active: booleanOf(props.active) !== false,
    side: sideOfField(table, field, clientFlagOf(props.client)),
    field,
    script: '',
    scriptStart: { line: 0, character: 0 },
    layout: 'fluent',
  };
  if (apiName) record.apiName = apiName;
  const access = stringOf(props.accessibleFrom) ?? stringOf(props.access);
  if (access === 'public' || access === 'package_private') record.access = access as Access;
  const clientCallable = booleanOf(prop(props, 'client_callable'));
  if (clientCallable !== undefined) record.clientCallable = clientCallable;
  const description = stringOf(props.description);
  if (description) record.description = description;
  const sysId = stringOf(props.sys_id) ?? stringOf(props.$id);
  if (sysId && /^[0-9a-f]{32}$/.test(sysId)) record.sysId = sysId;
  const collectionField = tableSpec(table)?.collectionField;
  // The typed APIs name the caller's table `table` (`BusinessRule({ table: 'incident' })`).
  const collection = collectionField ? stringOf(prop(props, collectionField)) ?? stringOf(props.table) : undefined;
  if (collection) record.collection = collection;
  return record;
}

function sourceOf(value: FluentValue, ctx: PlanContext): ScriptSource {
  switch (value.kind) {
    case 'string':
    case 'template':
    case 'function':
      return { kind: 'inline', text: value.kind === 'function' ? value.text : value.value, start: value.range.start };
    case 'include': {
      const target = resolveRelative(ctx.relPath, value.path);
      if (target) return { kind: 'file', candidates: [target] };
      ctx.problems.push({ path: ctx.relPath, message: `Now.include('${value.path}') points outside the workspace`, severity: 'warning', range: value.range });
      return { kind: 'none' };
    }
    case 'identifier': {
      const imp = ctx.imports.find((i) => i.local === value.name);
      if (!imp || !imp.source.startsWith('.')) return { kind: 'none' };
      const target = resolveRelative(ctx.relPath, imp.source);
      return target ? { kind: 'file', candidates: moduleCandidates(target) } : { kind: 'none' };
    }
    default:
      return { kind: 'none' };
  }
}

/** Files an import specifier may name, in the order a bundler would try them. */
function moduleCandidates(target: string): string[] {
  const out = [target, `${target}.js`, `${target}.ts`, `${target}/index.js`, `${target}/index.ts`];
  if (target.endsWith('.js')) out.splice(1, 0, `${target.slice(0, -3)}.ts`);
  return out;
}

/** A path relative to the file `fromRelPath`, as a workspace-relative path; undefined when it leaves the workspace. */
export function resolveRelative(fromRelPath: string, spec: string): string | undefined {
  const joined = posix.normalize(posix.join(posix.dirname(fromRelPath), spec.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../') || posix.isAbsolute(joined)) return undefined;
  return joined;
}

/** Reads `now.config.json`: the project's scope and name. */
export function parseNowConfig(text: string, path: string): { scope?: string; name?: string; problems: Problem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { problems: [{ path, message: `now.config.json is not valid JSON: ${(err as Error).message}`, severity: 'warning' }] };
  }
  if (!data || typeof data !== 'object') return { problems: [{ path, message: 'now.config.json is not an object', severity: 'warning' }] };
  const obj = data as Record<string, unknown>;
  const out: { scope?: string; name?: string; problems: Problem[] } = { problems: [] };
  if (typeof obj.scope === 'string' && obj.scope) out.scope = obj.scope;
  else out.problems.push({ path, message: 'now.config.json has no "scope"', severity: 'info' });
  if (typeof obj.name === 'string') out.name = obj.name;
  return out;
}

/** Column APIs whose internal type is not their name in snake case. */
const COLUMN_TYPES: Record<string, string> = {
  DateTime: 'glide_date_time',
  Date: 'glide_date',
  List: 'glide_list',
  Choice: 'choice',
  Html: 'html',
  Url: 'url',
};

const NAME = /^[A-Za-z_][\w$]{0,79}$/;

/**
 * What a `.now.ts` file defines of the data model: `Table({ name, label, extends, schema: {
 * field: StringColumn({ label }) } })`, `Property({ name, description, type })` and
 * `Record({ table: 'sys_properties', data })`.
 */
export function fluentSchema(file: FluentFile, scope: string): DefinedSchema {
  const out: DefinedSchema = { tables: [], fields: [], properties: [] };
  // A column is a call of its own; the schema property holds it as text at the same place.
  const at = (r: { start: { line: number; character: number } }) => `${r.start.line}:${r.start.character}`;
  const calls = new Map(file.calls.map((c) => [at(c.range), c] as const));
  for (const call of file.calls) {
    if (call.callee === 'Table') {
      const name = stringOf(call.props.name);
      if (!name || !NAME.test(name)) continue;
      const table: TableFact = { name, scope };
      const label = stringOf(call.props.label);
      if (label) table.label = label.slice(0, 200);
      const parent = stringOf(call.props.extends);
      if (parent && NAME.test(parent)) table.parent = parent;
      out.tables.push(table);
      const schema = call.props.schema;
      if (schema?.kind !== 'object') continue;
      for (const [field, value] of Object.entries(schema.props)) {
        if (!NAME.test(field)) continue;
        const f: FieldFact = { table: name, name: field };
        const column = calls.get(at(value.range));
        const kind = column && /^(\w+)Column$/.exec(column.callee)?.[1];
        if (kind) f.type = COLUMN_TYPES[kind] ?? kind.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
        const columnLabel = column && stringOf(column.props.label);
        if (columnLabel) f.label = columnLabel.slice(0, 200);
        const reference = column && stringOf(prop(column.props, 'reference_table'));
        if (reference && NAME.test(reference)) f.reference = reference;
        out.fields.push(f);
      }
    } else if (call.callee === 'Property' || (call.callee === 'Record' && stringOf(call.props.table) === 'sys_properties')) {
      const props = call.callee === 'Record' && call.props.data?.kind === 'object' ? call.props.data.props : call.props;
      const name = stringOf(props.name);
      if (!name || !/^[\w.$-]{1,200}$/.test(name)) continue;
      const description = stringOf(props.description);
      const type = stringOf(props.type);
      out.properties.push({ name, ...(description ? { description: description.slice(0, 400) } : {}), ...(type ? { type } : {}) });
    }
  }
  return out;
}

/** A property by its table field name or the SDK's camelCase spelling of it. */
function prop(props: Record<string, FluentValue>, field: string): FluentValue | undefined {
  if (Object.prototype.hasOwnProperty.call(props, field)) return props[field];
  const camel = field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return Object.prototype.hasOwnProperty.call(props, camel) ? props[camel] : undefined;
}

function stringOf(v: FluentValue | undefined): string | undefined {
  if (v?.kind === 'string') return v.value;
  if (v?.kind === 'template' && !v.tag && !v.value.includes('${')) return v.value;
  return undefined;
}

function nowIdOf(v: FluentValue | undefined): string | undefined {
  return v?.kind === 'now-id' ? v.key : undefined;
}

/** Booleans are written as `true` or, inside `Record({ data })`, as `'true'`. */
function booleanOf(v: FluentValue | undefined): boolean | undefined {
  if (v?.kind === 'boolean') return v.value;
  const s = stringOf(v);
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

/** A UI action's `client`: a boolean, or an object with `isClient`. */
function clientFlagOf(v: FluentValue | undefined): boolean {
  if (v?.kind === 'object') return booleanOf(v.props.isClient) === true;
  return booleanOf(v) === true;
}
