/**
 * Leak-free evaluation cases from a workspace's own call sites.
 *
 * Every call site whose target resolves to a Script Include is a question: "given the code
 * around this hole, which Script Include goes here?". The hole starts where the answer starts
 * (the class name after `new `, the name or scope of a static or function call, the first
 * character inside `new GlideAjax('`). The prefix is the script before the hole; the suffix is
 * up to ~15 lines after the statement that holds the call, so the call itself (arguments, the
 * chained method) is never shown.
 *
 * "No API leaks" is taken strictly: every spelling of the answer's name and api name, in any
 * case and inside longer identifiers (`hrUtils`, `HRUtilsTest`), is replaced in prefix and
 * suffix, code, comments and strings alike; the expected method is also replaced in the suffix
 * (a later `x.getManager()` or `addParam('sysparm_name', 'getManager')` would give it away).
 * `containsLeak` checks the result and a case that still leaks is dropped, never emitted.
 *
 * The pure part (`caseFromSite`, `scrub`, `containsLeak`, `dedupeCases`, `sampleCases`,
 * `parseCases`) does no I/O; `buildCases`, `writeCases` and `readCases` are the edges.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { CallSite, Problem, ScriptIncludeInfo, Side, SourceRecord } from '../model';
import { defaultSettings } from '../config';
import { ApiIndex } from '../index/api-index';
import { parseJavaScript, Tree } from '../syntax/parser';
import { statementEnd } from '../syntax/statements';
export { statementEnd } from '../syntax/statements';
import { readWorkspaceFile } from '../workspace/read';
import { mulberry32 } from '../random';

/** One question (DESIGN.md's eval case contract, one JSON object per line). */
export interface EvalCase {
  id: string;
  /** Code before the hole; never contains the answer's name or api_name. */
  prefix: string;
  /** Code after the hole (may be empty); never contains the answer either. */
  suffix?: string;
  /** Workspace-relative path of the caller. */
  path?: string;
  side?: Side;
  scope?: string;
  /** The caller's record type (`sys_script`, `sys_script_client`, ...). */
  recordType?: string;
  /** The table the caller runs on, when known. */
  collection?: string;
  /** The caller's record name (or file stem), with the answer's name removed like the code. */
  recordName?: string;
  expected: { scriptInclude: string; apiName?: string; method?: string };
  /** Workspace files hidden from the index for this case (a caller that is itself a Script Include). */
  exclude?: string[];
  /** How the answer was used at the hole (`new`, `static`, `function`, `extends`, `glide-ajax`). */
  form?: string;
}


/** What replaces a leaked name: two characters that say nothing about any name. */
export const PLACEHOLDER = '__';

export interface BuildCasesOptions {
  /** Keep at most this many cases, drawn deterministically with `seed` (for big instances). */
  limit?: number;
  /** Seed of the `limit` draw. Default 1. */
  seed?: number;
  /** Lines after the hole's statement kept as suffix. Default 15. */
  suffixLines?: number;
  /** Characters at the end of the prefix that, with the expected answer, make two cases duplicates. Default 400. */
  dedupChars?: number;
  /** Largest script that is read (as the index's `index.maxFileSize`). */
  maxFileSize?: number;
  /** Also ask about calls to inactive Script Includes (no pipeline should answer those). Default false. */
  includeInactive?: boolean;
  /**
   * Awaited before each file is read and every few thousand files listed. Default: a turn of the
   * event loop now and then. A server passes a wait for a quiet spell (`RequestActivity.quiet`).
   */
  yieldTo?: () => Promise<void>;
}

export interface BuildCasesResult {
  cases: EvalCase[];
  /** Why call sites gave no case, by reason (`unresolved`, `inactive-target`, `duplicate`, ...). */
  skipped: Record<string, number>;
}

const DEFAULT_SUFFIX_LINES = 15;
const DEFAULT_DEDUP_CHARS = 400;

// --- leak removal ----------------------------------------------------------------------------

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces every case-insensitive occurrence of each word with the placeholder, longest word
 * first (so an api name goes whole before its name part), until none is left: a word holding
 * `_` could in principle reappear across a placeholder, so one pass is not proof.
 */
export function scrub(text: string, words: readonly string[], keep: readonly string[] = []): string {
  const list = [...new Set(words.filter((w) => w.length > 0))].sort((a, b) => b.length - a.length);
  if (!list.length) return text;
  // Kept words (a scope name that happens to hold the answer's name, `x_acme_hrutils` for
  // `HRUtils`) are what the user sees and types before the hole: they are set aside, the rest
  // is scrubbed, and they come back unchanged.
  const kept = keptWords(keep, list);
  const parts = kept ? text.split(kept) : [text];
  const re = new RegExp(list.map(escapeRegExp).join('|'), 'gi');
  return parts
    .map((part, i) => {
      if (kept && i % 2 === 1) return part;
      let out = part;
      for (let pass = 0; pass < 8; pass++) {
        const next = out.replace(re, PLACEHOLDER);
        if (next === out) break;
        out = next;
      }
      return out;
    })
    .join('');
}

/**
 * A capturing pattern of the kept words that hold one of the scrubbed words as a part (and are
 * not themselves a scrubbed word), matched as whole identifiers; undefined when there are none.
 */
function keptWords(keep: readonly string[], scrubbed: readonly string[]): RegExp | undefined {
  const lower = scrubbed.map((w) => w.toLowerCase());
  const list = keep.filter((k) => k && !lower.includes(k.toLowerCase()) && lower.some((w) => k.toLowerCase().includes(w)));
  if (!list.length) return undefined;
  return new RegExp(`(?<![A-Za-z0-9_$])(${list.map(escapeRegExp).join('|')})(?![A-Za-z0-9_$])`, 'gi');
}

function holds(text: string | undefined, word: string | undefined, keep: readonly string[]): boolean {
  if (!text || !word) return false;
  const kept = keptWords(keep, [word]);
  return (kept ? text.replace(kept, '') : text).toLowerCase().includes(word.toLowerCase());
}

/**
 * True when prefix or suffix shows the answer's name or api name, or the suffix shows the
 * expected method. `keep` lists words that may hold the name without leaking it (scope names).
 */
export function containsLeak(c: EvalCase, keep: readonly string[] = []): boolean {
  const { scriptInclude, apiName, method } = c.expected;
  for (const text of [c.prefix, c.suffix, c.recordName]) {
    if (holds(text, scriptInclude, keep) || holds(text, apiName, keep)) return true;
  }
  return holds(c.suffix, method, keep);
}

// --- where the hole and the statement are ----------------------------------------------------

/**
 * Offset of the target's name in the script, checked against the text: undefined when the
 * script at the site's offsets is not what the site says (a stale index, a wrong record).
 */
export function nameOffset(script: string, site: Pick<CallSite, 'target' | 'qualifier' | 'form' | 'targetOffset'>): number | undefined {
  const from = site.targetOffset;
  if (from < 0 || from >= script.length) return undefined;
  if (site.form === 'glide-ajax') {
    const q = site.qualifier ? `${site.qualifier}.` : '';
    const at = from + q.length;
    return script.startsWith(q + site.target, from) || script.startsWith(site.target, at) ? at : undefined;
  }
  if (site.qualifier === undefined) return script.startsWith(site.target, from) ? from : undefined;
  if (!script.startsWith(site.qualifier, from)) return undefined;
  // `scope . Name` may hold spaces or a comment between the parts, but not much.
  const after = from + site.qualifier.length;
  const at = script.indexOf(site.target, after);
  return at >= 0 && at - after <= 40 && /^\s*\.[\s\S]*$/.test(script.slice(after, at)) ? at : undefined;
}

/**
 * Where the answer starts. A scope written before the name is part of the answer for static and
 * function calls (`x_hr.Util.m(`: the user types the scope too), but not after `new x_hr.`,
 * which is its own completion position; inside GlideAjax's string the hole opens at the quote.
 */
export function holeStart(site: Pick<CallSite, 'form' | 'qualifier' | 'targetOffset'>, nameAt: number): number {
  if (site.form === 'glide-ajax') return site.targetOffset;
  if (site.qualifier !== undefined && (site.form === 'static' || site.form === 'function')) return site.targetOffset;
  return nameAt;
}

/** The text from `from` up to the end of the `lines`-th line that starts after it. */
function takeLines(script: string, from: number, lines: number): string {
  let end = from;
  for (let i = 0; i <= lines && end < script.length; i++) {
    const nl = script.indexOf('\n', end);
    if (nl < 0) {
      end = script.length;
      break;
    }
    end = nl + 1;
  }
  return script.slice(from, end);
}

// --- one case ----------------------------------------------------------------------------

/** A stable id: the caller's path and the name's position, so ids survive edits elsewhere. */
export function caseId(site: Pick<CallSite, 'path' | 'range'>): string {
  const key = `${site.path}:${site.range.start.line}:${site.range.start.character}`;
  return `c${createHash('sha1').update(key).digest('hex').slice(0, 12)}`;
}

export interface SiteContext {
  site: CallSite;
  target: ScriptIncludeInfo;
  script: string;
  /** The parsed script (parsed once per record, shared by its sites). */
  tree: Tree;
  /** Files to hide from the index for this case. */
  exclude?: string[];
  suffixLines?: number;
  /** Scope names of the workspace, left as they are by leak removal. Default: the answer's scope. */
  scopes?: readonly string[];
}

export type CaseOutcome = { ok: true; case: EvalCase } | { ok: false; reason: string };

/** Builds the leak-free case of one call site, or says why there is none. Pure. */
export function caseFromSite(ctx: SiteContext): CaseOutcome {
  const { site, target, script } = ctx;
  const at = nameOffset(script, site);
  if (at === undefined) return { ok: false, reason: 'hole-not-found' };
  const cut = holeStart(site, at);
  const end = statementEnd(ctx.tree, script, at);
  const words = [target.apiName, target.name];
  // Scope names are visible context (`new x_acme_hrutils.` is typed before the hole), never
  // the answer, even when the answer's name is part of them.
  const keep = ctx.scopes ?? [target.scope];
  const prefix = scrub(script.slice(0, cut), words, keep);
  const rawSuffix = takeLines(script, end, ctx.suffixLines ?? DEFAULT_SUFFIX_LINES);
  const suffix = scrub(rawSuffix, site.method ? [...words, site.method] : words, keep);
  const c: EvalCase = {
    id: caseId(site),
    prefix,
    suffix,
    path: site.path,
    side: site.side,
    scope: site.scope,
    recordType: site.callerTable,
    expected: { scriptInclude: target.name, apiName: target.apiName },
    form: site.form,
  };
  if (site.collection !== undefined) c.collection = site.collection;
  if (site.callerName) c.recordName = scrub(site.callerName, words, keep);
  if (site.method !== undefined) c.expected.method = site.method;
  if (ctx.exclude?.length) c.exclude = [...ctx.exclude];
  if (containsLeak(c, keep)) return { ok: false, reason: 'leak' };
  return { ok: true, case: c };
}

// --- the set of cases --------------------------------------------------------------------

function answerKey(c: EvalCase): string {
  const e = c.expected;
  return `${e.apiName ?? e.scriptInclude}\u0000${e.method ?? ''}`;
}

/** Drops cases whose prefix tail and expected answer repeat an earlier case (copy-pasted callers). */
export function dedupeCases(cases: readonly EvalCase[], tailChars = DEFAULT_DEDUP_CHARS): { cases: EvalCase[]; dropped: number } {
  const seen = new Set<string>();
  const out: EvalCase[] = [];
  for (const c of cases) {
    const key = `${answerKey(c)}\u0000${c.prefix.slice(-tailChars)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return { cases: out, dropped: cases.length - out.length };
}


/** At most `limit` cases drawn with `seed`, kept in their original order. */
export function sampleCases<T>(items: readonly T[], limit: number, seed = 1): T[] {
  if (limit >= items.length) return [...items];
  const idx = items.map((_, i) => i);
  const rand = mulberry32(seed);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, Math.max(0, limit))
    .sort((a, b) => a - b)
    .map((i) => items[i]);
}

function compareSites(a: CallSite, b: CallSite): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  if (a.range.start.line !== b.range.start.line) return a.range.start.line - b.range.start.line;
  return a.range.start.character - b.range.start.character;
}

function lineOf(script: string, offset: number): number {
  let n = 0;
  for (let i = script.indexOf('\n'); i >= 0 && i < offset; i = script.indexOf('\n', i + 1)) n++;
  return n;
}

/** The record of `records` that holds the site: same file, the name where the site says, on the site's line. */
export function recordOfSite(records: readonly SourceRecord[], entryPath: string, site: CallSite): SourceRecord | undefined {
  for (const r of records) {
    if ((r.scriptPath ?? entryPath) !== site.path) continue;
    const at = nameOffset(r.script, site);
    if (at === undefined) continue;
    if (r.scriptStart.line + lineOf(r.script, at) === site.range.start.line) return r;
  }
  return undefined;
}

function bump(skipped: Record<string, number>, reason: string, n = 1): void {
  if (n > 0) skipped[reason] = (skipped[reason] ?? 0) + n;
}

interface PendingSite {
  site: CallSite;
  target: ScriptIncludeInfo;
  entryPath: string;
  exclude: string[];
}

/** Whether some visible definition of the answer lives outside the excluded files. */
function answerableWithout(index: ApiIndex, target: ScriptIncludeInfo, exclude: readonly string[]): boolean {
  return index.named(target.name).some((si) => si.apiName === target.apiName && !exclude.includes(si.path));
}

/** The call sites that make questions, with their answers, in path then position order. */
async function collectSites(index: ApiIndex, includeInactive: boolean, skipped: Record<string, number>, yieldTo: () => Promise<void>): Promise<PendingSite[]> {
  const out: PendingSite[] = [];
  let seen = 0;
  for (const entry of index.visibleFiles()) {
    // A large workspace has tens of thousands of files: let requests in now and then.
    if (++seen % 2000 === 0) await yieldTo();
    for (const site of entry.callSites) {
      const target = index.targetOf(site);
      if (!target) {
        bump(skipped, 'unresolved');
        continue;
      }
      // Client code reaches a Script Include only through GlideAjax: a direct call from client
      // code names a browser-side function that happens to share the name.
      if (site.side === 'client' && site.form !== 'glide-ajax') {
        bump(skipped, 'client-direct-call');
        continue;
      }
      if (!target.active && !includeInactive) {
        bump(skipped, 'inactive-target');
        continue;
      }
      // A caller that is itself a Script Include is hidden from the index for its case. The
      // file listed is the one holding its script (`ScriptIncludeInfo.path`), not a Fluent
      // file that declares every Script Include of the app and would hide the answer too.
      const callerIsScriptInclude = site.callerTable === 'sys_script_include' || entry.scriptIncludes.some((si) => si.path === site.path);
      const exclude = callerIsScriptInclude ? [site.path] : [];
      // Eval hides the case's own file; when that file holds the only copy of the answer (an
      // update set, or a snippet holding both the Script Include and its caller), no pipeline
      // could answer, so there is no question to ask.
      if (!answerableWithout(index, target, [site.path, ...exclude])) {
        bump(skipped, 'answer-in-own-file');
        continue;
      }
      out.push({ site, target, entryPath: entry.path, exclude });
    }
  }
  return out.sort((a, b) => compareSites(a.site, b.site));
}

/**
 * Builds the leak-free cases of a workspace from its index. Reads each caller's file again for
 * the script text (the index keeps offsets, not scripts). Never throws on workspace content;
 * every site that gives no case is counted in `skipped` by reason.
 */
export async function buildCases(root: string, index: ApiIndex, opts: BuildCasesOptions = {}): Promise<BuildCasesResult> {
  const skipped: Record<string, number> = {};
  const yieldTo = opts.yieldTo ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  let pending = await collectSites(index, opts.includeInactive ?? false, skipped, yieldTo);
  // With a limit, sites are drawn before any file is read (twice the limit, since some give no
  // case): a large workspace then costs reading a sample, not every caller.
  if (opts.limit !== undefined && pending.length > 2 * opts.limit) {
    const drawn = sampleCases(pending, 2 * opts.limit, opts.seed ?? 1);
    bump(skipped, 'sampled-out', pending.length - drawn.length);
    pending = drawn;
  }
  const maxFileSize = opts.maxFileSize ?? defaultSettings()['index.maxFileSize'];
  const byEntry = new Map<string, PendingSite[]>();
  for (const p of pending) {
    const list = byEntry.get(p.entryPath);
    if (list) list.push(p);
    else byEntry.set(p.entryPath, [p]);
  }
  const built: Array<{ site: CallSite; case: EvalCase }> = [];
  for (const [entryPath, sites] of byEntry) {
    if (opts.yieldTo) await opts.yieldTo();
    const read = await readWorkspaceFile(root, entryPath, { maxFileSize });
    const trees = new Map<SourceRecord, Tree>();
    for (const p of sites) {
      const record = recordOfSite(read.records, entryPath, p.site);
      if (!record) {
        bump(skipped, read.records.length ? 'record-not-found' : 'unreadable');
        continue;
      }
      let tree = trees.get(record);
      if (!tree) trees.set(record, (tree = parseJavaScript(record.script)));
      const outcome = caseFromSite({ site: p.site, target: p.target, script: record.script, tree, exclude: p.exclude, suffixLines: opts.suffixLines });
      if (outcome.ok) built.push({ site: p.site, case: outcome.case });
      else bump(skipped, outcome.reason);
    }
  }
  built.sort((a, b) => compareSites(a.site, b.site));
  const deduped = dedupeCases(
    built.map((b) => b.case),
    opts.dedupChars,
  );
  bump(skipped, 'duplicate', deduped.dropped);
  let cases = deduped.cases;
  if (opts.limit !== undefined && opts.limit < cases.length) {
    const sampled = sampleCases(cases, opts.limit, opts.seed ?? 1);
    bump(skipped, 'sampled-out', cases.length - sampled.length);
    cases = sampled;
  }
  return { cases, skipped };
}

// --- JSON Lines ------------------------------------------------------------------------------

/** One case per line. Written to a temporary file and renamed, so a reader never sees half a file. */
export async function writeCases(file: string, cases: readonly EvalCase[]): Promise<void> {
  const text = cases.map((c) => JSON.stringify(c)).join('\n') + (cases.length ? '\n' : '');
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text, 'utf8');
  await fs.rename(tmp, file);
}

const OPTIONAL_STRINGS = ['suffix', 'path', 'scope', 'recordType', 'collection', 'recordName', 'form'] as const;

/** Reads one line's object into a case; only id, prefix and expected.scriptInclude are required. */
function caseOfJson(v: unknown): { case?: EvalCase; error?: string; ignored: string[] } {
  const ignored: string[] = [];
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { error: 'not a JSON object', ignored };
  const o = v as Record<string, unknown>;
  const expected = o.expected as Record<string, unknown> | undefined;
  if (typeof o.id !== 'string' || !o.id) return { error: 'missing id', ignored };
  if (typeof o.prefix !== 'string') return { error: 'missing prefix', ignored };
  if (!expected || typeof expected !== 'object' || typeof expected.scriptInclude !== 'string' || !expected.scriptInclude) {
    return { error: 'missing expected.scriptInclude', ignored };
  }
  const c: EvalCase = { id: o.id, prefix: o.prefix, expected: { scriptInclude: expected.scriptInclude } };
  for (const key of ['apiName', 'method'] as const) {
    if (typeof expected[key] === 'string') c.expected[key] = expected[key] as string;
    else if (expected[key] !== undefined) ignored.push(`expected.${key}`);
  }
  for (const key of OPTIONAL_STRINGS) {
    if (typeof o[key] === 'string') c[key] = o[key] as string;
    else if (o[key] !== undefined) ignored.push(key);
  }
  if (o.side === 'server' || o.side === 'client') c.side = o.side;
  else if (o.side !== undefined) ignored.push('side');
  if (Array.isArray(o.exclude) && o.exclude.every((x) => typeof x === 'string')) c.exclude = [...(o.exclude as string[])];
  else if (o.exclude !== undefined) ignored.push('exclude');
  return { case: c, ignored };
}

/** Parses JSON Lines text. A bad line is a problem, never an exception; blank lines are skipped. */
export function parseCases(text: string, path = '<cases>'): { cases: EvalCase[]; problems: Problem[] } {
  const cases: EvalCase[] = [];
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const at = { start: { line: i, character: 0 }, end: { line: i, character: lines[i].length } };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      problems.push({ path, message: `line ${i + 1}: not JSON (${(err as Error).message})`, severity: 'error', range: at });
      continue;
    }
    const r = caseOfJson(value);
    if (!r.case) {
      problems.push({ path, message: `line ${i + 1}: ${r.error}; case skipped`, severity: 'error', range: at });
      continue;
    }
    if (ids.has(r.case.id)) {
      problems.push({ path, message: `line ${i + 1}: duplicate id ${r.case.id}; case skipped`, severity: 'warning', range: at });
      continue;
    }
    if (r.ignored.length) problems.push({ path, message: `line ${i + 1}: ignored fields of the wrong type: ${r.ignored.join(', ')}`, severity: 'warning', range: at });
    ids.add(r.case.id);
    cases.push(r.case);
  }
  return { cases, problems };
}

/** Reads a JSON Lines file of cases; an unreadable file is one problem and no cases. */
export async function readCases(file: string): Promise<{ cases: EvalCase[]; problems: Problem[] }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    return { cases: [], problems: [{ path: file, message: `could not read cases: ${(err as Error).message}`, severity: 'error' }] };
  }
  return parseCases(text, file);
}
