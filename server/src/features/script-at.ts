/**
 * The script at a position: features work on scripts, editors on documents. A `.js` document is
 * one script; an XML document holds one script per record (CDATA), each parsed on its own. This
 * module maps a document position to the script under it, with the record's facts (record type,
 * side, scope, collection) and the conversions back to document positions.
 *
 * Trees of XML record scripts and the flat syntax tables of every script are cached per
 * (uri, version), in a `ScriptCache` owned by the caller (one per server).
 */
import { Position, Range, SourceRecord } from '../model';
import { OpenDocument } from '../documents';
import { ApiIndex } from '../index/api-index';
import { FileFacts } from '../retrieval/types';
import { Session, Workspace } from '../session';
import { parseJavaScript, Tree } from '../syntax/parser';
import { LineIndex, shiftPosition } from '../syntax/positions';
import { buildSyntaxTable, SyntaxTable } from '../syntax/walk';
import { classifyPath } from '../workspace/classify';
import { readXmlRecords } from '../workspace/xml';
import { ScriptSymbols, scriptSymbols } from './script-symbols';

/** One script of a document, parsed. */
export interface ScriptSlice {
  script: string;
  /** Where the script starts in the document. */
  scriptStart: Position;
  /** The XML record it came from; undefined for a `.js` document. */
  record?: SourceRecord;
  tree: Tree;
  lines: LineIndex;
  /** The flat copy of the tree, built on first use. */
  table(): SyntaxTable;
  /** What the script's names refer to, built on first use. */
  symbols(): ScriptSymbols;
}

export interface ScriptAt {
  ws: Workspace;
  rel: string;
  uri: string;
  version: number;
  slice: ScriptSlice;
  script: string;
  /** The position as an offset in the script. */
  scriptOffset: number;
  facts: FileFacts;
  tree: Tree;
  toDocPosition(scriptOffset: number): Position;
  toDocRange(start: number, end: number): Range;
}

interface CachedDoc {
  version: number;
  slices: ScriptSlice[];
}

/** Parsed scripts per open document version. Owned by the server, passed to features. */
export class ScriptCache {
  private readonly docs = new Map<string, CachedDoc>();
  /** Open documents too large to analyse, said once each. */
  private readonly tooLarge = new Set<string>();

  /**
   * The scripts of an open document, parsed once per version. A document larger than
   * `index.maxFileSize` (a minified bundle, a data dump) gets no analysis: parsing and scanning
   * it on every keystroke would hold up everything else.
   */
  slices(session: Session, doc: OpenDocument): ScriptSlice[] {
    const hit = this.docs.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.slices;
    const limit = session.settings['index.maxFileSize'];
    if (doc.text.length > limit) {
      if (!this.tooLarge.has(doc.uri)) {
        this.tooLarge.add(doc.uri);
        session.editor.log('warn', `${doc.uri}: ${doc.text.length} characters, over index.maxFileSize (${limit}); no completion or diagnostics in it`);
      }
      this.docs.set(doc.uri, { version: doc.version, slices: [] });
      return [];
    }
    const slices = isXml(doc.uri) ? xmlSlices(doc.text, doc.uri) : jsSlices(session, doc);
    this.docs.set(doc.uri, { version: doc.version, slices });
    return slices;
  }

  forget(uri: string): void {
    this.docs.delete(uri);
    this.tooLarge.delete(uri);
  }
}

function isXml(uri: string): boolean {
  return /\.xml$/i.test(uri);
}

function slice(script: string, scriptStart: Position, tree: Tree, record?: SourceRecord): ScriptSlice {
  let table: SyntaxTable | undefined;
  let symbols: ScriptSymbols | undefined;
  return {
    script,
    scriptStart,
    record,
    tree,
    lines: new LineIndex(script),
    table: () => (table ??= buildSyntaxTable(tree, script)),
    symbols() {
      return (symbols ??= scriptSymbols(this.table()));
    },
  };
}

function jsSlices(session: Session, doc: OpenDocument): ScriptSlice[] {
  const tree = session.documents.tree(doc.uri) ?? parseJavaScript(doc.text);
  return [slice(doc.text, { line: 0, character: 0 }, tree)];
}

function xmlSlices(text: string, uri: string): ScriptSlice[] {
  const { records } = readXmlRecords(text, uri);
  return records.filter((r) => r.script.length > 0 && !r.oversized).map((r) => slice(r.script, r.scriptStart, parseJavaScript(r.script), r));
}

/** Offset in the slice's script of a document position, or undefined when it lies outside it. */
export function offsetInSlice(s: ScriptSlice, pos: Position): number | undefined {
  const line = pos.line - s.scriptStart.line;
  if (line < 0 || line >= s.lines.lineCount) return undefined;
  const character = line === 0 ? pos.character - s.scriptStart.character : pos.character;
  if (character < 0) return undefined;
  const offset = s.lines.offsetAt({ line, character });
  // offsetAt clamps to the line's end: a position past the script's last character is outside.
  if (line === s.lines.lineCount - 1 && s.lines.positionAt(offset).character < character) return undefined;
  return offset;
}

export function sliceDocPosition(s: ScriptSlice, offset: number): Position {
  return shiftPosition(s.lines.positionAt(offset), s.scriptStart);
}

/** What the index (or, failing that, the path) says about the record a script belongs to. */
export function factsOf(index: ApiIndex, rel: string, record?: SourceRecord): FileFacts {
  if (record) return withCollection({ recordType: record.table, side: record.side, scope: record.scope, recordName: record.name }, record.collection);
  const own = index.file(rel);
  if (own && !index.isClaimed(rel)) {
    const si = own.scriptIncludes[0];
    if (si) return { recordType: 'sys_script_include', side: 'server', scope: si.scope, recordName: si.name };
    const caller = own.callers[0];
    if (caller) return withCollection({ recordType: caller.table, side: caller.side, scope: caller.scope, recordName: caller.name }, caller.collection);
  }
  // A file read through a Fluent record: that record says who it is.
  for (const claimant of index.claimantsOf(rel)) {
    const entry = index.file(claimant);
    const si = entry?.scriptIncludes.find((s) => s.path === rel);
    if (si) return { recordType: 'sys_script_include', side: 'server', scope: si.scope, recordName: si.name };
    const site = entry?.callSites.find((s) => s.path === rel);
    if (site) return withCollection({ recordType: site.callerTable, side: site.side, scope: site.scope, recordName: site.callerName }, site.collection);
    const caller = entry?.callers.length === 1 ? entry.callers[0] : undefined;
    if (caller) return withCollection({ recordType: caller.table, side: caller.side, scope: caller.scope, recordName: caller.name }, caller.collection);
  }
  const info = classifyPath(rel);
  if (info?.kind === 'js') return { recordType: info.table, side: info.side, scope: info.scope ?? 'global' };
  return { recordType: 'unknown', side: 'server', scope: 'global' };
}

function withCollection(facts: FileFacts, collection: string | undefined): FileFacts {
  return collection ? { ...facts, collection } : facts;
}

/** The script under a document position, or undefined (no workspace, not open, outside any script). */
export function scriptAt(session: Session, cache: ScriptCache, uri: string, pos: Position): ScriptAt | undefined {
  const located = session.locate(uri);
  const doc = session.documents.get(uri);
  if (!located || !doc) return undefined;
  for (const s of cache.slices(session, doc)) {
    const offset = offsetInSlice(s, pos);
    if (offset === undefined) continue;
    return buildScriptAt(located.ws, located.rel, doc, s, offset);
  }
  return undefined;
}

/** Every script of an open document, each as a ScriptAt at its start (for whole-document work). */
export function scriptsOf(session: Session, cache: ScriptCache, uri: string): ScriptAt[] {
  const located = session.locate(uri);
  const doc = session.documents.get(uri);
  if (!located || !doc) return [];
  return cache.slices(session, doc).map((s) => buildScriptAt(located.ws, located.rel, doc, s, 0));
}

function buildScriptAt(ws: Workspace, rel: string, doc: OpenDocument, s: ScriptSlice, offset: number): ScriptAt {
  return {
    ws,
    rel,
    uri: doc.uri,
    version: doc.version,
    slice: s,
    script: s.script,
    scriptOffset: offset,
    facts: factsOf(ws.index, rel, s.record),
    tree: s.tree,
    toDocPosition: (o) => sliceDocPosition(s, o),
    toDocRange: (a, b) => ({ start: sliceDocPosition(s, a), end: sliceDocPosition(s, b) }),
  };
}
