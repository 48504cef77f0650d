/**
 * textDocument/definition: from a Script Include or method name (in `.js` files and inside XML
 * record scripts) to where it is defined, in whatever layout that file has; a Fluent include
 * leads to the included `.js` file.
 */
import { DefinitionParams, Location } from 'vscode-languageserver';
import { CancellationLike, FeatureState, resolverOf } from './common';
import { resolveReference } from './resolve';
import { scriptAt } from './script-at';
import { referenceAt } from './script-symbols';

export function definition(state: FeatureState, params: DefinitionParams, token?: CancellationLike): Location | null {
  const at = scriptAt(state.session, state.scripts, params.textDocument.uri, params.position);
  if (!at || token?.isCancellationRequested) return null;
  const ref = referenceAt(at.slice.symbols(), at.scriptOffset);
  if (!ref) return null;
  const target = resolveReference(resolverOf(at.ws), ref, at.facts);
  if (target?.kind === 'script-include') return { uri: at.ws.uriOf(target.si.path), range: target.si.nameRange };
  if (target?.kind === 'method') return { uri: at.ws.uriOf(target.owner.path), range: target.method.nameRange };
  return null;
}
