import * as assert from 'node:assert/strict';
import { documentDiagnostics } from '../../server/src/features/diagnostics';
import { LIBRARY, withFixture } from './helpers';

/** Diagnostics of the fixture's main file as `code: text-under-range`, in document order. */
async function checkDiagnostics(fixture: string, expected: string[], settings?: Record<string, unknown>): Promise<void> {
  await withFixture(
    fixture,
    (f) => {
      const diags = documentDiagnostics(f.state, f.uri);
      const lines = f.text.split('\n');
      const got = diags.map((d) => {
        assert.equal(d.source, 'deepcodeseek');
        const message = String(d.message);
        assert.ok(message.length > 10 && message.length < 120, message);
        return `${d.code}: ${lines[d.range.start.line].slice(d.range.start.character, d.range.end.character)}`;
      });
      assert.deepEqual(got, expected);
    },
    settings,
  );
}

describe('features: diagnostics', function () {
  this.timeout(20_000);

  it('reports a method the Script Include does not define, inherited ones count as defined', () =>
    checkDiagnostics(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils();
u.getManager('a');
u.log('inherited from HRBase');
u.getManagr('typo');
new HRUtils().fetchEverything();
`, ['unknown-method: getManagr', 'unknown-method: fetchEverything']));

  it('reports a cross-scope call to a Script Include that is not public, not one from its own scope', async () => {
    await checkDiagnostics(`${LIBRARY}
//- acme/x_acme_it/business_rules/cleanup.js
new x_acme_hr.HRPrivate().purge(30);
new x_acme_hr.HRUtils().getManager('a');
`, ['not-accessible: HRPrivate']);
    await checkDiagnostics(`${LIBRARY}
//- acme/x_acme_hr/business_rules/cleanup.js
new HRPrivate().purge(30);
`, []);
  });

  it('reports a GlideAjax call to a Script Include that is not client-callable, and a sysparm_name it lacks', () =>
    checkDiagnostics(`${LIBRARY}
//- acme/x_acme_hr/client_scripts/onload.js
var ga = new GlideAjax('x_acme_hr.HRUtils');
var gb = new GlideAjax('x_acme_hr.HRAjax');
gb.addParam('sysparm_name', 'getManagerName');
gb.addParam('sysparm_name', 'noSuchMethod');
`, ['not-client-callable: HRUtils', 'unknown-method: noSuchMethod']));

  it('stays quiet on platform APIs, unknown names and parents outside the workspace', () =>
    checkDiagnostics(`${LIBRARY}
//- acme/x_acme_hr/business_rules/quiet.js
var gr = new GlideRecord('incident');
gr.noSuchGlideMethod();
gs.whatever();
new SomethingElse().anything();
new HRAjax().getParameter('sysparm_user');
`, []));

  it('works inside XML record scripts, with ranges in the XML file', () =>
    checkDiagnostics(`${LIBRARY}
//- acme/x_acme_hr/update/sys_script_0009.xml
<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_script">
    <sys_script action="INSERT_OR_UPDATE">
        <active>true</active>
        <name>Bad call</name>
        <script><![CDATA[new HRUtils().nope();
new HRUtils().getManager('x');]]></script>
        <sys_scope display_value="Acme HR">x_acme_hr</sys_scope>
    </sys_script>
</record_update>
`, ['unknown-method: nope']));

  it('is off when diagnostics.enabled is false', () =>
    checkDiagnostics(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
new HRUtils().getManagr('typo');
`, [], { 'diagnostics.enabled': false }));
});
