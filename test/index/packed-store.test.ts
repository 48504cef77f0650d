import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { defaultSettings } from '../../server/src/config';
import { consoleEditor } from '../../server/src/editor';
import { ApiIndex } from '../../server/src/index/api-index';
import { Indexer } from '../../server/src/index/indexer';
import { packedPlace, PackedStore, shiftPlace } from '../../server/src/index/packed-store';
import { loadCache, saveCache } from '../../server/src/index/persistence';
import { scriptIncludeFields } from '../../server/src/index/api-documents';
import { entrySnippets, packEntry, scriptIncludeBody, spillPacked } from '../../server/src/index/snippets';
import { RetrievalIndex } from '../../server/src/retrieval/retrieval-index';
import { callSite, fileEntry, scriptInclude } from '../helpers/entries';
import { writeFiles } from '../retrieval/helpers';

/** A Latin-1 string of `n` bytes of every value, as packed values are in memory. */
function bytesValue(n: number): string {
  return randomBytes(n).toString('latin1');
}

describe('index/packed-store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-packs-'));
  });
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('keeps values in memory until it is given a folder', () => {
    const packs = new PackedStore();
    assert.equal(packs.spills, false);
    const value = bytesValue(100);
    assert.equal(packs.put(value), value);
    assert.deepEqual(packs.bytes(value), Buffer.from(value, 'latin1'));
  });

  it('moves values into a file in its folder and reads each back, across writes and past the gathering buffer', async () => {
    const packs = new PackedStore();
    packs.useFolder(dir);
    // Small values over several gathering buffers, one larger than a buffer, and an empty one.
    const values = [...Array.from({ length: 300 }, (_, i) => bytesValue(1 + ((i * 7919) % 4000))), bytesValue(600_000), '', bytesValue(10)];
    const places = values.map((v) => packs.put(v));
    assert.ok(places.every((p) => typeof p === 'number'), 'every value has a place');
    assert.equal(new Set(places).size, places.length);
    values.forEach((v, i) => assert.deepEqual(packs.bytes(places[i]), Buffer.from(v, 'latin1'), `value ${i}`));
    // A pass reading a window at a time: in order, backwards, and with values still gathered and
    // one larger than a window put after the pass began.
    const late = [bytesValue(1_200_000), bytesValue(30)];
    const latePlaces = late.map((v) => packs.put(v));
    for (const order of [places.map((_, i) => i), places.map((_, i) => places.length - 1 - i)]) {
      const pass = packs.windowed();
      for (const i of order) assert.deepEqual(Buffer.from(pass.bytes(places[i])!), Buffer.from(values[i], 'latin1'), `value ${i} in a pass`);
      late.forEach((v, i) => assert.deepEqual(Buffer.from(pass.bytes(latePlaces[i])!), Buffer.from(v, 'latin1')));
    }
    if (process.platform !== 'win32') {
      // Unlinked at once: the folder shows nothing, and nothing is left behind.
      assert.deepEqual((await fs.readdir(dir)).filter((n) => n.startsWith('packed-values-')), []);
    }
    packs.close();
    assert.equal(packs.bytes(places[0]), undefined, 'a closed store reads nothing');
    assert.equal(packs.put('x'), 'x', 'and keeps what comes after in memory');
  });

  it('adopts a file larger than what it gathers, every value readable, one across each boundary too', async () => {
    const source = path.join(dir, 'beside.packed');
    const bytes = randomBytes(2 * 1024 * 1024 + 100_000);
    await fs.writeFile(source, bytes);
    const packs = new PackedStore();
    packs.useFolder(dir);
    const first = packs.put(bytesValue(70));
    const start = packs.adopt(source);
    assert.equal(typeof start, 'number');
    for (const offset of [0, 1024 * 1024 - 10, 2 * 1024 * 1024 - 12, bytes.length - 100]) {
      const place = packedPlace(offset, 100)!;
      assert.deepEqual(packs.bytes(shiftPlace(place, start as number)!), bytes.subarray(offset, offset + 100), `at ${offset}`);
    }
    assert.equal((packs.bytes(first) as Buffer).length, 70);
    packs.close();
  });

  it('reads nothing for a place it never gave', () => {
    const packs = new PackedStore();
    packs.useFolder(dir);
    const place = packs.put(bytesValue(50)) as number;
    for (const bad of [-1, 0.5, Number.NaN, place + 2 ** 22 * 1000, 2 ** 60]) assert.equal(packs.bytes(bad), undefined, String(bad));
    packs.close();
  });

  it('keeps values in memory, and says why once, when its folder cannot take the file', () => {
    const heard: string[] = [];
    const packs = new PackedStore();
    packs.useFolder(path.join(dir, 'missing'), (m) => heard.push(m));
    const a = bytesValue(20);
    assert.equal(packs.put(a), a);
    assert.equal(packs.put('b'), 'b');
    assert.equal(heard.length, 1);
    assert.match(heard[0], /could not make a file for packed values in .*missing: ENOENT; they are kept in memory/);
    assert.equal(packs.spills, false);
  });

  it('gives the same snippets and body words after moving, and the cache writes the values themselves', async () => {
    const snippets = Array.from({ length: 30 }, (_, i) => `var r${i} = new LeaveUtils().approve(current, 'état ${i} ✓');`);
    const words = ['leave', 'état', '😀', 'ajaxparam:sysparm_id'];
    const entry = fileEntry('br/approve.js', {
      callSites: snippets.map((snippet, i) => callSite('LeaveUtils', { snippet, scriptOffset: i })),
      scriptIncludes: [scriptInclude('LeaveUtils', { body: words, path: 'br/approve.js' })],
    });
    packEntry(entry);
    const inMemory = { snippets: entry.snippets, body: entry.scriptIncludes[0].packedBody };
    const packs = new PackedStore();
    packs.useFolder(dir);
    spillPacked(entry, packs);
    assert.equal(typeof entry.snippets, 'number');
    assert.equal(typeof entry.scriptIncludes[0].packedBody, 'number');
    assert.deepEqual(entrySnippets(entry, packs), snippets);
    assert.deepEqual(scriptIncludeBody(entry.scriptIncludes[0], packs), words);
    // Without the store, a moved value reads as nothing, not as an error.
    assert.deepEqual(entrySnippets(entry), snippets.map(() => ''));
    assert.deepEqual(scriptIncludeBody(entry.scriptIncludes[0]), []);

    const cacheDir = path.join(dir, 'cache');
    const id = await saveCache(cacheDir, [{ entry, size: 1, mtimeMs: 1 }], 'test', packs);
    const beside = await fs.readFile(path.join(cacheDir, `index-${id}.packed`));
    assert.ok(beside.includes(Buffer.from(inMemory.snippets as string, 'latin1')), 'the values themselves, read back from the store');
    // Loaded without a store: read into memory, as they were.
    const load = await loadCache(cacheDir);
    assert.equal(load.status, 'loaded');
    const loaded = load.status === 'loaded' ? load.files.get('br/approve.js')!.entry : entry;
    assert.equal(loaded.snippets, inMemory.snippets);
    assert.equal(loaded.scriptIncludes[0].packedBody, inMemory.body);
    assert.deepEqual(entrySnippets(loaded), snippets);
    // Loaded with a store that already holds values: copied in after them, the places moved.
    const other = new PackedStore();
    other.useFolder(dir);
    const first = bytesValue(5000);
    const firstPlace = other.put(first);
    const again = await loadCache(cacheDir, { packs: other });
    assert.equal(again.status, 'loaded');
    const adopted = again.status === 'loaded' ? again.files.get('br/approve.js')!.entry : entry;
    assert.equal(typeof adopted.snippets, 'number');
    assert.deepEqual(entrySnippets(adopted, other), snippets);
    assert.deepEqual(scriptIncludeBody(adopted.scriptIncludes[0], other), words);
    assert.deepEqual(other.bytes(firstPlace), Buffer.from(first, 'latin1'));
    other.close();
    packs.close();
  });

  it('reads a base whose packed values are gone, damaged or misnamed as unreadable, or as values lost, never as an error', async () => {
    const entry = fileEntry('br/a.js', { callSites: [callSite('A', { snippet: 'new A().run();' })] });
    packEntry(entry);
    const cacheDir = path.join(dir, 'cache');
    const id = await saveCache(cacheDir, [{ entry, size: 1, mtimeMs: 1 }], 'test');
    const besideFile = path.join(cacheDir, `index-${id}.packed`);
    // Cut short: the place points past its end, and the snippet reads as empty.
    await fs.truncate(besideFile, 3);
    for (const packs of [undefined, new PackedStore()]) {
      packs?.useFolder(dir);
      const load = await loadCache(cacheDir, { packs });
      assert.equal(load.status, 'loaded');
      if (load.status === 'loaded') assert.deepEqual(entrySnippets(load.files.get('br/a.js')!.entry, packs), ['']);
      packs?.close();
    }
    // A store that cannot make its file (the folder is gone): the values are read into memory.
    await saveCache(cacheDir, [{ entry: { ...entry, path: 'br/b.js' }, size: 1, mtimeMs: 1 }], 'test');
    const heard: string[] = [];
    const stuck = new PackedStore();
    stuck.useFolder(path.join(dir, 'gone'), (m) => heard.push(m));
    const inMemory = await loadCache(cacheDir, { packs: stuck });
    assert.equal(inMemory.status, 'loaded');
    const b = inMemory.status === 'loaded' ? inMemory.files.get('br/b.js')!.entry : entry;
    assert.equal(typeof b.snippets, 'string');
    assert.deepEqual(entrySnippets(b, stuck), ['new A().run();']);
    assert.equal(heard.length, 1);
    const [packedName] = (await fs.readdir(cacheDir)).filter((n) => n.endsWith('.packed'));
    await fs.rm(path.join(cacheDir, packedName));
    const gone = await loadCache(cacheDir);
    assert.equal(gone.status, 'unreadable');
    assert.match(gone.status === 'unreadable' ? gone.reason : '', /packed values could not be read \(index-.*\.packed: ENOENT\)/);
    const text = await fs.readFile(path.join(cacheDir, 'index.jsonl'), 'utf8');
    await fs.writeFile(path.join(cacheDir, 'index.jsonl'), text.replace(packedName, '../../etc/passwd'));
    const misnamed = await loadCache(cacheDir);
    assert.equal(misnamed.status, 'unreadable');
  });

  it('an index with a cache folder keeps no packed value in memory, and retrieval makes the same documents as one without', async function () {
    this.timeout(60_000);
    const root = path.join(dir, 'ws');
    await writeFiles(root, {
      'si/LeaveUtils.js': "var LeaveUtils = Class.create();\nLeaveUtils.prototype = {\n  approve: function (req) { var gr = new GlideRecord('x_leave_request'); gr.get(req); gr.state = 'approved'; gr.update(); },\n  type: 'LeaveUtils'\n};\n",
      'rules/approve.js': "(function () {\n  // approve the leave request when the manager signs\n  var utils = new LeaveUtils();\n  utils.approve(current.sys_id);\n})();\n",
      'rules/other.js': 'var u = new LeaveUtils();\nu.approve(current.getValue("request"));\n',
    });
    const build = async (persist: boolean) => {
      const index = new ApiIndex();
      const indexer = new Indexer(index, { root, settings: defaultSettings(), editor: consoleEditor('error'), persist, poolThreshold: 1, workers: 1 });
      await indexer.indexAll();
      await indexer.flush();
      const retrieval = new RetrievalIndex(index);
      await retrieval.build();
      return { index, retrieval };
    };
    const memory = await build(false);
    const spilled = await build(true);
    const entries = [...spilled.index.files()];
    assert.ok(entries.some((e) => e.snippets !== undefined) && entries.some((e) => e.scriptIncludes.some((si) => si.packedBody !== undefined)));
    for (const e of entries) {
      assert.notEqual(typeof e.snippets, 'string', e.path);
      for (const si of e.scriptIncludes) assert.notEqual(typeof si.packedBody, 'string', si.name);
    }
    // The documents read the moved words: the body's table, the caller's comment.
    const [si] = spilled.index.named('LeaveUtils');
    assert.ok(scriptIncludeFields(si, { jsdoc: true, packs: spilled.index.packs }).body.some((t) => t.includes('leave')));
    assert.ok(entrySnippets(spilled.index.file('rules/approve.js')!, spilled.index.packs).some((s) => s.includes('manager signs')));
    // Both BM25 indexes, term for term.
    const { api, usage } = spilled.retrieval.snapshot();
    const before = memory.retrieval.snapshot();
    assert.deepEqual(api, before.api);
    assert.deepEqual(usage, before.usage);
    spilled.index.packs.close();
  });
});
