/**
 * clients/neovim in a real headless Neovim: the plugin's setup() attaches the built server to a
 * business rule of a copy of the demo workspace, finds the workspace root, passes the settings,
 * and the server answers completion (or, until it has completion, workspace symbols).
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertEditorReport, assertSchemaAndExplain, assertXmlCompletion, DEMO_XML, copyDemoWorkspace, DEMO_FILE, editorVersion, readReport, REPO, runEditor } from './editor-harness';

describe('clients/neovim: headless Neovim', function () {
  this.timeout(60_000);
  let workspace: string | undefined;

  after(async () => {
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  it('attaches to a demo business rule, indexes the workspace and suggests IncidentUtils', async function () {
    const version = editorVersion('nvim');
    if (!version) return this.skip(); // nvim is not installed here; CI installs it (.ci/run)
    workspace = await copyDemoWorkspace();
    const result = path.join(workspace, '.deepcodeseek', 'nvim-report.json');
    const run = await runEditor('nvim', ['--headless', '-u', path.join(REPO, 'test', 'clients', 'neovim-check.lua')], {
      // Not the workspace: the root must come from the file's folders, not from the cwd.
      cwd: os.tmpdir(),
      env: { DCS_REPO: REPO, DCS_NODE: process.execPath, DCS_FILE: path.join(workspace, DEMO_FILE), DCS_XML: path.join(workspace, DEMO_XML), DCS_RESULT: result },
      timeoutMs: 30_000,
    });
    const report = await readReport(result, run);
    assert.match(String(report.nvim), /^\d+\.\d+\.\d+$/, version);
    assertEditorReport(report, workspace);
    assertSchemaAndExplain(report);
    assertXmlCompletion(report);
  });
});
