/**
 * The shared vocabulary of the server: what the workspace readers produce (records), what the
 * syntax layer extracts from them (Script Includes, methods, call sites) and how problems are
 * reported. Plain data only: no behaviour, no imports, so every layer can depend on it.
 *
 * Positions and ranges are LSP-shaped (0-based line, UTF-16 character) and always refer to the
 * file on disk, not to the script inside it: a script read from an XML record carries the
 * position where it starts (`SourceRecord.scriptStart`) and extraction shifts by it.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Where code runs: on the instance (server) or in the browser (client). */
export type Side = 'server' | 'client';

/** The on-disk workspace layouts of DESIGN.md. */
export type Layout = 'xml' | 'scriptsync' | 'fluent' | 'plain';

export type Severity = 'error' | 'warning' | 'info';

/** Something that could not be read, or was read only in part. Never thrown: returned. */
export interface Problem {
  path: string;
  message: string;
  severity: Severity;
  range?: Range;
}

/** Access of a Script Include from other application scopes. */
export type Access = 'public' | 'package_private';

/**
 * One script as the workspace stores it: a ServiceNow record's script field with the record's
 * metadata. An XML file or an update set can hold several; a `.js` file holds one.
 */
export interface SourceRecord {
  /** The record's table: `sys_script_include`, `sys_script`, `sys_script_client`, `sys_ui_action`, ... or `unknown`. */
  table: string;
  /** The record name: the Script Include's class name, a business rule's name, or the file's stem. */
  name: string;
  /** `scope.Name` for Script Includes. */
  apiName?: string;
  /** Application scope (`global` when nothing says otherwise). */
  scope: string;
  /** Package or application the record belongs to, when known. */
  package?: string;
  access?: Access;
  clientCallable?: boolean;
  active: boolean;
  description?: string;
  sysId?: string;
  /** The table a caller runs against (a business rule's `collection`, a client script's `table`). */
  collection?: string;
  side: Side;
  /** The field the script came from (`script`, `client_script`, `processing_script`, ...). */
  field: string;
  /** The JavaScript text. Empty when the record is indexed by name only. */
  script: string;
  /** Where `script` starts in the file on disk (in `scriptPath` when that is set). */
  scriptStart: Position;
  /**
   * The file the script text lives in, relative to the workspace root, when it is not the file
   * being read (a Fluent `script: Now.include('../server/Foo.js')`). Positions then refer to it.
   */
  scriptPath?: string;
  layout: Layout;
  /** The script was too large to parse: the record is indexed by name only. */
  oversized?: boolean;
}

/** Parsed JSDoc block. */
export interface JsDoc {
  summary: string;
  params: ParamInfo[];
  returns?: { type?: string; description?: string };
  examples: string[];
  /** Other tags as written, by tag name without `@` (`deprecated`, `since`, ...). */
  tags: Record<string, string[]>;
}

export interface ParamInfo {
  name: string;
  type?: string;
  description?: string;
  optional?: boolean;
}

export interface MethodInfo {
  name: string;
  params: ParamInfo[];
  /** Leading underscore, `initialize`, or (revealing module) not in the returned object. */
  isPrivate: boolean;
  isStatic: boolean;
  jsdoc?: JsDoc;
  /** Range of the whole method definition, in file coordinates. */
  range: Range;
  /** Range of the method's name, in file coordinates. */
  nameRange: Range;
  /** Tables the method touches (`new GlideRecord('incident')`, `GlideAggregate`, ...). */
  tables: string[];
  /** Glide APIs it uses, as `GlideRecord`, `GlideRecord.addQuery`, `gs.getUserID`, ... */
  glideApis: string[];
  /** Names of other classes or functions it calls that may be Script Includes. */
  calls: string[];
}

/** The shapes a Script Include's script can take. */
export type ScriptIncludeKind =
  | 'class-create'
  | 'extends-object'
  | 'es-class'
  | 'classless-function'
  | 'revealing-module'
  /** `var X = { m: function () {...} }`: a plain object of functions. */
  | 'object-literal'
  /** Not parsed (oversized or unreadable): known by name only. */
  | 'name-only';

export interface ScriptIncludeInfo {
  name: string;
  /** `scope.Name`. */
  apiName: string;
  scope: string;
  package?: string;
  access: Access;
  clientCallable: boolean;
  active: boolean;
  description?: string;
  kind: ScriptIncludeKind;
  /** The class it extends (`Object.extendsObject(AbstractAjaxProcessor, ...)`, `class X extends Y`), as written. */
  parent?: string;
  /** The comment above the class or function. */
  jsdoc?: JsDoc;
  methods: MethodInfo[];
  /** Union over methods plus top-level code. */
  tables: string[];
  glideApis: string[];
  calls: string[];
  /**
   * What the body says: the distinct words of its own code (identifiers split into words, string
   * literals, comments), in first-seen order and capped, so a caller's field names and messages
   * can meet the Script Include that handles them. Absent for name-only Script Includes.
   * Extraction sets it; an indexed entry keeps the words packed in `packedBody` instead
   * (`index/snippets.ts`: `scriptIncludeBody` reads either).
   */
  body?: string[];
  /** The body words, packed: one line each, deflated (in memory, or its place in the index's `PackedStore`). */
  packedBody?: string | number;
  path: string;
  layout: Layout;
  sysId?: string;
  range: Range;
  nameRange: Range;
}

/** How a Script Include is used at a call site. */
export type CallForm =
  /** `new X(`, `new scope.X(` */
  | 'new'
  /** `X.m(` on the class itself */
  | 'static'
  /** `X(` for a classless Script Include */
  | 'function'
  /** `Object.extendsObject(X, {...})`, `class Y extends X` */
  | 'extends'
  /** `new GlideAjax('X')` (+ `addParam('sysparm_name', 'm')`) */
  | 'glide-ajax';

/**
 * A place where a script uses something that may be a Script Include. Extraction keeps every
 * candidate; the index keeps those whose target resolves to a known Script Include.
 */
export interface CallSite {
  /** The Script Include name as written, without scope (`HRUtils`). */
  target: string;
  /** The scope prefix as written (`x_acme_hr` in `new x_acme_hr.HRUtils()`). */
  qualifier?: string;
  /** The method called on it, when visible (`new X().m(`, `x.m(` on a variable holding it, `X.m(`, `sysparm_name`). */
  method?: string;
  form: CallForm;
  path: string;
  /** Range of the target name in file coordinates. */
  range: Range;
  /** Offset of the start of the call expression within the record's script. */
  scriptOffset: number;
  /** Offset of the target name within the record's script. */
  targetOffset: number;
  /** The calling record: its table (record type), name, side, scope and collection. */
  callerTable: string;
  callerName: string;
  side: Side;
  scope: string;
  collection?: string;
  /**
   * The lines around the call (a few before, one or two after), trimmed to a few hundred
   * characters. Extraction sets it; an indexed entry keeps its sites' snippets packed in
   * `FileEntry.snippets` instead (`index/snippets.ts`: `entrySnippets` reads either).
   */
  snippet?: string;
  /**
   * The shape of the code before the call (`snippetHoleTerms` of the snippet): computed once at
   * extraction and kept in the index cache, so a start does not redo it for every call site.
   */
  hole?: readonly string[];
}

/** What the index keeps of one file on disk. */
export interface FileEntry {
  /** Path relative to the workspace root, with `/` separators. */
  path: string;
  /** sha256 of the file's bytes. */
  hash: string;
  layout: Layout;
  scriptIncludes: ScriptIncludeInfo[];
  callSites: CallSite[];
  /**
   * The call sites' snippets, packed (`index/snippets.ts`), in memory or as their place in the
   * index's `PackedStore`; absent when the sites hold their own or there are none.
   */
  snippets?: string | number;
  /** Caller records in this file (not Script Includes): table, name, side, scope. */
  callers: CallerInfo[];
  problems: Problem[];
  /** Other files this entry was read from (a Fluent `Now.include('./x.js')`). */
  includes: string[];
  /** Tables, fields and system properties the file defines or its code uses; absent when none. */
  schema?: SchemaFacts;
}

/**
 * What one file says about the instance's data model: tables and fields it defines (dictionary
 * and table records, Fluent `Table`), system properties it defines, and the tables, fields and
 * properties its code names (`new GlideRecord('incident')`, `gr.addQuery('state', ...)`,
 * `current.priority`, `gs.getProperty('x.y')`).
 */
export interface SchemaFacts {
  tables: TableFact[];
  fields: FieldFact[];
  properties: PropertyFact[];
  /**
   * Names the code uses: `incident`, `incident.state`, `property:x.y`; `useCounts[i]` says how
   * often `uses[i]` is named. Two flat arrays, not a pair per name: a large workspace names
   * hundreds of thousands, and a pair each cost more than the names.
   */
  uses: string[];
  useCounts: number[];
}

/** What records define of the data model, before any code is read. */
export type DefinedSchema = Pick<SchemaFacts, 'tables' | 'fields' | 'properties'>;

export interface TableFact {
  name: string;
  label?: string;
  /** The table it extends (`task` for `incident`). */
  parent?: string;
  scope?: string;
}

export interface FieldFact {
  table: string;
  name: string;
  label?: string;
  /** The dictionary's internal type (`string`, `reference`, `glide_date_time`, ...). */
  type?: string;
  /** The referenced table of a reference field. */
  reference?: string;
}

export interface PropertyFact {
  name: string;
  description?: string;
  type?: string;
}

export interface CallerInfo {
  table: string;
  name: string;
  side: Side;
  scope: string;
  collection?: string;
}
