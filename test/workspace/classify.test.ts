import * as assert from 'node:assert';
import { classifyPath, fileStem, scriptPathInfo } from '../../server/src/workspace/classify';

describe('workspace/classify', () => {
  it('recognises the file kinds the readers handle and nothing else', () => {
    assert.deepStrictEqual(
      ['a/b.js', 'update/sys_script_include_1.xml', 'src/fluent/x.now.ts', 'now.config.json', 'src/x.ts', 'README.md', 'a.json'].map(
        (p) => classifyPath(p)?.kind,
      ),
      ['js', 'xml', 'now-ts', 'now-config', undefined, undefined, undefined],
    );
    assert.strictEqual(classifyPath('src/fluent/x.now.ts')?.layout, 'fluent');
    assert.strictEqual(fileStem('app/update/sys_script_include_ab12.xml'), 'sys_script_include_ab12');
  });

  it('reads sn-scriptsync paths: scope, table, name and field from the path', () => {
    assert.deepStrictEqual(scriptPathInfo('dev12345/x_acme_hr/sys_script_include/HRUtils.script.js'), {
      layout: 'scriptsync',
      table: 'sys_script_include',
      name: 'HRUtils',
      field: 'script',
      scope: 'x_acme_hr',
      side: 'server',
    });
    const br = scriptPathInfo('dev12345/global/sys_script/Close child incidents.script.js');
    assert.deepStrictEqual([br.layout, br.table, br.name, br.scope, br.side], ['scriptsync', 'sys_script', 'Close child incidents', 'global', 'server']);
    const cs = scriptPathInfo('dev12345/x_acme_hr/sys_script_client/Set caller.script.js');
    assert.deepStrictEqual([cs.table, cs.name, cs.side], ['sys_script_client', 'Set caller', 'client']);
    const page = scriptPathInfo('dev1/global/sys_ui_page/hr_page.client_script.js');
    assert.deepStrictEqual([page.table, page.name, page.field, page.side], ['sys_ui_page', 'hr_page', 'client_script', 'client']);
    const widget = scriptPathInfo('dev1/x_acme_hr/sp_widget/HR Cards/client_script.js');
    assert.deepStrictEqual([widget.layout, widget.table, widget.name, widget.field, widget.side], ['scriptsync', 'sp_widget', 'HR Cards', 'client_script', 'client']);
  });

  it('reads plain folders: table from folder aliases, name without suffixes, nearest scope folder', () => {
    const si = scriptPathInfo('apps/x_acme_hr/script_includes/HRUtils.server.js');
    assert.deepStrictEqual([si.layout, si.table, si.name, si.scope, si.side], ['plain', 'sys_script_include', 'HRUtils', 'x_acme_hr', 'server']);
    const cs = scriptPathInfo('client_scripts/onLoad.js');
    assert.deepStrictEqual([cs.table, cs.name, cs.scope, cs.side], ['sys_script_client', 'onLoad', undefined, 'client']);
    const pol = scriptPathInfo('sn_hr_core/ui_policies/Hide.js');
    assert.deepStrictEqual([pol.table, pol.scope, pol.side], ['sys_ui_policy', 'sn_hr_core', 'client']);
    const unknown = scriptPathInfo('lib/helpers.js');
    assert.deepStrictEqual([unknown.table, unknown.name, unknown.side], ['unknown', 'helpers', 'server']);
    const clientSeg = scriptPathInfo('src/client/form.js');
    assert.strictEqual(clientSeg.side, 'client');
    // A known field suffix outside a table folder is just part of a plain name.
    const notSync = scriptPathInfo('lib/Thing.script.js');
    assert.deepStrictEqual([notSync.layout, notSync.name], ['plain', 'Thing']);
  });
});
