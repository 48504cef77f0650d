import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

describe('onnx/runtime', function () {
  this.timeout(60_000);

  it('runs a model without the runtime writing anything under the home folder (no telemetry)', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-home-'));
    try {
      const script = `
        const { ort } = require(${JSON.stringify(path.join(REPO, 'out', 'server', 'src', 'onnx', 'runtime.js'))});
        ort.InferenceSession.create(${JSON.stringify(path.join(REPO, 'models', 'compact-reranker.onnx'))})
          .then((s) => s.release())
          .then(() => process.stdout.write('ran'));`;
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, '.cache') };
      delete env.ORT_DISABLE_TELEMETRY;
      const r = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
      assert.equal(r.stdout, 'ran', r.stderr);
      assert.deepEqual(fs.readdirSync(home), [], 'onnxruntime wrote under HOME');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
