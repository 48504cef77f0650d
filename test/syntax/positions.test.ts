import * as assert from 'node:assert';
import { LineIndex, nodeRange, offsetToPosition, positionToOffset, shiftPosition, shiftRange } from '../../server/src/syntax/positions';
import { parseJavaScript } from '../../server/src/syntax/parser';

describe('positions', () => {
  it('converts offsets and positions both ways across \\n, \\r\\n and lone \\r', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const idx = new LineIndex(text);
    assert.strictEqual(idx.lineCount, 4);
    for (let o = 0; o <= text.length; o++) {
      const p = idx.positionAt(o);
      // Offsets that fall between \r and \n map to the end of the line and back.
      if (text[o - 1] === '\r' && text[o] === '\n') continue;
      assert.strictEqual(idx.offsetAt(p), o, `offset ${o}`);
    }
    assert.deepStrictEqual(offsetToPosition(text, text.indexOf('g')), { line: 3, character: 0 });
    assert.strictEqual(positionToOffset(text, { line: 1, character: 1 }), text.indexOf('d'));
  });

  it('clamps positions past a line end and offsets past the text', () => {
    const text = 'abc\ndef';
    assert.strictEqual(positionToOffset(text, { line: 0, character: 99 }), 3);
    assert.strictEqual(positionToOffset(text, { line: 9, character: 0 }), text.length);
    assert.deepStrictEqual(offsetToPosition(text, 999), { line: 1, character: 3 });
  });

  it('counts UTF-16 code units like tree-sitter does', () => {
    const text = "var s = '😀é'; new X();";
    const tree = parseJavaScript(text);
    const ne = tree.rootNode.descendantsOfType('new_expression')[0];
    assert.strictEqual(ne.startIndex, text.indexOf('new'));
    assert.deepStrictEqual(nodeRange(ne).start, offsetToPosition(text, text.indexOf('new')));
  });

  it('shifts only the first script line sideways', () => {
    const start = { line: 12, character: 30 };
    assert.deepStrictEqual(shiftPosition({ line: 0, character: 4 }, start), { line: 12, character: 34 });
    assert.deepStrictEqual(shiftPosition({ line: 2, character: 4 }, start), { line: 14, character: 4 });
    assert.deepStrictEqual(shiftRange({ start: { line: 0, character: 1 }, end: { line: 1, character: 2 } }, start), {
      start: { line: 12, character: 31 },
      end: { line: 13, character: 2 },
    });
  });
});
