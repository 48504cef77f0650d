/**
 * How Script Includes, their methods and platform APIs read to a developer: signature labels
 * (with parameter offsets for signature help), markdown for hover and completion documentation,
 * and call snippets for completion and code actions. Pure functions of the index's data.
 */
import { MethodInfo, ParamInfo, ScriptIncludeInfo } from '../model';
import { PlatformApi, PlatformMethod, constructorSignatureOf, signatureLabelOf } from '../platform/platform-apis';
import { FieldInfo, PropertyInfo, SchemaIndex, SchemaSource, TableInfo } from '../index/schema-index';

export interface Label {
  label: string;
  /** [start, end) of each parameter in the label. */
  parameters: [number, number][];
}

/** Parameters with what JSDoc adds (type, optional) merged in by name. */
export function paramsOf(m: MethodInfo): ParamInfo[] {
  const doc = new Map((m.jsdoc?.params ?? []).map((p) => [p.name, p]));
  const own = m.params.length ? m.params : (m.jsdoc?.params ?? []);
  return own.map((p) => ({ ...doc.get(p.name), ...p, type: p.type ?? doc.get(p.name)?.type, optional: p.optional ?? doc.get(p.name)?.optional }));
}

function paramText(p: ParamInfo): string {
  return `${p.name}${p.optional ? '?' : ''}${p.type ? `: ${p.type}` : ''}`;
}

/** `head(a: string, b?: number): boolean`, with where each parameter sits. */
export function labelOf(head: string, params: readonly ParamInfo[], returns?: string): Label {
  let label = `${head}(`;
  const parameters: [number, number][] = [];
  params.forEach((p, i) => {
    if (i > 0) label += ', ';
    const text = paramText(p);
    parameters.push([label.length, label.length + text.length]);
    label += text;
  });
  label += `)${returns ? `: ${returns}` : ''}`;
  return { label, parameters };
}

export function methodLabel(m: MethodInfo): Label {
  return labelOf(m.name, paramsOf(m), m.jsdoc?.returns?.type);
}

/** The constructor: `new Name(...)` with `initialize` (or the ES constructor) parameters. */
export function constructorLabel(si: ScriptIncludeInfo, init: MethodInfo | undefined): Label {
  return labelOf(`new ${si.name}`, init ? paramsOf(init) : []);
}

/** Classless Script Includes are called as functions; everything else is constructed or used statically. */
export function isClassless(si: ScriptIncludeInfo): boolean {
  return si.kind === 'classless-function';
}

/** Object-literal and revealing-module Script Includes are used without `new`. */
export function isStaticObject(si: ScriptIncludeInfo): boolean {
  return si.kind === 'object-literal' || si.kind === 'revealing-module';
}

export function initializerOf(si: ScriptIncludeInfo, methods: readonly MethodInfo[] = si.methods): MethodInfo | undefined {
  return methods.find((m) => m.name === 'initialize' || m.name === 'constructor');
}

/** The function of a classless Script Include (the method named like it). */
export function functionOf(si: ScriptIncludeInfo): MethodInfo | undefined {
  return si.methods.find((m) => m.name === si.name) ?? si.methods[0];
}

/** Escapes text for a snippet placeholder. */
function snippetText(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** `name(${1:a}, ${2:b})$0`, or `name()` without snippets. */
export function callSnippet(name: string, params: readonly ParamInfo[], snippets: boolean): string {
  if (!snippets) return `${name}()`;
  const required = params.filter((p) => !p.optional);
  const args = required.map((p, i) => `\${${i + 1}:${snippetText(p.name)}}`).join(', ');
  return `${snippetText(name)}(${args})$0`;
}

function scopeLine(si: ScriptIncludeInfo): string {
  const parts = [`scope \`${si.scope}\``, `access ${si.access === 'public' ? 'public' : 'this scope only'}`];
  if (si.clientCallable) parts.push('client-callable');
  if (!si.active) parts.push('inactive');
  return parts.join(' · ');
}

function paramsMarkdown(params: readonly ParamInfo[]): string[] {
  return params.map((p) => `- \`${p.name}\`${p.type ? ` *${p.type}*` : ''}${p.optional ? ' (optional)' : ''}${p.description ? ` — ${p.description}` : ''}`);
}

/** An example call, from the JSDoc when it has one, else made up from the signature. */
export function exampleCall(si: ScriptIncludeInfo, m: MethodInfo | undefined): string {
  const example = m?.jsdoc?.examples[0] ?? (m ? undefined : si.jsdoc?.examples[0]);
  if (example) return example;
  const args = (m ? paramsOf(m) : []).filter((p) => !p.optional).map((p) => p.name).join(', ');
  // Global ones are called bare everywhere; scoped ones by api name, which works from any scope.
  const name = si.scope === 'global' ? si.name : si.apiName;
  if (isClassless(si)) return `${name}(${args});`;
  if (!m) return `var ${lowerFirst(si.name)} = new ${name}();`;
  if (isStaticObject(si) || m.isStatic) return `${name}.${m.name}(${args});`;
  return `new ${name}().${m.name}(${args});`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function code(text: string): string {
  return ['```javascript', text, '```'].join('\n');
}

/** Hover and completion documentation of a Script Include. */
export function scriptIncludeMarkdown(si: ScriptIncludeInfo, methods: readonly MethodInfo[] = si.methods, where?: string): string {
  const init = initializerOf(si, methods);
  const head = isClassless(si) ? `function ${si.apiName}${labelOf('', paramsOf(functionOf(si) ?? init ?? emptyMethod())).label}` : `class ${si.apiName}${si.parent ? ` extends ${si.parent}` : ''}`;
  const out = [code(head)];
  const summary = si.jsdoc?.summary || si.description;
  if (summary) out.push(summary);
  if (!isClassless(si) && !isStaticObject(si) && init && paramsOf(init).length) out.push(`Constructor: \`${constructorLabel(si, init).label}\``);
  const visible = methods.filter((m) => !m.isPrivate && m !== init && m.name !== si.name);
  if (visible.length) {
    const shown = visible.slice(0, 12).map((m) => `- \`${methodLabel(m).label}\`${m.jsdoc?.summary ? ` — ${firstSentence(m.jsdoc.summary)}` : ''}`);
    if (visible.length > 12) shown.push(`- … ${visible.length - 12} more`);
    out.push(['Methods:', ...shown].join('\n'));
  }
  out.push(`Example:\n${code(exampleCall(si, undefined))}`);
  out.push(scopeLine(si) + (where ? ` · defined in \`${where}\`` : ''));
  return out.join('\n\n');
}

function emptyMethod(): MethodInfo {
  const r = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { name: '', params: [], isPrivate: false, isStatic: false, range: r, nameRange: r, tables: [], glideApis: [], calls: [] };
}

function firstSentence(s: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(s);
  return (m ? m[1] : s).slice(0, 160);
}

/** Hover and completion documentation of a method (of `si`, defined in `owner` when inherited). */
export function methodMarkdown(si: ScriptIncludeInfo, m: MethodInfo, owner: ScriptIncludeInfo = si, where?: string): string {
  const out = [code(`${si.apiName}.${methodLabel(m).label}`)];
  if (m.jsdoc?.summary) out.push(m.jsdoc.summary);
  const params = paramsOf(m);
  if (params.length) out.push(['Parameters:', ...paramsMarkdown(params)].join('\n'));
  const ret = m.jsdoc?.returns;
  if (ret && (ret.type || ret.description)) out.push(`Returns${ret.type ? ` *${ret.type}*` : ''}${ret.description ? ` — ${ret.description}` : ''}`);
  const deprecated = m.jsdoc?.tags.deprecated;
  if (deprecated) out.push(`**Deprecated**${deprecated[0] ? `: ${deprecated[0]}` : ''}`);
  out.push(`Example:\n${code(exampleCall(si, m))}`);
  const notes = [scopeLine(si)];
  if (m.isPrivate) notes.push('private');
  if (owner !== si) notes.push(`inherited from \`${owner.apiName}\``);
  out.push(notes.join(' · ') + (where ? ` · defined in \`${where}\`` : ''));
  return out.join('\n\n');
}

/** Documentation of a platform API (class or global). */
export function platformApiMarkdown(api: PlatformApi): string {
  const ctor = constructorSignatureOf(api);
  const head = api.kind === 'global' ? `${api.name}: ${api.type ?? api.name}` : ctor ? ctor.label : `class ${api.name}`;
  const out = [code(head), api.description, `Platform API (${api.side})`];
  return out.join('\n\n');
}

/** Documentation of a platform method. */
export function platformMethodMarkdown(api: PlatformApi, m: PlatformMethod): string {
  const out = [code(`${api.name}.${signatureLabelOf(api, m).label.replace(`${api.name}.`, '')}`), m.description];
  if (m.params.length) out.push(['Parameters:', ...m.params.map((p) => `- \`${p.name}\` *${p.type}*${p.optional ? ' (optional)' : ''}${p.description ? ` — ${p.description}` : ''}`)].join('\n'));
  if (m.example) out.push(`Example:\n${code(m.example)}`);
  out.push(`Platform API (${api.side})`);
  return out.join('\n\n');
}

/** `Type (reference to sys_user)`: how a field's type reads. */
export function fieldTypeText(f: FieldInfo): string {
  const type = f.type ?? 'string';
  return f.reference ? `${type} to ${f.reference}` : type;
}

const SOURCE_TEXT: Record<SchemaSource, string> = {
  workspace: 'defined in this workspace',
  code: "named by this workspace's code",
  platform: 'a platform table',
};

export function tableMarkdown(t: TableInfo): string {
  const lines = [`**${t.name}** — ${t.label}`, ''];
  if (t.parent) lines.push(`Extends \`${t.parent}\`.`);
  lines.push(`${SOURCE_TEXT[t.source].charAt(0).toUpperCase()}${SOURCE_TEXT[t.source].slice(1)}${t.scope ? ` (scope \`${t.scope}\`)` : ''}${t.uses ? `; named ${t.uses} times in its code` : ''}.`);
  return lines.join('\n');
}

export function fieldMarkdown(table: string, f: FieldInfo): string {
  const lines = [`**${table}.${f.name}** — ${f.label}`, '', `Type: \`${fieldTypeText(f)}\``];
  if (f.table !== table) lines.push(`Inherited from \`${f.table}\`.`);
  if (f.uses) lines.push(`Used ${f.uses} times in this workspace's code.`);
  return lines.join('\n\n');
}

export function propertyMarkdown(p: PropertyInfo): string {
  const lines = [`**${p.name}**${p.type ? ` (\`${p.type}\`)` : ''}`];
  if (p.description) lines.push(p.description);
  lines.push(p.defined ? 'A system property defined in this workspace.' : "Read by this workspace's code; its record is not in the workspace.");
  if (p.uses) lines.push(`Read ${p.uses} times.`);
  return lines.join('\n\n');
}

/** Markdown for a table, field (of `table`) or property by name; undefined when the schema does not know it. */
export function schemaMarkdown(schema: SchemaIndex, ref: { kind: 'table' | 'field' | 'property'; name: string; table?: string }): string | undefined {
  if (ref.kind === 'table') {
    const t = schema.table(ref.name);
    return t && tableMarkdown(t);
  }
  if (ref.kind === 'property') {
    const p = schema.property(ref.name);
    return p && propertyMarkdown(p);
  }
  const f = ref.table ? schema.field(ref.table, ref.name) : undefined;
  return f && ref.table ? fieldMarkdown(ref.table, f) : undefined;
}
