import * as assert from 'node:assert';
import { binaryReason, decodeBytes, lineStarts, positionAt } from '../../server/src/workspace/text';

describe('workspace/text', () => {
  it('maps offsets to LSP positions across LF, CRLF and lone CR line ends', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const starts = lineStarts(text);
    assert.deepStrictEqual(positionAt(starts, text.indexOf('a')), { line: 0, character: 0 });
    assert.deepStrictEqual(positionAt(starts, text.indexOf('d')), { line: 1, character: 1 });
    assert.deepStrictEqual(positionAt(starts, text.indexOf('e')), { line: 2, character: 0 });
    assert.deepStrictEqual(positionAt(starts, text.indexOf('h')), { line: 3, character: 1 });
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
