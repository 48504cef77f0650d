/**
 * textDocument/completion and completionItem/resolve: the ranked API suggestions of one keystroke.
 *
 * The cursor context (syntax/cursor-context.ts) says what kind of position the cursor is at; the
 * workspace's pipeline ranks Script Includes (and platform APIs) for it; this module turns the
 * ranking into items that keep the pipeline's order (`sortText` is the zero-padded rank), replace
 * exactly the typed fragment, and insert what the position needs (`new X(...)`, `scope.Name` in a
 * GlideAjax string, a method call with parameter placeholders). Documentation is filled lazily by
 * resolve, so a list stays small on the wire.
 *
 * Per-keystroke hygiene: a request whose document moved on is answered with an empty incomplete
 * list; the token is checked between stages; an identical request (same document version, offset
 * and index generation) is answered from a small cache.
 */
import { CompletionItem, CompletionItemKind, CompletionList, CompletionParams, InsertTextFormat, MarkupKind, Range } from 'vscode-languageserver';
import { MethodInfo, ScriptIncludeInfo } from '../model';
import { PlatformApi, PlatformMethod, signatureOf } from '../platform/platform-apis';
import { commonRank } from '../platform/common-methods';
import { CursorContext, RankedCandidate, isSchemaPosition } from '../retrieval/types';
import { Workspace } from '../session';
import { cursorContext } from '../syntax/cursor-context';
import { CancellationLike, FeatureState } from './common';
import {
  callSnippet,
  functionOf,
  initializerOf,
  isClassless,
  isStaticObject,
  methodLabel,
  methodMarkdown,
  paramsOf,
  platformApiMarkdown,
  platformMethodMarkdown,
  scriptIncludeMarkdown,
  fieldTypeText,
  schemaMarkdown,
} from './describe';
import { platformApi } from './resolve';
import { scriptAt, ScriptAt } from './script-at';

export interface CompletionOptions {
  /** The client accepts snippet syntax in insert texts. */
  snippets: boolean;
  /** The document version when the request arrived; a newer one makes the request stale. */
  version?: number;
}

/** What resolve needs to find an item's target again; kept small. */
export interface CompletionData {
  /** Workspace root. */
  ws: string;
  /** Script Include api name, or `platform:<name>`. */
  key: string;
  method?: string;
  side?: 'server' | 'client';
}

export function emptyList(): CompletionList {
  return { isIncomplete: true, items: [] };
}

export async function completion(state: FeatureState, params: CompletionParams, token: CancellationLike | undefined, opts: CompletionOptions): Promise<CompletionList> {
  const { session } = state;
  const uri = params.textDocument.uri;
  const doc = session.documents.get(uri);
  const stale = () => !!token?.isCancellationRequested || (opts.version !== undefined && (session.documents.get(uri)?.version ?? -1) > opts.version);
  if (!doc || stale()) return emptyList();
  const at = scriptAt(session, state.scripts, uri, params.position);
  if (!at) return emptyList();
  const cacheKey = `${uri}#${at.version}#${params.position.line}:${params.position.character}#${at.ws.index.generation}#${at.ws.retrieval.built ? 'r' : 'n'}#${opts.snippets ? 's' : 'p'}`;
  const cached = state.completions.get(cacheKey);
  if (cached) return cached;

  const ctx = cursorContext(at.script, at.tree, at.scriptOffset, at.facts);
  if (ctx.kind === 'none' || stale()) return emptyList();
  const max = session.settings['completion.maxItems'];
  let items: CompletionItem[];
  if (isSchemaPosition(ctx.kind)) {
    items = schemaItems(at, ctx, max);
  } else if (ctx.kind === 'member' && ctx.receiver?.platform && !ctx.receiver.scriptInclude) {
    // A GlideRecord of a known table has fields and methods. `current` and `previous` are the
    // record a script is about: its fields lead. A variable holding a query is mostly called
    // (`addQuery`, `query`, `next`): its methods lead. Either leads with at most half the list,
    // so neither hides the other; the rest of it follows.
    const methods = platformMemberItems(at, ctx, max, opts.snippets);
    const fields = ctx.receiver.table ? fieldItems(at, ctx.receiver.table, ctx.typed, max) : [];
    const [lead, rest] = ctx.receiver.platform === 'current' || ctx.receiver.platform === 'previous' ? [fields, methods] : [methods, fields];
    const head = fields.length ? Math.ceil(max / 2) : max;
    items = [...lead.slice(0, head), ...rest, ...lead.slice(head)].slice(0, max);
  } else {
    const out = await at.ws.rank({ context: ctx, includePlatform: true, maxResults: max, token });
    if (out.cancelled || stale()) return emptyList();
    items = itemsFor(at, ctx, out.candidates, opts.snippets).slice(0, max);
  }
  const range = at.toDocRange(ctx.replaceStart, ctx.replaceEnd);
  items.forEach((item, i) => finishItem(item, i, range, opts.snippets));
  const list: CompletionList = { isIncomplete: true, items };
  state.completions.set(cacheKey, list);
  return list;
}

/** The text edit over the typed fragment, the rank as sort text. */
function finishItem(item: CompletionItem, rank: number, range: Range, snippets: boolean): void {
  const newText = item.insertText ?? item.label;
  item.textEdit = { range, newText };
  delete item.insertText;
  item.sortText = String(rank).padStart(4, '0');
  item.insertTextFormat = snippets && /\$\{?\d/.test(newText) ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
}

function data(ws: Workspace, key: string, method?: string, side?: 'server' | 'client'): CompletionData {
  const d: CompletionData = { ws: ws.root, key };
  if (method) d.method = method;
  if (side) d.side = side;
  return d;
}

function itemsFor(at: ScriptAt, ctx: CursorContext, candidates: readonly RankedCandidate[], snippets: boolean): CompletionItem[] {
  const { ws } = at;
  const graph = ws.graph.get();
  const out: CompletionItem[] = [];
  for (const c of candidates) {
    if (c.kind === 'platform') {
      const api = platformApi(c.name, ctx.side);
      if (api) out.push(...platformItems(at, ctx, api, snippets));
      continue;
    }
    const si = ws.index.withApiName(c.apiName);
    if (!si) continue;
    const methods = graph.methodsOf(si).map((m) => m.method);
    switch (ctx.kind) {
      case 'member':
      case 'sysparm-name': {
        const m = methods.find((x) => x.name === c.method);
        // Private methods are the Script Include's own business; its own file may still use them.
        if (m?.isPrivate && si.path !== at.rel) break;
        if (m) out.push(methodItem(at, ctx, si, m, snippets));
        break;
      }
      case 'new':
      case 'new-scoped':
        out.push(classItem(at, ctx, si, methods, snippets));
        break;
      case 'glide-ajax':
        out.push(ajaxNameItem(at, ctx, si));
        break;
      case 'bare':
        if (ctx.side === 'client') out.push(glideAjaxSnippetItem(at, si, c.method, snippets));
        else out.push(bareItem(at, ctx, si, methods, c.method, snippets));
        break;
    }
  }
  return out;
}

/** `x_acme.Name` when the caller is in another scope, else `Name`. */
function referenceName(si: ScriptIncludeInfo, ctx: CursorContext): string {
  return si.scope !== ctx.scope && si.scope !== 'global' ? si.apiName : si.name;
}

function methodItem(at: ScriptAt, ctx: CursorContext, si: ScriptIncludeInfo, m: MethodInfo, snippets: boolean): CompletionItem {
  const inString = ctx.kind === 'sysparm-name';
  return {
    label: m.name,
    kind: CompletionItemKind.Method,
    filterText: m.name,
    detail: `${si.apiName}.${methodLabel(m).label}`,
    insertText: inString ? m.name : callSnippet(m.name, paramsOf(m), snippets),
    data: data(at.ws, si.apiName, m.name),
  };
}

function classItem(at: ScriptAt, ctx: CursorContext, si: ScriptIncludeInfo, methods: MethodInfo[], snippets: boolean): CompletionItem {
  const init = initializerOf(si, methods);
  const name = ctx.kind === 'new-scoped' ? si.name : referenceName(si, ctx);
  return {
    label: si.name,
    kind: CompletionItemKind.Class,
    filterText: si.name,
    detail: `${si.apiName} — new ${si.name}(${init ? paramsOf(init).map((p) => p.name).join(', ') : ''})`,
    insertText: callSnippet(name, init ? paramsOf(init) : [], snippets),
    data: data(at.ws, si.apiName),
  };
}

function ajaxNameItem(at: ScriptAt, ctx: CursorContext, si: ScriptIncludeInfo): CompletionItem {
  const name = ctx.qualifier ? si.name : si.apiName;
  // `new GlideAjax(` with no quote yet: the string is ours to open and close.
  const quoted = /['"`]$/.test(at.script.slice(0, ctx.replaceStart));
  return {
    label: si.name,
    kind: CompletionItemKind.Class,
    filterText: si.name,
    detail: `${si.apiName} (client-callable)`,
    insertText: quoted ? name : `'${name}'`,
    data: data(at.ws, si.apiName),
  };
}

/** A bare position on the server: call a classless function, construct a class, or use an object. */
function bareItem(at: ScriptAt, ctx: CursorContext, si: ScriptIncludeInfo, methods: MethodInfo[], method: string | undefined, snippets: boolean): CompletionItem {
  const name = referenceName(si, ctx);
  if (isClassless(si)) {
    const fn = functionOf(si);
    return {
      label: si.name,
      kind: CompletionItemKind.Function,
      filterText: si.name,
      detail: `${si.apiName} — ${fn ? methodLabel({ ...fn, name: si.name }).label : si.name + '()'}`,
      insertText: callSnippet(name, fn ? paramsOf(fn) : [], snippets),
      data: data(at.ws, si.apiName),
    };
  }
  const m = method ? methods.find((x) => x.name === method) : undefined;
  if (isStaticObject(si)) {
    const call = m ? `${name}.${callSnippet(m.name, paramsOf(m), snippets)}` : name;
    return { label: si.name, kind: CompletionItemKind.Module, filterText: si.name, detail: `${si.apiName}${m ? `.${methodLabel(m).label}` : ''}`, insertText: call, data: data(at.ws, si.apiName, m?.name) };
  }
  const init = initializerOf(si, methods);
  return {
    label: si.name,
    kind: CompletionItemKind.Class,
    filterText: si.name,
    detail: `${si.apiName} — new ${si.name}()${m ? `.${methodLabel(m).label}` : ''}`,
    insertText: `new ${callSnippet(name, init ? paramsOf(init) : [], snippets)}`,
    labelDetails: { detail: '()', description: m ? `.${m.name}` : si.scope },
    data: data(at.ws, si.apiName, m?.name),
  };
}

/** The GlideAjax call pattern of client scripts, for a client-callable Script Include. */
export function glideAjaxSnippet(si: ScriptIncludeInfo, method: string | undefined, snippets: boolean): string {
  const m = method ?? 'method';
  if (!snippets) {
    return `var ga = new GlideAjax('${si.apiName}');\nga.addParam('sysparm_name', '${m}');\nga.getXMLAnswer(function(answer) {\n\t\n});`;
  }
  return `var ga = new GlideAjax('${si.apiName}');\nga.addParam('sysparm_name', '\${1:${m}}');\nga.getXMLAnswer(function(answer) {\n\t$0\n});`;
}

function glideAjaxSnippetItem(at: ScriptAt, si: ScriptIncludeInfo, method: string | undefined, snippets: boolean): CompletionItem {
  return {
    label: si.name,
    kind: CompletionItemKind.Snippet,
    filterText: si.name,
    detail: `GlideAjax call to ${si.apiName}${method ? ` (${method})` : ''}`,
    labelDetails: { description: 'GlideAjax' },
    insertText: glideAjaxSnippet(si, method, snippets),
    data: data(at.ws, si.apiName, method),
  };
}

function platformItems(at: ScriptAt, ctx: CursorContext, api: PlatformApi, snippets: boolean): CompletionItem[] {
  const key = `platform:${api.name}`;
  const item: CompletionItem = { label: api.name, filterText: api.name, detail: api.description, data: data(at.ws, key, undefined, api.side) };
  if (ctx.kind === 'new' && api.constructorParams) {
    return [{ ...item, kind: CompletionItemKind.Class, insertText: callSnippet(api.name, api.constructorParams, snippets) }];
  }
  if (ctx.kind !== 'bare') return [];
  if (api.kind === 'global') return [{ ...item, kind: CompletionItemKind.Variable, insertText: api.name }];
  if (api.constructorParams) return [{ ...item, kind: CompletionItemKind.Class, insertText: `new ${callSnippet(api.name, api.constructorParams, snippets)}` }];
  return [{ ...item, kind: CompletionItemKind.Class, insertText: api.name }];
}

/**
 * After `gr.`, `gs.`, `g_form.`: the platform API's methods, filtered by what is typed, ranked by
 * how much the workspace's own code calls them, then by how common they are on the platform
 * (`platform/common-methods.ts`), then in catalog order. `sortText` keeps that order in the editor.
 */
function platformMemberItems(at: ScriptAt, ctx: CursorContext, max: number, snippets: boolean): CompletionItem[] {
  const api = platformApi(ctx.receiver!.platform!, ctx.side);
  if (!api) return [];
  const typed = ctx.typed.toLowerCase();
  const statics = !!ctx.receiver?.isClass && api.kind === 'class';
  const seen = new Set<string>();
  const usage = at.ws.pipeline.platformUses();
  const candidates: Array<{ m: PlatformMethod; score: number; order: number }> = [];
  api.methods.forEach((m, order) => {
    if (seen.has(m.name) || (statics && !m.isStatic) || (!statics && m.isStatic) || !m.name.toLowerCase().startsWith(typed)) return;
    seen.add(m.name);
    // A typed global (`current` is a GlideRecord) ranks as its type does, and its own name's use counts too.
    const common = commonRank(api.name, m.name) ?? (api.type ? commonRank(api.type, m.name) : undefined);
    const prior = common === undefined ? 0 : 1 - common / 40;
    const used = (usage.get(`${api.name}.${m.name}`) ?? 0) + (api.type && api.type !== api.name ? (usage.get(`${api.type}.${m.name}`) ?? 0) : 0);
    candidates.push({ m, score: Math.log1p(used) + prior, order });
  });
  candidates.sort((a, b) => b.score - a.score || a.order - b.order);
  const out: CompletionItem[] = [];
  for (const { m } of candidates) {
    out.push({
      sortText: String(out.length).padStart(4, '0'),
      label: m.name,
      kind: CompletionItemKind.Method,
      filterText: m.name,
      detail: `${api.name}.${signatureOf(api, m).replace(`${api.name}.`, '')}`,
      insertText: callSnippet(m.name, m.params, snippets),
      data: data(at.ws, `platform:${api.name}`, m.name, api.side),
    });
    if (out.length >= max) break;
  }
  return out;
}

/** A name matches what is typed when it, or one of its `_`/`.`-separated words, starts with it. */
function nameMatch(name: string, typed: string): 0 | 1 | 2 {
  if (!typed) return 1;
  const n = name.toLowerCase();
  if (n.startsWith(typed)) return 1;
  return n.split(/[_.]/).some((w) => w.startsWith(typed)) ? 2 : 0;
}

/**
 * The schema's order, with names that start with the typed text before those where a word does.
 * A name known only from the code, and spelled exactly as typed, is the typing itself (the file on
 * disk may hold it half-written): it is not offered back.
 */
function matching<T extends { name: string; source?: string }>(list: readonly T[], typed: string, max: number): T[] {
  const t = typed.toLowerCase();
  const first: T[] = [];
  const then: T[] = [];
  for (const x of list) {
    if (t && x.source === 'code' && x.name.toLowerCase() === t) continue;
    const m = nameMatch(x.name, t);
    if (m === 1) first.push(x);
    else if (m === 2) then.push(x);
    if (first.length >= max) break;
  }
  return [...first, ...then].slice(0, max);
}

/** Table, field and property names inside the strings that take them. */
function schemaItems(at: ScriptAt, ctx: CursorContext, max: number): CompletionItem[] {
  const { schema } = at.ws;
  if (ctx.kind === 'table') {
    return matching(schema.tables(), ctx.typed, max).map((t) => ({
      label: t.name,
      kind: CompletionItemKind.Struct,
      filterText: t.name,
      detail: `${t.label}${t.parent ? ` (extends ${t.parent})` : ''}`,
      labelDetails: { description: t.label },
      data: data(at.ws, `table:${t.name}`),
    }));
  }
  if (ctx.kind === 'property') {
    return matching(schema.properties(), ctx.typed, max).map((p) => ({
      label: p.name,
      kind: CompletionItemKind.Constant,
      filterText: p.name,
      detail: p.description ?? (p.type ? `${p.type} property` : 'system property'),
      data: data(at.ws, `property:${p.name}`),
    }));
  }
  return ctx.table ? fieldItems(at, ctx.table, ctx.typed, max) : [];
}

function fieldItems(at: ScriptAt, table: string, typed: string, max: number): CompletionItem[] {
  return matching(at.ws.schema.fields(table), typed, max).map((f) => ({
    label: f.name,
    kind: CompletionItemKind.Field,
    filterText: f.name,
    detail: `${f.label} (${fieldTypeText(f)})${f.table !== table ? ` from ${f.table}` : ''}`,
    labelDetails: { description: f.label },
    data: data(at.ws, `field:${table}.${f.name}`),
  }));
}

/** completionItem/resolve: fills `documentation` from the item's data. */
export function resolveCompletionItem(state: FeatureState, item: CompletionItem): CompletionItem {
  const d = item.data as CompletionData | undefined;
  if (!d || typeof d.key !== 'string') return item;
  const value = documentationOf(state, d);
  return value ? { ...item, documentation: { kind: MarkupKind.Markdown, value } } : item;
}

function documentationOf(state: FeatureState, d: CompletionData): string | undefined {
  if (d.key.startsWith('platform:')) {
    const api = platformApi(d.key.slice('platform:'.length), d.side ?? 'server');
    if (!api) return undefined;
    const methods: PlatformMethod[] = d.method ? api.methods.filter((m) => m.name === d.method) : [];
    return methods.length ? methods.map((m) => platformMethodMarkdown(api, m)).join('\n\n---\n\n') : platformApiMarkdown(api);
  }
  const ws = state.session.workspaces.find((w) => w.root === d.ws) ?? state.session.workspaces[0];
  if (!ws) return undefined;
  const schemaKey = /^(table|field|property):(.*)$/.exec(d.key);
  if (schemaKey) {
    const kind = schemaKey[1] as 'table' | 'field' | 'property';
    if (kind !== 'field') return schemaMarkdown(ws.schema, { kind, name: schemaKey[2] });
    const [table, name] = schemaKey[2].split('.');
    return schemaMarkdown(ws.schema, { kind, name: name ?? '', table });
  }
  const si = ws.index.withApiName(d.key);
  if (!si) return undefined;
  const graph = ws.graph.get();
  const found = d.method ? graph.findMethod(si, d.method) : undefined;
  if (found) return methodMarkdown(si, found.method, found.owner, found.owner.path);
  return scriptIncludeMarkdown(si, graph.methodsOf(si).map((m) => m.method), si.path);
}
