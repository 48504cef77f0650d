import * as assert from 'node:assert/strict';
import { CacheDecoder, CacheEncoder } from '../../server/src/index/cache-codec';
import { extractRecord } from '../../server/src/syntax/extract';
import { fileEntry } from '../helpers/entries';
import { lines, record } from '../syntax/helpers';

/** What a cache line goes through: encoded, written as JSON, parsed, decoded. */
function throughJson(encoder: CacheEncoder, decoder: CacheDecoder, value: unknown): { decoded: unknown; strings: string[] } {
  const { strings, value: encoded } = encoder.encode(value);
  const line = JSON.parse(JSON.stringify({ s: strings, f: encoded })) as { s: unknown; f: unknown };
  return { decoded: decoder.decode(line.s, line.f), strings };
}

describe('index/cache-codec', () => {
  const script = lines(
    '/**',
    ' * Looks up managers of HR cases.',
    ' * @example new HRUtils().getManager(gs.getUserID());',
    ' */',
    'var HRUtils = Class.create(); HRUtils.prototype = {',
    '    /** The manager of a user. @param {string} userId the sys_id @returns {GlideRecord} the manager @since 2 */',
    '    getManager: function(userId, opts) { var gr = new GlideRecord("sys_user"); gr.get(userId); return new Payroll().lookup(gr.manager); },',
    "    type: 'HRUtils'",
    '};',
  );
  const extracted = extractRecord(record(script, { description: 'HR helpers; "quoted" \\ and \u00e9', scriptStart: { line: 3, character: 7 } }), 'update/HRUtils.xml');
  const entry = fileEntry('update/HRUtils.xml', {
    scriptIncludes: extracted.scriptIncludes,
    callSites: extracted.callSites,
    schema: { tables: [{ name: 'x_hr_case', label: 'HR case', parent: 'task' }], fields: [{ table: 'x_hr_case', name: 'u_level', type: 'integer' }], properties: [], uses: ['sys_user', 'sys_user.manager'], useCounts: [2, 1] },
  });

  it('gives back an extracted entry exactly, with its ranges, JSDoc, call sites and schema', () => {
    assert.ok(extracted.scriptIncludes[0].methods.length > 0 && extracted.callSites.length > 0, 'the fixture extracts something');
    const file = { entry, size: 1234, mtimeMs: 1732000000123.456 };
    const { decoded } = throughJson(new CacheEncoder(), new CacheDecoder(), file);
    assert.deepEqual(decoded, file);
  });

  it('sends each string once, with the first line that uses it', () => {
    const encoder = new CacheEncoder();
    const decoder = new CacheDecoder();
    const first = throughJson(encoder, decoder, { entry, size: 1, mtimeMs: 2 });
    const other = fileEntry('update/Other.xml', { scriptIncludes: extracted.scriptIncludes.map((si) => ({ ...si, path: 'update/Other.xml' })) });
    const second = throughJson(encoder, decoder, { entry: other, size: 3, mtimeMs: 4 });
    assert.ok(first.strings.includes('x_acme_hr') && first.strings.includes('getManager'));
    // The second file repeats the first's names and scope: only its own path and hash are new.
    assert.deepEqual(second.strings.sort(), ['h-update/Other.xml', 'update/Other.xml']);
    assert.deepEqual(second.decoded, { entry: other, size: 3, mtimeMs: 4 });
  });

  it('writes a repeated range or short list once, and reads each back as one frozen object', () => {
    const encoder = new CacheEncoder();
    const decoder = new CacheDecoder();
    const r = () => ({ start: { line: 3, character: 4 }, end: { line: 3, character: 9 } });
    const other = { start: { line: 3, character: 4 }, end: { line: 5, character: 0 } };
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const first = { a: r(), b: r(), apis: ['GlideRecord', 'GlideDateTime'], counts: [2, 1], long };
    const second = { a: r(), c: other, apis: ['GlideRecord', 'GlideDateTime'], counts: [2, 1], strings: ['2', '1'], long: [...long] };
    const one = throughJson(encoder, decoder, first);
    const two = throughJson(encoder, decoder, second);
    assert.deepEqual(one.decoded, first);
    assert.deepEqual(two.decoded, second);
    const d1 = one.decoded as typeof first;
    const d2 = two.decoded as typeof second;
    // One object for each range and list, across lines; positions shared between ranges.
    assert.equal(d1.a, d1.b);
    assert.equal(d1.a, d2.a);
    assert.equal(d2.c.start, d1.a.start);
    assert.equal(d1.apis, d2.apis);
    assert.equal(d1.counts, d2.counts);
    assert.notEqual(d2.strings, d1.counts as unknown, 'the strings "2", "1" are not the numbers 2, 1');
    assert.ok(Object.isFrozen(d1.a) && Object.isFrozen(d1.a.start) && Object.isFrozen(d1.apis));
    // Long lists are their own, each time.
    assert.notEqual(d1.long, d2.long);
    assert.ok(!Object.isFrozen(d1.long));
    // The second line says the repeats by number, not by value.
    const { value } = new CacheEncoder().encode([first, first]);
    const text = JSON.stringify(value);
    assert.equal(text.split('"r"').length - 1, 1, text);
    assert.ok(text.includes('["R",0]') && text.includes('["L",0]'), text);
  });

  it('reads a reference to a range or list it has not read as damaged', () => {
    for (const bad of [['R', 0], ['L', 3], ['L', -1], ['L', 0.5], ['l'], ['l', { x: 1 }]]) {
      assert.equal(new CacheDecoder().decode([], bad), undefined, JSON.stringify(bad));
    }
  });

  it('keeps every kind of number, and leaves undefined properties out as JSON does', () => {
    const value = { zero: 0, big: Number.MAX_SAFE_INTEGER, negative: -3, fraction: 0.25, tiny: 1e-9, yes: true, no: false, nothing: null, gone: undefined, list: [1, 'a', [2, 'b']] };
    const { decoded } = throughJson(new CacheEncoder(), new CacheDecoder(), value);
    assert.deepEqual(decoded, JSON.parse(JSON.stringify(value)));
  });

  it('writes only exact ranges as ranges: a look-alike with more keys stays an object', () => {
    const lookAlike = { start: { line: 1, character: 2 }, end: { line: 3, character: 4 }, label: 'x' };
    const negative = { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } };
    const { decoded } = throughJson(new CacheEncoder(), new CacheDecoder(), { lookAlike, negative });
    assert.deepEqual(decoded, { lookAlike, negative });
  });

  it('reads what no encoder writes as malformed', () => {
    for (const [strings, value] of [
      [[], 0], // no string 0 in the table
      [['a'], 'plain'], // a bare string
      [['a'], ['r', -1, -1]], // a cut range
      [['a'], ['r', 0, -1, -1, -1]], // a range holding a string
      ['a', 0], // strings not a list
      [[1], 0], // a string that is a number
    ] as const) {
      assert.equal(new CacheDecoder().decode(strings, value), undefined, JSON.stringify([strings, value]));
    }
  });
});
