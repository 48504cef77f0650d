import * as assert from 'node:assert';
import { ApiIndex } from '../../server/src/index/api-index';
import { SchemaIndex } from '../../server/src/index/schema-index';
import { FileEntry, SchemaFacts } from '../../server/src/model';

function entry(path: string, schema: Partial<Omit<SchemaFacts, 'uses' | 'useCounts'>> & { uses?: Array<[string, number]> }): FileEntry {
  const { uses = [], ...defined } = schema;
  return { path, hash: path, layout: 'xml', scriptIncludes: [], callSites: [], callers: [], problems: [], includes: [], schema: { tables: [], fields: [], properties: [], ...defined, uses: uses.map(([n]) => n), useCounts: uses.map(([, c]) => c) } };
}

describe('index/schema-index', () => {
  it("merges the workspace's definitions over the catalog, and follows file changes", () => {
    const index = new ApiIndex();
    const schema = new SchemaIndex(index);
    assert.strictEqual(schema.table('incident')?.source, 'platform');
    assert.strictEqual(schema.table('x_acme_leave'), undefined);
    index.setFile(entry('a.xml', { tables: [{ name: 'x_acme_leave', label: 'Leave', parent: 'task' }, { name: 'incident', label: 'Our incidents' }], fields: [{ table: 'incident', name: 'u_team', type: 'reference', reference: 'sys_user_group' }] }));
    assert.deepStrictEqual(schema.table('x_acme_leave'), { name: 'x_acme_leave', label: 'Leave', parent: 'task', source: 'workspace', uses: 0 });
    assert.strictEqual(schema.table('incident')?.label, 'Our incidents');
    assert.strictEqual(schema.table('incident')?.parent, 'task', "the catalog's parent stays when the workspace says none");
    assert.deepStrictEqual(schema.lineage('x_acme_leave'), ['x_acme_leave', 'task']);
    assert.strictEqual(schema.fields('incident')[0].name, 'u_team', "the workspace's own field leads");
    index.removeFile('a.xml');
    assert.strictEqual(schema.table('x_acme_leave'), undefined);
  });

  it('counts uses per table: a use on a sibling table does not raise the field elsewhere', () => {
    const index = new ApiIndex();
    index.setFile(entry('br.js', { uses: [['problem', 3], ['problem.known_error', 5], ['problem.description', 4], ['incident.caller_id', 1]] }));
    const schema = new SchemaIndex(index);
    assert.deepStrictEqual(schema.fields('problem').slice(0, 2).map((f) => [f.name, f.uses]), [['known_error', 5], ['description', 4]]);
    const incident = schema.fields('incident');
    assert.strictEqual(incident[0].name, 'caller_id');
    assert.strictEqual(incident.find((f) => f.name === 'description')?.uses, 0);
    assert.strictEqual(incident.find((f) => f.name === 'description')?.table, 'task', 'inherited fields say where they are defined');
    assert.strictEqual(schema.tables()[0].name, 'problem');
  });

  it('survives a parent loop and a table only the code names', () => {
    const index = new ApiIndex();
    index.setFile(entry('a.xml', { tables: [{ name: 'x_a', parent: 'x_b' }, { name: 'x_b', parent: 'x_a' }], uses: [['u_thing.u_size', 2]] }));
    const schema = new SchemaIndex(index);
    assert.deepStrictEqual(schema.lineage('x_a'), ['x_a', 'x_b']);
    assert.ok(schema.fields('x_a').some((f) => f.name === 'sys_id'));
    assert.deepStrictEqual(schema.table('u_thing'), { name: 'u_thing', label: 'Thing', source: 'code', uses: 0 });
    assert.deepStrictEqual(schema.fields('u_thing').map((f) => f.name).slice(0, 2), ['u_size', 'sys_id']);
  });

  it('properties: defined ones with their descriptions, read ones counted', () => {
    const index = new ApiIndex();
    index.setFile(entry('p.xml', { properties: [{ name: 'x.on', description: 'Switch', type: 'boolean' }], uses: [['property:x.limit', 3], ['property:x.on', 1]] }));
    const schema = new SchemaIndex(index);
    assert.deepStrictEqual(schema.properties().map((p) => [p.name, p.defined, p.uses]), [['x.limit', false, 3], ['x.on', true, 1]]);
  });
});
