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
