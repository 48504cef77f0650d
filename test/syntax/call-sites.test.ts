import * as assert from 'node:assert';
import type { CallSite } from '../../server/src/model';
import { extractRecord } from '../../server/src/syntax/extract';
import { lines, rangeOf, record } from './helpers';

function sites(script: string, over = {}): CallSite[] {
  return extractRecord(record(script, { table: 'sys_script', name: 'On assign', collection: 'incident', ...over }), 'br.js').callSites;
}

function brief(s: CallSite[]): string[] {
  return s.map((c) => [c.form, c.qualifier ? `${c.qualifier}.${c.target}` : c.target, c.method ?? ''].join(' ').trim());
}

describe('call sites: new and instance methods', () => {
  it('finds new X(, new scope.X( and a method chained on the instance', () => {
    const script = 'var a = new HRUtils(); new x_acme_hr.Payroll().run(1);';
    const s = sites(script);
    assert.deepStrictEqual(brief(s), ['new HRUtils', 'new x_acme_hr.Payroll run']);
    assert.deepStrictEqual(s[1].range, rangeOf(script, 'Payroll'));
    assert.strictEqual(s[1].targetOffset, script.indexOf('x_acme_hr'));
    assert.strictEqual(s[1].scriptOffset, script.indexOf('new x_acme_hr'));
  });

  it('follows a variable holding the instance to its first method call', () => {
    const s = sites(lines('var util = new HRUtils();', "var m = util.getManager(current.caller_id);", 'util.other();'));
    assert.deepStrictEqual(brief(s), ['new HRUtils getManager']);
  });

  it('follows this.x = new X() to this.x.m(', () => {
    const s = sites(lines('this.helper = new TaskHelper();', 'this.helper.close(current);'));
    assert.deepStrictEqual(brief(s), ['new TaskHelper close']);
  });

  it('forgets a variable once it is reassigned', () => {
    const s = sites(lines('var u = new HRUtils();', 'u = {};', 'u.ping();'));
    assert.deepStrictEqual(brief(s), ['new HRUtils']);
  });
});

describe('call sites: static, function and extends', () => {
  it('finds X.m( and scope.X.m( but not builtins or Glide classes', () => {
    const s = sites(lines(
      'var v = ArrayUtil.unique(list);',
      'x_acme_hr.Rules.apply(current);',
      'JSON.stringify(v); Math.max(1, 2); GlideDateTime.subtract(a, b); gs.info("x");',
    ));
    assert.deepStrictEqual(brief(s), ['static ArrayUtil unique', 'static x_acme_hr.Rules apply']);
  });

  it('finds bare calls to undeclared functions only', () => {
    const s = sites(lines(
      'function local() {}',
      'var fn = function() {};',
      'local(); fn(); parseInt("1"); getMessage("k");',
      'var members = getGroupMembers(current.assignment_group);',
      'x_acme_hr.lookupUser(id);',
    ));
    assert.deepStrictEqual(brief(s), ['function getGroupMembers', 'function x_acme_hr.lookupUser']);
  });

  it('finds Object.extendsObject(X, ...) and class Y extends X', () => {
    const s = sites(lines(
      'var A = Object.extendsObject(x_acme.Base, {});',
      'class B extends Shared {}',
    ), { table: 'unknown', name: 'misc' });
    assert.deepStrictEqual(brief(s).sort(), ['extends Shared', 'extends x_acme.Base']);
  });
});

describe('call sites: GlideAjax', () => {
  const client = { table: 'sys_script_client', name: 'onLoad manager', side: 'client' as const };

  it('reads the target from the string and the method from sysparm_name', () => {
    const script = lines(
      'function onLoad() {',
      "  var ga = new GlideAjax('x_acme_hr.HRAjax');",
      "  ga.addParam('sysparm_user', g_user.userID);",
      "  ga.addParam('sysparm_name', 'getManager');",
      '  ga.getXMLAnswer(function(a) {});',
      '}',
    );
    const s = sites(script, client);
    assert.deepStrictEqual(brief(s), ['glide-ajax x_acme_hr.HRAjax getManager']);
    assert.strictEqual(s[0].targetOffset, script.indexOf('x_acme_hr.HRAjax'));
    assert.deepStrictEqual(s[0].range, rangeOf(script, 'HRAjax'));
    assert.strictEqual(s[0].side, 'client');
    assert.strictEqual(s[0].callerTable, 'sys_script_client');
  });

  it('resolves a string held in a variable', () => {
    const script = lines("var name = 'HRAjax';", 'var ga = new GlideAjax(name);', "ga.addParam('sysparm_name', 'ping');");
    const s = sites(script, client);
    assert.deepStrictEqual(brief(s), ['glide-ajax HRAjax ping']);
    assert.strictEqual(s[0].targetOffset, script.indexOf("'HRAjax'") + 1);
  });
});

describe('call sites: record details and snippets', () => {
  it('carries the caller record and a bounded snippet around the call', () => {
    const before = Array.from({ length: 10 }, (_, i) => `var v${i} = ${i};`);
    const script = lines(...before, 'var x = new HRUtils();', 'x.go();', 'var after1 = 1;', 'var after2 = 2;', 'var after3 = 3;');
    const [s] = sites(script);
    assert.strictEqual(s.callerName, 'On assign');
    assert.strictEqual(s.collection, 'incident');
    assert.strictEqual(s.scope, 'x_acme_hr');
    assert.ok(s.snippet!.includes('new HRUtils()'));
    assert.ok(s.snippet!.includes('var v4') && !s.snippet!.includes('var v3'), 'six lines before');
    assert.ok(s.snippet!.includes('var after1') && !s.snippet!.includes('after2'), 'two lines after');
  });

  it('keeps a snippet of a very long line under 600 characters, call included', () => {
    const script = 'var pad = "' + 'x'.repeat(5000) + '"; var u = new HRUtils(); var tail = "' + 'y'.repeat(5000) + '";';
    const [s] = sites(script);
    assert.ok(s.snippet!.length <= 600);
    assert.ok(s.snippet!.includes('new HRUtils()'));
  });

  it('excludes a Script Include\'s references to itself', () => {
    const out = extractRecord(record(lines(
      'var HRUtils = Class.create();',
      'HRUtils.prototype = {',
      '  a: function() { return new HRUtils().b() + HRUtils.c() + new Payroll().d(); },',
      '};',
      'HRUtils.c = function() {};',
    )), 'si.js');
    assert.deepStrictEqual(brief(out.callSites), ['new Payroll d']);
    assert.deepStrictEqual(out.scriptIncludes[0].calls, ['Payroll']);
  });
});
