/**
 * ServiceNow XML records (Studio / source-control `update/*.xml`, update-set exports, `<unload>`
 * list exports) to SourceRecords. Pure: text in, records and problems out.
 *
 * Safety: saxes is a strict, non-validating parser that never reads a DTD. Entities declared in
 * a `<!DOCTYPE>` internal subset are not expanded (a use is an "undefined entity" error) and
 * external entities are never fetched, so entity bombs and file disclosure cannot happen here.
 * Errors become problems; after too many the parse stops, keeping the records already closed.
 */
import { SaxesParser } from 'saxes';
import { DefinedSchema, FieldFact, Position, Problem, PropertyFact, SourceRecord, TableFact } from '../model';
import { fileStem } from './classify';
import { isScopeName, sideOfField, specOrGeneric } from './tables';
import { LineIndex } from '../syntax/positions';

export interface XmlReadOptions {
  /** Longest script kept; longer ones give an oversized, name-only record. */
  maxFileSize?: number;
}

/** A parsed element: only what record reading needs. */
interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  parts: string[];
  /** Offset of the `<` that opens the element. */
  start: number;
  /** Offset just after the start tag's `>`: where the element's text starts. */
  contentStart: number;
  closed: boolean;
}

/** Update-set payloads nest whole documents; deeper nesting than this is not a real export. */
const MAX_PAYLOAD_DEPTH = 3;
/** A hostile or binary file can raise one error per character; stop listening after this many. */
const MAX_ERRORS = 20;
const CONTAINERS = new Set(['record_update', 'unload', 'xml']);
const CDATA_OPEN = '<![CDATA[';

class StopParse extends Error {}

export interface XmlRead {
  records: SourceRecord[];
  problems: Problem[];
  schema: DefinedSchema;
}

/** Reads every script-bearing record of one XML document, and what it defines of the data model. Never throws. */
export function readXmlRecords(xmlText: string, path: string, opts: XmlReadOptions = {}): XmlRead {
  const schema: DefinedSchema = { tables: [], fields: [], properties: [] };
  return { ...readDocument(xmlText, path, opts, 0, schema), schema };
}

function readDocument(
  xmlText: string,
  path: string,
  opts: XmlReadOptions,
  depth: number,
  schema: DefinedSchema,
): { records: SourceRecord[]; problems: Problem[] } {
  const lines = new LineIndex(xmlText);
  const { root, problems } = parseElements(xmlText, path, lines);
  const records: SourceRecord[] = [];
  if (!root) return { records, problems };
  const ctx: RecordContext = { text: xmlText, lines, path, opts, depth, records, problems, schema };
  if (root.name === 'database') {
    readDatabase(root, ctx);
    return { records, problems };
  }
  const candidates = CONTAINERS.has(root.name) ? root.children : [root];
  for (const el of candidates) {
    if (el.closed) readRecordElement(el, candidates, ctx);
  }
  return { records, problems };
}

/** Builds the element tree with saxes. A truncated document leaves its open elements `closed: false`. */
function parseElements(
  xmlText: string,
  path: string,
  lines: LineIndex,
): { root?: XmlElement; problems: Problem[] } {
  const problems: Problem[] = [];
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let errors = 0;
  const problemAtParser = (message: string, severity: Problem['severity']): void => {
    const at = lines.positionAt(Math.min(parser.position, xmlText.length));
    problems.push({ path, message, severity, range: { start: at, end: at } });
  };

  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) {
      problemAtParser('DOCTYPE declares entities; they are not expanded and external entities are never read', 'warning');
    }
  });
  parser.on('opentag', (tag) => {
    const contentStart = parser.position;
    const start = Math.max(0, xmlText.lastIndexOf('<', contentStart - 1));
    const el: XmlElement = {
      name: tag.name,
      attrs: tag.attributes as Record<string, string>,
      children: [],
      parts: [],
      start,
      contentStart,
      closed: false,
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root ??= el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    const el = stack.pop();
    if (el) el.closed = true;
  });
  const onText = (t: string): void => {
    stack[stack.length - 1]?.parts.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (err) => {
    errors++;
    const message = err.message.replace(/^\d+:\d+: /, '');
    if (errors > MAX_ERRORS) {
      problemAtParser(`too many XML errors; stopped reading (${message})`, 'error');
      throw new StopParse();
    }
    const hint = /undefined entity/.test(message) ? ' (entities are not expanded)' : '';
    problemAtParser(`XML: ${message}${hint}`, 'warning');
  });

  try {
    parser.write(xmlText).close();
  } catch (err) {
    if (!(err instanceof StopParse)) {
      problems.push({ path, message: `XML: ${(err as Error).message}`, severity: 'error' });
    }
  }
  return { root, problems };
}

interface RecordContext {
  text: string;
  lines: LineIndex;
  path: string;
  opts: XmlReadOptions;
  depth: number;
  records: SourceRecord[];
  problems: Problem[];
  schema: DefinedSchema;
}

function readRecordElement(el: XmlElement, siblings: XmlElement[], ctx: RecordContext): void {
  if (el.attrs.action === 'DELETE') return;
  if (el.name === 'sys_update_xml') return readPayload(el, ctx);
  if (el.name === 'sys_variable_value') return readAtfVariable(el, siblings, ctx);
  if (el.name === 'sys_db_object' || el.name === 'sys_dictionary' || el.name === 'sys_properties') readSchemaRecord(el, ctx.schema);
  const spec = specOrGeneric(el.name);
  const present = spec.fields.filter((f) => childOf(el, f.name) !== undefined);
  // A Script Include is worth indexing even with an empty body; other records only for their code.
  const emitted = present.filter((f) => el.name === 'sys_script_include' || textOf(childOf(el, f.name)!).trim() !== '');
  for (const field of emitted) {
    ctx.records.push(recordOf(el, field.name, childOf(el, field.name)!, ctx));
  }
}

function recordOf(el: XmlElement, field: string, fieldEl: XmlElement, ctx: RecordContext): SourceRecord {
  const table = el.name;
  const scope = scopeOf(el);
  const name = childText(el, 'name') || childText(el, 'sys_name') || fileStem(ctx.path);
  const apiName = childText(el, 'api_name') || (table === 'sys_script_include' ? `${scope}.${name}` : undefined);
  const access = childText(el, 'access');
  const clientCallable = booleanOf(childText(el, 'client_callable'));
  const collectionField = specOrGeneric(table).collectionField;
  const collection = collectionField ? childText(el, collectionField) : undefined;
  const record: SourceRecord = {
    table,
    name,
    scope,
    active: booleanOf(childText(el, 'active')) !== false,
    side: sideOfField(table, field, booleanOf(childText(el, 'client')) === true, textOf(fieldEl)),
    field,
    script: textOf(fieldEl),
    scriptStart: scriptStartOf(fieldEl, ctx),
    layout: 'xml',
  };
  if (apiName) record.apiName = apiName;
  const pkg = childOf(el, 'sys_package')?.attrs.display_value;
  record.package = pkg || scope;
  if (access === 'public' || access === 'package_private') record.access = access;
  if (clientCallable !== undefined) record.clientCallable = clientCallable;
  const description = childText(el, 'description');
  if (description) record.description = description;
  const sysId = childText(el, 'sys_id');
  if (sysId) record.sysId = sysId;
  if (collection) record.collection = collection;
  return limitSize(record, ctx);
}

/** Replaces a script longer than maxFileSize with a name-only record and says so once. */
function limitSize(record: SourceRecord, ctx: RecordContext): SourceRecord {
  const max = ctx.opts.maxFileSize;
  if (max === undefined || record.script.length <= max) return record;
  ctx.problems.push({
    path: ctx.path,
    message: `${record.table} ${record.name}: ${record.field} has ${record.script.length} characters (more than index.maxFileSize ${max}); indexed by name only`,
    severity: 'warning',
    range: { start: record.scriptStart, end: record.scriptStart },
  });
  return { ...record, script: '', oversized: true };
}

/** Scope: the api_name prefix, else the scope or package `source` attribute, else global. */
function scopeOf(el: XmlElement): string {
  const api = childText(el, 'api_name');
  if (api && api.lastIndexOf('.') > 0) return api.slice(0, api.lastIndexOf('.'));
  const scopeEl = childOf(el, 'sys_scope');
  const source = scopeEl?.attrs.source || childOf(el, 'sys_package')?.attrs.source;
  if (source) return source;
  // Some exports write the scope name itself rather than its sys_id.
  const scopeText = scopeEl ? textOf(scopeEl).trim() : '';
  return isScopeName(scopeText) ? scopeText : 'global';
}

/** The first character of the field's text: after `<![CDATA[`, or where escaped text starts. */
function scriptStartOf(fieldEl: XmlElement, ctx: RecordContext): Position {
  const offset = ctx.text.startsWith(CDATA_OPEN, fieldEl.contentStart)
    ? fieldEl.contentStart + CDATA_OPEN.length
    : fieldEl.contentStart;
  return ctx.lines.positionAt(offset);
}

/**
 * An update-set entry: its `payload` holds a whole `record_update` document as text. Positions
 * inside it do not map to the file, so its records point at the payload element.
 */
function readPayload(el: XmlElement, ctx: RecordContext): void {
  if (childText(el, 'action') === 'DELETE') return;
  const payloadEl = childOf(el, 'payload');
  if (!payloadEl) return;
  const at = ctx.lines.positionAt(payloadEl.start);
  const label = childText(el, 'name') || 'payload';
  if (ctx.depth + 1 > MAX_PAYLOAD_DEPTH) {
    ctx.problems.push({ path: ctx.path, message: `${label}: payloads nested too deep; skipped`, severity: 'warning', range: { start: at, end: at } });
    return;
  }
  const payload = textOf(payloadEl);
  if (payload.trim() === '') return;
  const inner = readDocument(payload, ctx.path, ctx.opts, ctx.depth + 1, ctx.schema);
  for (const r of inner.records) ctx.records.push({ ...r, scriptStart: at });
  for (const p of inner.problems) {
    ctx.problems.push({ ...p, message: `${label}: ${p.message}`, range: { start: at, end: at } });
  }
}

/**
 * An ATF step keeps its script in a variable value (`document` = sys_atf_step). Only values that
 * are labelled as scripts are read, so step inputs such as table names do not become scripts.
 */
function readAtfVariable(el: XmlElement, siblings: XmlElement[], ctx: RecordContext): void {
  if (childText(el, 'document') !== 'sys_atf_step') return;
  const valueEl = childOf(el, 'value');
  if (!valueEl || textOf(valueEl).trim() === '') return;
  const label = childOf(el, 'variable')?.attrs.display_value ?? '';
  if (!/script/i.test(label)) return;
  const stepId = childText(el, 'document_key');
  const step = siblings.find((s) => s.name === 'sys_atf_step' && childText(s, 'sys_id') === stepId);
  const name = (step && (childText(step, 'description') || childText(step, 'sys_name'))) || stepId || fileStem(ctx.path);
  const scope = step ? scopeOf(step) : scopeOf(el);
  const record: SourceRecord = {
    table: 'sys_atf_step',
    name,
    scope,
    package: scope,
    active: step ? booleanOf(childText(step, 'active')) !== false : true,
    side: 'server',
    field: 'value',
    script: textOf(valueEl),
    scriptStart: scriptStartOf(valueEl, ctx),
    layout: 'xml',
  };
  if (stepId) record.sysId = stepId;
  ctx.records.push(limitSize(record, ctx));
}

// ---------------------------------------------------------------------------------------------
// The data model: table, dictionary and property records, and `dictionary/*.xml` table exports.

/** Table and field names as the platform writes them; anything else is not a name we index. */
const SCHEMA_NAME = /^[A-Za-z_][\w$]{0,79}$/;
const PROPERTY_NAME = /^[\w.$-]{1,200}$/;
const SYS_ID = /^[0-9a-f]{32}$/;
/** Longest label or type kept: a label is a few words; anything longer is not one. */
const MAX_LABEL = 200;

/** A reference written as `<super_class name="task">sys_id</super_class>` or as the name itself. */
function referenceName(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  const named = el.attrs.name?.trim();
  if (named && SCHEMA_NAME.test(named)) return named;
  const text = textOf(el).trim();
  return text && !SYS_ID.test(text) && SCHEMA_NAME.test(text) ? text : undefined;
}

function readSchemaRecord(el: XmlElement, schema: DefinedSchema): void {
  const name = childText(el, 'name') ?? '';
  if (el.name === 'sys_properties') {
    if (!PROPERTY_NAME.test(name)) return;
    const p: PropertyFact = { name };
    const description = childText(el, 'description');
    if (description) p.description = description.slice(0, 400);
    const type = childText(el, 'type');
    if (type) p.type = type.slice(0, MAX_LABEL);
    schema.properties.push(p);
    return;
  }
  if (!SCHEMA_NAME.test(name)) return;
  if (el.name === 'sys_db_object') {
    const t: TableFact = { name, scope: scopeOf(el) };
    const label = childText(el, 'label');
    if (label) t.label = label.slice(0, MAX_LABEL);
    const parent = referenceName(childOf(el, 'super_class'));
    if (parent) t.parent = parent;
    schema.tables.push(t);
    return;
  }
  const element = childText(el, 'element') || el.attrs.element || '';
  const type = childText(el, 'internal_type') || childOf(el, 'internal_type')?.attrs.display_value;
  // The row without an element (type `collection`) is the table's own entry.
  if (!element || type === 'collection') {
    const t: TableFact = { name, scope: scopeOf(el) };
    const label = childText(el, 'column_label');
    if (label) t.label = label.slice(0, MAX_LABEL);
    schema.tables.push(t);
    return;
  }
  if (!SCHEMA_NAME.test(element)) return;
  const f: FieldFact = { table: name, name: element };
  const label = childText(el, 'column_label');
  if (label) f.label = label.slice(0, MAX_LABEL);
  if (type) f.type = type.slice(0, MAX_LABEL);
  const reference = referenceName(childOf(el, 'reference'));
  if (reference) f.reference = reference;
  schema.fields.push(f);
}

/** `<database><element type="collection" name="t" label="T" extends="p"><element name="f" .../></element></database>` */
function readDatabase(root: XmlElement, ctx: RecordContext): void {
  for (const table of root.children) {
    const name = table.attrs.name ?? '';
    if (table.name !== 'element' || !SCHEMA_NAME.test(name)) continue;
    const t: TableFact = { name };
    if (table.attrs.label) t.label = table.attrs.label.slice(0, MAX_LABEL);
    if (table.attrs.extends && SCHEMA_NAME.test(table.attrs.extends)) t.parent = table.attrs.extends;
    ctx.schema.tables.push(t);
    for (const col of table.children) {
      const field = col.attrs.name ?? '';
      if (col.name !== 'element' || !SCHEMA_NAME.test(field)) continue;
      const f: FieldFact = { table: name, name: field };
      if (col.attrs.label) f.label = col.attrs.label.slice(0, MAX_LABEL);
      if (col.attrs.type) f.type = col.attrs.type.slice(0, MAX_LABEL);
      if (col.attrs.reference && SCHEMA_NAME.test(col.attrs.reference)) f.reference = col.attrs.reference;
      ctx.schema.fields.push(f);
    }
  }
}

function childOf(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

function textOf(el: XmlElement): string {
  return el.parts.length === 1 ? el.parts[0] : el.parts.join('');
}

function childText(el: XmlElement, name: string): string | undefined {
  const c = childOf(el, name);
  return c ? textOf(c).trim() : undefined;
}

function booleanOf(text: string | undefined): boolean | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}
