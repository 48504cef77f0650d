/**
 * Makes index entries share what they repeat. Entries arrive from extraction workers (structured
 * clone) and from the cache (JSON.parse), and both hand out a fresh copy of every string: the
 * same scope, table, record type, Glide API name and body word thousands of times over, and a
 * call site's path beside its file's. One pass per indexing run makes each distinct string one
 * object and every empty list the same frozen one; at 10,000 Script Includes that is tens of
 * megabytes the index no longer holds, with the same values.
 *
 * Ranges are shared the same way. An entry holds one for each method, its name, each call site
 * and each Script Include: 170,000 at 10,000 Script Includes, three objects each (20 MB), yet
 * only 34,000 distinct, over 10,000 distinct positions (line and character repeat from file to
 * file). A shared range is frozen: nothing changes an indexed entry's ranges.
 *
 * The pool lives for one indexing pass and is then dropped: strings of entries added later are
 * not shared with it, and nothing grows across the server's life.
 */
import { CallSite, FileEntry, JsDoc, MethodInfo, ParamInfo, Position, Range, ScriptIncludeInfo } from '../model';
import { internHoleTerms } from '../text/hole-terms';
import { packEntry } from './snippets';

/** One shared, frozen empty list: entries hold many, and nothing appends to an indexed entry. */
const EMPTY: never[] = Object.freeze([]) as unknown as never[];
/** The same for a JSDoc comment without other tags (most of them: 18,000 at 10,000 Script Includes). */
const NO_TAGS: Record<string, string[]> = Object.freeze({}) as Record<string, string[]>;

/**
 * Values that entries repeat, each kept once and frozen: ranges (over positions), and short lists
 * of names (a method's tables or Glide APIs, its parameters, a file's use counts). At 10,000
 * Script Includes 53,000 lists of Glide APIs are 13,000 distinct, 41,000 of tables 3,200.
 *
 * Range keys are numbers (a position's line and character, then a range's two position
 * numbers), so a lookup makes no string; a range whose character does not fit the key (a
 * minified line past 65,535) stays its own.
 */
export class ValuePool {
  private readonly positionIds = new Map<number, number>();
  private readonly positions: Position[] = [];
  private readonly ranges = new Map<number, Range>();
  private readonly lists = new Map<string, readonly unknown[]>();

  range(r: Range): Range {
    // Frozen: shared already (by this pool, or by the cache's decoder).
    if (Object.isFrozen(r)) return r;
    return this.rangeAt(r.start.line, r.start.character, r.end.line, r.end.character) ?? r;
  }

  /** The shared range of these positions, or undefined when it cannot have one (see `positionId`). */
  rangeAt(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range | undefined {
    const a = this.positionId(startLine, startCharacter);
    const b = this.positionId(endLine, endCharacter);
    if (a < 0 || b < 0 || b >= RANGE_KEY_BASE) return undefined;
    const key = a * RANGE_KEY_BASE + b;
    const had = this.ranges.get(key);
    if (had) return had;
    const shared = Object.freeze({ start: this.positions[a], end: this.positions[b] });
    this.ranges.set(key, shared);
    return shared;
  }

  /** The shared position's number, or -1 when it cannot have one. */
  private positionId(line: number, character: number): number {
    if (!Number.isSafeInteger(line) || !Number.isSafeInteger(character) || line < 0 || character < 0 || character >= 65536 || line >= 2 ** 36) return -1;
    const key = line * 65536 + character;
    let id = this.positionIds.get(key);
    if (id === undefined) {
      id = this.positions.length;
      this.positionIds.set(key, id);
      this.positions.push(Object.freeze({ line, character }));
    }
    return id;
  }

  /**
   * The one frozen list equal to `items` (strings or numbers, already interned), or the shared
   * empty list. Lists longer than `MAX_SHARED_LIST` stay their own: long lists rarely repeat,
   * and their keys would cost more than sharing saves.
   */
  list<T extends string | number>(items: T[]): T[] {
    if (items.length === 0) return EMPTY;
    if (items.length > MAX_SHARED_LIST || Object.isFrozen(items)) return items;
    const key = `${typeof items[0]}\u0001${items.join('\u0001')}`;
    const had = this.lists.get(key);
    if (had && had.length === items.length && had.every((x, i) => x === items[i])) return had as T[];
    if (!had) this.lists.set(key, Object.freeze(items));
    return items;
  }

  /** Parameter lists of names and types only, shared like lists of names; others stay their own. */
  params(params: ParamInfo[]): ParamInfo[] {
    if (params.length === 0) return EMPTY;
    if (params.length > MAX_SHARED_LIST || !params.every(isNameAndType)) return params;
    const key = `p\u0001${params.map((p) => `${p.name}\u0002${p.type ?? ''}\u0002${p.type === undefined ? 0 : 1}`).join('\u0001')}`;
    const had = this.lists.get(key) as ParamInfo[] | undefined;
    if (had) return had.length === params.length && had.every((p, i) => p.name === params[i].name && p.type === params[i].type) ? had : params;
    for (const p of params) Object.freeze(p);
    this.lists.set(key, Object.freeze(params));
    return params;
  }

  get size(): number {
    return this.ranges.size;
  }
}

/** A parameter that holds its name and perhaps its type, nothing else. */
function isNameAndType(p: ParamInfo): boolean {
  for (const k in p) if (k !== 'name' && k !== 'type') return false;
  return typeof p.name === 'string' && (p.type === undefined || typeof p.type === 'string');
}

/** Lists of strings and numbers up to this long are shared (and the index cache writes them once). */
export const MAX_SHARED_LIST = 32;

/** Range keys are `start * RANGE_KEY_BASE + end` over position numbers, exact below 2^53. */
const RANGE_KEY_BASE = 2 ** 26;

export class StringPool {
  private readonly strings = new Map<string, string>();
  /** Ranges and short lists are shared in every pool, the one that leaves strings alone included. */
  readonly values: ValuePool;

  constructor(values: ValuePool = new ValuePool()) {
    this.values = values;
  }

  intern<T extends string | undefined>(s: T): T {
    if (s === undefined) return s;
    const had = this.strings.get(s);
    if (had !== undefined) return had as T;
    this.strings.set(s, s);
    return s;
  }

  /** The list with its strings interned, or the shared empty list. */
  list(items: string[]): string[] {
    if (items.length === 0) return EMPTY;
    // A frozen list is shared already, and its strings with it.
    if (Object.isFrozen(items)) return items;
    for (let i = 0; i < items.length; i++) items[i] = this.intern(items[i]);
    return items;
  }

  /** The list with its strings interned, shared with every equal list of the pass (frozen). */
  sharedList(items: string[]): string[] {
    return this.values.list(this.list(items));
  }

  get size(): number {
    return this.strings.size;
  }
}

/** For entries whose strings are shared already (read from the cache through the pool): their empty lists and ranges are shared. */
export class SharedStringsPool extends StringPool {
  override intern<T extends string | undefined>(s: T): T {
    return s;
  }
}

/** The same entry, its repeated strings shared through `pool` and its empty lists shared (in place). */
export function compactEntry(entry: FileEntry, pool: StringPool): FileEntry {
  entry.path = pool.intern(entry.path);
  entry.layout = pool.intern(entry.layout);
  for (const si of entry.scriptIncludes) compactScriptInclude(si, pool);
  entry.callSites = entry.callSites.length ? entry.callSites : EMPTY;
  for (const site of entry.callSites) compactSite(site, pool);
  packEntry(entry);
  for (const p of entry.problems) if (p.range) p.range = pool.values.range(p.range);
  for (const c of entry.callers) {
    c.table = pool.intern(c.table);
    c.name = pool.intern(c.name);
    c.side = pool.intern(c.side);
    c.scope = pool.intern(c.scope);
  }
  if (entry.scriptIncludes.length === 0) entry.scriptIncludes = EMPTY;
  if (entry.callers.length === 0) entry.callers = EMPTY;
  if (entry.problems.length === 0) entry.problems = EMPTY;
  if (entry.includes.length === 0) entry.includes = EMPTY;
  const schema = entry.schema;
  if (schema) {
    schema.uses = pool.list(schema.uses);
    schema.useCounts = pool.values.list(schema.useCounts);
    if (schema.tables.length === 0) schema.tables = EMPTY;
    if (schema.fields.length === 0) schema.fields = EMPTY;
    if (schema.properties.length === 0) schema.properties = EMPTY;
    for (const f of schema.fields) {
      f.table = pool.intern(f.table);
      f.type = pool.intern(f.type);
      f.reference = pool.intern(f.reference);
    }
  }
  return entry;
}

function compactScriptInclude(si: ScriptIncludeInfo, pool: StringPool): void {
  si.path = pool.intern(si.path);
  si.name = pool.intern(si.name);
  si.apiName = pool.intern(si.apiName);
  si.kind = pool.intern(si.kind);
  si.access = pool.intern(si.access);
  si.layout = pool.intern(si.layout);
  if (si.description !== undefined) si.description = pool.intern(si.description);
  si.range = pool.values.range(si.range);
  si.nameRange = pool.values.range(si.nameRange);
  si.scope = pool.intern(si.scope);
  si.package = pool.intern(si.package);
  si.parent = pool.intern(si.parent);
  si.tables = pool.sharedList(si.tables);
  si.glideApis = pool.sharedList(si.glideApis);
  si.calls = pool.sharedList(si.calls);
  if (si.jsdoc) compactJsDoc(si.jsdoc, pool);
  for (const m of si.methods) compactMethod(m, pool);
  if (si.methods.length === 0) si.methods = EMPTY;
}

function compactMethod(m: MethodInfo, pool: StringPool): void {
  m.name = pool.intern(m.name);
  m.range = pool.values.range(m.range);
  m.nameRange = pool.values.range(m.nameRange);
  m.tables = pool.sharedList(m.tables);
  m.glideApis = pool.sharedList(m.glideApis);
  m.calls = pool.sharedList(m.calls);
  m.params = compactParams(m.params, pool);
  if (m.jsdoc) compactJsDoc(m.jsdoc, pool);
}

function compactParams(params: ParamInfo[], pool: StringPool): ParamInfo[] {
  if (params.length === 0) return EMPTY;
  for (const p of params) {
    p.name = pool.intern(p.name);
    if (p.description !== undefined) p.description = pool.intern(p.description);
    // Left out rather than undefined, as a parse of the cache leaves it, so equal lists look alike.
    if (p.type === undefined) delete p.type;
    else p.type = pool.intern(p.type);
  }
  return pool.values.params(params);
}

function compactJsDoc(doc: JsDoc, pool: StringPool): void {
  if (doc.summary !== undefined) doc.summary = pool.intern(doc.summary);
  doc.params = compactParams(doc.params, pool);
  if (doc.examples.length === 0) doc.examples = EMPTY;
  if (isEmptyObject(doc.tags)) doc.tags = NO_TAGS;
  if (doc.returns) doc.returns.type = pool.intern(doc.returns.type);
}

function isEmptyObject(o: object): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return false;
  return true;
}

function compactSite(site: CallSite, pool: StringPool): void {
  site.path = pool.intern(site.path);
  site.form = pool.intern(site.form);
  site.side = pool.intern(site.side);
  site.range = pool.values.range(site.range);
  site.target = pool.intern(site.target);
  site.qualifier = pool.intern(site.qualifier);
  site.method = pool.intern(site.method);
  site.callerTable = pool.intern(site.callerTable);
  site.callerName = pool.intern(site.callerName);
  site.scope = pool.intern(site.scope);
  site.collection = pool.intern(site.collection);
  // Shared across sites; a value that is not a list of strings (a damaged cache) is computed again.
  if (site.hole !== undefined) {
    if (Array.isArray(site.hole) && site.hole.every((t) => typeof t === 'string')) site.hole = internHoleTerms(site.hole);
    else delete site.hole;
  }
}
