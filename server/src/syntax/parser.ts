/**
 * The one place tree-sitter is loaded. The parser is created once per process and reused:
 * parsing is synchronous, so a single instance is safe in Node's single thread.
 */
import Parser = require('tree-sitter');
// tree-sitter-javascript ships no typings of its own.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const JavaScript = require('tree-sitter-javascript');

export type Tree = Parser.Tree;
export type SyntaxNode = Parser.SyntaxNode;
export type Edit = Parser.Edit;
export type TreeCursor = Parser.TreeCursor;

let parser: Parser | undefined;

function sharedParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(JavaScript);
  }
  return parser;
}

/**
 * Parses JavaScript. tree-sitter recovers from errors, so malformed code yields a tree with
 * ERROR nodes rather than an exception. Pass `previous` (already edited with `tree.edit`) to
 * re-parse incrementally.
 */
export function parseJavaScript(text: string, previous?: Tree): Tree {
  const p = sharedParser();
  // The binding reads the string in chunks; the buffer size only matters for very long inputs.
  return p.parse(text, previous, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) });
}
