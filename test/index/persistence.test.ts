import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { appendChanges, CACHE_FORMAT, loadCache, saveCache } from '../../server/src/index/persistence';
import { fileEntry, scriptInclude } from '../helpers/entries';

describe('index/persistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-cache-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('round-trips entries keyed by path', async () => {
    const entry = fileEntry('a.js', { scriptIncludes: [scriptInclude('A')] });
    await saveCache(dir, [{ entry, size: 10, mtimeMs: 5 }], 'test');
    const load = await loadCache(dir);
    assert.equal(load.status, 'loaded');
    if (load.status === 'loaded') assert.deepEqual(load.files.get('a.js')?.entry, entry);
  });

  it('round-trips more than a write chunk of text, with characters of two, three and four bytes at every offset', async () => {
    // The writer gathers text in one reused buffer of a megabyte; pieces of every length and
    // width cross its boundary at different places.
    const files = [];
    for (let i = 0; i < 400; i++) {
      const text = `é€😀 ${i} `.repeat(60 + (i % 97)) + 'x'.repeat(i % 7);
      files.push({ entry: fileEntry(`f${i}.js`, { scriptIncludes: [scriptInclude(`S${i}`, { description: text })] }), size: i, mtimeMs: i });
    }
    files.push({ entry: fileEntry('big.js', { scriptIncludes: [scriptInclude('Big', { description: '€'.repeat(400_000) })] }), size: 1, mtimeMs: 1 });
    await saveCache(dir, files, 'test');
    assert.ok((await fs.stat(path.join(dir, 'index.jsonl'))).size > 1.5 * 2 ** 20, 'more than a chunk was written');
    const load = await loadCache(dir);
    assert.equal(load.status, 'loaded');
    if (load.status !== 'loaded') return;
    for (const f of files) assert.deepEqual(load.files.get(f.entry.path)?.entry, f.entry, f.entry.path);
  });

  it('reads a cache whose lines end in CR LF, a line longer than a read chunk among them', async () => {
    const files = [
      { entry: fileEntry('a.js', { scriptIncludes: [scriptInclude('A', { description: 'ü'.repeat(300_000) })] }), size: 1, mtimeMs: 1 },
      { entry: fileEntry('b.js', { scriptIncludes: [scriptInclude('B')] }), size: 2, mtimeMs: 2 },
    ];
    await saveCache(dir, files, 'test');
    const file = path.join(dir, 'index.jsonl');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/\n/g, '\r\n'));
    const load = await loadCache(dir);
    assert.equal(load.status, 'loaded');
    if (load.status !== 'loaded') return;
    for (const f of files) assert.deepEqual(load.files.get(f.entry.path)?.entry, f.entry, f.entry.path);
  });

  it('reports an absent cache as absent', async () => {
    assert.equal((await loadCache(path.join(dir, 'nothing-here'))).status, 'absent');
  });

  it('reports garbage, truncation, wrong format and wrong shape as unreadable', async () => {
    const file = path.join(dir, 'index.jsonl');
    const head = JSON.stringify({ format: CACHE_FORMAT, writer: 't', savedAt: '' });
    const good = JSON.stringify({ entry: fileEntry('a.js'), size: 1, mtimeMs: 1 });
    for (const content of [
      '\u0000\u0001garbage',
      `${head}\n${good}\n`, // cut before the end marker
      `${head}\n${good}\n{"end": 2}\n`, // the marker counts another file
      `${head}\n${good.slice(0, 30)}`, // cut inside a line
      `${JSON.stringify({ format: -1 })}\n{"end": 0}\n`,
      `${head}\n{"nope": 1}\n{"end": 1}\n`,
      '',
    ]) {
      await fs.writeFile(file, content);
      const load = await loadCache(dir);
      assert.equal(load.status, 'unreadable', content.slice(0, 20));
    }
  });

  it('writes atomically: no temporary files are left behind, and only the last base\'s packed values', async () => {
    await saveCache(dir, [], 'test');
    const id = await saveCache(dir, [], 'test');
    assert.deepEqual((await fs.readdir(dir)).sort(), [`index-${id}.packed`, 'index.jsonl']);
  });

  describe('the change log', () => {
    const a = { entry: fileEntry('a.js', { scriptIncludes: [scriptInclude('A')] }), size: 10, mtimeMs: 5 };
    const b = { entry: fileEntry('b.js', { scriptIncludes: [scriptInclude('B')] }), size: 20, mtimeMs: 6 };
    const a2 = { entry: fileEntry('a.js', { scriptIncludes: [scriptInclude('A2')] }), size: 11, mtimeMs: 7 };

    it('is read after the base, in order: new entries, replaced ones and gone paths', async () => {
      const base = await saveCache(dir, [a, b], 'test');
      await appendChanges(dir, base, [a2], true);
      await appendChanges(dir, base, [{ gone: 'b.js' }, { entry: fileEntry('c.js'), size: 1, mtimeMs: 1 }], false);
      const load = await loadCache(dir);
      assert.ok(load.status === 'loaded');
      assert.equal(load.base, base);
      assert.equal(load.changes, 3);
      assert.equal(load.logNote, undefined);
      assert.deepEqual([...load.files.keys()].sort(), ['a.js', 'c.js']);
      assert.equal(load.files.get('a.js')!.entry.scriptIncludes[0].name, 'A2');
      // A fresh start of the log forgets what it held.
      await appendChanges(dir, base, [{ gone: 'a.js' }], true);
      const again = await loadCache(dir);
      assert.ok(again.status === 'loaded');
      assert.deepEqual([...again.files.keys()], ['b.js']);
    });

    it('is dropped when the index is written whole', async () => {
      const base = await saveCache(dir, [a], 'test');
      await appendChanges(dir, base, [{ gone: 'a.js' }], true);
      const next = await saveCache(dir, [a, b], 'test');
      assert.notEqual(next, base);
      assert.deepEqual((await fs.readdir(dir)).sort(), [`index-${next}.packed`, 'index.jsonl']);
      const load = await loadCache(dir);
      assert.ok(load.status === 'loaded');
      assert.equal(load.files.size, 2);
    });

    it('is ignored when it follows another base, and read as far as it is whole when cut', async () => {
      const base = await saveCache(dir, [a, b], 'test');
      await appendChanges(dir, 'another-base', [{ gone: 'a.js' }], true);
      const other = await loadCache(dir);
      assert.ok(other.status === 'loaded');
      assert.equal(other.files.size, 2);
      assert.match(other.logNote ?? '', /another index file/);

      await appendChanges(dir, base, [{ gone: 'a.js' }], true);
      const log = path.join(dir, 'index-changes.jsonl');
      await fs.appendFile(log, JSON.stringify({ file: a2 }).slice(0, 25));
      const cut = await loadCache(dir);
      assert.ok(cut.status === 'loaded');
      assert.deepEqual([...cut.files.keys()], ['b.js'], 'the whole line applied, the cut one not');
      assert.equal(cut.changes, 1);
      assert.match(cut.logNote ?? '', /cut or unreadable/);

      await fs.writeFile(log, `${JSON.stringify({ format: CACHE_FORMAT, base })}\n{"file": {"nope": 1}}\n`);
      const malformed = await loadCache(dir);
      assert.ok(malformed.status === 'loaded');
      assert.equal(malformed.files.size, 2);
      assert.match(malformed.logNote ?? '', /malformed/);
    });
  });
});
