import * as assert from 'node:assert/strict';
import { factsOf, scriptAt, scriptsOf } from '../../server/src/features/script-at';
import { referenceAt } from '../../server/src/features/script-symbols';
import { LIBRARY, withFixture } from './helpers';

const XML_TWO_RECORDS = `
//- acme/x_acme_hr/exports/two.xml
<?xml version="1.0" encoding="UTF-8"?><unload unload_date="2025-01-01">
<sys_script action="INSERT_OR_UPDATE">
    <active>true</active>
    <collection>incident</collection>
    <name>First</name>
    <script><![CDATA[var a = 1;]]></script>
    <sys_scope display_value="Acme HR">x_acme_hr</sys_scope>
</sys_script>
<sys_script_client action="INSERT_OR_UPDATE">
    <active>true</active>
    <name>Second</name>
    <table>incident</table>
    <script><![CDATA[function onLoad() {
    var ga = new GlideAjax('x_acme_hr.HR|Ajax');
}]]></script>
    <sys_scope display_value="Acme HR">x_acme_hr</sys_scope>
</sys_script_client>
</unload>
`;

describe('features: script at a position', function () {
  this.timeout(20_000);

  it('picks the XML record whose script holds the position, with that record facts', () =>
    withFixture(`${LIBRARY}${XML_TWO_RECORDS}`, (f) => {
      const at = scriptAt(f.session, f.state.scripts, f.uri, f.position);
      assert.ok(at);
      assert.deepEqual(at.facts, { recordType: 'sys_script_client', side: 'client', scope: 'x_acme_hr', collection: 'incident', recordName: 'Second' });
      assert.equal(at.script.slice(at.scriptOffset - 2, at.scriptOffset + 4), 'HRAjax');
      // Round trip: the script offset maps back to the document position.
      assert.deepEqual(at.toDocPosition(at.scriptOffset), f.position);
      assert.equal(referenceAt(at.slice.symbols(), at.scriptOffset)?.kind, 'class');
      assert.equal(scriptsOf(f.session, f.state.scripts, f.uri).length, 2);
      // Outside every script (the XML markup) there is no script.
      assert.equal(scriptAt(f.session, f.state.scripts, f.uri, { line: 1, character: 2 }), undefined);
    }));

  it('parses each document version once', () =>
    withFixture(`${LIBRARY}${XML_TWO_RECORDS}`, (f) => {
      const a = scriptAt(f.session, f.state.scripts, f.uri, f.position)!;
      const b = scriptAt(f.session, f.state.scripts, f.uri, f.position)!;
      assert.equal(a.tree, b.tree);
      f.session.documents.change(f.uri, 2, [{ text: f.text }]);
      const c = scriptAt(f.session, f.state.scripts, f.uri, f.position)!;
      assert.notEqual(c.tree, a.tree);
    }));

  it('takes the facts of a Fluent-included file from the record that includes it', () =>
    withFixture(`
//- fluent/now.config.json
{ "scope": "x_acme_cmdb", "name": "Acme CMDB" }
//- fluent/src/fluent/br.now.ts
import { BusinessRule } from '@servicenow/sdk/core'
BusinessRule({
    $id: Now.ID['br1'],
    name: 'Check CI',
    table: 'cmdb_ci',
    when: 'before',
    action: ['update'],
    script: Now.include('../server/check-ci.server.js'),
})
//- fluent/src/server/check-ci.server.js
(function executeRule(current, previous) {
    var u = new CIUtils();
})(current, previous);
//- fluent/src/server/CIUtils.server.js
var CIUtils = Class.create();
CIUtils.prototype = { initialize: function() {}, type: 'CIUtils' };
`, (f) => {
      const facts = factsOf(f.ws.index, 'fluent/src/server/check-ci.server.js');
      assert.equal(facts.scope, 'x_acme_cmdb');
      assert.equal(facts.recordType, 'sys_script');
      assert.equal(facts.side, 'server');
    }));

  it('falls back to what the path says for files the index does not know', () =>
    withFixture(LIBRARY, (f) => {
      assert.deepEqual(factsOf(f.ws.index, 'x_acme_it/client_scripts/new.js'), { recordType: 'sys_script_client', side: 'client', scope: 'x_acme_it' });
    }));
});
