import * as assert from 'node:assert/strict';
import { definition } from '../../server/src/features/definition';
import { Fixture, LIBRARY, withFixture } from './helpers';

/** Asserts the definition at `|` is in `file` and its range covers `name` there (or that there is none). */
async function checkDefinition(fixture: string, expected: { file: string; name: string } | undefined, read?: (f: Fixture, rel: string) => Promise<string>): Promise<void> {
  await withFixture(fixture, async (f) => {
    const loc = definition(f.state, { textDocument: { uri: f.uri }, position: f.position });
    if (!expected) {
      assert.equal(loc, null);
      return;
    }
    assert.ok(loc, 'a definition');
    assert.equal(loc.uri, f.uriOf(expected.file));
    const text = read ? await read(f, expected.file) : await readText(f, expected.file);
    const lines = text.split('\n');
    const { start, end } = loc.range;
    assert.equal(start.line, end.line);
    assert.equal(lines[start.line].slice(start.character, end.character), expected.name);
  });
}

async function readText(f: Fixture, rel: string): Promise<string> {
  const { promises: fs } = await import('fs');
  const path = await import('path');
  return fs.readFile(path.join(f.root, rel), 'utf8');
}

describe('features: definition', function () {
  this.timeout(20_000);

  it('goes from `new X` to the Script Include', () =>
    checkDefinition(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new x_acme_hr.HRUt|ils();
`, { file: 'acme/x_acme_hr/script_includes/HRUtils.js', name: 'HRUtils' }));

  it('goes from a method call to the method, and to the ancestor for inherited methods', async () => {
    await checkDefinition(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils();
u.getLeaveBal|ance(current.sys_id, 2025);
`, { file: 'acme/x_acme_hr/script_includes/HRUtils.js', name: 'getLeaveBalance' });
    await checkDefinition(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils();
u.l|og('hello');
`, { file: 'acme/x_acme_hr/script_includes/HRBase.js', name: 'log' });
  });

  it('goes from inside XML CDATA to a Script Include defined in another XML record', () =>
    checkDefinition(`${LIBRARY}
//- acme/x_acme_hr/update/sys_script_0003.xml
<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_script">
    <sys_script action="INSERT_OR_UPDATE">
        <active>true</active>
        <name>Purge</name>
        <script><![CDATA[new HRPrivate().pu|rge(30);]]></script>
        <sys_scope display_value="Acme HR">x_acme_hr</sys_scope>
    </sys_script>
</record_update>
`, { file: 'acme/x_acme_hr/update/sys_script_include_0001.xml', name: 'purge' }));

  it('goes from a GlideAjax sysparm_name to the method', () =>
    checkDefinition(`${LIBRARY}
//- acme/x_acme_hr/client_scripts/onload.js
var ga = new GlideAjax('x_acme_hr.HRAjax');
ga.addParam('sysparm_name', 'isOnLe|ave');
`, { file: 'acme/x_acme_hr/script_includes/HRAjax.js', name: 'isOnLeave' }));

  it('goes to the included .js file of a Fluent Script Include', () =>
    checkDefinition(`
//- fluent/now.config.json
{ "scope": "x_acme_cmdb", "name": "Acme CMDB" }
//- fluent/src/fluent/si.now.ts
import { ScriptInclude } from '@servicenow/sdk/core'
ScriptInclude({
    $id: Now.ID['ci-utils'],
    name: 'CIUtils',
    apiName: 'x_acme_cmdb.CIUtils',
    script: Now.include('../server/CIUtils.server.js'),
    access: 'public',
})
//- fluent/src/server/CIUtils.server.js
var CIUtils = Class.create();
CIUtils.prototype = {
    initialize: function() {},
    isOperational: function(ciId) { return true; },
    type: 'CIUtils'
};
//- fluent/src/server/caller.server.js
var ok = new CIUtils().isOpera|tional('abc');
`, { file: 'fluent/src/server/CIUtils.server.js', name: 'isOperational' }));

  it('gives nothing for platform APIs and unknown names', async () => {
    await checkDefinition(`${LIBRARY}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('incident'); gr.addQ|uery('a', 1);
`, undefined);
    await checkDefinition(`${LIBRARY}
//- acme/global/business_rules/q.js
new HRUtils().nope|Method();
`, undefined);
  });
});
