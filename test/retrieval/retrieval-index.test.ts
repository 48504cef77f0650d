/**
 * Dense retrieval under an ONNX sentence-embedding model (`embedder.model`), through a real
 * workspace: documents embedded asynchronously at build and on change, the query embedded before
 * the pipeline, snapshots kept apart from other embedders, and a bad model falling back.
 */
import * as assert from 'node:assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Editor } from '../../server/src/editor';
import { Session, Workspace } from '../../server/src/session';
import { tinyEmbedderModel, writeEmbedderDir } from '../index/tiny-embedder';
import { contextAt, writeFiles } from './helpers';
import { StrideSample } from '../../server/src/retrieval/retrieval-index';

const FILES: Record<string, string> = {
  'acme/x_acme_hr/script_includes/HRUtils.js': `/** Helpers for hr cases: the manager of a user, leave balance. */
var HRUtils = Class.create();
HRUtils.prototype = {
    initialize: function() {},
    /** The manager of a user. */
    getManager: function(userId) { var gr = new GlideRecord('sys_user'); gr.get(userId); return gr.manager; },
    type: 'HRUtils'
};`,
  'acme/x_acme_hr/script_includes/IncidentTasks.js': `/** Assign and close incident tasks. */
var IncidentTasks = Class.create();
IncidentTasks.prototype = {
    initialize: function() {},
    /** Close the task. */
    closeTask: function(id) { var gr = new GlideRecord('incident_task'); gr.get(id); gr.state = 3; gr.update(); },
    type: 'IncidentTasks'
};`,
};

interface Run {
  root: string;
  session: Session;
  ws: Workspace;
  logs: string[];
}

function recordingEditor(logs: string[]): Editor {
  return {
    log: (_level, message) => logs.push(message),
    showMessage() {},
    async startProgress() {
      return { report() {}, done() {} };
    },
  };
}

async function open(root: string, settings: Record<string, unknown>, persist = false): Promise<Run> {
  const logs: string[] = [];
  const session = new Session(recordingEditor(logs));
  Object.assign(session.settings, settings);
  const ws = session.addWorkspace(root, persist);
  await ws.startIndexing();
  await ws.retrieval.whenEmbedded();
  return { root, session, ws, logs };
}

const CONTEXT = () => contextAt('var x = new |', { scope: 'x_acme_hr' });

describe('retrieval-index with an embedding model', () => {
  let root: string;
  let modelPath: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-dense-model-'));
    await writeFiles(root, FILES);
    modelPath = writeEmbedderDir(tinyEmbedderModel({ dim: 8, seed: 3 }));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(path.dirname(modelPath), { recursive: true, force: true });
  });

  it('embeds every document with the model and ranks through the dense stage', async () => {
    const run = await open(root, { 'embedder.model': modelPath });
    try {
      const { ws } = run;
      assert.ok(ws.embeddingModel, run.logs.join('\n'));
      assert.strictEqual(ws.retrieval.embedderId, ws.embeddingModel.id);
      assert.strictEqual(ws.retrieval.vectors?.dim, 8);
      assert.strictEqual(ws.retrieval.vectors?.size, ws.retrieval.docs.size);
      assert.strictEqual(ws.retrieval.pendingEmbeddings, 0);
      const out = await ws.rank({ context: CONTEXT() });
      const hr = out.candidates.find((c) => c.name === 'HRUtils');
      assert.ok(hr?.stages.dense, JSON.stringify(out.candidates.map((c) => [c.name, c.stages])));
      assert.ok(out.timings.some((t) => t.stage === 'embed-query'));
      assert.ok(run.logs.some((l) => /dense retrieval: embedding model/.test(l)));
      assert.ok(run.logs.some((l) => /embedding model: \d+ documents in/.test(l)));

      // Without the query vector the pipeline cannot embed terms in the model's space: no dense list.
      const bare = ws.pipeline.rank({ context: CONTEXT() });
      assert.ok(bare.candidates.every((c) => !c.stages.dense));
      assert.ok(bare.trace.some((l) => /dense skipped/.test(l)));
    } finally {
      await run.session.dispose();
    }
  });

  it('re-embeds a changed file asynchronously', async () => {
    const run = await open(root, { 'embedder.model': modelPath });
    try {
      const { ws } = run;
      const rel = 'acme/x_acme_hr/script_includes/LeaveBalance.js';
      await writeFiles(root, { [rel]: `/** Leave balance of a user. */\nvar LeaveBalance = Class.create();\nLeaveBalance.prototype = { initialize: function() {}, balance: function(u) { return 0; }, type: 'LeaveBalance' };` });
      await ws.indexer.applyChanges([{ kind: 'created', path: rel }]);
      await ws.retrieval.whenEmbedded();
      const si = ws.index.file(rel)?.scriptIncludes[0];
      assert.ok(si);
      const docId = ws.retrieval.docIdOf(si)!;
      assert.ok(ws.retrieval.vectors?.has(docId));
      assert.strictEqual(ws.retrieval.vectors?.size, ws.retrieval.docs.size);
    } finally {
      await run.session.dispose();
    }
  });

  it('a missing model is one log line, and the learned embedder takes over', async () => {
    const run = await open(root, { 'embedder.model': path.join(root, 'no-such-model.onnx') });
    try {
      const { ws, logs } = run;
      const lines = logs.filter((l) => /embedding model/.test(l));
      assert.strictEqual(lines.length, 1, logs.join('\n'));
      assert.match(lines[0], /not found.*embeddings learned from the workspace/);
      assert.strictEqual(ws.embeddingModel, undefined);
      assert.strictEqual(ws.retrieval.embedsText, false);
      const out = await ws.rank({ context: CONTEXT() });
      assert.ok(out.candidates.some((c) => c.stages.dense));
      assert.ok(!out.timings.some((t) => t.stage === 'embed-query'));
    } finally {
      await run.session.dispose();
    }
  });

  it('restores a snapshot made under the same model only', async () => {
    const cache = { 'index.cacheDir': path.join(root, '.cache') };
    const first = await open(root, { ...cache, 'embedder.model': modelPath }, true);
    await first.session.dispose();
    const snap = JSON.parse(await fs.readFile(path.join(root, '.cache', 'retrieval.json'), 'utf8'));
    assert.match(snap.embedderId, /^onnx-8-/);

    const again = await open(root, { ...cache, 'embedder.model': modelPath }, true);
    assert.ok(again.logs.some((l) => /retrieval restored from the cache/.test(l)), again.logs.join('\n'));
    assert.strictEqual(again.ws.retrieval.vectors?.size, again.ws.retrieval.docs.size);
    await again.session.dispose();

    // Another model (a new file) must not reuse those vectors.
    const other = writeEmbedderDir(tinyEmbedderModel({ dim: 8, seed: 4 }));
    const switched = await open(root, { ...cache, 'embedder.model': other }, true);
    assert.ok(switched.logs.some((l) => /^retrieval built/.test(l)), switched.logs.join('\n'));
    assert.notStrictEqual(switched.ws.retrieval.embedderId, snap.embedderId);
    await switched.session.dispose();
    await fs.rm(path.dirname(other), { recursive: true, force: true });
  });
});

describe('StrideSample', () => {
  it('keeps at most max documents, evenly spread, without holding the rest', () => {
    const draw = (total: number, max: number) => {
      const s = new StrideSample<number>(total, max);
      for (let i = 0; i < total; i++) s.offer(i);
      return s;
    };
    assert.deepStrictEqual(draw(5, 10).kept, [0, 1, 2, 3, 4]);
    assert.deepStrictEqual(draw(10, 4).kept, [0, 2, 5, 7]);
    assert.deepStrictEqual(draw(7, 0).kept, []);
    const big = draw(39_728, 5_000);
    assert.strictEqual(big.kept.length, 5_000);
    assert.strictEqual(big.offered, 39_728);
    // Evenly: no gap between two kept documents is more than one wider than another.
    const gaps = big.kept.slice(1).map((v, i) => v - big.kept[i]);
    assert.ok(Math.max(...gaps) - Math.min(...gaps) <= 1);
  });

  it('says which items it keeps before they are made, keeping the same ones as offering them', () => {
    for (const [total, max] of [[39_728, 5_000], [10, 4], [5, 10], [7, 0]]) {
      const asked = new StrideSample<number>(total, max);
      let made = 0;
      for (let i = 0; i < total; i++) if (asked.takes()) (made++, asked.kept.push(i));
      const offered = new StrideSample<number>(total, max);
      for (let i = 0; i < total; i++) offered.offer(i);
      assert.deepStrictEqual(asked.kept, offered.kept);
      assert.strictEqual(made, offered.kept.length);
      assert.strictEqual(asked.offered, total);
    }
  });
});
