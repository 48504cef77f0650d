/**
 * The extract pool must change where entries are computed, never what they are: every test
 * compares the pooled path against the in-process one on the same files, including when workers
 * fail in each way they can (cannot start, crash mid-run, report a batch error).
 */
import * as assert from 'node:assert';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultSettings } from '../../server/src/config';
import { Editor, LogLevel } from '../../server/src/editor';
import { ApiIndex } from '../../server/src/index/api-index';
import { extractAll, extractBatch, ExtractJob, ExtractResult, READ_CONCURRENCY, workerScriptPath } from '../../server/src/index/extract-pool';
import { Indexer, IndexStats } from '../../server/src/index/indexer';
import { packedForDisk, packedFromDisk, packEntry } from '../../server/src/index/snippets';
import { FileEntry } from '../../server/src/model';
import { makeWorkspace, removeWorkspace } from '../workspace/helpers';

const DEMO = path.resolve(__dirname, '..', '..', '..', 'examples', 'demo-instance');
const MAX = defaultSettings()['index.maxFileSize'];

/** A small workspace in every layout, with the awkward cases: a binary file, a missing include, a non-source file. */
const FILES: Record<string, string | Uint8Array> = {
  'hr/update/sys_script_include_a1.xml': xmlRecord('x_acme_hr', 'HRUtils', 'var HRUtils = Class.create();\nHRUtils.prototype = {\n  /** The manager. */\n  getManager: function (id) { return id; },\n  type: "HRUtils"\n};'),
  'hr/update/sys_script_include_a2.xml': xmlRecord('x_acme_hr', 'HRAjax', 'var HRAjax = Class.create();\nHRAjax.prototype = Object.extendsObject(global.AbstractAjaxProcessor, { ask: function () { return new HRUtils().getManager(1); }, type: "HRAjax" });'),
  'dev1/x_acme_hr/sys_script_include/Payroll.script.js': 'var Payroll = Class.create();\nPayroll.prototype = { pay: function () { var u = new x_acme_hr.HRUtils(); return u.getManager(); }, type: "Payroll" };\n',
  'dev1/x_acme_hr/sys_script/Before insert.script.js': 'new x_acme_hr.Payroll().pay();\n',
  'cmdb/now.config.json': '{"scope": "x_acme_cmdb", "scopeId": "1", "name": "CMDB"}',
  'cmdb/src/fluent/ci.now.ts': "import { ScriptInclude } from '@servicenow/sdk/core'\nScriptInclude({ $id: Now.ID['ci'], name: 'CIUtils', script: Now.include('../server/CIUtils.server.js') })\nScriptInclude({ $id: Now.ID['gone'], name: 'Gone', script: Now.include('../server/Gone.server.js') })\n",
  'cmdb/src/server/CIUtils.server.js': 'var CIUtils = Class.create();\nCIUtils.prototype = { touch: function (ci) { return ci; }, type: "CIUtils" };\n',
  'plain/global/script_includes/MathUtil.js': 'var MathUtil = Class.create();\nMathUtil.prototype = { add: function (a, b) { return a + b; }, type: "MathUtil" };\n',
  'plain/global/script_includes/Blob.js': new Uint8Array([0, 1, 2, 3, 0, 0, 255, 254]),
  'plain/README.md': '# not a source file\n',
};

function xmlRecord(scope: string, name: string, script: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<record_update table="sys_script_include"><sys_script_include action="INSERT_OR_UPDATE"><api_name>${scope}.${name}</api_name><name>${name}</name><active>true</active><access>public</access><client_callable>false</client_callable><sys_scope display_value="${scope}">${scope}</sys_scope>\n<script><![CDATA[${script}]]></script></sys_script_include></record_update>`;
}

/** Every entry of an index, in path order. */
/** The index's entries, their packed values in memory whether or not the index moved them to its cache folder. */
function entriesOf(index: ApiIndex): FileEntry[] {
  return index.paths().sort().map((p) => packedFromDisk(packedForDisk(index.file(p)!, index.packs)));
}

function recordingEditor(): Editor & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log(level: LogLevel, message: string) {
      if (level !== 'debug') lines.push(`${level}: ${message}`);
    },
    showMessage() {},
    async startProgress() {
      return { report() {}, done() {} };
    },
  };
}

async function indexWith(root: string, extra: { workers: number; poolThreshold?: number; persist?: boolean }, onProgress?: (done: number, total: number) => void): Promise<{ entries: FileEntry[]; stats: IndexStats; log: string[] }> {
  const index = new ApiIndex();
  const editor = recordingEditor();
  const { persist = false, ...pool } = extra;
  const stats = await new Indexer(index, { root, settings: defaultSettings(), editor, persist, ...pool }).indexAll(onProgress);
  return { entries: entriesOf(index), stats, log: editor.lines };
}

/** Everything in stats except the wall time. */
function counts(stats: IndexStats): Omit<IndexStats, 'ms'> {
  const { ms: _ms, ...rest } = stats;
  return rest;
}

/** The sources of the fixture workspace, as extraction jobs in a fixed order. */
function sourceJobs(): ExtractJob[] {
  return Object.keys(FILES).sort().map((p) => ({ path: p }));
}

/**
 * Results with their snippets packed, as workers send them (`index/snippets.ts`); packing is
 * idempotent, so results packed already are unchanged. In-process extraction leaves them to
 * compaction.
 */
function packed(results: ExtractResult[]): ExtractResult[] {
  for (const r of results) if (r.kind === 'extracted') packEntry(r.entry);
  return results;
}

describe('index/extract-pool', () => {
  let root: string;
  let scratch: string;
  before(async () => {
    root = await makeWorkspace(FILES);
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-pool-'));
  });
  after(async () => {
    await removeWorkspace(root);
    await fs.rm(scratch, { recursive: true, force: true });
  });

  /** Writes a stand-in worker script that fails in some way. */
  async function failingWorker(name: string, body: string): Promise<string> {
    const file = path.join(scratch, `${name}.js`);
    await fs.writeFile(file, body);
    return file;
  }

  it('finds the compiled worker script beside the pool', async () => {
    assert.strictEqual(path.basename(workerScriptPath()), 'extract-worker.js');
    await fs.access(workerScriptPath());
  });

  it('indexes the demo instance to the same entries, stats and order with worker threads as in-process', async () => {
    const seen: Array<[number, number]> = [];
    const inProcess = await indexWith(DEMO, { workers: 1 });
    const pooled = await indexWith(DEMO, { workers: 2, poolThreshold: 0 }, (done, total) => seen.push([done, total]));
    assert.ok(inProcess.entries.length > 100, 'the demo has over a hundred source files');
    assert.ok(inProcess.entries.some((e) => e.scriptIncludes.length > 0) && inProcess.entries.some((e) => e.callSites.length > 0));
    assert.deepStrictEqual(pooled.entries.map((e) => e.path), inProcess.entries.map((e) => e.path));
    assert.deepStrictEqual(pooled.entries, inProcess.entries);
    assert.deepStrictEqual(counts(pooled.stats), counts(inProcess.stats));
    assert.deepStrictEqual(pooled.log, []);
    // Progress still arrives, grows, and ends at the total.
    const total = pooled.stats.files;
    assert.deepStrictEqual(seen[seen.length - 1], [total, total]);
    assert.ok(seen.every(([d, t], i) => t === total && (i === 0 || d > seen[i - 1][0])));
  });

  it('indexes every layout and the awkward files the same way with worker threads as in-process', async () => {
    const inProcess = await indexWith(root, { workers: 1 });
    const pooled = await indexWith(root, { workers: 2, poolThreshold: 0 });
    const names = inProcess.entries.flatMap((e) => e.scriptIncludes.map((s) => s.name)).sort();
    // CIUtils twice: the Fluent record and its included file, which is a Script Include by shape too.
    assert.deepStrictEqual(names, ['CIUtils', 'CIUtils', 'Gone', 'HRAjax', 'HRUtils', 'MathUtil', 'Payroll']);
    assert.ok(inProcess.entries.some((e) => e.problems.some((p) => /binary/.test(p.message))), 'the binary file is listed with a problem');
    assert.deepStrictEqual(pooled.entries, inProcess.entries);
    assert.deepStrictEqual(counts(pooled.stats), counts(inProcess.stats));
  });

  it('keeps the cache reuse on the main thread: unchanged stat is reused, same bytes keep the prior entry', async () => {
    const ws = await makeWorkspace(FILES);
    try {
      const first = await indexWith(ws, { workers: 2, poolThreshold: 0, persist: true });
      assert.strictEqual(first.stats.extracted, first.stats.files);
      // Same bytes with a new mtime, and one real edit.
      const later = new Date(Date.now() + 5000);
      await fs.utimes(path.join(ws, 'plain/global/script_includes/MathUtil.js'), later, later);
      await fs.writeFile(path.join(ws, 'dev1/x_acme_hr/sys_script_include/Payroll.script.js'), 'var Payroll = Class.create();\nPayroll.prototype = { run: function () {}, type: "Payroll" };\n');
      const second = await indexWith(ws, { workers: 2, poolThreshold: 0, persist: true });
      // The Fluent file (it has includes) is always read; its bytes are unchanged.
      assert.deepStrictEqual([second.stats.extracted, second.stats.sameHash], [1, 2]);
      assert.strictEqual(second.stats.reused, second.stats.files - 3);
      const payroll = second.entries.find((e) => e.path.endsWith('Payroll.script.js'))!;
      assert.deepStrictEqual(payroll.scriptIncludes[0].methods.map((m) => m.name), ['run']);
      const fresh = await indexWith(ws, { workers: 1 });
      // As JSON: a fresh entry's sites keep a `snippet: undefined` once packed (index/snippets.ts),
      // which the cache does not write.
      assert.deepStrictEqual(JSON.parse(JSON.stringify(second.entries)), JSON.parse(JSON.stringify(fresh.entries)));
    } finally {
      await removeWorkspace(ws);
    }
  });

  it('spreads many small batches over several workers and returns results in job order', async () => {
    const jobs = sourceJobs();
    const reference = await extractBatch(root, jobs, { maxFileSize: MAX });
    let arrived = 0;
    const pooled = await extractAll({ root, jobs, maxFileSize: MAX, workers: 3, batchSize: 2, onResults: (n) => (arrived += n) });
    assert.ok(pooled.some((r) => r.kind === 'extracted' && typeof r.entry.snippets === 'string'), 'the workers pack the snippets');
    assert.ok(reference.every((r) => r.kind !== 'extracted' || r.entry.snippets === undefined), 'in-process extraction leaves them to compaction');
    assert.deepStrictEqual(packed(pooled), packed(reference));
    assert.strictEqual(arrived, jobs.length);
    assert.ok(reference.every((r) => r.kind === 'extracted'));
  });

  it('extracts the same with blocking reads, and turns the event loop after each file meanwhile', async () => {
    // Update-set XML only: reading it needs no other file, so with blocking reads nothing else
    // would return to the event loop within the batch.
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`app/update/sys_script_include_b${i}.xml`] = xmlRecord('x_acme_app', `Util${i}`, `var Util${i} = Class.create();\nUtil${i}.prototype = { run: function () { return new Util${(i + 1) % 30}().run(); }, type: "Util${i}" };`);
    const xmlRoot = await makeWorkspace(files);
    const jobs = Object.keys(files).map((p) => ({ path: p }));
    const reference = await extractBatch(xmlRoot, jobs, { maxFileSize: MAX });
    // Parsed trees are freed from the event loop: a batch read with blocking calls must still let it turn.
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const blocking = await extractBatch(xmlRoot, jobs, { maxFileSize: MAX, blocking: true });
    counting = false;
    await removeWorkspace(xmlRoot);
    assert.ok(reference.every((r) => r.kind === 'extracted'));
    assert.deepStrictEqual(packed(blocking), packed(reference));
    // A batch reads READ_CONCURRENCY files at once, and they yield together.
    assert.ok(turns >= Math.floor(jobs.length / READ_CONCURRENCY), `${turns} turns of the event loop for ${jobs.length} files`);
  });

  it('skips extraction when the bytes hash to the prior hash, on workers as in-process', async () => {
    const [probe] = await extractBatch(root, [{ path: 'plain/global/script_includes/MathUtil.js' }], { maxFileSize: MAX });
    assert.strictEqual(probe.kind, 'extracted');
    const hash = (probe as Extract<ExtractResult, { kind: 'extracted' }>).entry.hash;
    const jobs: ExtractJob[] = [{ path: 'plain/global/script_includes/MathUtil.js', priorHash: hash }, { path: 'plain/global/script_includes/MathUtil.js', priorHash: 'other' }];
    const pooled = await extractAll({ root, jobs, maxFileSize: MAX, workers: 2, batchSize: 1 });
    assert.deepStrictEqual(pooled.map((r) => r.kind), ['unchanged', 'extracted']);
    assert.deepStrictEqual(packed(pooled), packed(await extractBatch(root, jobs, { maxFileSize: MAX })));
  });

  describe('a failing worker loses nothing: its batches are redone in-process, with one log line', () => {
    async function checkFallback(workerFile: string, expectLog: RegExp): Promise<string[]> {
      const jobs = sourceJobs();
      const log: string[] = [];
      let arrived = 0;
      const pooled = await extractAll({ root, jobs, maxFileSize: MAX, workers: 2, batchSize: 3, workerFile, log: (m) => log.push(m), onResults: (n) => (arrived += n) });
      assert.deepStrictEqual(packed(pooled), packed(await extractBatch(root, jobs, { maxFileSize: MAX })));
      assert.strictEqual(arrived, jobs.length);
      assert.ok(log.length >= 1 && log.length <= Math.ceil(jobs.length / 3), `a line per failure, got ${log.length}`);
      assert.ok(log.every((l) => expectLog.test(l) && /in-process/.test(l)), log.join('\n'));
      return log;
    }

    it('when the worker cannot start', async () => {
      await checkFallback(await failingWorker('throws-on-load', "throw new Error('cannot start');\n"), /cannot start/);
    });

    it('when the worker exits on its first batch', async () => {
      const log = await checkFallback(await failingWorker('exits', "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n"), /code 3/);
      assert.strictEqual(log.length, 2, 'one line per crashed worker');
    });

    it('when the worker reports a batch error', async () => {
      const body = "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (m) => parentPort.postMessage({ id: m.id, error: 'boom' }));\n";
      const log = await checkFallback(await failingWorker('batch-error', body), /boom/);
      assert.strictEqual(log.length, Math.ceil(sourceJobs().length / 3), 'one line per failed batch');
    });

    it('when the worker crashes after answering some batches', async () => {
      const pool = JSON.stringify(path.resolve(__dirname, '..', '..', 'server', 'src', 'index', 'extract-pool.js'));
      const body = `const { parentPort, workerData } = require('node:worker_threads');
const { extractBatch } = require(${pool});
let answered = 0;
parentPort.on('message', async (m) => {
  if (answered++ > 0) process.exit(7);
  parentPort.postMessage({ id: m.id, results: await extractBatch(workerData.root, m.jobs, { maxFileSize: workerData.maxFileSize }) });
});
`;
      await checkFallback(await failingWorker('crashes-later', body), /code 7/);
    });

    it('when the worker script is missing', async () => {
      const log: string[] = [];
      const jobs = sourceJobs();
      const pooled = await extractAll({ root, jobs, maxFileSize: MAX, workers: 2, batchSize: 2, workerFile: path.join(scratch, 'absent.js'), log: (m) => log.push(m) });
      assert.deepStrictEqual(packed(pooled), packed(await extractBatch(root, jobs, { maxFileSize: MAX })));
      assert.strictEqual(log.length, 1);
      assert.match(log[0], /not found; reading in-process/);
    });
  });

  it('leaves no thread behind: a process that runs the pool exits on its own', async function () {
    this.timeout(20_000);
    const pool = JSON.stringify(path.resolve(__dirname, '..', '..', 'server', 'src', 'index', 'extract-pool.js'));
    const script = `const { extractAll } = require(${pool});
extractAll({ root: ${JSON.stringify(root)}, jobs: ${JSON.stringify(sourceJobs())}, maxFileSize: ${MAX}, workers: 2, batchSize: 2 })
  .then((r) => console.log(r.filter((x) => x.kind === 'extracted').length));`;
    const out = await new Promise<string>((resolve, reject) => {
      // Killed by the timeout (and so failing) if a live worker kept the event loop open.
      execFile(process.execPath, ['-e', script], { timeout: 15_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
    assert.strictEqual(out.trim(), String(sourceJobs().length));
  });

  it('sends what a worker prints to stderr, never to stdout (the protocol channel of the server)', async function () {
    this.timeout(20_000);
    const pool = JSON.stringify(path.resolve(__dirname, '..', '..', 'server', 'src', 'index', 'extract-pool.js'));
    const worker = await failingWorker('chatty', "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (m) => { console.log('chatter from a worker'); parentPort.postMessage({ id: m.id, error: 'quiet now' }); });\n");
    const script = `const { extractAll } = require(${pool});
extractAll({ root: ${JSON.stringify(root)}, jobs: ${JSON.stringify(sourceJobs())}, maxFileSize: ${MAX}, workers: 2, batchSize: 5, workerFile: ${JSON.stringify(worker)} })
  .then((r) => process.stdout.write('results ' + r.length));`;
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, ['-e', script], { timeout: 15_000 }, (err, stdout, stderr) => (err ? reject(err) : resolve({ stdout, stderr })));
    });
    assert.strictEqual(stdout, `results ${sourceJobs().length}`);
    assert.match(stderr, /chatter from a worker/);
  });
});
