/**
 * textDocument/hover: what a Script Include, method or platform API name under the cursor is,
 * as markdown (signature, JSDoc, scope, access, client-callable, where it is defined).
 */
import { Hover, HoverParams, MarkupKind } from 'vscode-languageserver';
import { MethodInfo, ScriptIncludeInfo } from '../model';
import { CancellationLike, FeatureState, resolverOf } from './common';
import { methodMarkdown, platformApiMarkdown, platformMethodMarkdown, scriptIncludeMarkdown } from './describe';
import { resolveReference, Target } from './resolve';
import { scriptAt } from './script-at';
import { referenceAt } from './script-symbols';

export function hover(state: FeatureState, params: HoverParams, token?: CancellationLike): Hover | null {
  const at = scriptAt(state.session, state.scripts, params.textDocument.uri, params.position);
  if (!at || token?.isCancellationRequested) return null;
  const ref = referenceAt(at.slice.symbols(), at.scriptOffset);
  if (!ref) return null;
  const r = resolverOf(at.ws);
  const target = resolveReference(r, ref, at.facts);
  const value = target && targetMarkdown(target, (si) => r.graph.methodsOf(si).map((m) => m.method));
  if (!value) return null;
  return { contents: { kind: MarkupKind.Markdown, value }, range: at.toDocRange(ref.start, ref.end) };
}

/** Markdown for a resolved target; undefined for a method that does not exist. */
export function targetMarkdown(target: Target, methodsOf: (si: ScriptIncludeInfo) => MethodInfo[]): string | undefined {
  switch (target.kind) {
    case 'script-include':
      return scriptIncludeMarkdown(target.si, methodsOf(target.si), target.si.path);
    case 'method':
      return methodMarkdown(target.si, target.method, target.owner, target.owner.path);
    case 'platform':
      return platformApiMarkdown(target.api);
    case 'platform-method':
      return target.methods.map((m) => platformMethodMarkdown(target.api, m)).join('\n\n---\n\n');
    case 'missing-method':
      return undefined;
  }
}
