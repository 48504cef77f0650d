/**
 * textDocument/hover: what a Script Include, method or platform API name under the cursor is,
 * as markdown (signature, JSDoc, scope, access, client-callable, where it is defined); and what a
 * table, field or property name is (label, type, reference, where it is defined).
 */
import { Hover, HoverParams, MarkupKind } from 'vscode-languageserver';
import { MethodInfo, ScriptIncludeInfo } from '../model';
import { CancellationLike, FeatureState, resolverOf } from './common';
import { methodMarkdown, platformApiMarkdown, platformMethodMarkdown, schemaMarkdown, scriptIncludeMarkdown } from './describe';
import { schemaNameAt } from '../syntax/cursor-context';
import { resolveReference, Target } from './resolve';
import { scriptAt } from './script-at';
import { referenceAt } from './script-symbols';

/** What the client reads hovers as: markdown, or plain text (`contentFormat: ['plaintext']`). */
export type HoverFormat = 'markdown' | 'plaintext';

/** The first format of the client's `contentFormat` we can write; markdown when it says nothing. */
export function hoverFormatOf(contentFormat: readonly string[] | undefined): HoverFormat {
  const known = (contentFormat ?? []).find((f) => f === MarkupKind.Markdown || f === MarkupKind.PlainText);
  return known === MarkupKind.PlainText ? 'plaintext' : 'markdown';
}

export function hover(state: FeatureState, params: HoverParams, token?: CancellationLike, format: HoverFormat = 'markdown'): Hover | null {
  const at = scriptAt(state.session, state.scripts, params.textDocument.uri, params.position);
  if (!at || token?.isCancellationRequested) return null;
  const ref = referenceAt(at.slice.symbols(), at.scriptOffset);
  const r = ref ? resolverOf(at.ws) : undefined;
  const target = ref && r ? resolveReference(r, ref, at.facts) : undefined;
  let value = target && r ? targetMarkdown(target, (si) => r.graph.methodsOf(si).map((m) => m.method)) : undefined;
  let span = ref ? { start: ref.start, end: ref.end } : undefined;
  if (!value) {
    // Not an API: perhaps a table, field or property name (`'incident'`, `current.state`).
    const name = schemaNameAt(at.script, at.tree, at.scriptOffset, at.facts);
    value = name && schemaMarkdown(at.ws.schema, name);
    span = name;
  }
  if (!value || !span) return null;
  const contents = format === 'plaintext' ? { kind: MarkupKind.PlainText, value: markdownToPlainText(value) } : { kind: MarkupKind.Markdown, value };
  return { contents, range: at.toDocRange(span.start, span.end) };
}


/** Markdown as a client that shows it raw would want it: no fences, no emphasis marks, no rules. */
export function markdownToPlainText(md: string): string {
  return md
    .split('\n')
    .filter((line) => !/^\s*```/.test(line))
    .map((line) => (/^\s*(---|\*\*\*)\s*$/.test(line) ? '' : line))
    .join('\n')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[^\w])_([^_\n]+)_(?=[^\w]|$)/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/^#+\s*/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
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
