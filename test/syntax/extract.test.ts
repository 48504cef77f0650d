import * as assert from 'node:assert';
import { extractRecord } from '../../server/src/syntax/extract';
import { lines, rangeOf, record } from './helpers';

describe('extract: positions in file coordinates', () => {
  const scriptStart = { line: 12, character: 30 };
  const script = lines(
    'var HRUtils = Class.create(); HRUtils.prototype = {',
    '    getManager: function(userId) { return new Payroll().lookup(userId); },',
    "    type: 'HRUtils'",
    '};',
  );
  const out = extractRecord(record(script, { scriptStart, scriptPath: 'server/HRUtils.js' }), 'now/HRUtils.now.ts');
  const si = out.scriptIncludes[0];

  it('shifts names on the first script line sideways and later lines down', () => {
    assert.deepStrictEqual(si.nameRange, rangeOf(script, 'HRUtils', scriptStart));
    assert.deepStrictEqual(si.nameRange.start, { line: 12, character: 34 });
    assert.deepStrictEqual(si.methods[0].nameRange, rangeOf(script, 'getManager', scriptStart));
    assert.strictEqual(si.methods[0].nameRange.start.line, 13);
    assert.deepStrictEqual(out.callSites[0].range, rangeOf(script, 'Payroll', scriptStart));
  });

  it('uses scriptPath for every path', () => {
    assert.strictEqual(si.path, 'server/HRUtils.js');
    assert.strictEqual(out.callSites[0].path, 'server/HRUtils.js');
  });

  it('keeps script offsets unshifted', () => {
    assert.strictEqual(out.callSites[0].targetOffset, script.indexOf('Payroll'));
    assert.strictEqual(out.callSites[0].scriptOffset, script.indexOf('new Payroll'));
  });
});

describe('extract: callers and unknown files', () => {
  it('returns the caller of any non Script Include table', () => {
    const out = extractRecord(record('new HRUtils().go();', { table: 'sys_ui_action', name: 'Approve', collection: 'change_request', side: 'server' }), 'ui.js');
    assert.deepStrictEqual(out.caller, { table: 'sys_ui_action', name: 'Approve', side: 'server', scope: 'x_acme_hr', collection: 'change_request' });
    assert.deepStrictEqual(out.scriptIncludes, []);
    assert.strictEqual(out.callSites.length, 1);
  });

  it('treats a business rule that declares a class as a caller still', () => {
    const out = extractRecord(record('var Local = Class.create(); Local.prototype = {};', { table: 'sys_script', name: 'rule' }), 'br.js');
    assert.deepStrictEqual(out.scriptIncludes, []);
    assert.strictEqual(out.caller?.name, 'rule');
  });

  it('recognises a Script Include in an unknown .js file and keeps its calls', () => {
    const out = extractRecord(record(lines(
      'var Mailer = Class.create();',
      'Mailer.prototype = { send: function() { new Outbox().push(); } };',
    ), { table: 'unknown', name: 'Mailer' }), 'lib/Mailer.js');
    assert.deepStrictEqual(out.scriptIncludes.map((s) => [s.name, s.kind]), [['Mailer', 'class-create']]);
    assert.strictEqual(out.caller, undefined);
    assert.deepStrictEqual(out.callSites.map((c) => c.target), ['Outbox']);
  });

  it('resolves table names held in variables and GlideQuery without new', () => {
    const out = extractRecord(record(lines(
      'var Counter = Class.create();',
      'Counter.prototype = {',
      "  count: function() { var t = 'incident'; var ga = new GlideAggregate(t); ga.addAggregate('COUNT'); },",
      "  list: function() { return GlideQuery('sys_user').select('name'); },",
      '};',
    ), { name: 'Counter' }), 'c.js');
    const [count, list] = out.scriptIncludes[0].methods;
    assert.deepStrictEqual(count.tables, ['incident']);
    assert.deepStrictEqual(count.glideApis, ['GlideAggregate', 'GlideAggregate.addAggregate']);
    assert.deepStrictEqual(list.tables, ['sys_user']);
  });
});

describe('extract: problems and hostile input', () => {
  it('reports syntax errors once per record but still extracts', () => {
    const script = lines('var Broken = Class.create();', 'Broken.prototype = {', '  ok: function() { return 1; },', '  bad: function( { ,,, },', '};');
    const out = extractRecord(record(script, { name: 'Broken', scriptStart: { line: 4, character: 0 } }), 'b.js');
    assert.strictEqual(out.problems.length, 1);
    assert.strictEqual(out.problems[0].severity, 'warning');
    assert.match(out.problems[0].message, /^\d+ syntax errors?; first at line \d+$/);
    assert.ok(out.scriptIncludes[0].methods.some((m) => m.name === 'ok'));
  });

  function quick(script: string, table = 'sys_script_include') {
    const t0 = Date.now();
    const out = extractRecord(record(script, { table }), 'h.js');
    return { out, ms: Date.now() - t0 };
  }

  it('survives 20,000 nested parentheses', () => {
    const { out, ms } = quick('var x = ' + '('.repeat(20000) + 'new Deep()' + ')'.repeat(20000) + ';', 'sys_script');
    assert.ok(ms < 5000, `${ms} ms`);
    assert.deepStrictEqual(out.callSites.map((c) => c.target), ['Deep']);
  });

  it('survives 20,000 nested functions and unclosed brackets', () => {
    const nested = quick('function a(){'.repeat(20000) + 'new Inner();' + '}'.repeat(20000));
    assert.ok(nested.ms < 5000, `${nested.ms} ms`);
    assert.strictEqual(nested.out.scriptIncludes.length, 1);
    const unclosed = quick('{[('.repeat(20000));
    assert.strictEqual(unclosed.out.problems.length, 1);
  });

  it('survives a 2 MB single line', () => {
    const { out, ms } = quick("var gr = new GlideRecord('incident'); ".repeat(55000), 'sys_script');
    assert.ok(ms < 10000, `${ms} ms`);
    assert.strictEqual(out.problems.length, 0);
    assert.strictEqual(out.callSites.length, 0);
  });

  it('survives binary garbage and lone surrogates', () => {
    let seed = 7;
    let s = '';
    for (let i = 0; i < 100000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += String.fromCharCode(seed % 65536);
    }
    const { out } = quick(s);
    assert.strictEqual(out.scriptIncludes[0].name, 'HRUtils');
    assert.ok(out.problems.length <= 1);
  });
});
