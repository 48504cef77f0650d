import * as assert from 'node:assert';
import { mergeParams, parseJsDoc } from '../../server/src/syntax/jsdoc';

describe('jsdoc', () => {
  it('reads summary, typed params and returns', () => {
    const doc = parseJsDoc(`/**
     * Finds the manager
     *   of a user.
     * @param {string} userId - sys_id of the user
     * @param {Object.<string, {a: number}>} opts options
     * @returns {GlideRecord} the manager record
     */`);
    assert.strictEqual(doc.summary, 'Finds the manager of a user.');
    assert.deepStrictEqual(doc.params, [
      { name: 'userId', type: 'string', description: 'sys_id of the user' },
      { name: 'opts', type: 'Object.<string, {a: number}>', description: 'options' },
    ]);
    assert.deepStrictEqual(doc.returns, { type: 'GlideRecord', description: 'the manager record' });
  });

  it('marks [name], [name=default] and {Type=} optional', () => {
    const doc = parseJsDoc('/** @param {number} [limit=10] how many\n * @param [flag]\n * @param {string=} label */');
    assert.deepStrictEqual(doc.params, [
      { name: 'limit', type: 'number', description: 'how many', optional: true },
      { name: 'flag', optional: true },
      { name: 'label', type: 'string', optional: true },
    ]);
  });

  it('keeps @example code with its indentation and newlines', () => {
    const doc = parseJsDoc(`/**
     * Does it.
     * @example
     * var u = new HRUtils();
     * if (u.ok()) {
     *     u.run();
     * }
     * @since Tokyo
     */`);
    assert.deepStrictEqual(doc.examples, ['var u = new HRUtils();\nif (u.ok()) {\n    u.run();\n}']);
    assert.deepStrictEqual(doc.tags.since, ['Tokyo']);
  });

  it('accepts @return, other tags and a // comment block', () => {
    const doc = parseJsDoc('/** @return {boolean} yes\n * @deprecated use other */');
    assert.deepStrictEqual(doc.returns, { type: 'boolean', description: 'yes' });
    assert.deepStrictEqual(doc.tags.deprecated, ['use other']);
    const line = parseJsDoc('// Returns the group\n// members as a list.');
    assert.strictEqual(line.summary, 'Returns the group members as a list.');
  });

  it('never throws on malformed input', () => {
    for (const s of ['', '/**/', '/** @param {unclosed name */', '/** @param */', '/** @returns */', '@@@', '/*** ***/']) {
      const doc = parseJsDoc(s);
      assert.ok(Array.isArray(doc.params));
    }
  });

  it('merges code parameters with documented types by name and by position for patterns', () => {
    const doc = parseJsDoc('/** @param {string} id the id\n * @param {Object} opts options\n * @param {number} opts.limit max */');
    const merged = mergeParams([{ name: 'id' }, { name: '{ limit }' }], doc);
    assert.deepStrictEqual(merged, [
      { name: 'id', type: 'string', description: 'the id' },
      { name: '{ limit }', type: 'Object', description: 'options' },
    ]);
    assert.deepStrictEqual(mergeParams([], doc).map((p) => p.name), ['id', 'opts']);
  });
});
