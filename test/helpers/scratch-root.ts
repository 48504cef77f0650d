/**
 * Loaded by mocha before any test file (`.mocharc.json` `require`): every temp folder a test, a
 * server it starts or an editor makes goes under one folder of this run (TMPDIR, which
 * `os.tmpdir()` reads on each call), removed when the run ends. A test that fails before its
 * own clean-up, or a child process that leaves files behind, no longer litters the machine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-test-run-'));
process.env.TMPDIR = runDir;

export const mochaHooks = {
  afterAll(): void {
    fs.rmSync(runDir, { recursive: true, force: true });
  },
};
