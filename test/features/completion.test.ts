import * as assert from 'node:assert/strict';
import { CompletionItem, CompletionList, InsertTextFormat, TextEdit } from 'vscode-languageserver';
import { completion, resolveCompletionItem } from '../../server/src/features/completion';
import { businessRule, Fixture, LIBRARY, SCHEMA, withFixture } from './helpers';

interface Expect {
  /** Labels that come first, in this order. */
  top?: string[];
  /** Labels that must be in the list / must not be. */
  has?: string[];
  lacks?: string[];
  /** Insert text of the item with this label. */
  insert?: Record<string, string>;
}

async function complete(f: Fixture, snippets = true): Promise<CompletionList> {
  return completion(f.state, { textDocument: { uri: f.uri }, position: f.position }, undefined, { snippets, version: 1 });
}

function insertOf(item: CompletionItem): string {
  return (item.textEdit as TextEdit).newText;
}

/** Completes at `|` and checks labels, order and insert texts; returns the list for further checks. */
async function checkCompletion(fixture: string, expected: Expect, more?: (list: CompletionList, f: Fixture) => Promise<void> | void): Promise<void> {
  await withFixture(fixture, async (f) => {
    const list = await complete(f);
    const labels = list.items.map((i) => i.label);
    assert.equal(list.isIncomplete, true);
    if (expected.top) assert.deepEqual(labels.slice(0, expected.top.length), expected.top, `labels: ${labels.join(', ')}`);
    for (const l of expected.has ?? []) assert.ok(labels.includes(l), `${l} in ${labels.join(', ')}`);
    for (const l of expected.lacks ?? []) assert.ok(!labels.includes(l), `${l} not in ${labels.join(', ')}`);
    for (const [label, text] of Object.entries(expected.insert ?? {})) {
      const item = list.items.find((i) => i.label === label);
      assert.ok(item, `an item ${label}`);
      assert.equal(insertOf(item), text);
    }
    // Items keep the pipeline's order through sortText, and each replaces exactly the typed fragment.
    const sorted = [...list.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
    assert.deepEqual(sorted, labels);
    await more?.(list, f);
  });
}

describe('features: completion', function () {
  this.timeout(20_000);

  it('after `new `: Script Include classes, never classless functions, with constructor placeholders', () =>
    checkCompletion(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRU|
`, { top: ['HRUtils'], lacks: ['formatName', 'HRAjax'], insert: { HRUtils: 'HRUtils(${1:userId})$0' } }, (list, f) => {
      const edit = list.items[0].textEdit as TextEdit;
      assert.equal(edit.range.end.character - edit.range.start.character, 'HRU'.length);
      assert.equal(edit.range.end.character, f.position.character);
      assert.equal(list.items[0].insertTextFormat, InsertTextFormat.Snippet);
    }));

  it('after `new ` in another scope: the scoped name is inserted; private ones are not offered', () =>
    checkCompletion(`${LIBRARY}
//- acme/x_acme_it/business_rules/asset.js
var u = new HR|
`, { has: ['HRUtils', 'HRBase'], lacks: ['HRPrivate'], insert: { HRUtils: 'x_acme_hr.HRUtils(${1:userId})$0' } }));

  it('after `new scope.`: only that scope, name only', () =>
    checkCompletion(`${LIBRARY}
//- acme/global/business_rules/asset.js
var u = new x_acme_hr.|
`, { has: ['HRUtils', 'HRBase'], lacks: ['formatName', 'GlideRecord'], insert: { HRBase: 'HRBase()$0' } }));

  it('after `new ` platform classes with constructors are offered too', () =>
    checkCompletion(`${LIBRARY}
//- acme/global/business_rules/q.js
var gr = new GlideRec|
`, { has: ['GlideRecord'], insert: { GlideRecord: 'GlideRecord(${1:tableName})$0' } }));

  it('after `new Gl`: platform classes by use (the workspace constructs GlideRecord most), then by the platform prior', () =>
    checkCompletion(`${LIBRARY}
//- acme/global/business_rules/q.js
var when = new Gl|
`, { top: ['GlideRecord'] }, (list) => {
      const labels = list.items.map((i) => i.label);
      assert.ok(labels.indexOf('GlideDateTime') < 4, labels.slice(0, 8).join(', '));
      assert.ok(labels.indexOf('GlideDateTime') < labels.indexOf('GlideEmailOutbound'), labels.join(', '));
      assert.ok(labels.indexOf('GlideAggregate') < labels.indexOf('GlideScopedEvaluator'), labels.join(', '));
    }));

  it('after `x.` on a Script Include instance: its public methods, inherited ones included', () =>
    checkCompletion(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils(current.sys_id);
u.|
`, { has: ['getManager', 'getLeaveBalance', 'log'], lacks: ['initialize', '_secret', 'type'], insert: { getLeaveBalance: 'getLeaveBalance(${1:userId}, ${2:year})$0' } }));

  it('after `new X().` with a typed prefix', () =>
    checkCompletion(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var m = new HRUtils().getM|
`, { top: ['getManager'], lacks: ['getLeaveBalance'] }));

  it('after a platform receiver: catalog methods, filtered by the typed prefix', async () => {
    await checkCompletion(`${LIBRARY}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('incident');
gr.addQ|
`, { top: ['addQuery'], insert: { addQuery: 'addQuery(${1:name})$0' } });
    await checkCompletion(`${LIBRARY}
//- acme/global/business_rules/q.js
gs.getUs|
`, { has: ['getUserID', 'getUserName'], lacks: ['addQuery'] });
  });

  it('after a Glide object, its methods by use: the common ones first, never alphabetical', async () => {
    await checkCompletion(`${LIBRARY}
//- acme/global/business_rules/q.js
gs.|
`, { top: ['info', 'getProperty', 'getUserID'] }, (list) => {
      const labels = list.items.map((i) => i.label);
      assert.ok(labels.indexOf('eventQueue') < labels.findIndex((l) => l.startsWith('beginningOf')), labels.slice(0, 12).join(', '));
    });
    await checkCompletion(`${LIBRARY}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('incident');
gr.|
`, { top: ['addQuery', 'query'] }, (list) => {
      // The fixture's own Script Includes call get, getValue and getRowCount: those rise.
      const first20 = list.items.slice(0, 20).map((i) => i.label);
      assert.ok(first20.indexOf('getRowCount') < first20.indexOf('next'), first20.join(', '));
      for (const m of ['setValue', 'insert', 'update', 'getValue']) assert.ok(first20.includes(m), `${m} in the first 20: ${first20.join(', ')}`);
    });
    // `current` in a business rule is a GlideRecord, and ranks as one.
    await checkCompletion(`${LIBRARY}
//- acme/global/business_rules/q.js
(function executeRule(current, previous) {
  current.|
})(current, previous);
`, { has: ['update', 'getValue', 'setValue'] }, (list) => {
      const first10 = list.items.slice(0, 10).map((i) => i.label);
      assert.ok(first10.includes('update') && first10.includes('getValue'), first10.join(', '));
      assert.ok(!first10.includes('addJoinQuery'), first10.join(', '));
    });
  });

  it("inside `new GlideAjax('` in client code: client-callable Script Includes as api names", () =>
    checkCompletion(`${LIBRARY}
//- acme/x_acme_hr/client_scripts/onload.js
function onLoad() {
    var ga = new GlideAjax('|
}
`, { top: ['HRAjax'], lacks: ['HRUtils', 'HRBase'], insert: { HRAjax: 'x_acme_hr.HRAjax' } }));

  it("inside `addParam('sysparm_name', '`: that Script Include's public methods", () =>
    checkCompletion(`${LIBRARY}
//- acme/x_acme_hr/client_scripts/onload.js
var ga = new GlideAjax('x_acme_hr.HRAjax');
ga.addParam('sysparm_name', '|
`, { has: ['getManagerName', 'isOnLeave'], lacks: ['getManager'], insert: { isOnLeave: 'isOnLeave' } }));

  it('at a bare statement on the server: classes as `new X()`, classless functions as calls, platform globals', () =>
    checkCompletion(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
(function executeRule(current, previous) {
    // the leave balance of the employee's manager
    var days = |
})(current, previous);
`, { has: ['HRUtils', 'formatName', 'gs'], insert: { HRUtils: 'new HRUtils(${1:userId})$0', formatName: 'formatName(${1:first}, ${2:last})$0' } }));

  it('at a bare statement in a client script: a GlideAjax snippet for client-callable ones', () =>
    checkCompletion(`${LIBRARY}
//- acme/x_acme_hr/client_scripts/onchange.js
function onChange(control, oldValue, newValue) {
    |
}
`, { has: ['HRAjax'], lacks: ['HRUtils'] }, (list) => {
      const item = list.items.find((i) => i.label === 'HRAjax')!;
      assert.match(insertOf(item), /^var ga = new GlideAjax\('x_acme_hr\.HRAjax'\);\nga\.addParam\('sysparm_name', '\$\{1:\w+\}'\);\nga\.getXMLAnswer\(function\(answer\) \{\n\t\$0\n\}\);$/);
    }));

  it('plain insert texts when the client has no snippets', () =>
    withFixture(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRU|
`, async (f) => {
      const list = await complete(f, false);
      const item = list.items.find((i) => i.label === 'HRUtils')!;
      assert.equal(insertOf(item), 'HRUtils()');
      assert.equal(item.insertTextFormat, InsertTextFormat.PlainText);
    }));

  it('resolve fills markdown documentation from the small data', () =>
    checkCompletion(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils(); u.getMan|
`, { top: ['getManager'] }, (list, f) => {
      const item = list.items[0];
      assert.ok(JSON.stringify(item.data).length < 300, 'data stays small');
      assert.equal(item.documentation, undefined);
      const resolved = resolveCompletionItem(f.state, item);
      const doc = (resolved.documentation as { value: string }).value;
      assert.match(doc, /The manager of an employee\./);
      assert.match(doc, /new x_acme_hr\.HRUtils\(\)\.getManager\(userId\);/);
      assert.match(doc, /scope `x_acme_hr`/);
    }));

  it('answers an identical request from the cache, and a new version afresh', () =>
    withFixture(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRU|
`, async (f) => {
      const first = await complete(f);
      const again = await complete(f);
      assert.equal(again, first);
      assert.equal(f.state.completions.hits, 1);
      f.session.documents.change(f.uri, 2, [{ text: f.text }]);
      const fresh = await completion(f.state, { textDocument: { uri: f.uri }, position: f.position }, undefined, { snippets: true, version: 2 });
      assert.notEqual(fresh, first);
      assert.equal(f.state.completions.hits, 1);
    }));

  it('drops a request whose document has moved on, and a cancelled one', () =>
    withFixture(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRU|
`, async (f) => {
      f.session.documents.change(f.uri, 2, [{ text: f.text }]);
      const stale = await completion(f.state, { textDocument: { uri: f.uri }, position: f.position }, undefined, { snippets: true, version: 1 });
      assert.deepEqual(stale, { isIncomplete: true, items: [] });
      const cancelled = await completion(f.state, { textDocument: { uri: f.uri }, position: f.position }, { isCancellationRequested: true }, { snippets: true, version: 2 });
      assert.deepEqual(cancelled.items, []);
    }));

  it('offers nothing inside comments and respects completion.maxItems', async () => {
    await checkCompletion(`${LIBRARY}
//- acme/global/business_rules/q.js
// new HRU|
`, { top: [] }, (list) => assert.equal(list.items.length, 0));
    await withFixture(`${LIBRARY}
//- acme/global/business_rules/q.js
var x = |
`, async (f) => {
      const list = await complete(f);
      assert.equal(list.items.length, 2);
    }, { 'completion.maxItems': 2 });
  });
});

describe('features: completion of tables, fields and properties', function () {
  this.timeout(20_000);

  it("inside `new GlideRecord('`: the tables the workspace uses first, then its own, then the platform's", () =>
    checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('|');
`, { has: ['x_acme_hr_leave', 'sys_user', 'incident', 'sys_user_group'], lacks: ['HRUtils', 'GlideRecord'], insert: { incident: 'incident' } }, (list, f) => {
      const labels = list.items.map((i) => i.label);
      // The library's code names sys_user and x_acme_hr_leave; the platform's incident comes after them.
      assert.ok(labels.indexOf('x_acme_hr_leave') < labels.indexOf('incident') && labels.indexOf('sys_user') < labels.indexOf('incident'), labels.slice(0, 8).join(', '));
      const edit = list.items[0].textEdit as TextEdit;
      assert.deepEqual(edit.range.start, f.position);
      assert.equal(list.items.find((i) => i.label === 'x_acme_hr_leave')!.detail, 'Leave Request (extends task)');
    }));

  it('a typed table prefix narrows to names that start with it, then names with a word that does', () =>
    checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var ga = new GlideAggregate('sys_user_g|
`, { top: ['sys_user_group', 'sys_user_grmember'], lacks: ['incident'] }, (list, f) => {
      const edit = list.items[0].textEdit as TextEdit;
      assert.equal(f.position.character - edit.range.start.character, 'sys_user_g'.length);
    }));

  it("inside `gr.addQuery('`: the fields of gr's table, its own and inherited, then system fields", () =>
    checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('x_acme_hr_leave');
gr.addQuery('|
`, { has: ['days', 'approver', 'short_description', 'assigned_to', 'sys_id'], lacks: ['addQuery', 'HRUtils'] }, (list) => {
      const labels = list.items.map((i) => i.label);
      // employee is what the workspace's code queries on this table; the table's own fields before task's.
      assert.equal(labels[0], 'employee');
      assert.ok(labels.indexOf('days') < labels.indexOf('short_description'), labels.slice(0, 8).join(', '));
      assert.ok(labels.indexOf('sys_id') > labels.indexOf('short_description'));
      assert.equal(list.items.find((i) => i.label === 'approver')!.detail, 'Approver (reference to sys_user)');
    }));

  it('field names in getValue, orderBy and the terms of an encoded query; nothing in value arguments', async () => {
    await checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var inc = new GlideRecord('incident');
inc.orderByDesc('opened_|
`, { has: ['opened_at', 'opened_by'], lacks: ['closed_at'] });
    await checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var inc = new GlideRecord('incident');
inc.addEncodedQuery('active=true^ORpriority=1^cal|
`, { top: ['caller_id'] }, (list, f) => {
      const edit = list.items[0].textEdit as TextEdit;
      assert.equal(f.position.character - edit.range.start.character, 'cal'.length);
    });
    for (const code of ["inc.addQuery('active', '|", "inc.addEncodedQuery('active=tr|", "gs.info('|", "var s = 'inc|"]) {
      await checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var inc = new GlideRecord('incident');
${code}
`, { top: [] }, (list) => assert.deepEqual(list.items.map((i) => i.label), [], code));
    }
  });

  it("`current.` in a business rule: the fields of its table, then GlideRecord's methods", () =>
    checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/x_acme_hr/update/sys_script_check.xml
${businessRule('x_acme_hr_leave', `(function executeRule(current, previous) {
    if (current.days > 10) current.setAbortAction(true);
    current.|
})(current, previous);`)}`, { top: ['days'], has: ['approver', 'short_description', 'update', 'setValue'] }, (list) => {
      // Fields first (half the list at most), then the methods, then the rest of the fields.
      const labels = list.items.map((i) => i.label);
      assert.ok(labels.indexOf('approver') < labels.indexOf('update'), labels.join(', '));
      assert.ok(labels.indexOf('update') < 30, labels.join(', '));
    }));

  it("`current.getValue('` and `previous.` follow the business rule's table too", async () => {
    await checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/x_acme_hr/update/sys_script_check.xml
${businessRule('x_acme_hr_leave', `var d = current.getValue('da|`)}`, { top: ['days'] });
    await checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/x_acme_hr/update/sys_script_check.xml
${businessRule('incident', `if (previous.cal|`)}`, { top: ['caller_id'] });
  });

  it("`g_form.getValue('` in a client script: the fields of the script's table", () =>
    checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/x_acme_hr/update/sys_script_client_leave.xml
<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_script_client">
  <sys_script_client action="INSERT_OR_UPDATE"><name>Warn long leave</name><table>x_acme_hr_leave</table><type>onChange</type>
  <sys_scope display_value="HR">x_acme_hr</sys_scope><script><![CDATA[function onChange(control, oldValue, newValue) {
    g_form.setMandatory('|
}]]></script></sys_script_client>
</record_update>
`, { has: ['days', 'approver', 'short_description'], lacks: ['HRAjax'] }));

  it("inside `gs.getProperty('`: the workspace's system properties, with their descriptions", () =>
    checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var max = gs.getProperty('x_acme|
`, { top: ['x_acme_hr.max_leave_days'] }, (list, f) => {
      assert.equal(list.items[0].detail, 'Most days one request may ask for.');
      const doc = (resolveCompletionItem(f.state, list.items[0]).documentation as { value: string }).value;
      assert.match(doc, /defined in this workspace/);
    }));

  it('resolve documents a field: label, type, where it is inherited from', () =>
    checkCompletion(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('x_acme_hr_leave');
gr.getValue('assigned|
`, { top: ['assigned_to'] }, (list, f) => {
      const doc = (resolveCompletionItem(f.state, list.items[0]).documentation as { value: string }).value;
      assert.match(doc, /\*\*x_acme_hr_leave\.assigned_to\*\*/);
      assert.match(doc, /reference to sys_user/);
      assert.match(doc, /Inherited from `task`/);
    }));
});
