import * as assert from 'node:assert';
import type { ScriptIncludeInfo } from '../../server/src/model';
import { extractRecord } from '../../server/src/syntax/extract';
import { lines, rangeOf, record } from './helpers';

function only(script: string, name = 'HRUtils', table = 'sys_script_include'): ScriptIncludeInfo {
  const out = extractRecord(record(script, { name, table }), 'si.js');
  assert.strictEqual(out.scriptIncludes.length, 1, 'one Script Include');
  return out.scriptIncludes[0];
}

function method(si: ScriptIncludeInfo, name: string) {
  const m = si.methods.find((x) => x.name === name);
  assert.ok(m, `method ${name} in ${si.methods.map((x) => x.name).join(', ')}`);
  return m;
}

describe('script includes: Class.create + prototype', () => {
  const script = lines(
    '/** HR helpers for managers. */',
    'var HRUtils = Class.create();',
    'HRUtils.prototype = {',
    '    initialize: function() {},',
    '    /**',
    '     * Returns the manager of a user.',
    '     * @param {string} userId sys_id of the user',
    '     */',
    '    getManager: function(userId, depth) {',
    "        var gr = new GlideRecord('sys_user');",
    "        gr.addQuery('sys_id', userId);",
    '        gr.query();',
    "        return gr.next() ? gr.getValue('manager') : '';",
    '    },',
    '    _helper: function() {},',
    "    type: 'HRUtils'",
    '};',
  );
  const si = only(script);

  it('is a class-create with its methods and no `type`', () => {
    assert.strictEqual(si.kind, 'class-create');
    assert.deepStrictEqual(si.methods.map((m) => m.name), ['initialize', 'getManager', '_helper']);
    assert.strictEqual(si.apiName, 'x_acme_hr.HRUtils');
    assert.strictEqual(si.access, 'public');
    assert.strictEqual(si.clientCallable, false);
    assert.strictEqual(si.jsdoc?.summary, 'HR helpers for managers.');
  });

  it('marks initialize and _names private', () => {
    assert.strictEqual(method(si, 'initialize').isPrivate, true);
    assert.strictEqual(method(si, '_helper').isPrivate, true);
    assert.strictEqual(method(si, 'getManager').isPrivate, false);
  });

  it('merges params with JSDoc and reads tables and Glide APIs', () => {
    const m = method(si, 'getManager');
    assert.deepStrictEqual(m.params, [{ name: 'userId', type: 'string', description: 'sys_id of the user' }, { name: 'depth' }]);
    assert.strictEqual(m.jsdoc?.summary, 'Returns the manager of a user.');
    assert.deepStrictEqual(m.tables, ['sys_user']);
    assert.deepStrictEqual(m.glideApis, ['GlideRecord', 'GlideRecord.addQuery', 'GlideRecord.query', 'GlideRecord.next', 'GlideRecord.getValue']);
    assert.deepStrictEqual(si.tables, ['sys_user']);
  });

  it('points ranges at the names', () => {
    assert.deepStrictEqual(si.nameRange, rangeOf(script, 'HRUtils'));
    assert.deepStrictEqual(method(si, 'getManager').nameRange, rangeOf(script, 'getManager'));
    assert.deepStrictEqual(method(si, 'getManager').range.start, rangeOf(script, 'getManager').start);
  });
});

describe('script includes: Object.extendsObject', () => {
  it('reads the parent as written and defaults clientCallable for Ajax processors', () => {
    const si = only(lines(
      'var HRAjax = Class.create();',
      'HRAjax.prototype = Object.extendsObject(global.AbstractAjaxProcessor, {',
      "    getName: function() { return this.getParameter('sysparm_id'); },",
      "    type: 'HRAjax'",
      '});',
    ), 'HRAjax');
    assert.strictEqual(si.kind, 'extends-object');
    assert.strictEqual(si.parent, 'global.AbstractAjaxProcessor');
    assert.strictEqual(si.clientCallable, true);
    assert.deepStrictEqual(si.methods.map((m) => m.name), ['getName']);
  });

  it('keeps a scoped parent and the record clientCallable', () => {
    const out = extractRecord(record(lines(
      'var Child = Class.create();',
      'Child.prototype = Object.extendsObject(x_acme.BaseUtil, { run: function() {} });',
    ), { name: 'Child', clientCallable: false, access: 'package_private' }), 'c.js');
    const si = out.scriptIncludes[0];
    assert.strictEqual(si.parent, 'x_acme.BaseUtil');
    assert.strictEqual(si.clientCallable, false);
    assert.strictEqual(si.access, 'package_private');
    assert.ok(out.callSites.some((c) => c.form === 'extends' && c.target === 'BaseUtil' && c.qualifier === 'x_acme'));
  });

  it('finds the class inside an IIFE and on a scoped name', () => {
    const si = only(lines(
      '(function() {',
      '  x_acme.Scoped = Class.create();',
      '  x_acme.Scoped.prototype = Object.extendsObject(AbstractAjaxProcessor, {',
      '    ping: function() {}',
      '  });',
      '})();',
    ), 'Scoped', 'unknown');
    assert.strictEqual(si.name, 'Scoped');
    assert.strictEqual(si.kind, 'extends-object');
    assert.strictEqual(si.parent, 'AbstractAjaxProcessor');
    assert.deepStrictEqual(si.methods.map((m) => m.name), ['ping']);
  });
});

describe('script includes: ES classes', () => {
  it('reads constructor, methods, statics, private names and the parent', () => {
    const si = only(lines(
      'class Cart extends x_acme.Base {',
      '  constructor(a) { super(a); }',
      '  add(item, qty = 1) {}',
      '  static create() {}',
      '  #secret() {}',
      '}',
    ), 'Cart');
    assert.strictEqual(si.kind, 'es-class');
    assert.strictEqual(si.parent, 'x_acme.Base');
    assert.deepStrictEqual(si.methods.map((m) => [m.name, m.isStatic, m.isPrivate]), [
      ['constructor', false, true],
      ['add', false, false],
      ['create', true, false],
      ['#secret', false, true],
    ]);
    assert.deepStrictEqual(method(si, 'add').params, [{ name: 'item' }, { name: 'qty', optional: true }]);
  });

  it('reads a class expression bound to a variable', () => {
    const si = only('var Shelf = class { put(x) {} };', 'Shelf', 'unknown');
    assert.strictEqual(si.kind, 'es-class');
    assert.deepStrictEqual(si.methods.map((m) => m.name), ['put']);
  });
});

describe('script includes: classless functions', () => {
  it('takes a function declaration as its own one method', () => {
    const script = lines('// Lists the members of a group.', 'function getGroupMembers(groupId) {', "  var gr = new GlideRecord('sys_user_grmember');", '}');
    const si = only(script, 'getGroupMembers');
    assert.strictEqual(si.kind, 'classless-function');
    assert.deepStrictEqual(si.methods.map((m) => m.name), ['getGroupMembers']);
    assert.deepStrictEqual(si.methods[0].params, [{ name: 'groupId' }]);
    assert.strictEqual(si.methods[0].jsdoc?.summary, 'Lists the members of a group.');
    assert.deepStrictEqual(si.tables, ['sys_user_grmember']);
  });

  it('accepts a function expression and requires the file stem for unknown files', () => {
    assert.strictEqual(only('var getGroupMembers = function (groupId) {};', 'getGroupMembers', 'unknown').kind, 'classless-function');
    const other = extractRecord(record('function helper() {}', { table: 'unknown', name: 'notes' }), 'notes.js');
    assert.deepStrictEqual(other.scriptIncludes, []);
    assert.strictEqual(other.caller?.table, 'unknown');
  });
});

describe('script includes: revealing modules and object literals', () => {
  it('makes returned names public and the rest private', () => {
    const si = only(lines(
      'var Pricing = (function() {',
      '  function round(x) { return x; }',
      '  var tax = function(amount) { return round(amount); };',
      '  /** Adds tax. */',
      '  function total(amount) { return amount + tax(amount); }',
      '  return { total: total, tax: tax, version: function() {} };',
      '})();',
    ), 'Pricing', 'unknown');
    assert.strictEqual(si.kind, 'revealing-module');
    assert.deepStrictEqual(si.methods.map((m) => [m.name, m.isPrivate]).sort(), [
      ['round', true],
      ['tax', false],
      ['total', false],
      ['version', false],
    ]);
    assert.strictEqual(method(si, 'total').jsdoc?.summary, 'Adds tax.');
    // The inner helper is local: not a call to another Script Include.
    assert.deepStrictEqual(si.calls, []);
  });

  it('reads an object literal of functions', () => {
    const si = only("var DateUtils = { addDays: function(d, n) {}, label: 'x', fmt(d) {} };", 'DateUtils', 'unknown');
    assert.strictEqual(si.kind, 'object-literal');
    assert.deepStrictEqual(si.methods.map((m) => m.name), ['addDays', 'fmt']);
  });
});

describe('script includes: static and prototype-assigned members', () => {
  it('marks X.m = function static and counts X.prototype.m', () => {
    const si = only(lines(
      'var Box = Class.create();',
      'Box.prototype = { initialize: function() {} };',
      'Box.prototype.open = function(lid) {};',
      'Box.make = function() { return new Box(); };',
    ), 'Box');
    assert.deepStrictEqual(si.methods.map((m) => [m.name, m.isStatic]), [
      ['initialize', false],
      ['open', false],
      ['make', true],
    ]);
  });
});

describe('script includes: records that say little', () => {
  it('returns name-only for oversized and empty scripts', () => {
    for (const r of [record('var A = Class.create();', { oversized: true }), record('   ')]) {
      const out = extractRecord(r, 'x.js');
      assert.strictEqual(out.scriptIncludes.length, 1);
      assert.strictEqual(out.scriptIncludes[0].kind, 'name-only');
      assert.deepStrictEqual(out.scriptIncludes[0].methods, []);
      assert.deepStrictEqual(out.callSites, []);
    }
  });

  it('keeps the record name when the script names its class differently', () => {
    const out = extractRecord(record('var HR_Utils = Class.create(); HR_Utils.prototype = { a: function() {} };', { name: 'HRUtils', apiName: 'x_acme_hr.HRUtils' }), 'x.js');
    assert.strictEqual(out.scriptIncludes[0].name, 'HRUtils');
    assert.strictEqual(out.scriptIncludes[0].apiName, 'x_acme_hr.HRUtils');
    assert.strictEqual(out.scriptIncludes[0].kind, 'class-create');
  });

  it('falls back to name-only when no shape is there', () => {
    const out = extractRecord(record("gs.info('hello');"), 'x.js');
    assert.strictEqual(out.scriptIncludes[0].kind, 'name-only');
    assert.strictEqual(out.caller, undefined);
  });
});
