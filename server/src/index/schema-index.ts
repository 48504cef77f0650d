/**
 * The instance's data model as far as this workspace and the platform tell it: tables (with their
 * parents), each table's fields (its own and inherited), and system properties. Three sources,
 * merged: what the workspace's records define (dictionary and table records, Fluent `Table`,
 * `sys_properties`), what the workspace's code names (`new GlideRecord('x')`, `gr.addQuery('f'`,
 * `current.f`, `gs.getProperty('p')`), and the built-in catalog of the platform's common tables
 * (`platform/tables.ts`).
 *
 * Rebuilt lazily from the `ApiIndex` when its generation moved, so it follows every file change
 * without listeners of its own. Ordering is the point: what the workspace uses most comes first,
 * then what it defines, then the platform's tables and fields in the catalog's order.
 */
import { FileEntry } from '../model';
import { catalogTables, labelOf, systemFields } from '../platform/tables';
import { ApiIndex } from './api-index';

export type SchemaSource = 'workspace' | 'code' | 'platform';

export interface TableInfo {
  name: string;
  label: string;
  parent?: string;
  scope?: string;
  /** Where the table is known from: defined in the workspace, only named by its code, or the platform catalog. */
  source: SchemaSource;
  /** How many times the workspace's code names it. */
  uses: number;
}

export interface FieldInfo {
  name: string;
  /** The table that defines it (an ancestor for an inherited field). */
  table: string;
  label: string;
  type?: string;
  reference?: string;
  source: SchemaSource;
  uses: number;
}

export interface PropertyInfo {
  name: string;
  description?: string;
  type?: string;
  /** Defined by a `sys_properties` record in the workspace (otherwise only read by its code). */
  defined: boolean;
  uses: number;
}

interface TableState extends TableInfo {
  order: number;
  /** In the order they were first seen: the workspace's definitions, the catalog's ranks, then code. */
  fields: Map<string, FieldInfo>;
  /** Uses of fields named on this table by the code (`incident.state`), wherever they are defined. */
  fieldUses: Map<string, number>;
}

interface State {
  generation: number;
  tables: Map<string, TableState>;
  properties: Map<string, PropertyInfo>;
}

/** Parent chains longer than this are a loop or a mistake. */
const MAX_DEPTH = 12;
const SOURCE_RANK: Record<SchemaSource, number> = { workspace: 0, code: 1, platform: 2 };

export class SchemaIndex {
  private state?: State;

  constructor(private readonly index: ApiIndex) {}

  /** Every known table, the workspace's most used first. */
  tables(): TableInfo[] {
    return [...this.current().tables.values()].sort(byUseThenSource).map(publicTable);
  }

  table(name: string): TableInfo | undefined {
    const t = this.current().tables.get(name);
    return t ? publicTable(t) : undefined;
  }

  /** The tables from `name` up its parents: `incident`, `task`. */
  lineage(name: string): string[] {
    const { tables } = this.current();
    const out: string[] = [];
    for (let t = tables.get(name), depth = 0; t && depth < MAX_DEPTH && !out.includes(t.name); t = t.parent ? tables.get(t.parent) : undefined, depth++) out.push(t.name);
    if (!out.length) out.push(name);
    return out;
  }

  /**
   * The fields of a table, inherited ones included: the most used first (a use on the table or
   * on any ancestor counts), then the workspace's definitions before the platform's, then by rank
   * within the defining table. The system fields come last.
   */
  fields(table: string): FieldInfo[] {
    const { tables } = this.current();
    const lineage = this.lineage(table);
    const seen = new Map<string, { f: FieldInfo; depth: number; rank: number; uses: number }>();
    lineage.forEach((name, depth) => {
      let rank = 0;
      for (const f of tables.get(name)?.fields.values() ?? []) if (!seen.has(f.name)) seen.set(f.name, { f, depth, rank: rank++, uses: 0 });
    });
    // Uses named on this table or on an ancestor; not those on a sibling (`problem.state` says nothing of `incident`).
    for (const name of lineage) for (const [field, count] of tables.get(name)?.fieldUses ?? []) {
      const hit = seen.get(field);
      if (hit) hit.uses += count;
    }
    // Each table's fields are listed most common first, so a child's and its parent's interleave
    // by that rank (incident's caller_id beside task's number), the child's first on a tie.
    const listed = [...seen.values()].sort((a, b) => b.uses - a.uses || SOURCE_RANK[a.f.source] - SOURCE_RANK[b.f.source] || a.rank - b.rank || a.depth - b.depth);
    const out: FieldInfo[] = listed.map(({ f, uses }) => ({ ...f, uses }));
    for (const s of systemFields()) if (!seen.has(s.name)) out.push({ name: s.name, table: lineage[lineage.length - 1], label: labelOf(s.name), type: s.type, source: 'platform', uses: 0 });
    return out;
  }

  field(table: string, name: string): FieldInfo | undefined {
    return this.fields(table).find((f) => f.name === name);
  }

  /** System properties the workspace defines or reads, the most read first. */
  properties(): PropertyInfo[] {
    return [...this.current().properties.values()].sort((a, b) => b.uses - a.uses || Number(b.defined) - Number(a.defined) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  property(name: string): PropertyInfo | undefined {
    return this.current().properties.get(name);
  }

  private current(): State {
    if (this.state && this.state.generation === this.index.generation) return this.state;
    this.state = build(this.index.generation, this.index.visibleFiles());
    return this.state;
  }
}

function byUseThenSource(a: TableState, b: TableState): number {
  return b.uses - a.uses || SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || a.order - b.order;
}

function publicTable(t: TableState): TableInfo {
  const out: TableInfo = { name: t.name, label: t.label, source: t.source, uses: t.uses };
  if (t.parent) out.parent = t.parent;
  if (t.scope) out.scope = t.scope;
  return out;
}



function build(generation: number, files: Iterable<FileEntry>): State {
  const tables = new Map<string, TableState>();
  const properties = new Map<string, PropertyInfo>();
  let order = 0;
  const tableOf = (name: string, source: SchemaSource): TableState => {
    let t = tables.get(name);
    if (!t) {
      t = { name, label: labelOf(name), source, uses: 0, order: order++, fields: new Map(), fieldUses: new Map() };
      tables.set(name, t);
    } else if (SOURCE_RANK[source] < SOURCE_RANK[t.source]) {
      t.source = source;
    }
    return t;
  };
  const fieldOf = (t: TableState, name: string, source: SchemaSource): FieldInfo => {
    let f = t.fields.get(name);
    if (!f) {
      f = { name, table: t.name, label: labelOf(name), source, uses: 0 };
      t.fields.set(name, f);
    } else if (SOURCE_RANK[source] < SOURCE_RANK[f.source]) {
      f.source = source;
    }
    return f;
  };

  const entries = [...files];
  // What the workspace defines comes first, so its labels and types win over the catalog's.
  for (const e of entries) {
    const s = e.schema;
    if (!s) continue;
    for (const d of s.tables) {
      const t = tableOf(d.name, 'workspace');
      if (d.label) t.label = d.label;
      if (d.parent) t.parent = d.parent;
      if (d.scope) t.scope = d.scope;
    }
    for (const d of s.fields) {
      const f = fieldOf(tableOf(d.table, 'workspace'), d.name, 'workspace');
      if (d.label) f.label = d.label;
      if (d.type) f.type = d.type;
      if (d.reference) f.reference = d.reference;
    }
    for (const d of s.properties) {
      const p = properties.get(d.name) ?? { name: d.name, defined: true, uses: 0 };
      p.defined = true;
      if (d.description) p.description = d.description;
      if (d.type) p.type = d.type;
      properties.set(d.name, p);
    }
  }
  for (const c of catalogTables()) {
    const known = tables.has(c.name);
    const t = tableOf(c.name, 'platform');
    if (!known) t.label = c.label;
    if (!t.parent && c.parent) t.parent = c.parent;
    for (const cf of c.fields) {
      const had = t.fields.has(cf.name);
      const f = fieldOf(t, cf.name, 'platform');
      if (had) continue;
      f.type = cf.type;
      if (cf.reference) f.reference = cf.reference;
    }
  }
  for (const e of entries) {
    const s = e.schema;
    if (!s) continue;
    for (let i = 0; i < s.uses.length; i++) {
      const name = s.uses[i];
      const count = s.useCounts[i];
      if (name.startsWith('property:')) {
        const key = name.slice('property:'.length);
        const p = properties.get(key) ?? { name: key, defined: false, uses: 0 };
        p.uses += count;
        properties.set(key, p);
        continue;
      }
      const dot = name.indexOf('.');
      if (dot < 0) {
        tableOf(name, 'code').uses += count;
        continue;
      }
      const t = tableOf(name.slice(0, dot), 'code');
      const field = name.slice(dot + 1);
      t.fieldUses.set(field, (t.fieldUses.get(field) ?? 0) + count);
      // A field the table inherits stays where it is defined, so it is not listed twice; its
      // uses are summed per lineage by `fields()`.
      fieldOf(definingTable(tables, t, field), field, 'code');
    }
  }
  return { generation, tables, properties };
}

/** The nearest table up the parent chain that already defines `field`, else the table itself. */
function definingTable(tables: Map<string, TableState>, t: TableState, field: string): TableState {
  let cur: TableState | undefined = t;
  for (let depth = 0; cur && depth < MAX_DEPTH; depth++) {
    if (cur.fields.has(field)) return cur;
    cur = cur.parent ? tables.get(cur.parent) : undefined;
  }
  return t;
}
