import * as assert from 'node:assert';
import { binaryReason, decodeBytes } from '../../server/src/workspace/text';
import { LineIndex } from '../../server/src/syntax/positions';

describe('workspace/text', () => {
  it('XML positions come from the one converter: LF, CRLF and lone CR line ends', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const lines = new LineIndex(text);
    assert.deepStrictEqual(lines.positionAt(text.indexOf('a')), { line: 0, character: 0 });
    assert.deepStrictEqual(lines.positionAt(text.indexOf('d')), { line: 1, character: 1 });
    assert.deepStrictEqual(lines.positionAt(text.indexOf('e')), { line: 2, character: 0 });
    assert.deepStrictEqual(lines.positionAt(text.indexOf('h')), { line: 3, character: 1 });
  });

  it('refuses binary bytes and decodes invalid UTF-8 with replacement', () => {
    assert.match(binaryReason(Buffer.from([0x76, 0x61, 0x00, 0x72])) ?? '', /NUL/);
    assert.match(binaryReason(Buffer.from(Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)))) ?? '', /control/);
    assert.strictEqual(binaryReason(Buffer.from('var a = 1;\n\tb();\r\n')), undefined);
    const bad = decodeBytes(Buffer.from([0x76, 0x61, 0x72, 0x20, 0xff, 0x3b]));
    assert.ok(bad.kind === 'text' && bad.invalidUtf8 && bad.text === 'var \ufffd;');
    const bom = decodeBytes(Buffer.from('\ufeffvar a;', 'utf8'));
    assert.ok(bom.kind === 'text' && bom.text === 'var a;' && !bom.invalidUtf8);
    const utf16 = decodeBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a/>', 'utf16le')]));
    assert.ok(utf16.kind === 'text' && utf16.text === '<a/>');
  });
});
