/**
 * The enriched index documents of retrieval: what a Script Include (or a platform API) is known
 * by, split into fields whose BM25F weights are tuned in retrieval/weights.ts. Pure functions from
 * the index's data to token lists; the usage examples (call-site snippets) are indexed apart, one
 * document per call site, so a query can leave out the call sites of its own file.
 */
import { MethodInfo, ScriptIncludeInfo, CallSite } from '../model';
import { PlatformApi } from '../platform/platform-apis';
import { PackedReader } from './packed-store';
import { scriptIncludeBody } from './snippets';
import { splitIdentifier, tokenize } from '../text/tokens';
import { internHoleTerms, snippetHoleTerms } from '../text/hole-terms';

export const API_FIELDS = ['name', 'api', 'summary', 'methods', 'params', 'tables', 'glide', 'parent', 'body'] as const;
export type ApiField = (typeof API_FIELDS)[number];
export type ApiFields = Record<ApiField, readonly string[]>;

export const USAGE_FIELDS = ['context', 'near', 'caller', 'hole'] as const;
export type UsageField = (typeof USAGE_FIELDS)[number];

/** Lowercased words of an identifier plus the whole identifier: `HRAjaxUtils` -> hr, ajax, utils, hrajaxutils. */
export function nameTerms(name: string): string[] {
  return tokenize(name);
}

/** Table names as whole terms and as words (`sys_user_group` -> sys_user_group, sys, user, group). */
export function tableTerms(tables: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tables) {
    const lower = t.toLowerCase();
    out.push(`table:${lower}`);
    out.push(...tokenize(lower));
  }
  return out;
}

/** `GlideRecord.addQuery` -> api:gliderecord.addquery, api:gliderecord, addquery words. */
export function glideTerms(apis: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of apis) {
    const lower = a.toLowerCase();
    out.push(`api:${lower}`);
    const dot = lower.indexOf('.');
    if (dot > 0) out.push(`api:${lower.slice(0, dot)}`);
    out.push(...splitIdentifier(a.slice(dot + 1)).map((w) => w.toLowerCase()));
  }
  return out;
}

function methodSummary(m: MethodInfo): string {
  return [m.jsdoc?.summary ?? '', m.jsdoc?.returns?.description ?? '', ...(m.jsdoc?.params ?? []).map((p) => p.description ?? '')].join(' ');
}

/** Which methods count when describing a Script Include from outside: public ones, else all. */
export function publicMethods(si: ScriptIncludeInfo): MethodInfo[] {
  const pub = si.methods.filter((m) => !m.isPrivate);
  return pub.length ? pub : si.methods;
}

export interface DocOptions {
  /** Include JSDoc summaries and the description (turned off to measure what they add). */
  jsdoc: boolean;
  /** Include the words of the Script Include's code (turned off to measure what they add). Default on. */
  body?: boolean;
  /** Where moved body words are read back from (the index's store). */
  packs?: PackedReader;
}

export function scriptIncludeFields(si: ScriptIncludeInfo, opts: DocOptions = { jsdoc: true }): ApiFields {
  const methods = publicMethods(si);
  const body = scriptIncludeBody(si, opts.packs);
  const summary = opts.jsdoc
    ? [si.description ?? '', si.jsdoc?.summary ?? '', ...methods.map(methodSummary)].join(' ')
    : '';
  const examples = opts.jsdoc ? [...(si.jsdoc?.examples ?? []), ...methods.flatMap((m) => m.jsdoc?.examples ?? [])].join('\n') : '';
  return {
    name: nameTerms(si.name),
    api: [`scope:${si.scope.toLowerCase()}`, ...tokenize(si.scope)],
    summary: tokenize(summary + '\n' + examples),
    methods: methods.flatMap((m) => nameTerms(m.name)),
    // A client-callable method's parameters are the GlideAjax parameters it reads.
    params: [...methods.flatMap((m) => m.params.flatMap((p) => [...tokenize(p.name), ...(p.type ? tokenize(p.type) : [])])), ...body.filter((t) => t.startsWith('ajaxparam:'))],
    tables: tableTerms(si.tables),
    glide: glideTerms(si.glideApis),
    parent: si.parent ? nameTerms(si.parent) : [],
    body: opts.body === false ? [] : body,
  };
}

export function platformFields(api: PlatformApi): ApiFields {
  return {
    name: nameTerms(api.name),
    api: ['scope:platform'],
    summary: tokenize([api.description, ...api.methods.map((m) => m.description)].join(' ')),
    methods: api.methods.flatMap((m) => nameTerms(m.name)),
    params: api.methods.flatMap((m) => m.params.flatMap((p) => tokenize(p.name))),
    tables: [],
    glide: [`api:${api.name.toLowerCase()}`],
    parent: api.type ? nameTerms(api.type) : [],
    body: [],
  };
}

/** Terms of a method, for ranking the methods of a chosen Script Include. */
export function methodTerms(m: MethodInfo, opts: DocOptions = { jsdoc: true }): string[] {
  return [
    ...nameTerms(m.name),
    ...m.params.flatMap((p) => tokenize(p.name)),
    ...tableTerms(m.tables),
    ...glideTerms(m.glideApis),
    ...(opts.jsdoc ? tokenize(methodSummary(m)) : []),
  ];
}

/**
 * A call site as a usage document: the code around the call with the target's own name taken
 * out (it is what a query is looking for, never what it contains), plus the caller's record type
 * and table.
 */
export function usageFields(site: CallSite, snippet: string): Record<UsageField, readonly string[]> {
  const masked = maskName(snippet, site.target);
  const lines = masked.split('\n');
  // The lines nearest the call say most about it: count them twice.
  const at = lines.findIndex((l) => l.includes('\u0000'));
  const near = at >= 0 ? lines.slice(Math.max(0, at - 2), at + 1).join('\n') : masked;
  return {
    hole: siteHoleTerms(site, snippet),
    context: tokenize(masked.replace(/\u0000/g, ' ')),
    near: tokenize(near.replace(/\u0000/g, ' ')),
    caller: [
      `record:${site.callerTable}`,
      ...(site.collection ? [`table:${site.collection.toLowerCase()}`, ...tokenize(site.collection)] : []),
      // Who calls says what for: callers named alike tend to call the same Script Includes.
      ...tokenize(maskName(site.callerName, site.target).replace(/\u0000/g, ' ')),
    ],
  };
}

/**
 * The hole terms of a call site: the shape of its own line before the call (`holeTerms`).
 * Extraction computes them (`CallSite.hole`, kept in the index cache); a site without them (a
 * damaged cache) has them computed from its snippet, when there is one, once, and cached here.
 */
const holeTermCache = new WeakMap<CallSite, readonly string[]>();
export function siteHoleTerms(site: CallSite, snippet = site.snippet): readonly string[] {
  if (site.hole) return site.hole;
  let terms = holeTermCache.get(site);
  if (!terms) {
    terms = internHoleTerms(snippetHoleTerms(snippet ?? '', site.target));
    if (snippet !== undefined) holeTermCache.set(site, terms);
  }
  return terms;
}

/** Replaces every case-insensitive occurrence of `name` with a NUL marker. */
export function maskName(text: string, name: string): string {
  if (!name) return text;
  const lower = text.toLowerCase();
  const needle = name.toLowerCase();
  let out = '';
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    out += text.slice(from, at) + '\u0000';
    from = at + needle.length;
  }
  return out + text.slice(from);
}
