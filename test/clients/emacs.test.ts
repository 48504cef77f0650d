/**
 * clients/emacs in a real Emacs with Eglot, in batch mode: deepcodeseek-eglot-setup registers the
 * built server, Eglot starts it for a business rule of a copy of the demo workspace, finds the
 * root, passes the settings, and the server answers completion (or, until it has completion,
 * workspace symbols).
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertEditorReport, assertSchemaAndExplain, assertXmlCompletion, DEMO_XML, copyDemoWorkspace, DEMO_FILE, editorVersion, readReport, REPO, runEditor } from './editor-harness';

describe('clients/emacs: Emacs + Eglot in batch mode', function () {
  this.timeout(60_000);
  let workspace: string | undefined;

  after(async () => {
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  it('attaches to a demo business rule, indexes the workspace and suggests IncidentUtils', async function () {
    const version = editorVersion('emacs');
    if (!version) return this.skip(); // emacs is not installed here; CI installs emacs-nox and elpa-eglot (.ci/run)
    workspace = await copyDemoWorkspace();
    const result = path.join(workspace, '.deepcodeseek', 'emacs-report.json');
    // `--batch` without -Q: Debian's elpa-eglot is put on the load-path by the site start files,
    // which -Q skips (Emacs 29 and later carry Eglot themselves). --batch still skips ~/.emacs.
    const args = ['--batch', '-l', 'eglot', '-l', path.join(REPO, 'clients', 'emacs', 'deepcodeseek.el'), '-l', path.join(REPO, 'test', 'clients', 'emacs-check.el')];
    const run = await runEditor('emacs', args, {
      cwd: os.tmpdir(),
      env: { DCS_REPO: REPO, DCS_NODE: process.execPath, DCS_FILE: path.join(workspace, DEMO_FILE), DCS_XML: path.join(workspace, DEMO_XML), DCS_RESULT: result },
      timeoutMs: 30_000,
    });
    if (/Cannot open load file.*eglot/.test(run.output)) assert.fail(`${version} has no Eglot: install elpa-eglot (Emacs 28) or use Emacs 29+`);
    const report = await readReport(result, run);
    assert.equal(report.mode, 'js-mode');
    assertEditorReport(report, workspace);
    assertSchemaAndExplain(report);
    assertXmlCompletion(report);
  });

  it('never lets a project .dir-locals.el choose the server program or a model path', async function () {
    if (!editorVersion('emacs')) return this.skip(); // emacs is not installed here; CI installs it (.ci/run)
    const probe = `(progn
      (princ (format "%S %S %S"
        (and (get 'deepcodeseek-server-command 'risky-local-variable) t)
        (deepcodeseek--safe-settings-p '(:completion (:maxItems 20)))
        (deepcodeseek--safe-settings-p '(:rerank (:model "/tmp/evil.onnx"))))))`;
    const run = await runEditor('emacs', ['--batch', '-l', 'cl-lib', '-l', path.join(REPO, 'clients', 'emacs', 'deepcodeseek.el'), '--eval', probe], { cwd: os.tmpdir(), env: {}, timeoutMs: 20_000 });
    assert.match(run.output, /t t nil/);
  });
});
