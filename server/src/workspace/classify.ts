/**
 * What a workspace path says on its own: which kind of file it is and, for `.js` files, which
 * ServiceNow record it holds (sn-scriptsync and plain-folder layouts keep the metadata in the
 * path). Pure string work on workspace-relative, `/`-separated paths.
 */
import { Layout, Side } from '../model';
import { SCRIPT_FIELD_NAMES, isScopeName, looksLikeTableName, sideOfField, sideOfTable, tableOfFolder } from './tables';

export type FileKind = 'xml' | 'now-ts' | 'now-config' | 'js';

/** The kind of a file the workspace readers handle, or undefined for any other file. */
export function fileKindOf(relPath: string): FileKind | undefined {
  const base = baseName(relPath);
  if (base === 'now.config.json') return 'now-config';
  const lower = base.toLowerCase();
  if (lower.endsWith('.now.ts')) return 'now-ts';
  if (lower.endsWith('.xml')) return 'xml';
  if (lower.endsWith('.js')) return 'js';
  return undefined;
}

/** The record a `.js` file holds, as far as its path tells. */
export interface ScriptPathInfo {
  layout: Extract<Layout, 'scriptsync' | 'plain'>;
  table: string;
  name: string;
  field: string;
  /** Undefined when no folder on the path names a scope (the reader may know it otherwise). */
  scope?: string;
  side: Side;
}

export type PathInfo = { kind: Exclude<FileKind, 'js'>; layout: Layout } | ({ kind: 'js' } & ScriptPathInfo);

/** Classifies a workspace path; undefined when the file is not one the readers handle. */
export function classifyPath(relPath: string): PathInfo | undefined {
  const kind = fileKindOf(relPath);
  if (kind === undefined) return undefined;
  if (kind === 'xml') return { kind, layout: 'xml' };
  if (kind === 'now-ts' || kind === 'now-config') return { kind, layout: 'fluent' };
  return { kind, ...scriptPathInfo(relPath) };
}

/** The record metadata of a `.js` path: sn-scriptsync when the path has that shape, else plain. */
export function scriptPathInfo(relPath: string): ScriptPathInfo {
  const segments = relPath.split('/').filter((s) => s.length > 0);
  return scriptsyncInfo(segments) ?? widgetInfo(segments) ?? plainInfo(segments);
}

/** `<instance>/<scope>/<table>/<Name>.<field>.js` */
function scriptsyncInfo(segments: string[]): ScriptPathInfo | undefined {
  if (segments.length < 2) return undefined;
  const file = segments[segments.length - 1];
  const tableFolder = segments[segments.length - 2];
  const m = /^(.+)\.([a-z][a-z0-9_]*)\.js$/i.exec(file);
  if (!m || !SCRIPT_FIELD_NAMES.has(m[2]) || !looksLikeTableName(tableFolder)) return undefined;
  const [, name, field] = m;
  return {
    layout: 'scriptsync',
    table: tableFolder,
    name,
    field,
    scope: nearestScope(segments.slice(0, -2)),
    side: sideOfField(tableFolder, field),
  };
}

/** sn-scriptsync keeps a Service Portal widget as a folder of fields: `<scope>/sp_widget/<Widget>/client_script.js`. */
function widgetInfo(segments: string[]): ScriptPathInfo | undefined {
  if (segments.length < 3 || segments[segments.length - 3] !== 'sp_widget') return undefined;
  const field = segments[segments.length - 1].replace(/\.js$/i, '');
  if (!SCRIPT_FIELD_NAMES.has(field)) return undefined;
  return {
    layout: 'scriptsync',
    table: 'sp_widget',
    name: segments[segments.length - 2],
    field,
    scope: nearestScope(segments.slice(0, -3)),
    side: sideOfField('sp_widget', field),
  };
}

function plainInfo(segments: string[]): ScriptPathInfo {
  const folders = segments.slice(0, -1);
  const file = segments[segments.length - 1] ?? '';
  const stem = file.replace(/\.js$/i, '');
  const suffix = /\.(server|client|script)$/i.exec(stem);
  const name = suffix ? stem.slice(0, suffix.index) : stem;
  let table = 'unknown';
  for (let i = folders.length - 1; i >= 0; i--) {
    const t = tableOfFolder(folders[i].toLowerCase());
    if (t) {
      table = t;
      break;
    }
  }
  const clientByPath = folders.some((f) => f.toLowerCase() === 'client') || suffix?.[1].toLowerCase() === 'client';
  const side: Side = clientByPath || sideOfTable(table) === 'client' ? 'client' : 'server';
  return { layout: 'plain', table, name: name || stem, field: 'script', scope: nearestScope(folders), side };
}

/** The nearest folder (innermost first) named like a scope. */
function nearestScope(folders: string[]): string | undefined {
  for (let i = folders.length - 1; i >= 0; i--) if (isScopeName(folders[i])) return folders[i];
  return undefined;
}

function baseName(relPath: string): string {
  const i = relPath.lastIndexOf('/');
  return i < 0 ? relPath : relPath.slice(i + 1);
}

/** The file name without its last extension (`sys_script_include_ab12.xml` -> `sys_script_include_ab12`). */
export function fileStem(relPath: string): string {
  const base = baseName(relPath);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
