import * as assert from 'node:assert/strict';
import { hover, hoverFormatOf } from '../../server/src/features/hover';
import { businessRule, LIBRARY, SCHEMA, withFixture } from './helpers';

/** The hover markdown at the `|` of the fixture, or undefined when there is none. */
async function checkHover(fixture: string, expected: { includes: string[]; excludes?: string[] } | undefined): Promise<void> {
  await withFixture(fixture, (f) => {
    const h = hover(f.state, { textDocument: { uri: f.uri }, position: f.position });
    if (!expected) {
      assert.equal(h, null);
      return;
    }
    assert.ok(h, 'a hover');
    const value = (h.contents as { value: string }).value;
    for (const s of expected.includes) assert.ok(value.includes(s), `hover holds ${JSON.stringify(s)}:\n${value}`);
    for (const s of expected.excludes ?? []) assert.ok(!value.includes(s), `hover lacks ${JSON.stringify(s)}`);
  });
}

describe('features: hover', function () {
  this.timeout(20_000);

  it('on a Script Include name after `new`: signature, summary, scope, file', () =>
    checkHover(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUt|ils(current.sys_id);
`, { includes: ['class x_acme_hr.HRUtils extends HRBase', 'Helpers for HR cases', 'scope `x_acme_hr`', 'HRUtils.js', 'new HRUtils(userId: string, strict?: boolean)'] }));

  it('on a method of a variable holding a Script Include, with JSDoc params and returns', () =>
    checkHover(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils();
var m = u.getMan|ager(current.caller_id);
`, { includes: ['x_acme_hr.HRUtils.getManager(userId: string): string', 'The manager of an employee.', '`userId`', "Returns *string* — the manager's sys_id"] }));

  it('on an inherited method says where it comes from', () =>
    checkHover(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
new HRUtils().lo|g('x');
`, { includes: ['Writes a line to the HR log.', 'inherited from `x_acme_hr.HRBase`'] }));

  it('on the Script Include named in a GlideAjax string, marked client-callable', () =>
    checkHover(`${LIBRARY}
//- acme/x_acme_hr/client_scripts/onload.js
var ga = new GlideAjax('x_acme_hr.HRA|jax');
`, { includes: ['class x_acme_hr.HRAjax', 'client-callable'] }));

  it('on the sysparm_name method of a GlideAjax call', () =>
    checkHover(`${LIBRARY}
//- acme/x_acme_hr/client_scripts/onload.js
var ga = new GlideAjax('x_acme_hr.HRAjax');
ga.addParam('sysparm_name', 'getManag|erName');
`, { includes: ['x_acme_hr.HRAjax.getManagerName()', 'The manager of the user in sysparm_user.'] }));

  it('on the parent in Object.extendsObject', () =>
    checkHover(`${LIBRARY}
//- acme/x_acme_hr/script_includes/HRMore.js
var HRMore = Class.create();
HRMore.prototype = Object.extendsObject(HRUt|ils, { type: 'HRMore' });
`, { includes: ['class x_acme_hr.HRUtils'] }));

  it('on a classless function call', () =>
    checkHover(`${LIBRARY}
//- acme/global/business_rules/name.js
var n = formatN|ame('Ada', 'Lovelace');
`, { includes: ['function global.formatName(first: string, last: string)', "Formats a person's name"] }));

  it('on platform APIs: a GlideRecord method and gs', async () => {
    await checkHover(`${LIBRARY}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('incident');
gr.addQ|uery('active', true);
`, { includes: ['GlideRecord.addQuery(name: string', 'Platform API (server)'] });
    await checkHover(`${LIBRARY}
//- acme/global/business_rules/q.js
g|s.info('x');
`, { includes: ['gs: GlideSystem'] });
  });

  it('gives nothing on unknown names, local variables and comments', async () => {
    await checkHover(`${LIBRARY}
//- acme/global/business_rules/q.js
var x = new Unkn|ownThing();
`, undefined);
    await checkHover(`${LIBRARY}
//- acme/global/business_rules/q.js
// new HRU|tils()
`, undefined);
  });

  it('inside the CDATA of an XML record', () =>
    checkHover(`${LIBRARY}
//- acme/x_acme_hr/update/sys_script_0002.xml
<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_script">
    <sys_script action="INSERT_OR_UPDATE">
        <active>true</active>
        <collection>x_acme_hr_case</collection>
        <name>Route case</name>
        <script><![CDATA[(function executeRule(current, previous) {
    var mgr = new HRUtils().getMan|ager(current.opened_for);
})(current, previous);]]></script>
        <sys_scope display_value="Acme HR">x_acme_hr</sys_scope>
    </sys_script>
</record_update>
`, { includes: ['x_acme_hr.HRUtils.getManager'] }));

  it('writes plain text, without fences or marks, for a client that asks for it', () =>
    withFixture(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUt|ils(current.sys_id);
`, (f) => {
      const h = hover(f.state, { textDocument: { uri: f.uri }, position: f.position }, undefined, hoverFormatOf(['plaintext']));
      const contents = h?.contents as { kind: string; value: string };
      assert.equal(contents.kind, 'plaintext');
      assert.ok(contents.value.includes('class x_acme_hr.HRUtils extends HRBase'), contents.value);
      assert.ok(!/```|\*\*|`/.test(contents.value), contents.value);
      assert.equal(hoverFormatOf(undefined), 'markdown');
      assert.equal(hoverFormatOf(['markdown', 'plaintext']), 'markdown');
      assert.equal(hoverFormatOf(['plaintext', 'markdown']), 'plaintext');
    }));

  it('on a table, field or property name: what the data model says of it', async () => {
    await checkHover(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('x_acme_hr_le|ave');
`, { includes: ['**x_acme_hr_leave** — Leave Request', 'Extends `task`', 'Defined in this workspace'] });
    await checkHover(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('x_acme_hr_leave');
gr.addQuery('appr|over', gs.getUserID());
`, { includes: ['**x_acme_hr_leave.approver** — Approver', 'reference to sys_user'] });
    await checkHover(`${LIBRARY}${SCHEMA}
//- acme/x_acme_hr/update/sys_script_check.xml
${businessRule('incident', 'if (current.call|er_id.nil()) return;')}`, { includes: ['**incident.caller_id**', 'reference to sys_user'] });
    await checkHover(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
var max = gs.getProperty('x_acme_hr.max_le|ave_days');
`, { includes: ['**x_acme_hr.max_leave_days** (`integer`)', 'Most days one request may ask for.'] });
    // A string that names nothing, and a field of a table nobody knows, have no hover.
    await checkHover(`${LIBRARY}${SCHEMA}
//- acme/global/business_rules/q.js
gs.info('x_acme_hr_le|ave');
`, undefined);
  });
});
