/**
 * From a reference in code to what it names: a Script Include, one of its methods (own or
 * inherited, through the knowledge graph), or a platform API or method.
 */
import { MethodInfo, ScriptIncludeInfo, Side } from '../model';
import { ApiIndex } from '../index/api-index';
import { KnowledgeGraph } from '../index/knowledge-graph';
import { findPlatformApi, findPlatformMethods, PlatformApi, PlatformMethod } from '../platform/platform-apis';
import { FileFacts } from '../retrieval/types';
import { Receiver, Reference } from './script-symbols';

export type Target =
  | { kind: 'script-include'; si: ScriptIncludeInfo }
  | { kind: 'method'; si: ScriptIncludeInfo; method: MethodInfo; owner: ScriptIncludeInfo }
  /** A method name the Script Include (and its ancestors) does not define. */
  | { kind: 'missing-method'; si: ScriptIncludeInfo; name: string }
  | { kind: 'platform'; api: PlatformApi }
  | { kind: 'platform-method'; api: PlatformApi; methods: readonly PlatformMethod[] };

export interface Resolver {
  index: ApiIndex;
  graph: KnowledgeGraph;
}

export function platformApi(name: string, side: Side): PlatformApi | undefined {
  return findPlatformApi(name, side) ?? findPlatformApi(name);
}

/** The Script Include a receiver holds, if it is one the index knows. */
export function receiverScriptInclude(r: Resolver, receiver: Receiver, scope: string): ScriptIncludeInfo | undefined {
  if (receiver.kind === 'script-include') return r.index.resolve(receiver.name, receiver.qualifier, scope);
  if (receiver.kind === 'ajax' && receiver.target) return r.index.resolve(receiver.target.name, receiver.target.qualifier, scope);
  return undefined;
}

/** What a method name on a receiver is. */
export function resolveMember(r: Resolver, receiver: Receiver, method: string, facts: FileFacts): Target | undefined {
  if (receiver.kind === 'platform') {
    const api = platformApi(receiver.name, facts.side);
    if (!api) return undefined;
    const methods = findPlatformMethods(api, method);
    return methods.length ? { kind: 'platform-method', api, methods } : undefined;
  }
  const si = receiverScriptInclude(r, receiver, facts.scope);
  if (!si) return undefined;
  const found = r.graph.findMethod(si, method);
  if (found) return { kind: 'method', si, method: found.method, owner: found.owner };
  return { kind: 'missing-method', si, name: method };
}

export function resolveReference(r: Resolver, ref: Reference, facts: FileFacts): Target | undefined {
  if (ref.kind === 'method') return resolveMember(r, ref.receiver, ref.method, facts);
  if (ref.platform) {
    const api = platformApi(ref.name, facts.side);
    return api ? { kind: 'platform', api } : undefined;
  }
  const si = r.index.resolve(ref.name, ref.qualifier, facts.scope);
  if (si) return { kind: 'script-include', si };
  const api = ref.qualifier ? platformApi(`${ref.qualifier}.${ref.name}`, facts.side) : undefined;
  return api ? { kind: 'platform', api } : undefined;
}
