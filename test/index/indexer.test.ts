import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultSettings } from '../../server/src/config';
import { consoleEditor } from '../../server/src/editor';
import { ApiIndex } from '../../server/src/index/api-index';
import { Indexer } from '../../server/src/index/indexer';
import { writeFiles } from '../retrieval/helpers';

describe('index/indexer', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-indexer-'));
    await writeFiles(root, {
      'si/A.js': "var A = Class.create();\nA.prototype = { run: function () {}, type: 'A' };\n",
      'si/B.js': "var B = Class.create();\nB.prototype = { go: function () { new A().run(); }, type: 'B' };\n",
      'rules/r.js': 'new B().go();\n',
    });
  });
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  const start = async () => {
    const index = new ApiIndex();
    const indexer = new Indexer(index, { root, settings: defaultSettings(), editor: consoleEditor('error'), persist: true });
    const stats = await indexer.indexAll();
    return { index, indexer, stats };
  };

  it('indexes every file, then reuses the cache for what did not change', async () => {
    const first = await start();
    assert.equal(first.stats.files, 3);
    assert.equal(first.stats.extracted, 3);
    assert.deepEqual([...first.index.scriptIncludes()].map((s) => s.name).sort(), ['A', 'B']);
    await first.indexer.flush();
    const second = await start();
    assert.equal(second.stats.cache, 'loaded');
    assert.equal(second.stats.reused, 3);
    assert.equal(second.stats.extracted, 0);
    assert.deepEqual([...second.index.callSites()].map((s) => s.target).sort(), ['A', 'B']);
  });

  it('does not read a changed path that leads outside the workspace', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-outside-'));
    try {
      await fs.writeFile(path.join(outside, 'Leak.js'), "var Leak = Class.create();\nLeak.prototype = { type: 'Leak' };\n");
      const { index, indexer } = await start();
      await fs.symlink(path.join(outside, 'Leak.js'), path.join(root, 'si', 'Leak.js'));
      const r = await indexer.applyChanges([{ kind: 'created', path: 'si/Leak.js' }]);
      assert.deepEqual(r.updated, []);
      assert.equal(index.named('Leak').length, 0);
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it('applies one file change at a time: an edit, a new file, a deletion', async () => {
    const { index, indexer } = await start();
    await fs.writeFile(path.join(root, 'si/A.js'), "var A = Class.create();\nA.prototype = { run: function () {}, stop: function () {}, type: 'A' };\n");
    await fs.writeFile(path.join(root, 'si/C.js'), "var C = Class.create();\nC.prototype = { type: 'C' };\n");
    await fs.rm(path.join(root, 'si/B.js'));
    const r = await indexer.applyChanges([
      { kind: 'changed', path: 'si/A.js' },
      { kind: 'created', path: 'si/C.js' },
      { kind: 'deleted', path: 'si/B.js' },
    ]);
    assert.deepEqual(r.updated.sort(), ['si/A.js', 'si/C.js']);
    assert.deepEqual(r.removed, ['si/B.js']);
    assert.deepEqual([...index.scriptIncludes()].map((s) => s.name).sort(), ['A', 'C']);
    assert.deepEqual(index.named('A')[0].methods.map((m) => m.name), ['run', 'stop']);
  });

  it('saves an edit by appending to the change log, not by rewriting the index file; a restart reads both', async () => {
    const first = await start();
    await first.indexer.flush();
    const cacheDir = path.join(root, '.deepcodeseek');
    const before = await fs.stat(path.join(cacheDir, 'index.jsonl'));
    await fs.writeFile(path.join(root, 'si/A.js'), "var A = Class.create();\nA.prototype = { run: function () {}, halt: function () {}, type: 'A' };\n");
    await fs.rm(path.join(root, 'rules/r.js'));
    await first.indexer.applyChanges([
      { kind: 'changed', path: 'si/A.js' },
      { kind: 'deleted', path: 'rules/r.js' },
    ]);
    await first.indexer.flush();
    const after = await fs.stat(path.join(cacheDir, 'index.jsonl'));
    assert.equal(after.mtimeMs, before.mtimeMs, 'the index file was not rewritten');
    assert.ok((await fs.readFile(path.join(cacheDir, 'index-changes.jsonl'), 'utf8')).includes('halt'));
    const second = await start();
    assert.equal(second.stats.cache, 'loaded');
    assert.deepEqual(second.index.named('A')[0].methods.map((m) => m.name), ['run', 'halt']);
    assert.equal(second.index.file('rules/r.js'), undefined);
    assert.equal(second.stats.extracted, 0, 'the edited file matched its logged entry by content');
  });

  it('a first index answers while it reads: files join batch by batch, and end in path order', async () => {
    // Enough files for several batches on worker threads.
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`more/S${String(i).padStart(2, '0')}.js`] = `var S${i} = Class.create();\nS${i}.prototype = { m: function () {}, type: 'S${i}' };\n`;
    await writeFiles(root, files);
    const index = new ApiIndex();
    const seen: number[] = [];
    index.onDidChange(() => seen.push(index.fileCount));
    const indexer = new Indexer(index, { root, settings: defaultSettings(), editor: consoleEditor('error'), persist: false, poolThreshold: 1, workers: 2, batchSize: 8 });
    const stats = await indexer.indexAll();
    assert.equal(stats.files, 63);
    // Several changes before the last, each with more files: the index grew while it was read.
    assert.ok(seen.length >= 3, `changes: ${seen.join(', ')}`);
    assert.ok(seen.slice(0, -1).some((n) => n > 0 && n < 63), `changes: ${seen.join(', ')}`);
    assert.equal(index.fileCount, 63);
    const paths = index.paths();
    assert.deepEqual(paths, [...paths].sort(), 'the final order is path order, whatever order batches arrived in');
  });
});
