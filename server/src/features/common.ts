/** Small types every feature shares. */
import { Session, Workspace } from '../session';
import { CompletionCache } from './completion-cache';
import { Resolver } from './resolve';
import { ScriptCache } from './script-at';

export type { CancellationLike } from '../cancellation';

/**
 * What every document feature is given: the session (workspaces, open documents, settings) and
 * the per-version cache of parsed scripts. Built once by server.ts; tests build their own.
 */
export interface FeatureState {
  session: Session;
  scripts: ScriptCache;
  completions: CompletionCache;
}

export function featureState(session: Session): FeatureState {
  return { session, scripts: new ScriptCache(), completions: new CompletionCache() };
}

/** What resolving a name needs of a workspace: its index and current knowledge graph. */
export function resolverOf(ws: Workspace): Resolver {
  return { index: ws.index, graph: ws.graph.get() };
}
