import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { consoleEditor } from '../../server/src/editor';
import { loadReranker, SHIPPED_COMPACT } from '../../server/src/rerank/reranker';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../server/src/rerank/features';
import { Session } from '../../server/src/session';
import { exportMlpToOnnx, mlpFromJson } from '../../server/src/rerank/mlp';
import { fineTuneOnWorkspace, MANIFEST, readWorkspaceModelReport, sha256, SHIPPED_WEIGHTS, WORKSPACE_MODEL, WORKSPACE_REPORT } from '../../server/src/training/model-files';

const DEMO = path.resolve(__dirname, '..', '..', '..', 'examples', 'demo-instance');

describe('training/model-files', function () {
  this.timeout(120_000);

  it('ships a compact reranker whose manifest entry matches the file and the feature contract', async () => {
    const manifest = JSON.parse(await fs.readFile(MANIFEST, 'utf8')) as { models: Array<{ name: string; file: string; sha256: string; kind: string; featureNames: string[]; card: string }> };
    const entry = manifest.models.find((m) => m.name === 'compact-reranker');
    assert.ok(entry);
    assert.equal(entry.kind, 'compact-reranker');
    assert.equal(entry.sha256, sha256(await fs.readFile(SHIPPED_COMPACT)));
    assert.deepEqual(entry.featureNames, [...FEATURE_NAMES]);
    assert.ok(existsSync(path.join(path.dirname(MANIFEST), entry.card)));
    const weights = mlpFromJson(await fs.readFile(SHIPPED_WEIGHTS, 'utf8'));
    assert.ok(weights.ok);
    if (weights.ok) assert.equal(weights.model.featureCount, FEATURE_COUNT);
  });

  it('fine-tunes on a workspace and keeps the model only when it beats the shipped one on held-back cases', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-finetune-'));
    try {
      await fs.cp(DEMO, root, { recursive: true });
      await fs.rm(path.join(root, '.deepcodeseek'), { recursive: true, force: true });
      const lines: string[] = [];
      const { report, summary } = await fineTuneOnWorkspace(root, (l) => lines.push(l));
      assert.ok(report.trainCases > 50 && report.heldOutCases > 5, JSON.stringify(report));
      assert.match(summary, /held-back MRR: retrieval [\d.]+, shipped [\d.]+, fine-tuned [\d.]+/);
      const modelFile = path.join(root, '.deepcodeseek', WORKSPACE_MODEL);
      assert.equal(existsSync(modelFile), report.beatsShipped);
      assert.deepEqual(await readWorkspaceModelReport(root), report);
      assert.equal(report.beatsShipped, report.tuned.mrr > report.shipped.mrr + 0.005);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('serves a workspace-trained model only while its report says it beats the shipped one', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-wsmodel-'));
    try {
      await fs.mkdir(path.join(root, 'script_includes'), { recursive: true });
      await fs.writeFile(path.join(root, 'script_includes', 'A.js'), 'var A = Class.create();\nA.prototype = { run: function () {}, type: "A" };\n');
      const dir = path.join(root, '.deepcodeseek');
      await fs.mkdir(dir, { recursive: true });
      const weights = mlpFromJson(await fs.readFile(SHIPPED_WEIGHTS, 'utf8'));
      assert.ok(weights.ok);
      if (!weights.ok) return;
      await fs.writeFile(path.join(dir, WORKSPACE_MODEL), exportMlpToOnnx(weights.model));
      const report = (beats: boolean) => JSON.stringify({ beatsShipped: beats, trainCases: 10, heldOutCases: 5, writtenAt: '' });
      const nameWith = async (beats: boolean, allowed = true) => {
        await fs.writeFile(path.join(dir, WORKSPACE_REPORT), report(beats));
        const session = new Session(consoleEditor('error'));
        session.settings = { ...session.settings, 'rerank.useWorkspaceModel': allowed, 'rank.learnWorkspace': false };
        const ws = session.addWorkspace(root);
        await ws.startIndexing();
        const name = ws.reranker?.name ?? '';
        await session.dispose();
        return name;
      };
      assert.match(await nameWith(true), /trained on this workspace/);
      assert.match(await nameWith(false), /shipped/);
      // A model file in the cache folder may have come with a cloned repository: it runs only
      // when the user's own settings allow it.
      assert.match(await nameWith(true, false), /shipped/);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('falls back step by step, one log line each, when models are missing', async () => {
    const lines: string[] = [];
    const r = await loadReranker({ userModel: '/nowhere/model.onnx', workspaceModel: '/nowhere/ws.onnx', threads: 1 }, (l) => lines.push(l));
    assert.match(r?.name ?? '', /shipped/);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /reranker model not found: \/nowhere\/model\.onnx/);
    await r?.release();
  });
});
