import * as assert from 'node:assert';
import { readXmlRecords } from '../../server/src/workspace/xml';
import { positionOf } from './helpers';

const SI_SCRIPT = `var HRUtils = Class.create();
HRUtils.prototype = {
    initialize: function () {},
    getManager: function (userId) { return userId; },
    type: 'HRUtils'
};`;

function studioRecord(script = SI_SCRIPT, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<record_update table="sys_script_include">
    <sys_script_include action="INSERT_OR_UPDATE">
        <access>public</access>
        <active>true</active>
        <api_name>x_acme_hr.HRUtils</api_name>
        <client_callable>false</client_callable>
        <description>Helpers for HR cases</description>
        <name>HRUtils</name>
        <script><![CDATA[${script}]]></script>
        <sys_id>0a1b2c3d4e5f60718293a4b5c6d7e8f9</sys_id>
        <sys_package display_value="Acme HR" source="x_acme_hr">7e3f</sys_package>
        <sys_scope display_value="Acme HR">7e3f</sys_scope>${extra}
    </sys_script_include>
</record_update>`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

describe('workspace/xml readXmlRecords', () => {
  it('reads a Studio Script Include record with its metadata and the exact script start', () => {
    const xml = studioRecord();
    const { records, problems } = readXmlRecords(xml, 'hr/update/sys_script_include_0a1b.xml');
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(records.length, 1);
    const r = records[0];
    assert.strictEqual(r.table, 'sys_script_include');
    assert.strictEqual(r.name, 'HRUtils');
    assert.strictEqual(r.apiName, 'x_acme_hr.HRUtils');
    assert.strictEqual(r.scope, 'x_acme_hr');
    assert.strictEqual(r.package, 'Acme HR');
    assert.strictEqual(r.access, 'public');
    assert.strictEqual(r.clientCallable, false);
    assert.strictEqual(r.active, true);
    assert.strictEqual(r.description, 'Helpers for HR cases');
    assert.strictEqual(r.sysId, '0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    assert.strictEqual(r.side, 'server');
    assert.strictEqual(r.field, 'script');
    assert.strictEqual(r.layout, 'xml');
    assert.strictEqual(r.script, SI_SCRIPT);
    assert.deepStrictEqual(r.scriptStart, positionOf(xml, 'var HRUtils'));
  });

  it('decodes an entity-escaped script and starts it where the text starts', () => {
    const script = `if (a < b && c > d) { gs.info("x"); }`;
    const xml = studioRecord().replace(/<script>.*?<\/script>/s, `<script>${escapeXml(script)}</script>`);
    const [r] = readXmlRecords(xml, 'a.xml').records;
    assert.strictEqual(r.script, script);
    assert.deepStrictEqual(r.scriptStart, positionOf(xml, 'if (a &lt; b'));
  });

  it('keeps exact positions with CRLF line endings', () => {
    const xml = studioRecord().replace(/\n/g, '\r\n');
    const [r] = readXmlRecords(xml, 'a.xml').records;
    assert.deepStrictEqual(r.scriptStart, positionOf(xml, 'var HRUtils'));
    assert.ok(r.script.startsWith('var HRUtils = Class.create();\nHRUtils.prototype'));
  });

  it('falls back from api_name to the package source, then to global, and derives the API name', () => {
    const noApi = studioRecord().replace(/<api_name>.*?<\/api_name>/, '');
    const a = readXmlRecords(noApi, 'a.xml').records[0];
    assert.strictEqual(a.scope, 'x_acme_hr');
    assert.strictEqual(a.apiName, 'x_acme_hr.HRUtils');

    const scopeSource = noApi
      .replace(/<sys_package[^>]*>.*?<\/sys_package>/, '')
      .replace('<sys_scope display_value="Acme HR">', '<sys_scope display_value="Acme HR" source="x_acme_other">');
    const b = readXmlRecords(scopeSource, 'a.xml').records[0];
    assert.strictEqual(b.scope, 'x_acme_other');
    assert.strictEqual(b.package, 'x_acme_other');

    const globalXml = noApi
      .replace(/<sys_package[^>]*>.*?<\/sys_package>/, '')
      .replace(/<sys_scope[^>]*>.*?<\/sys_scope>/, '<sys_scope display_value="Global">global</sys_scope>');
    const c = readXmlRecords(globalXml, 'a.xml').records[0];
    assert.strictEqual(c.scope, 'global');
    assert.strictEqual(c.apiName, 'global.HRUtils');
  });

  it('skips DELETE records and keeps inactive ones marked inactive', () => {
    const deleted = studioRecord().replace('action="INSERT_OR_UPDATE"', 'action="DELETE"');
    assert.deepStrictEqual(readXmlRecords(deleted, 'a.xml').records, []);
    const inactive = studioRecord().replace('<active>true</active>', '<active>false</active>');
    const [r] = readXmlRecords(inactive, 'a.xml').records;
    assert.strictEqual(r.active, false);
    assert.strictEqual(r.name, 'HRUtils');
  });

  it('reads caller tables with their side, field and collection', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<unload unload_date="2024-05-01 10:00:00">
<sys_script action="INSERT_OR_UPDATE"><name>Close child incidents</name><collection>incident</collection><active>true</active><script><![CDATA[new HRUtils().close(current);]]></script></sys_script>
<sys_script_client action="INSERT_OR_UPDATE"><name>Set caller</name><table>incident</table><script><![CDATA[function onLoad() { var ga = new GlideAjax('HRAjax'); }]]></script></sys_script_client>
<sys_ui_action action="INSERT_OR_UPDATE"><name>Escalate</name><table>incident</table><client>true</client><script><![CDATA[function escalate() {}]]></script></sys_ui_action>
<sys_ui_action action="INSERT_OR_UPDATE"><name>Resolve</name><table>incident</table><client>false</client><script><![CDATA[current.update();]]></script></sys_ui_action>
<sys_ui_page action="INSERT_OR_UPDATE"><name>hr_page</name><client_script><![CDATA[function c() {}]]></client_script><processing_script><![CDATA[var p = 1;]]></processing_script><html/></sys_ui_page>
<sys_ui_policy action="INSERT_OR_UPDATE"><short_description>Hide</short_description><sys_name>Hide fields</sys_name><table>incident</table><script_true><![CDATA[function onCondition() {}]]></script_true><script_false></script_false></sys_ui_policy>
<x_acme_custom_thing action="INSERT_OR_UPDATE"><name>Custom</name><script><![CDATA[gs.info(1);]]></script></x_acme_custom_thing>
<sys_documentation action="INSERT_OR_UPDATE"><label>Not a script</label></sys_documentation>
</unload>`;
    const { records } = readXmlRecords(xml, 'export/list.xml');
    const summary = records.map((r) => `${r.table}|${r.name}|${r.field}|${r.side}|${r.collection ?? ''}`);
    assert.deepStrictEqual(summary, [
      'sys_script|Close child incidents|script|server|incident',
      'sys_script_client|Set caller|script|client|incident',
      'sys_ui_action|Escalate|script|client|incident',
      'sys_ui_action|Resolve|script|server|incident',
      'sys_ui_page|hr_page|client_script|client|',
      'sys_ui_page|hr_page|processing_script|server|',
      'sys_ui_policy|Hide fields|script_true|client|incident',
      'x_acme_custom_thing|Custom|script|server|',
    ]);
    const br = records[0];
    assert.strictEqual(br.apiName, undefined);
    assert.deepStrictEqual(br.scriptStart, positionOf(xml, 'new HRUtils()'));
  });

  it('uses the file stem when a record has no name', () => {
    const xml = '<record_update><sys_script_fix action="INSERT_OR_UPDATE"><script>gs.info(1);</script></sys_script_fix></record_update>';
    const [r] = readXmlRecords(xml, 'app/update/sys_script_fix_77aa.xml').records;
    assert.strictEqual(r.name, 'sys_script_fix_77aa');
  });

  it('reads update-set payloads (escaped and CDATA) recursively, at the payload position', () => {
    const innerScript = 'var A = Class.create(); // ]]> inside';
    const inner = studioRecord('var A = Class.create();').replace(/HRUtils/g, 'A');
    const innerWithEnd = studioRecord(innerScript.replace(/]]>/g, ']]]]><![CDATA[>')).replace(/HRUtils/g, 'B');
    const deletedInner = studioRecord().replace(/HRUtils/g, 'Gone');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<unload unload_date="2024-05-01 10:00:00">
<sys_remote_update_set action="INSERT_OR_UPDATE"><name>HR release</name></sys_remote_update_set>
<sys_update_xml action="INSERT_OR_UPDATE"><action>INSERT_OR_UPDATE</action><name>sys_script_include_a</name><payload>${escapeXml(inner)}</payload></sys_update_xml>
<sys_update_xml action="INSERT_OR_UPDATE"><action>INSERT_OR_UPDATE</action><name>sys_script_include_b</name><payload><![CDATA[${innerWithEnd.replace(/]]>/g, ']]]]><![CDATA[>')}]]></payload></sys_update_xml>
<sys_update_xml action="INSERT_OR_UPDATE"><action>DELETE</action><name>sys_script_include_gone</name><payload>${escapeXml(deletedInner)}</payload></sys_update_xml>
</unload>`;
    const { records, problems } = readXmlRecords(xml, 'sets/hr.xml');
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(records.map((r) => r.name), ['A', 'B']);
    assert.strictEqual(records[0].script, 'var A = Class.create();');
    assert.strictEqual(records[1].script, innerScript);
    assert.strictEqual(records[0].apiName, 'x_acme_hr.A');
    assert.deepStrictEqual(records[0].scriptStart, positionOf(xml, '<payload>'));
    assert.deepStrictEqual(records[1].scriptStart, positionOf(xml, '<payload>', xml.indexOf('sys_script_include_b')));
  });

  it('keeps the records that closed before a truncation, with a problem', () => {
    const two = `<unload>
<sys_script_include action="INSERT_OR_UPDATE"><name>First</name><script><![CDATA[var First = 1;]]></script></sys_script_include>
<sys_script_include action="INSERT_OR_UPDATE"><name>Second</name><script><![CDATA[var Second = 1;]]></script></sys_script_include>
</unload>`;
    const cut = two.slice(0, two.indexOf('var Second'));
    const { records, problems } = readXmlRecords(cut, 'a.xml');
    assert.deepStrictEqual(records.map((r) => r.name), ['First']);
    assert.ok(problems.length > 0);
  });

  it('never expands a DOCTYPE entity bomb', () => {
    const defs = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) defs.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?>
<!DOCTYPE record_update [${defs.join('\n')}]>
<record_update><sys_script_include action="INSERT_OR_UPDATE"><name>Bomb</name><description>&lol9;</description><script><![CDATA[var Bomb = 1;]]></script></sys_script_include></record_update>`;
    const started = Date.now();
    const { records, problems } = readXmlRecords(xml, 'bomb.xml');
    assert.ok(Date.now() - started < 1000);
    assert.ok(problems.some((p) => /DOCTYPE|entit/i.test(p.message)));
    assert.ok(records.every((r) => !(r.description ?? '').includes('lollol')));
    assert.ok(JSON.stringify(records).length < 10_000);
  });

  it('never reads an external entity', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<record_update><sys_script_include action="INSERT_OR_UPDATE"><name>Leak</name><script>var x = "&secret;";</script></sys_script_include></record_update>`;
    const { records, problems } = readXmlRecords(xml, 'xxe.xml');
    assert.ok(problems.some((p) => /entit/i.test(p.message)));
    for (const r of records) assert.ok(!r.script.includes('root:'), 'entity content must not be read');
  });

  it('stops cleanly after too many errors', () => {
    const garbage = `<record_update>${'\u0001<a'.repeat(5000)}`;
    const { records, problems } = readXmlRecords(garbage, 'g.xml');
    assert.deepStrictEqual(records, []);
    assert.ok(problems.length <= 25, `got ${problems.length} problems`);
    assert.ok(problems.some((p) => /too many/.test(p.message)));
  });

  it('indexes a script longer than maxFileSize by name only, with one problem', () => {
    const big = `var Big = Class.create();\n${'// filler\n'.repeat(500)}`;
    const xml = studioRecord(big).replace(/HRUtils/g, 'Big');
    const { records, problems } = readXmlRecords(xml, 'a.xml', { maxFileSize: 1000 });
    assert.strictEqual(records.length, 1);
    assert.strictEqual(records[0].oversized, true);
    assert.strictEqual(records[0].script, '');
    assert.strictEqual(records[0].name, 'Big');
    assert.strictEqual(problems.length, 1);
  });

  it('reads an ATF step script from its variable value', () => {
    const xml = `<record_update>
<sys_atf_step action="INSERT_OR_UPDATE"><description>Check manager</description><sys_id>step1</sys_id><active>true</active></sys_atf_step>
<sys_variable_value action="INSERT_OR_UPDATE"><document>sys_atf_step</document><document_key>step1</document_key><value><![CDATA[(function (outputs, steps) { new HRUtils().getManager(); })(outputs, steps);]]></value><variable display_value="Test script">abc</variable></sys_variable_value>
<sys_variable_value action="INSERT_OR_UPDATE"><document>sys_atf_step</document><document_key>step1</document_key><value>incident</value><variable display_value="Table">def</variable></sys_variable_value>
</record_update>`;
    const { records } = readXmlRecords(xml, 'atf.xml');
    assert.strictEqual(records.length, 1);
    assert.strictEqual(records[0].table, 'sys_atf_step');
    assert.strictEqual(records[0].name, 'Check manager');
    assert.deepStrictEqual(records[0].scriptStart, positionOf(xml, '(function (outputs'));
  });

  it('survives deeply nested elements', () => {
    const depth = 20000;
    const xml = `<unload><sys_script_include><name>Deep</name><script>var Deep;</script></sys_script_include>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</unload>`;
    const { records, problems } = readXmlRecords(xml, 'deep.xml');
    assert.deepStrictEqual(records.map((r) => r.name), ['Deep']);
    assert.deepStrictEqual(problems, []);
  });
});

describe('workspace/xml the data model', () => {
  it('reads table, dictionary and property records, with references by name and never a sys_id as a name', () => {
    const doc = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><record_update>${inner}</record_update>`;
    const table = readXmlRecords(doc(`<sys_db_object action="INSERT_OR_UPDATE"><name>x_acme_leave</name><label>Leave</label>
      <super_class display_value="Task" name="task">0123456789abcdef0123456789abcdef</super_class><sys_scope display_value="HR">x_acme</sys_scope></sys_db_object>`), 'a.xml');
    assert.deepStrictEqual(table.schema.tables, [{ name: 'x_acme_leave', label: 'Leave', parent: 'task', scope: 'x_acme' }]);
    const field = readXmlRecords(doc(`<sys_dictionary action="INSERT_OR_UPDATE"><name>x_acme_leave</name><element>approver</element><column_label>Approver</column_label>
      <internal_type display_value="Reference">reference</internal_type><reference display_value="User">0123456789abcdef0123456789abcdef</reference></sys_dictionary>`), 'b.xml');
    assert.deepStrictEqual(field.schema.fields, [{ table: 'x_acme_leave', name: 'approver', label: 'Approver', type: 'reference' }]);
    const property = readXmlRecords(doc(`<sys_properties action="INSERT_OR_UPDATE"><name>x_acme.max_days</name><description>Most days.</description><type>integer</type><value>secret</value></sys_properties>`), 'c.xml');
    assert.deepStrictEqual(property.schema.properties, [{ name: 'x_acme.max_days', description: 'Most days.', type: 'integer' }]);
    assert.ok(!JSON.stringify(property).includes('secret'), 'property values are never kept');
    const deleted = readXmlRecords(doc(`<sys_db_object action="DELETE"><name>x_gone</name></sys_db_object>`), 'd.xml');
    assert.deepStrictEqual(deleted.schema.tables, []);
  });

  it('reads a dictionary export (<database>) into a table and its columns', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><database>
      <element label="Dependency" name="x_acme_dep" extends="sys_metadata" type="collection">
        <element label="Repository" name="repo_url" type="url"/>
        <element label="Package" name="package" reference="sys_package" type="reference"/>
        <element label="Bad" name="not a name" type="string"/>
        <index name="index"><element name="package"/></index>
      </element></database>`;
    const { records, schema } = readXmlRecords(xml, 'dictionary/x_acme_dep.xml');
    assert.deepStrictEqual(records, []);
    assert.deepStrictEqual(schema.tables, [{ name: 'x_acme_dep', label: 'Dependency', parent: 'sys_metadata' }]);
    assert.deepStrictEqual(schema.fields, [
      { table: 'x_acme_dep', name: 'repo_url', label: 'Repository', type: 'url' },
      { table: 'x_acme_dep', name: 'package', label: 'Package', type: 'reference', reference: 'sys_package' },
    ]);
  });
});

describe('workspace/xml the data model, hostile records', () => {
  it('bounds labels and types, and skips names that are not names', () => {
    const long = 'x'.repeat(100_000);
    const xml = `<?xml version="1.0"?><record_update><sys_dictionary><name>x_t</name><element>f</element><column_label>${long}</column_label><internal_type>${long}</internal_type></sys_dictionary></record_update>`;
    const [f] = readXmlRecords(xml, 'a.xml').schema.fields;
    assert.equal(f.label?.length, 200);
    assert.equal(f.type?.length, 200);
    const bad = `<?xml version="1.0"?><record_update><sys_dictionary><name>../../etc</name><element>f</element></sys_dictionary><sys_properties><name>a b</name></sys_properties></record_update>`;
    assert.deepStrictEqual(readXmlRecords(bad, 'b.xml').schema, { tables: [], fields: [], properties: [] });
  });
});
