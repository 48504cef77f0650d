import * as assert from 'node:assert/strict';
import { DocumentStore } from '../server/src/documents';

describe('documents', () => {
  it('applies incremental changes and re-parses the edited tree to match a fresh parse', () => {
    const store = new DocumentStore();
    const uri = 'file:///w/a.js';
    store.open(uri, 'javascript', 1, 'var a = new Foo();\nvar b = 2;\n');
    const t1 = store.tree(uri);
    assert.ok(t1);
    store.change(uri, 2, [{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } }, text: 'new Bar()' }]);
    store.change(uri, 3, [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 15 } }, text: 'Baz' }]);
    const doc = store.get(uri)!;
    assert.equal(doc.version, 3);
    assert.equal(doc.text, 'var a = new Baz();\nvar b = new Bar();\n');
    const tree = store.tree(uri)!;
    const news = tree.rootNode.descendantsOfType('new_expression').map((n) => doc.text.slice(n.startIndex, n.endIndex));
    assert.deepEqual(news, ['new Baz()', 'new Bar()']);
    assert.equal(tree.rootNode.hasError, false);
  });

  it('handles a full replacement', () => {
    const store = new DocumentStore();
    store.open('file:///w/b.js', 'javascript', 1, 'x');
    store.tree('file:///w/b.js');
    store.change('file:///w/b.js', 2, [{ text: 'function f() {}' }]);
    assert.equal(store.tree('file:///w/b.js')!.rootNode.firstChild?.type, 'function_declaration');
  });

  it('has no tree for XML documents and ignores changes to unknown documents', () => {
    const store = new DocumentStore();
    store.open('file:///w/r.xml', 'xml', 1, '<a/>');
    assert.equal(store.tree('file:///w/r.xml'), undefined);
    assert.equal(store.change('file:///w/none.js', 1, [{ text: '' }]), false);
  });
});
