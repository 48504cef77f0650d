/**
 * clients/jetbrains: the LSP4IJ user-defined server template starts the server over stdio for
 * JavaScript files, and its settings.json is the server's schema with its defaults, nested the
 * way workspace/configuration answers the `deepcodeseek` section.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
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
  it('starts the checkout\'s server with node and `serve --stdio` on every OS (no npm link), and maps JavaScript and XML files', () => {
    const t = json('template.json');
    assert.equal(t.id, 'deepcodeseek');
    assert.equal(t.name, 'DeepCodeSeek');
    for (const os of ['default', 'windows']) assert.match(t.programArgs[os], /node \\?"[^"]*DEEPCODESEEK_HOME[^"]*[\\/]bin[\\/]deepcodeseek\.js\\?" serve --stdio/, os);
    const mapping = (name: string) => t.fileTypeMappings.find((m: { fileType: { name: string } }) => m.fileType.name === name)?.languageId;
    assert.equal(mapping('JavaScript'), 'javascript');
    assert.equal(mapping('XML'), 'xml');
    const readme = readFileSync(path.join(TEMPLATE, 'README.md'), 'utf8');
    assert.match(readme, /DEEPCODESEEK_HOME/);
    assert.match(readme, /XML/);
  });

  it('the Unix command runs the server from a checkout named by DEEPCODESEEK_HOME', function () {
    if (process.platform === 'win32') return this.skip();
    const r = spawnSync('sh', ['-c', json('template.json').programArgs.default.replace(/^sh -c "(.*)"$/, '$1').replace(/\\"/g, '"').replace('serve --stdio', '--version')], { encoding: 'utf8', env: { ...process.env, DEEPCODESEEK_HOME: REPO }, timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^deepcodeseek \d+\.\d+\.\d+/);
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
