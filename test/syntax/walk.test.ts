import * as assert from 'node:assert';
import { parseJavaScript } from '../../server/src/syntax/parser';
import { NONE, buildSyntaxTable, childByField, nodeText } from '../../server/src/syntax/walk';

describe('walk: syntax table', () => {
  it('keeps named nodes in document order with fields and links', () => {
    const text = 'var a = new X(1); class C { static s() {} }';
    const t = buildSyntaxTable(parseJavaScript(text), text);
    assert.strictEqual(t.type[0], 'program');
    const ne = t.type.indexOf('new_expression');
    assert.strictEqual(nodeText(t, childByField(t, ne, 'constructor')), 'X');
    assert.strictEqual(t.field[ne], 'value');
    assert.strictEqual(t.type[t.parent[ne]], 'variable_declarator');
    const md = t.type.indexOf('method_definition');
    assert.strictEqual(t.modifier[md], 'static');
    for (let i = 1; i < t.count; i++) assert.ok(t.start[i] >= t.start[i - 1], 'pre-order');
    for (let i = 0; i < t.count; i++) if (t.nextSibling[i] !== NONE) assert.strictEqual(t.prevSibling[t.nextSibling[i]], i);
    assert.strictEqual(t.errorCount, 0);
  });

  it('counts ERROR and MISSING nodes', () => {
    const text = 'var a = (1 + ;\nfoo(';
    const t = buildSyntaxTable(parseJavaScript(text), text);
    assert.ok(t.errorCount >= 1);
    assert.ok(t.firstErrorOffset >= 0);
  });

  it('copies a 40,000-deep tree without recursion', () => {
    const text = 'x = ' + '['.repeat(40000) + ']'.repeat(40000) + ';';
    const t = buildSyntaxTable(parseJavaScript(text), text);
    let depth = 0;
    for (let i = t.count - 1; i !== NONE; i = t.parent[i]) depth++;
    assert.ok(depth > 40000);
  });
});
