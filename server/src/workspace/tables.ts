/**
 * What the workspace readers know about ServiceNow tables: which fields hold scripts, on which
 * side each script runs and which field names the table a caller runs against. One table of
 * facts shared by the XML, sn-scriptsync, Fluent and plain-folder readers, so the four layouts
 * agree on what a record is.
 */
import { Side } from '../model';

export interface ScriptField {
  name: string;
  side: Side;
}

export interface TableSpec {
  table: string;
  fields: ScriptField[];
  /** The field naming the table the record runs against (a business rule's `collection`). */
  collectionField?: string;
}

const server = (name: string): ScriptField => ({ name, side: 'server' });
const client = (name: string): ScriptField => ({ name, side: 'client' });

const SPECS: TableSpec[] = [
  { table: 'sys_script_include', fields: [server('script')] },
  { table: 'sys_script', fields: [server('script')], collectionField: 'collection' },
  { table: 'sys_script_client', fields: [client('script')], collectionField: 'table' },
  { table: 'catalog_script_client', fields: [client('script')] },
  // A UI action's `script` runs in the browser when `client` is true; see sideOfField.
  { table: 'sys_ui_action', fields: [server('script'), client('client_script_v2')], collectionField: 'table' },
  { table: 'sysauto_script', fields: [server('script')] },
  { table: 'sys_script_fix', fields: [server('script')] },
  { table: 'sys_ws_operation', fields: [server('operation_script')] },
  { table: 'sys_ui_page', fields: [client('client_script'), server('processing_script')] },
  { table: 'sys_ui_script', fields: [client('script')] },
  { table: 'sys_ui_policy', fields: [client('script_true'), client('script_false')], collectionField: 'table' },
  { table: 'sysevent_script_action', fields: [server('script')] },
  { table: 'sys_transform_script', fields: [server('script')] },
  { table: 'sys_script_email', fields: [server('script')] },
  { table: 'sys_processor', fields: [server('script')] },
  { table: 'sys_security_acl', fields: [server('script')] },
  { table: 'sys_atf_step', fields: [server('script')] },
  { table: 'sp_widget', fields: [server('script'), client('client_script'), client('link')] },
];

const BY_TABLE = new Map(SPECS.map((s) => [s.table, s]));

/** The spec of a known table, or undefined. */
export function tableSpec(table: string): TableSpec | undefined {
  return BY_TABLE.get(table);
}

/**
 * The spec to read a record of any table with: known tables as listed, any other table through
 * its `script` field, on the server (the generic case of an element with a `script` child).
 */
export function specOrGeneric(table: string): TableSpec {
  return BY_TABLE.get(table) ?? { table, fields: [server('script')] };
}

/** Every field name that holds a script in some table: the `<field>` of a `Name.<field>.js` file. */
export const SCRIPT_FIELD_NAMES: ReadonlySet<string> = new Set(SPECS.flatMap((s) => s.fields.map((f) => f.name)));

/** A folder name that names a table in sn-scriptsync: a known table, or one shaped like a script table. */
export function looksLikeTableName(name: string): boolean {
  if (BY_TABLE.has(name)) return true;
  return /^[a-z][a-z0-9_]*$/.test(name) && (name.startsWith('sys_') || name.includes('_script'));
}

/** The side a table's script runs on, by default (before per-record facts such as a UI action's `client`). */
export function sideOfTable(table: string): Side {
  const spec = BY_TABLE.get(table);
  return spec && spec.fields.length > 0 && spec.fields.every((f) => f.side === 'client') ? 'client' : 'server';
}

/**
 * A UI action that runs in the browser and then on the instance tests `typeof window ==
 * 'undefined'` to call its server half: its Script Include calls are server calls.
 */
const SERVER_HALF = /typeof\s+window\s*[!=]==?\s*['"]undefined['"]/;

/**
 * The side of one field of a table; `clientFlag` is a UI action's `client` value, `script` its
 * text (a client UI action with a server half counts as server code).
 */
export function sideOfField(table: string, field: string, clientFlag?: boolean, script?: string): Side {
  if (table === 'sys_ui_action' && field === 'script') return clientFlag && !(script && SERVER_HALF.test(script)) ? 'client' : 'server';
  const f = BY_TABLE.get(table)?.fields.find((x) => x.name === field);
  return f ? f.side : sideOfTable(table);
}

/** Folder names of plain layouts and the table each stands for. */
const FOLDER_TABLES: Record<string, string> = {
  script_includes: 'sys_script_include',
  script_include: 'sys_script_include',
  sys_script_include: 'sys_script_include',
  business_rules: 'sys_script',
  sys_script: 'sys_script',
  client_scripts: 'sys_script_client',
  sys_script_client: 'sys_script_client',
  catalog_client_scripts: 'catalog_script_client',
  catalog_script_client: 'catalog_script_client',
  ui_actions: 'sys_ui_action',
  sys_ui_action: 'sys_ui_action',
  ui_scripts: 'sys_ui_script',
  sys_ui_script: 'sys_ui_script',
  scheduled_jobs: 'sysauto_script',
  scheduled_scripts: 'sysauto_script',
  sysauto_script: 'sysauto_script',
  fix_scripts: 'sys_script_fix',
  sys_script_fix: 'sys_script_fix',
  scripted_rest: 'sys_ws_operation',
  sys_ws_operation: 'sys_ws_operation',
  atf: 'sys_atf_step',
  atf_steps: 'sys_atf_step',
  sys_atf_step: 'sys_atf_step',
  ui_policies: 'sys_ui_policy',
  ui_pages: 'sys_ui_page',
  script_actions: 'sysevent_script_action',
  transform_scripts: 'sys_transform_script',
  email_scripts: 'sys_script_email',
  mail_scripts: 'sys_script_email',
  processors: 'sys_processor',
  acls: 'sys_security_acl',
  sys_ui_policy: 'sys_ui_policy',
};

/** The table a plain-layout folder name stands for, or undefined. */
export function tableOfFolder(folder: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(FOLDER_TABLES, folder) ? FOLDER_TABLES[folder] : undefined;
}

/** A folder or prefix that names an application scope: `global`, or `x_`/`sn_`/`u_` names. */
export function isScopeName(name: string): boolean {
  return name === 'global' || /^(x|sn|u)_[a-z0-9_]+$/.test(name);
}
