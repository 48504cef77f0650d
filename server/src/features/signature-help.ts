/**
 * textDocument/signatureHelp inside calls to Script Include methods, constructors (`initialize`
 * parameters), classless functions and platform methods; the active parameter is the number of
 * top-level commas since the call's `(`.
 *
 * The call is found in the text rather than the tree: while a call is being typed it is not yet
 * closed, and tree-sitter's recovery of `x.m(a, ` varies; a bounded forward scan that knows
 * strings and comments finds the open `(` the same way every time.
 */
import { MarkupKind, SignatureHelp, SignatureHelpParams, SignatureInformation } from 'vscode-languageserver';
import { ScriptIncludeInfo } from '../model';
import { isPlatformClass } from '../platform/names';
import { constructorSignatureOf, findPlatformMethods, signatureLabelOf } from '../platform/platform-apis';
import { CancellationLike, FeatureState, resolverOf } from './common';
import { constructorLabel, functionOf, initializerOf, isClassless, Label, methodLabel, methodMarkdown, platformMethodMarkdown, scriptIncludeMarkdown } from './describe';
import { platformApi, receiverScriptInclude, Resolver } from './resolve';
import { scriptAt, ScriptAt } from './script-at';
import { receiverByName, Receiver } from './script-symbols';

/** How far back an open call is looked for. */
const WINDOW = 4000;

export interface OpenCall {
  /** The callee as written before `(`, whitespace removed: `x.m`, `scope.X`, `f`. */
  callee: string;
  isNew: boolean;
  /** Offset of the `(`. */
  open: number;
  /** Top-level commas between `(` and the cursor. */
  commas: number;
}

/** The innermost call whose `(` is open at `offset`, if any. */
export function openCallAt(text: string, offset: number): OpenCall | undefined {
  const from = Math.max(0, offset - WINDOW);
  const stack: Array<{ open: number; commas: number }> = [];
  let i = from;
  while (i < offset) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= offset) return undefined;
      i = nl + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0 || close + 2 > offset) return undefined;
      i = close + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(text, i, offset);
      // Inside a string the cursor is in an argument, not at punctuation.
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') stack.push({ open: c === '(' ? i : -1, commas: 0 });
    else if (c === ')' || c === ']' || c === '}') stack.pop();
    else if (c === ',' && stack.length) stack[stack.length - 1].commas++;
    i++;
  }
  for (let k = stack.length - 1; k >= 0; k--) {
    const frame = stack[k];
    if (frame.open < 0) {
      // Inside `[...]` or `{...}` in an argument: the enclosing call still counts, its comma count does not change.
      continue;
    }
    const callee = calleeBefore(text, frame.open);
    if (!callee) return undefined;
    return { ...callee, open: frame.open, commas: frame.commas };
  }
  return undefined;
}

/** Index of the quote closing the string opened at `start`, or -1 when it is still open at `limit`. */
function stringEnd(text: string, start: number, limit: number): number {
  const q = text[start];
  for (let i = start + 1; i < limit; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === q) return i;
    else if (c === '\n' && q !== '`') return i;
  }
  return -1;
}

/** `new x_acme.Util`, `x.m`, `new X().m`, `f` just before an open paren. */
function calleeBefore(text: string, open: number): { callee: string; isNew: boolean } | undefined {
  const before = text.slice(Math.max(0, open - 300), open);
  const chained = /new\s+([\w$]+(?:\s*\.\s*[\w$]+)?)\s*\([^()]*\)\s*\.\s*([\w$]+)\s*$/.exec(before);
  if (chained) return { callee: `new ${chained[1].replace(/\s+/g, '')}().${chained[2]}`, isNew: false };
  const m = /(new\s+)?((?:this\s*\.\s*)?[\w$]+(?:\s*\.\s*[\w$]+)*)\s*$/.exec(before);
  if (!m) return undefined;
  return { callee: m[2].replace(/\s+/g, ''), isNew: !!m[1] };
}

export function signatureHelp(state: FeatureState, params: SignatureHelpParams, token?: CancellationLike): SignatureHelp | null {
  const at = scriptAt(state.session, state.scripts, params.textDocument.uri, params.position);
  if (!at || token?.isCancellationRequested) return null;
  const call = openCallAt(at.script, at.scriptOffset);
  if (!call) return null;
  const signatures = signaturesOf(at, call);
  if (!signatures.length) return null;
  const fits = signatures.findIndex((s) => (s.parameters?.length ?? 0) > call.commas);
  const activeSignature = fits < 0 ? 0 : fits;
  const n = signatures[activeSignature].parameters?.length ?? 0;
  return { signatures, activeSignature, activeParameter: n ? Math.min(call.commas, n - 1) : 0 };
}

function info(l: Label, documentation: string): SignatureInformation {
  return { label: l.label, parameters: l.parameters.map((p) => ({ label: p })), documentation: { kind: MarkupKind.Markdown, value: documentation } };
}

function signaturesOf(at: ScriptAt, call: OpenCall): SignatureInformation[] {
  const r = resolverOf(at.ws);
  const { scope, side } = at.facts;
  const dot = call.callee.lastIndexOf('.');
  if (call.isNew) {
    const { name, qualifier } = dot < 0 ? { name: call.callee, qualifier: undefined } : { name: call.callee.slice(dot + 1), qualifier: call.callee.slice(0, dot) };
    const si = r.index.resolve(name, qualifier, scope);
    if (si) return [constructorInfo(r, si)];
    const api = platformApi(call.callee, side);
    const ctor = api && constructorSignatureOf(api);
    return api && ctor ? [info(ctor, api.description)] : [];
  }
  if (dot < 0) {
    const si = r.index.resolve(call.callee, undefined, scope);
    return si && isClassless(si) ? classlessInfo(si) : [];
  }
  const recvText = call.callee.slice(0, dot);
  const method = call.callee.slice(dot + 1);
  const receiver = receiverFromText(at, recvText);
  if (!receiver) {
    // `x_acme.doThing(`: a classless Script Include called through its scope.
    const si = r.index.resolve(method, recvText, scope);
    return si && isClassless(si) ? classlessInfo(si) : [];
  }
  if (receiver.kind === 'platform') {
    const api = platformApi(receiver.name, side);
    if (!api) return [];
    return findPlatformMethods(api, method).map((m) => info(signatureLabelOf(api, m), platformMethodMarkdown(api, m)));
  }
  const si = receiverScriptInclude(r, receiver, scope);
  const found = si && r.graph.findMethod(si, method);
  if (!si || !found) return [];
  return [info(methodLabel(found.method), methodMarkdown(si, found.method, found.owner, found.owner.path))];
}

function constructorInfo(r: Resolver, si: ScriptIncludeInfo): SignatureInformation {
  const methods = r.graph.methodsOf(si).map((m) => m.method);
  return info(constructorLabel(si, initializerOf(si, methods)), scriptIncludeMarkdown(si, methods, si.path));
}

function classlessInfo(si: ScriptIncludeInfo): SignatureInformation[] {
  const fn = functionOf(si);
  return fn ? [info({ ...methodLabel({ ...fn, name: si.name }) }, methodMarkdown(si, fn, si, si.path))] : [];
}

/** What the receiver text before `.m(` holds at the cursor. */
function receiverFromText(at: ScriptAt, text: string): Receiver | undefined {
  const chained = /^new([\w$.]+)\(\)$/.exec(text.replace(/^new\s*/, 'new'));
  if (chained) {
    const cls = chained[1];
    const dot = cls.lastIndexOf('.');
    const name = cls.slice(dot + 1);
    if (isPlatformClass(name, dot > 0 ? cls.slice(0, dot) : undefined)) return { kind: 'platform', name: cls, isClass: false };
    return { kind: 'script-include', name, ...(dot > 0 ? { qualifier: cls.slice(0, dot) } : {}), isClass: false };
  }
  const symbols = at.slice.symbols();
  const bound = symbols.receiverOf(text, at.scriptOffset);
  if (bound) return bound;
  const dot = text.lastIndexOf('.');
  if (dot > 0 && !text.startsWith('this.')) {
    const qualifier = text.slice(0, dot);
    const name = text.slice(dot + 1);
    if (/^[a-z][a-z0-9]*_[a-z0-9_]+$|^global$/.test(qualifier) && /^[A-Z]/.test(name)) return { kind: 'script-include', name, qualifier, isClass: true };
    return undefined;
  }
  return receiverByName(text);
}
