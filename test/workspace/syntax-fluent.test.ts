// Tests of server/src/syntax/fluent.ts, kept with the workspace tests that own the Fluent reader.
import * as assert from 'node:assert';
import { parseFluent } from '../../server/src/syntax/fluent';
import { positionOf } from './helpers';

const SOURCE = `import { ScriptInclude, BusinessRule } from '@servicenow/sdk/core'
import { closeChildren as close } from '../server/close-children.js'
import helpers from './helpers'

export const ciUtils: unknown = ScriptInclude({
    $id: Now.ID['ci_utils'],
    name: 'CIUtils',
    apiName: 'x_acme_cmdb.CIUtils',
    script: Now.include('../../server/CIUtils.server.js'),
    description: 'It\\'s CI \\u00e9 helpers',
    accessibleFrom: 'package_private',
    clientCallable: false,
    order: 100,
    roles: ['admin', 'itil'],
} as const)

BusinessRule({
    $id: Now.ID.close_br,
    name: 'Close children',
    table: 'incident',
    when: 'after',
    script: close,
    condition: script\`current.state == 7\`,
    action: ['update'],
} satisfies Record<string, unknown>)
`;

describe('syntax/fluent parseFluent', () => {
  it('reads Fluent calls despite TypeScript syntax, with typed values', () => {
    const { calls } = parseFluent(SOURCE);
    assert.deepStrictEqual(calls.map((c) => c.callee), ['ScriptInclude', 'BusinessRule']);
    const si = calls[0].props;
    assert.deepStrictEqual(si.$id, { kind: 'now-id', key: 'ci_utils', range: si.$id.range });
    assert.strictEqual(si.name.kind === 'string' && si.name.value, 'CIUtils');
    assert.strictEqual(si.script.kind === 'include' && si.script.path, '../../server/CIUtils.server.js');
    assert.strictEqual(si.description.kind === 'string' && si.description.value, "It's CI \u00e9 helpers");
    assert.strictEqual(si.clientCallable.kind === 'boolean' && si.clientCallable.value, false);
    assert.strictEqual(si.order.kind === 'number' && si.order.value, 100);
    assert.ok(si.roles.kind === 'array' && si.roles.items.length === 2);
    assert.deepStrictEqual(si.name.range.start, positionOf(SOURCE, "CIUtils',"));

    const br = calls[1].props;
    assert.deepStrictEqual(br.$id.kind === 'now-id' && br.$id.key, 'close_br');
    assert.strictEqual(br.script.kind === 'identifier' && br.script.name, 'close');
    assert.ok(br.condition.kind === 'template' && br.condition.tag === 'script' && br.condition.value === 'current.state == 7');
    assert.deepStrictEqual(br.condition.range.start, positionOf(SOURCE, 'current.state'));
  });

  it('lists named, aliased and default imports', () => {
    const { imports } = parseFluent(SOURCE);
    assert.deepStrictEqual(imports.find((i) => i.local === 'close'), { local: 'close', imported: 'closeChildren', source: '../server/close-children.js' });
    assert.deepStrictEqual(imports.find((i) => i.local === 'helpers'), { local: 'helpers', imported: 'default', source: './helpers' });
  });

  it('returns nothing, without throwing, for text that is not a Fluent file', () => {
    assert.deepStrictEqual(parseFluent('}}} ((( <<< \u0000').calls, []);
    assert.deepStrictEqual(parseFluent('').calls, []);
  });

  it('survives deeply nested literals', () => {
    const depth = 5000;
    const source = `Record({ table: 'x', data: ${'{ a: '.repeat(depth)}1${' }'.repeat(depth)} })`;
    const { calls } = parseFluent(source);
    assert.strictEqual(calls.length, 1);
    assert.strictEqual(calls[0].props.table.kind, 'string');
  });
});
