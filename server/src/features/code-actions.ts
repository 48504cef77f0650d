/**
 * textDocument/codeAction: edits the user may accept (nothing is written by the server):
 * - "Did you mean getManager?": the closest methods for a call to a method that does not exist;
 * - "Use the scoped name": `new Util()` -> `new x_acme.Util()` for a cross-scope call written bare;
 * - "Add JSDoc to this method": a skeleton from the parameters of the method under the cursor;
 * - "Suggest APIs here": the top ranked APIs at the cursor, each a quick fix inserting the call;
 * - "Insert GlideAjax call": in client scripts, the GlideAjax pattern for the best client-callable
 *   Script Include.
 */
import { CodeAction, CodeActionKind, CodeActionParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { MethodInfo, Position, ScriptIncludeInfo, SourceRecord } from '../model';
import { extractRecord } from '../syntax/extract';
import { cursorContext } from '../syntax/cursor-context';
import { CursorContext, RankedCandidate, isSchemaPosition } from '../retrieval/types';
import { classifyPath } from '../workspace/classify';
import { CancellationLike, FeatureState, resolverOf } from './common';
import { glideAjaxSnippet } from './completion';
import { functionOf, initializerOf, isClassless, isStaticObject, paramsOf } from './describe';
import { platformApi } from './resolve';
import { scriptAt, ScriptAt } from './script-at';
import { unknownMethodCalls } from './diagnostics';

const SUGGESTIONS = 5;

export async function codeActions(state: FeatureState, params: CodeActionParams, token?: CancellationLike): Promise<CodeAction[]> {
  const at = scriptAt(state.session, state.scripts, params.textDocument.uri, params.range.start);
  if (!at || token?.isCancellationRequested) return [];
  const end = at.scriptOffset + Math.max(0, offsetSpan(at, params.range.end));
  const actions: CodeAction[] = [...didYouMeanActions(at, at.scriptOffset, end), ...scopedNameActions(at, at.scriptOffset, end), ...jsDocActions(at, params.range.start)];
  const ctx = cursorContext(at.script, at.tree, at.scriptOffset, at.facts);
  const apiPosition = ctx.kind !== 'none' && !isSchemaPosition(ctx.kind);
  if (apiPosition && ctx.kind !== 'sysparm-name' && ctx.kind !== 'glide-ajax') {
    actions.push(...(await suggestionActions(at, ctx, token)));
  }
  if (at.facts.side === 'client' && apiPosition) actions.push(...(await glideAjaxActions(at, ctx, token)));
  return actions;
}

/** How far the range's end lies past its start, in script characters (0 when outside the script). */
function offsetSpan(at: ScriptAt, end: Position): number {
  const rel = { line: end.line - at.slice.scriptStart.line, character: end.line === at.slice.scriptStart.line ? end.character - at.slice.scriptStart.character : end.character };
  return rel.line < 0 ? 0 : at.slice.lines.offsetAt(rel) - at.scriptOffset;
}

function edit(uri: string, edits: TextEdit[]): WorkspaceEdit {
  return { changes: { [uri]: edits } };
}

/** Most names a did-you-mean offers for one unknown method. */
const DID_YOU_MEAN = 3;

/**
 * "Did you mean getManager?" for a call to a method the Script Include does not have: the
 * closest of its methods by edit distance, ties broken by words shared (`getMgr` and `getManager`
 * share `get`), only names close enough to be a slip.
 */
export function didYouMeanActions(at: ScriptAt, start: number, end: number): CodeAction[] {
  const out: CodeAction[] = [];
  for (const call of unknownMethodCalls(at, resolverOf(at.ws))) {
    if (call.end < start || call.start > end) continue;
    const typed = call.method.toLowerCase();
    const words = new Set(splitWords(call.method));
    const ranked = call.known
      .map((name) => ({ name, distance: editDistance(typed, name.toLowerCase()), shared: splitWords(name).filter((w) => words.has(w)).length }))
      .filter((c) => c.distance <= Math.max(2, Math.floor(Math.max(typed.length, c.name.length) / 3)) || c.shared > 0)
      .sort((a, b) => a.distance - b.distance || b.shared - a.shared || a.name.localeCompare(b.name))
      .slice(0, DID_YOU_MEAN);
    ranked.forEach((c, i) =>
      out.push({
        title: `Did you mean ${c.name}?`,
        kind: CodeActionKind.QuickFix,
        isPreferred: i === 0,
        edit: edit(at.uri, [TextEdit.replace(at.toDocRange(call.start, call.end), c.name)]),
      }),
    );
  }
  return out;
}

function splitWords(name: string): string[] {
  return name.split(/(?=[A-Z])|_/).map((w) => w.toLowerCase()).filter((w) => w.length > 1);
}

/** Levenshtein distance (small strings: method names). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** Bare references to another scope's Script Include within [start, end]. */
export function scopedNameActions(at: ScriptAt, start: number, end: number): CodeAction[] {
  const r = resolverOf(at.ws);
  const out: CodeAction[] = [];
  for (const ref of at.slice.symbols().references) {
    if (ref.kind !== 'class' || ref.platform || ref.qualifier || ref.form === 'glide-ajax' || ref.end < start || ref.start > end) continue;
    const si = r.index.resolve(ref.name, undefined, at.facts.scope);
    if (!si || si.scope === at.facts.scope || si.scope === 'global') continue;
    const pos = at.toDocPosition(ref.start);
    out.push({
      title: `Use the scoped name ${si.apiName}`,
      kind: CodeActionKind.QuickFix,
      edit: edit(at.uri, [TextEdit.insert(pos, `${si.scope}.`)]),
    });
  }
  return out;
}

/** The script as a record, so the extractor reads its current text (not what is on disk). */
function recordOf(at: ScriptAt): SourceRecord {
  if (at.slice.record) return at.slice.record;
  const info = classifyPath(at.rel);
  const name = info?.kind === 'js' ? info.name : at.rel;
  return { table: 'sys_script_include', name, scope: at.facts.scope, active: true, side: 'server', field: 'script', script: at.script, scriptStart: at.slice.scriptStart, layout: 'plain' };
}

/** A JSDoc skeleton for the method under the cursor when it has none. */
export function jsDocActions(at: ScriptAt, pos: Position): CodeAction[] {
  const { scriptIncludes } = extractRecord(recordOf(at), at.rel);
  for (const si of scriptIncludes) {
    const m = si.methods.find((x) => within(pos, x.range.start, x.range.end));
    if (!m || m.jsdoc) continue;
    const indent = lineIndent(at, m.range.start);
    return [
      {
        title: 'Add JSDoc to this method',
        kind: CodeActionKind.RefactorRewrite,
        edit: edit(at.uri, [TextEdit.insert(m.range.start, jsDocSkeleton(m, indent))]),
      },
    ];
  }
  return [];
}

function within(p: Position, a: Position, b: Position): boolean {
  const after = p.line > a.line || (p.line === a.line && p.character >= a.character);
  const before = p.line < b.line || (p.line === b.line && p.character <= b.character);
  return after && before;
}

/** The leading whitespace of the document line at `pos` (read from the script, which holds that line). */
function lineIndent(at: ScriptAt, pos: Position): string {
  const line = pos.line - at.slice.scriptStart.line;
  const start = at.slice.lines.lineStart(line);
  const end = line + 1 < at.slice.lines.lineCount ? at.slice.lines.lineStart(line + 1) : at.script.length;
  return /^[ \t]*/.exec(at.script.slice(start, end))![0];
}

export function jsDocSkeleton(m: MethodInfo, indent: string): string {
  const lines = ['/**', ` * ${describeName(m.name)}.`];
  for (const p of m.params) lines.push(` * @param {*} ${p.name}`);
  lines.push(' * @returns {*}', ' */');
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n') + '\n' + indent;
}

/** `getLeaveBalance` -> `Get leave balance` (a starting point the author rewrites). */
function describeName(name: string): string {
  const words = name.replace(/^_+/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The code a ranked candidate stands for at this kind of position, without snippet syntax. */
export function callText(at: ScriptAt, ctx: CursorContext, c: RankedCandidate): string | undefined {
  if (c.kind === 'platform') {
    const api = platformApi(c.name, ctx.side);
    if (!api) return undefined;
    if (ctx.kind === 'new') return api.constructorParams ? `${api.name}(${api.constructorParams.filter((p) => !p.optional).map((p) => p.name).join(', ')})` : undefined;
    return ctx.kind === 'bare' ? api.name : undefined;
  }
  const si = at.ws.index.withApiName(c.apiName);
  if (!si) return undefined;
  const methods = at.ws.graph.get().methodsOf(si).map((m) => m.method);
  const args = (m: MethodInfo | undefined) => (m ? paramsOf(m).filter((p) => !p.optional).map((p) => p.name).join(', ') : '');
  const method = methods.find((m) => m.name === c.method);
  const name = si.scope !== ctx.scope && si.scope !== 'global' ? si.apiName : si.name;
  switch (ctx.kind) {
    case 'member':
      return method ? `${method.name}(${args(method)})` : undefined;
    case 'new':
      return `${name}(${args(initializerOf(si, methods))})`;
    case 'new-scoped':
      return `${si.name}(${args(initializerOf(si, methods))})`;
    case 'bare':
      if (ctx.side === 'client') return glideAjaxSnippet(si, c.method, false);
      if (isClassless(si)) return `${name}(${args(functionOf(si))})`;
      if (isStaticObject(si)) return method ? `${name}.${method.name}(${args(method)})` : name;
      return `new ${name}(${args(initializerOf(si, methods))})${method ? `.${method.name}(${args(method)})` : ''}`;
    default:
      return undefined;
  }
}

async function suggestionActions(at: ScriptAt, ctx: CursorContext, token?: CancellationLike): Promise<CodeAction[]> {
  const out = await at.ws.rank({ context: ctx, includePlatform: true, maxResults: SUGGESTIONS * 2, token });
  if (out.cancelled) return [];
  const range = at.toDocRange(ctx.replaceStart, ctx.replaceEnd);
  const actions: CodeAction[] = [];
  for (const c of out.candidates) {
    const text = callText(at, ctx, c);
    if (!text) continue;
    actions.push({
      title: `Suggest APIs here: ${firstLine(text)}`,
      kind: CodeActionKind.QuickFix,
      edit: edit(at.uri, [TextEdit.replace(range, text)]),
    });
    if (actions.length >= SUGGESTIONS) break;
  }
  return actions;
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? text : `${text.slice(0, nl)} …`;
}

/** In a client script: the GlideAjax pattern for the best client-callable Script Include, on its own line. */
async function glideAjaxActions(at: ScriptAt, ctx: CursorContext, token?: CancellationLike): Promise<CodeAction[]> {
  const ajaxCtx: CursorContext = { ...ctx, kind: 'glide-ajax', typed: '', replaceStart: ctx.replaceEnd };
  delete ajaxCtx.qualifier;
  const out = await at.ws.rank({ context: ajaxCtx, maxResults: 3, token });
  const best = out.candidates.find((c) => c.kind === 'script-include');
  const si: ScriptIncludeInfo | undefined = best && at.ws.index.withApiName(best.apiName);
  if (!best || !si || out.cancelled) return [];
  const pos = at.toDocPosition(ctx.replaceEnd);
  const lineStart = { line: pos.line, character: 0 };
  const indent = lineIndent(at, pos);
  const block = glideAjaxSnippet(si, best.method, false)
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
  return [
    {
      title: `Insert GlideAjax call to ${si.apiName}${best.method ? `.${best.method}` : ''}`,
      kind: CodeActionKind.QuickFix,
      edit: edit(at.uri, [TextEdit.insert(lineStart, `${block}\n`)]),
    },
  ];
}
