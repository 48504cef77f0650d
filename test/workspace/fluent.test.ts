import * as assert from 'node:assert';
import { parseFluent } from '../../server/src/syntax/fluent';
import { fluentSchema, parseNowConfig, planFluentRecords, resolveRelative } from '../../server/src/workspace/fluent';
import { positionOf } from './helpers';

function plan(source: string, relPath = 'src/fluent/app.now.ts', scope = 'x_acme_cmdb') {
  return planFluentRecords(parseFluent(source), relPath, scope);
}

describe('workspace/fluent planFluentRecords', () => {
  it('plans a ScriptInclude with its metadata and an included script file', () => {
    const { plans, problems } = plan(`ScriptInclude({
  $id: Now.ID['ci_utils'], name: 'CIUtils', apiName: 'x_acme_cmdb.CIUtils',
  script: Now.include('../../server/CIUtils.server.js'), description: 'CI helpers',
  accessibleFrom: 'public', clientCallable: true, active: true })`, 'src/fluent/si/ci.now.ts');
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(plans.length, 1);
    const { record, source } = plans[0];
    assert.deepStrictEqual(
      [record.table, record.name, record.apiName, record.scope, record.access, record.clientCallable, record.active, record.description, record.layout],
      ['sys_script_include', 'CIUtils', 'x_acme_cmdb.CIUtils', 'x_acme_cmdb', 'public', true, true, 'CI helpers', 'fluent'],
    );
    assert.deepStrictEqual(source, { kind: 'file', candidates: ['src/server/CIUtils.server.js'] });
  });

  it('plans Record({ table, data }) with snake_case fields and string booleans', () => {
    const { plans } = plan(`Record({ $id: Now.ID['r1'], table: 'sys_script_include', data: {
  name: 'AssetUtils', api_name: 'x_acme_cmdb.AssetUtils', script: Now.include('./asset.js'),
  access: 'package_private', client_callable: 'true', active: 'false' } })`);
    const r = plans[0].record;
    assert.deepStrictEqual([r.name, r.access, r.clientCallable, r.active], ['AssetUtils', 'package_private', true, false]);
    assert.deepStrictEqual(plans[0].source, { kind: 'file', candidates: ['src/fluent/asset.js'] });
  });

  it('plans callers with inline template scripts at the template content, and derives the API name', () => {
    const source = `BusinessRule({ name: 'Close children', table: 'incident', when: 'after',
  script: \`(function executeRule(current, previous) {
    new CIUtils().close(current);
})(current, previous);\` })
ClientScript({ name: 'Set caller', table: 'incident', type: 'onLoad', script: script\`function onLoad() {}\` })
ScriptInclude({ name: 'Bare' })
Table({ name: 'x_acme_cmdb_thing', schema: {} })`;
    const { plans } = plan(source);
    assert.deepStrictEqual(
      plans.map((p) => `${p.record.table}|${p.record.name}|${p.record.side}|${p.record.collection ?? ''}|${p.source.kind}`),
      [
        'sys_script|Close children|server|incident|inline',
        'sys_script_client|Set caller|client|incident|inline',
        'sys_script_include|Bare|server||none',
      ],
    );
    const br = plans[0].source;
    assert.ok(br.kind === 'inline' && br.text.startsWith('(function executeRule'));
    assert.deepStrictEqual(br.kind === 'inline' && br.start, positionOf(source, '(function executeRule'));
    assert.strictEqual(plans[2].record.apiName, 'x_acme_cmdb.Bare');
  });

  it('resolves an imported function to its module and refuses includes that leave the workspace', () => {
    const { plans, problems } = plan(`import { onAfter } from '../server/rules.js'
BusinessRule({ name: 'R1', table: 'task', script: onAfter })
BusinessRule({ name: 'R2', table: 'task', script: Now.include('../../../../etc/passwd') })`);
    assert.strictEqual(plans[0].source.kind, 'file');
    assert.deepStrictEqual(plans[0].source.kind === 'file' && plans[0].source.candidates.slice(0, 2), ['src/server/rules.js', 'src/server/rules.ts']);
    assert.strictEqual(plans[1].source.kind, 'none');
    assert.strictEqual(problems.length, 1);
    assert.strictEqual(resolveRelative('a/b.now.ts', '../../x.js'), undefined);
    assert.strictEqual(resolveRelative('a/b/c.now.ts', '../x.js'), 'a/x.js');
  });

  it('reads now.config.json and reports invalid JSON as a problem', () => {
    assert.strictEqual(parseNowConfig('{"scope": "x_acme_cmdb", "scopeId": "abc", "name": "CMDB"}', 'now.config.json').scope, 'x_acme_cmdb');
    const bad = parseNowConfig('{ scope: ', 'now.config.json');
    assert.strictEqual(bad.scope, undefined);
    assert.strictEqual(bad.problems.length, 1);
  });
});

describe('workspace/fluent fluentSchema', () => {
  it('reads Table with its columns, Property, and Record on sys_properties', () => {
    const file = parseFluent(`import { Table, StringColumn, ReferenceColumn, DateTimeColumn, Property, Record } from '@servicenow/sdk/core'
export const x_acme_leave = Table({
  name: 'x_acme_leave', label: 'Leave', extends: 'task',
  schema: {
    reason: StringColumn({ label: 'Reason', maxLength: 200 }),
    approver: ReferenceColumn({ label: 'Approver', referenceTable: 'sys_user' }),
    starts: DateTimeColumn({ label: 'Starts' }),
  },
})
Property({ $id: Now.ID['max'], name: 'x_acme.max_days', type: 'integer', value: '10', description: 'Most days' })
Record({ $id: Now.ID['p2'], table: 'sys_properties', data: { name: 'x_acme.enabled', type: 'boolean', value: 'true' } })`);
    const s = fluentSchema(file, 'x_acme');
    assert.deepStrictEqual(s.tables, [{ name: 'x_acme_leave', scope: 'x_acme', label: 'Leave', parent: 'task' }]);
    assert.deepStrictEqual(s.fields, [
      { table: 'x_acme_leave', name: 'reason', type: 'string', label: 'Reason' },
      { table: 'x_acme_leave', name: 'approver', type: 'reference', label: 'Approver', reference: 'sys_user' },
      { table: 'x_acme_leave', name: 'starts', type: 'glide_date_time', label: 'Starts' },
    ]);
    assert.deepStrictEqual(s.properties, [
      { name: 'x_acme.max_days', description: 'Most days', type: 'integer' },
      { name: 'x_acme.enabled', type: 'boolean' },
    ]);
  });
});
