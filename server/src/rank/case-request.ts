/**
 * An eval case as the request a completion at its hole would make: the same cursor context, the
 * same options as serving, the case's own file left out. Eval, training and workspace learning
 * all ask through this.
 */
import { RankRequest } from '../retrieval/pipeline';
import { CursorContext, isSchemaPosition } from '../retrieval/types';
import { cursorContext } from '../syntax/cursor-context';
import { parseJavaScript } from '../syntax/parser';
import { EvalCase } from './cases';
import { RankOptions, SERVING_RANK_OPTIONS } from './ranker';

/** The context a completion request would see at the hole, with `typed` characters typed. */
export function caseContext(c: EvalCase, typed: string): CursorContext {
  const text = c.prefix + typed + (c.suffix ?? '');
  const tree = parseJavaScript(text);
  return cursorContext(text, tree, c.prefix.length + typed.length, {
    recordType: c.recordType ?? 'unknown',
    side: c.side ?? 'server',
    scope: c.scope ?? 'global',
    collection: c.collection,
    recordName: c.recordName,
  });
}

/**
 * The request a completion at the hole would make: the serving options (platform APIs offered
 * beside Script Includes), the case's own file and `exclude` files left out.
 */
export function caseRequest(c: EvalCase, typed: string, options: RankOptions = SERVING_RANK_OPTIONS): RankRequest {
  const context = caseContext(c, typed);
  // The hole is always a Script Include name; a context that reads as a member access or a
  // comment (malformed prefix) is still asked as a bare position.
  if (context.kind === 'none' || context.kind === 'member' || context.kind === 'sysparm-name' || isSchemaPosition(context.kind)) context.kind = 'bare';
  const excludePaths = new Set<string>([...(c.path ? [c.path] : []), ...(c.exclude ?? [])]);
  return { context, excludePaths, includePlatform: options.includePlatform, maxResults: 40 };
}

