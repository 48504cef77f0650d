/**
 * What the index learns from one record: the Script Includes it defines, the places it calls
 * them, and who it is when it is a caller. One parse, one flat copy of the tree, one scan.
 */
import type { CallSite, CallerInfo, MethodInfo, Position, Problem, Range, ScriptIncludeInfo, SourceRecord } from '../model';
import { mergeParams } from './jsdoc';
import { parseJavaScript } from './parser';
import { LineIndex, offsetsToRange, shiftPosition } from './positions';
import { RawCallSite, ScriptScan, Use, scanScript } from './call-sites';
import { MethodShape, ScriptIncludeShape, findNamedScriptInclude, findScriptIncludes, functionParams, leadingComment } from './script-includes';
import { SyntaxTable, buildSyntaxTable } from './walk';
import { tokenize } from '../text/tokens';
import { snippetHoleTerms } from '../text/hole-terms';
import { readAjaxParams } from '../text/ajax-params';

export interface Extraction {
  scriptIncludes: ScriptIncludeInfo[];
  callSites: CallSite[];
  caller?: CallerInfo;
  problems: Problem[];
  /** Tables, fields (`incident.state`) and properties (`property:x`) the code names, once per use. */
  schemaUses?: string[];
}

const SNIPPET_LINES_BEFORE = 6;
const SNIPPET_LINES_AFTER = 2;
const SNIPPET_MAX_CHARS = 600;
/** Most distinct body words kept per Script Include (the index holds thousands of them). */
const BODY_MAX_TERMS = 400;
/** Most characters of a Script Include's code read for its body words. */
const BODY_MAX_CHARS = 200_000;

/** The per-record context every conversion needs. */
interface Context {
  record: SourceRecord;
  path: string;
  t: SyntaxTable;
  lines: LineIndex;
}

function range(ctx: Context, start: number, end: number): Range {
  return offsetsToRange(ctx.lines, start, end, ctx.record.scriptStart);
}

function emptyRange(at: Position): Range {
  return { start: { ...at }, end: { ...at } };
}

function callerOf(record: SourceRecord): CallerInfo {
  const c: CallerInfo = { table: record.table, name: record.name, side: record.side, scope: record.scope };
  if (record.collection !== undefined) c.collection = record.collection;
  return c;
}

function isAjaxParent(parent: string | undefined): boolean {
  return parent === 'AbstractAjaxProcessor' || parent === 'global.AbstractAjaxProcessor';
}

/** Record metadata shared by every Script Include the record yields. */
function scriptIncludeBase(record: SourceRecord, path: string, name: string, parent?: string) {
  const base = {
    name,
    apiName: name === record.name && record.apiName ? record.apiName : `${record.scope}.${name}`,
    scope: record.scope,
    access: record.access ?? 'public',
    clientCallable: record.clientCallable ?? isAjaxParent(parent),
    active: record.active,
    path,
    layout: record.layout,
  } as const;
  return {
    ...base,
    ...(record.package !== undefined ? { package: record.package } : {}),
    ...(record.description !== undefined ? { description: record.description } : {}),
    ...(record.sysId !== undefined ? { sysId: record.sysId } : {}),
  };
}

function nameOnly(record: SourceRecord, path: string): ScriptIncludeInfo {
  const at = emptyRange(record.scriptStart);
  return { ...scriptIncludeBase(record, path, record.name), kind: 'name-only', methods: [], tables: [], glideApis: [], calls: [], range: at, nameRange: emptyRange(record.scriptStart) };
}

/** Values of `uses` in [start, end), by kind, first-seen order, without `exclude`d calls. */
function collectUses(uses: Use[], inside: (offset: number) => boolean, exclude: Set<string>) {
  const tables = new Set<string>();
  const glideApis = new Set<string>();
  const calls = new Set<string>();
  for (const u of uses) {
    if (!inside(u.offset)) continue;
    if (u.kind === 'table') tables.add(u.value);
    else if (u.kind === 'glide') glideApis.add(u.value);
    else if (!exclude.has(u.value)) calls.add(u.value);
  }
  return { tables: [...tables], glideApis: [...glideApis], calls: [...calls] };
}

/** First use at or after `offset` (uses are in document order). */
function lowerBound(uses: Use[], offset: number): number {
  let lo = 0;
  let hi = uses.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (uses[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function methodInfo(ctx: Context, m: MethodShape, uses: Use[], exclude: Set<string>): MethodInfo {
  const { t } = ctx;
  const jsdoc = leadingComment(t, m.def);
  const from = lowerBound(uses, t.start[m.fn]);
  const to = lowerBound(uses, t.end[m.fn]);
  const own = collectUses(uses.slice(from, to), () => true, exclude);
  const info: MethodInfo = {
    name: m.name,
    params: mergeParams(functionParams(t, m.fn), jsdoc),
    isPrivate: m.isPrivate,
    isStatic: m.isStatic,
    range: range(ctx, t.start[m.def], t.end[m.def]),
    nameRange: range(ctx, t.start[m.nameNode], t.end[m.nameNode]),
    ...own,
  };
  if (jsdoc) info.jsdoc = jsdoc;
  return info;
}

function scriptIncludeInfo(ctx: Context, shape: ScriptIncludeShape, name: string, scan: ScriptScan, others: ScriptIncludeShape[], selfNames: Set<string>): ScriptIncludeInfo {
  const { t } = ctx;
  const spans = (s: ScriptIncludeShape) => s.statements.map((st) => [t.start[st], t.end[st]] as const);
  const own = spans(shape);
  const foreign = others.filter((o) => o !== shape).flatMap(spans);
  const within = (o: number, list: readonly (readonly [number, number])[]) => list.some(([a, b]) => o >= a && o < b);
  // Top-level code outside every other Script Include counts as this one's.
  const inside = foreign.length ? (o: number) => within(o, own) || !within(o, foreign) : () => true;
  const uses = collectUses(scan.uses, inside, selfNames);
  let start = Infinity;
  let end = -Infinity;
  for (const [a, b] of own) {
    start = Math.min(start, a);
    end = Math.max(end, b);
  }
  const info: ScriptIncludeInfo = {
    ...scriptIncludeBase(ctx.record, ctx.path, name, shape.parent),
    kind: shape.kind,
    methods: shape.methods.map((m) => methodInfo(ctx, m, scan.uses, selfNames)),
    ...uses,
    range: range(ctx, start, end),
    nameRange: range(ctx, t.start[shape.nameNode], t.end[shape.nameNode]),
  };
  if (shape.parent !== undefined) info.parent = shape.parent;
  const code = own.map(([a, b]) => t.text.slice(a, Math.min(b, a + BODY_MAX_CHARS))).join('\n');
  // The GlideAjax parameters it reads come first: they are what its client callers send.
  const body = [...readAjaxParams(code), ...bodyTerms(code, name)].slice(0, BODY_MAX_TERMS);
  if (body.length) info.body = body;
  const jsdoc = shape.statements.map((s) => leadingComment(t, s)).find((d) => d !== undefined);
  if (jsdoc) info.jsdoc = jsdoc;
  return info;
}

/** The distinct words of a Script Include's code, without its own name's words and whole name. */
export function bodyTerms(code: string, name: string): string[] {
  const own = new Set(tokenize(name));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const term of tokenize(code)) {
    if (seen.has(term) || own.has(term)) continue;
    seen.add(term);
    out.push(term);
    if (out.length >= BODY_MAX_TERMS) break;
  }
  return out;
}

/** Up to 6 lines before the call and 2 after, at most 600 characters, centred on the call. */
function snippet(ctx: Context, offset: number): string {
  const { lines, t } = ctx;
  const line = lines.lineAt(offset);
  let a = lines.lineStart(line - SNIPPET_LINES_BEFORE);
  let b = line + SNIPPET_LINES_AFTER + 1 < lines.lineCount ? lines.lineStart(line + SNIPPET_LINES_AFTER + 1) : t.text.length;
  if (b - a > SNIPPET_MAX_CHARS) {
    a = Math.max(a, Math.min(offset - (SNIPPET_MAX_CHARS * 2) / 3, b - SNIPPET_MAX_CHARS));
    b = Math.min(b, a + SNIPPET_MAX_CHARS);
  }
  return t.text.slice(a, b).replace(/\s+$/, '');
}

function callSite(ctx: Context, raw: RawCallSite): CallSite {
  const { record } = ctx;
  const text = snippet(ctx, raw.scriptOffset);
  const site: CallSite = {
    target: raw.target,
    form: raw.form,
    path: ctx.path,
    range: range(ctx, raw.nameStart, raw.nameEnd),
    scriptOffset: raw.scriptOffset,
    targetOffset: raw.targetOffset,
    callerTable: record.table,
    callerName: record.name,
    side: record.side,
    scope: record.scope,
    snippet: text,
  };
  site.hole = snippetHoleTerms(text, site.target);
  if (raw.qualifier !== undefined) site.qualifier = raw.qualifier;
  if (raw.method !== undefined) site.method = raw.method;
  if (record.collection !== undefined) site.collection = record.collection;
  return site;
}

function syntaxProblem(ctx: Context): Problem | undefined {
  const { t } = ctx;
  if (t.errorCount === 0) return undefined;
  const at = shiftPosition(ctx.lines.positionAt(t.firstErrorOffset), ctx.record.scriptStart);
  return {
    path: ctx.path,
    message: `${t.errorCount} syntax error${t.errorCount === 1 ? '' : 's'}; first at line ${at.line + 1}`,
    severity: 'warning',
    range: emptyRange(at),
  };
}

function extractParsed(record: SourceRecord, path: string): Extraction {
  const isScriptInclude = record.table === 'sys_script_include';
  if (record.oversized || !record.script.trim()) {
    return isScriptInclude ? { scriptIncludes: [nameOnly(record, path)], callSites: [], problems: [] } : { scriptIncludes: [], callSites: [], caller: callerOf(record), problems: [] };
  }
  const text = record.script;
  const t = buildSyntaxTable(parseJavaScript(text), text);
  const ctx: Context = { record, path, t, lines: new LineIndex(text) };
  const problems: Problem[] = [];
  const syntax = syntaxProblem(ctx);
  if (syntax) problems.push(syntax);

  let shapes: ScriptIncludeShape[] = [];
  let names: string[] = [];
  if (isScriptInclude) {
    const shape = findNamedScriptInclude(t, record.name);
    if (shape) {
      shapes = [shape];
      names = [record.name];
    }
  } else if (record.table === 'unknown') {
    shapes = findScriptIncludes(t, record.name);
    names = shapes.map((s) => s.name);
  }
  const scan = scanScript(t);
  const selfNames = new Set([...names, ...shapes.map((s) => s.name)]);
  const scriptIncludes = shapes.map((s, i) => scriptIncludeInfo(ctx, s, names[i], scan, shapes, selfNames));
  if (isScriptInclude && !scriptIncludes.length) scriptIncludes.push(nameOnly(record, path));
  const callSites = scan.sites.filter((s) => !selfNames.has(s.target)).map((s) => callSite(ctx, s));
  const out: Extraction = { scriptIncludes, callSites, problems };
  if (!scriptIncludes.length) out.caller = callerOf(record);
  const schemaUses = resolveSchemaUses(scan.schema, record.collection);
  if (schemaUses.length) out.schemaUses = schemaUses;
  return out;
}

/** `@current.state` and `@g_form.state` name fields of the record's own table; without one they are dropped. */
function resolveSchemaUses(uses: string[], collection: string | undefined): string[] {
  const own = collection && /^[A-Za-z_][\w$]*$/.test(collection) ? collection : undefined;
  const out: string[] = [];
  for (const u of uses) {
    if (!u.startsWith('@')) out.push(u);
    else if (own && !u.startsWith('@gs.')) out.push(own + u.slice(u.indexOf('.')));
  }
  return out;
}

/**
 * path: workspace-relative path of the file being indexed. Positions use record.scriptPath ??
 * path and are shifted by record.scriptStart. Never throws.
 */
export function extractRecord(record: SourceRecord, path: string): Extraction {
  const filePath = record.scriptPath ?? path;
  try {
    return extractParsed(record, filePath);
  } catch (e) {
    // A bug here must cost one record, not the whole index.
    const problem: Problem = { path: filePath, message: `extraction failed: ${e instanceof Error ? e.message : String(e)}`, severity: 'error' };
    return record.table === 'sys_script_include'
      ? { scriptIncludes: [nameOnly(record, filePath)], callSites: [], problems: [problem] }
      : { scriptIncludes: [], callSites: [], caller: callerOf(record), problems: [problem] };
  }
}
