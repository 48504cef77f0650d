/**
 * Diagnostics of an open document: calls that will fail on the instance and that the index can
 * prove will fail. Only names that resolve to a known Script Include are judged; platform APIs and
 * unknown names never are, so a workspace that lacks a dependency stays quiet.
 * - a method the Script Include (with what it inherits) does not define;
 * - a Script Include of another scope that is not public;
 * - a GlideAjax call to a Script Include that is not client-callable.
 */
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { ScriptIncludeInfo } from '../model';
import { KnowledgeGraph } from '../index/knowledge-graph';
import { CancellationLike, FeatureState, resolverOf } from './common';
import { resolveMember, Resolver } from './resolve';
import { ScriptAt, scriptsOf } from './script-at';
import { ClassReference, MethodReference } from './script-symbols';

export const DIAGNOSTIC_SOURCE = 'deepcodeseek';

export type DiagnosticCode = 'unknown-method' | 'not-accessible' | 'not-client-callable';

/** Names every JavaScript object answers to: never reported as missing. */
const OBJECT_METHODS = new Set(['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'call', 'apply', 'bind', 'constructor']);

export function documentDiagnostics(state: FeatureState, uri: string, token?: CancellationLike): Diagnostic[] {
  if (!state.session.settings['diagnostics.enabled']) return [];
  const out: Diagnostic[] = [];
  for (const at of scriptsOf(state.session, state.scripts, uri)) {
    if (token?.isCancellationRequested) return [];
    out.push(...scriptDiagnostics(at, resolverOf(at.ws)));
  }
  return out;
}

export function scriptDiagnostics(at: ScriptAt, r: Resolver): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ref of at.slice.symbols().references) {
    const d = ref.kind === 'method' ? methodProblem(at, r, ref) : classProblem(at, r, ref);
    if (d) out.push({ ...d, range: at.toDocRange(ref.start, ref.end), source: DIAGNOSTIC_SOURCE });
  }
  return out;
}

type Finding = Pick<Diagnostic, 'message' | 'severity' | 'code'>;

/** Calls to methods a Script Include does not have, with the methods it does have (for quick fixes). */
export function unknownMethodCalls(at: ScriptAt, r: Resolver): Array<{ start: number; end: number; method: string; known: string[] }> {
  const out: Array<{ start: number; end: number; method: string; known: string[] }> = [];
  for (const ref of at.slice.symbols().references) {
    if (ref.kind !== 'method' || ref.receiver.kind === 'platform' || OBJECT_METHODS.has(ref.method)) continue;
    const target = resolveMember(r, ref.receiver, ref.method, at.facts);
    if (target?.kind !== 'missing-method' || !knowsAllMethods(r.graph, target.si, !!ref.viaAjax)) continue;
    const known = [...new Set([target.si, ...r.graph.ancestorsOf(target.si)].flatMap((s) => s.methods.map((m) => m.name)))].filter((n) => n !== 'initialize');
    out.push({ start: ref.start, end: ref.end, method: ref.method, known });
  }
  return out;
}

function methodProblem(at: ScriptAt, r: Resolver, ref: MethodReference): Finding | undefined {
  if (ref.receiver.kind === 'platform' || OBJECT_METHODS.has(ref.method)) return undefined;
  const target = resolveMember(r, ref.receiver, ref.method, at.facts);
  if (target?.kind !== 'missing-method' || !knowsAllMethods(r.graph, target.si, !!ref.viaAjax)) return undefined;
  return { severity: DiagnosticSeverity.Warning, code: 'unknown-method' satisfies DiagnosticCode, message: `${target.si.apiName} has no method '${ref.method}'` };
}

/**
 * Whether the index knows every method the Script Include has: it was parsed, and each ancestor
 * resolves (a parent outside the workspace may define anything). Through GlideAjax only the
 * processor's own methods answer, so the platform's AbstractAjaxProcessor adds none.
 */
function knowsAllMethods(graph: KnowledgeGraph, si: ScriptIncludeInfo, viaAjax: boolean): boolean {
  if (si.kind === 'name-only') return false;
  const chain = [si, ...graph.ancestorsOf(si)];
  const last = chain[chain.length - 1];
  const openParent = last.parent && !(viaAjax && /^(global\.)?AbstractAjaxProcessor$/.test(last.parent));
  return !openParent && chain.every((s) => s.kind !== 'name-only');
}

function classProblem(at: ScriptAt, r: Resolver, ref: ClassReference): Finding | undefined {
  if (ref.platform) return undefined;
  const si = r.index.resolve(ref.name, ref.qualifier, at.facts.scope);
  if (!si) return undefined;
  if (ref.form === 'glide-ajax') {
    if (si.clientCallable) return undefined;
    return { severity: DiagnosticSeverity.Warning, code: 'not-client-callable' satisfies DiagnosticCode, message: `${si.apiName} is not client-callable: GlideAjax cannot call it` };
  }
  if (si.scope === at.facts.scope || si.access === 'public') return undefined;
  return {
    severity: DiagnosticSeverity.Warning,
    code: 'not-accessible' satisfies DiagnosticCode,
    message: `${si.apiName} is accessible from its own scope only; ${at.facts.scope} cannot call it`,
  };
}

/**
 * Debounces diagnostics per document: a burst of keystrokes publishes once, `delayMs` after the
 * last. The server gives it how to compute and how to publish; it knows nothing of the connection.
 */
export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly compute: (uri: string) => Diagnostic[],
    private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void,
    private readonly delayMs = 150,
    /** A failure in a timer has no caller to reach: it is reported here, and the next schedule tries again. */
    private readonly onError: (uri: string, err: Error) => void = () => undefined,
  ) {}

  schedule(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        try {
          this.publish(uri, this.compute(uri));
        } catch (err) {
          this.onError(uri, err instanceof Error ? err : new Error(String(err)));
        }
      }, this.delayMs),
    );
  }

  /** A closed document: cancel what is pending and clear what was shown. */
  clear(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.publish(uri, []);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
