/** Statement boundaries, read from the tree (eval cases end their suffix where a statement does). */
import { SyntaxNode, Tree } from './parser';

const STATEMENT = /(?:_statement|_declaration)$/;
const HEADER_FIELDS = ['body', 'consequence'];

/**
 * End of the statement that holds the offset. For a compound statement (`if (new X().ok()) {`,
 * `class Y extends X {`) the statement ends where its body begins, so the body stays usable
 * as suffix. Falls back to the end of the line when no statement encloses the offset.
 */
export function statementEnd(tree: Tree, script: string, offset: number): number {
  let node: SyntaxNode | null = tree.rootNode.descendantForIndex(offset, offset);
  while (node && !STATEMENT.test(node.type)) node = node.parent;
  if (!node) {
    const nl = script.indexOf('\n', offset);
    return nl < 0 ? script.length : nl;
  }
  for (const field of HEADER_FIELDS) {
    const body = node.childForFieldName(field);
    if (body && !(body.startIndex <= offset && offset < body.endIndex)) return Math.max(offset, body.startIndex);
  }
  return Math.max(offset, node.endIndex);
}

