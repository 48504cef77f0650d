/**
 * clients/jetbrains: the LSP4IJ user-defined server template starts the server over stdio for
 * JavaScript files, and its settings.json is the server's schema with its defaults, nested the
 * way workspace/configuration answers the `deepcodeseek` section.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'fs';
import * as path from 'path';
import { defaultSettings, resolveSettings, SETTINGS } from '../../server/src/config';
import { REPO } from './editor-harness';

const TEMPLATE = path.join(REPO, 'clients', 'jetbrains', 'lsp4ij-template');

function json(name: string): any {
  return JSON.parse(readFileSync(path.join(TEMPLATE, name), 'utf8'));
}

/** `{ a: { b: 1 } }` -> `{ 'a.b': 1 }`; arrays are values. */
function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

describe('clients/jetbrains: LSP4IJ template', () => {
  it('starts the server with `serve --stdio` on every OS and maps JavaScript files', () => {
    const t = json('template.json');
    assert.equal(t.id, 'deepcodeseek');
    assert.equal(t.name, 'DeepCodeSeek');
    for (const os of ['default', 'windows']) assert.match(t.programArgs[os], /deepcodeseek(\.cmd)? serve --stdio/, os);
    const js = t.fileTypeMappings.find((m: { fileType: { name: string } }) => m.fileType.name === 'JavaScript');
    assert.equal(js?.languageId, 'javascript');
  });

  it('ships settings.json with every server setting at its default and nothing else', () => {
    const section = json('settings.json').deepcodeseek;
    assert.deepEqual(Object.keys(flatten(section)).sort(), Object.keys(SETTINGS).sort());
    const { settings, rejected } = resolveSettings(section);
    assert.deepEqual(rejected, []);
    assert.deepEqual(settings, defaultSettings());
  });

  it('ships valid initialization options', () => {
    assert.deepEqual(json('initializationOptions.json'), {});
  });
});
