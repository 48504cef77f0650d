/**
 * The one owner of open documents: text, version and (for JavaScript) a tree-sitter tree that is
 * edited incrementally on every change and re-parsed lazily, only when a request needs it. A
 * keystroke therefore costs a text update and a `tree.edit`; the parse happens once per burst.
 */
import { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { parseJavaScript, Tree } from './syntax/parser';

export interface OpenDocument {
  readonly uri: string;
  readonly languageId: string;
  readonly version: number;
  readonly text: string;
  /** The document as vscode-languageserver-textdocument sees it (offset/position helpers). */
  readonly doc: TextDocument;
}

interface Entry {
  doc: TextDocument;
  /** Last parsed tree, already edited for changes since (when `dirty`). */
  tree?: Tree;
  dirty: boolean;
}

export function isJavaScriptLike(uri: string, languageId: string): boolean {
  return languageId.startsWith('javascript') || /\.(c|m)?js$/i.test(uri) || /\.now\.ts$/i.test(uri);
}

export class DocumentStore {
  private readonly entries = new Map<string, Entry>();

  open(uri: string, languageId: string, version: number, text: string): void {
    this.entries.set(uri, { doc: TextDocument.create(uri, languageId, version, text), dirty: true });
  }

  close(uri: string): void {
    this.entries.delete(uri);
  }

  /**
   * Applies content changes in order. Incremental changes edit the existing tree so the next
   * parse reuses it; a full replacement drops the tree.
   */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): boolean {
    const entry = this.entries.get(uri);
    if (!entry) return false;
    for (const change of changes) {
      if ('range' in change && entry.tree) {
        const before = entry.doc;
        const startIndex = before.offsetAt(change.range.start);
        const oldEndIndex = before.offsetAt(change.range.end);
        const newEndIndex = startIndex + change.text.length;
        const next = TextDocument.update(before, [change], version);
        entry.tree.edit({
          startIndex,
          oldEndIndex,
          newEndIndex,
          startPosition: toPoint(before.positionAt(startIndex)),
          oldEndPosition: toPoint(before.positionAt(oldEndIndex)),
          newEndPosition: toPoint(next.positionAt(newEndIndex)),
        });
        entry.doc = next;
      } else {
        if (!('range' in change)) entry.tree = undefined;
        entry.doc = TextDocument.update(entry.doc, [change], version);
      }
    }
    entry.dirty = true;
    return true;
  }

  get(uri: string): OpenDocument | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    const doc = entry.doc;
    return { uri, languageId: doc.languageId, version: doc.version, text: doc.getText(), doc };
  }

  /** The current tree of a JavaScript document, re-parsed (incrementally) when it changed. */
  tree(uri: string): Tree | undefined {
    const entry = this.entries.get(uri);
    if (!entry || !isJavaScriptLike(uri, entry.doc.languageId)) return undefined;
    if (entry.dirty || !entry.tree) {
      entry.tree = parseJavaScript(entry.doc.getText(), entry.tree);
      entry.dirty = false;
    }
    return entry.tree;
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }
}

function toPoint(p: { line: number; character: number }): { row: number; column: number } {
  return { row: p.line, column: p.character };
}
