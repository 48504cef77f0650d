import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CACHE_TAG, CacheFolder } from '../../server/src/index/cache-folder';

describe('index/cache-folder', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-cachefolder-'));
  });
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  const folder = (setting: string) => {
    const r = CacheFolder.resolve(root, setting);
    assert.ok(r.ok, r.ok ? '' : r.error);
    return r.folder;
  };

  it('creates a dedicated folder, tags it and keeps it out of git', async () => {
    const cache = folder('.deepcodeseek');
    assert.equal(await cache.prepare(), undefined);
    await cache.save('a.json', { x: 1 });
    assert.deepEqual((await fs.readdir(cache.dir)).sort(), ['.gitignore', CACHE_TAG, 'a.json']);
    assert.equal(await fs.readFile(path.join(cache.dir, '.gitignore'), 'utf8'), '*\n');
    assert.deepEqual(await cache.load('a.json'), { x: 1 });
  });

  it('refuses the workspace itself, a folder above it, and an empty setting, before any I/O', () => {
    for (const setting of ['', '  ', '.', './', '..', path.dirname(root), '/']) {
      const r = CacheFolder.resolve(root, setting);
      assert.equal(r.ok, false, `'${setting}' was accepted`);
    }
  });

  it('refuses a folder holding files the server did not write, and writes nothing there', async () => {
    const src = path.join(root, 'src');
    await fs.mkdir(src);
    await fs.writeFile(path.join(src, '.gitignore'), 'node_modules/\n.env\n');
    await fs.writeFile(path.join(src, 'main.js'), 'x();\n');
    const cache = folder('src');
    assert.match((await cache.prepare()) ?? '', /did not write/);
    await assert.rejects(cache.save('a.json', {}));
    assert.equal(await cache.load('a.json'), undefined);
    assert.deepEqual((await fs.readdir(src)).sort(), ['.gitignore', 'main.js']);
    assert.equal(await fs.readFile(path.join(src, '.gitignore'), 'utf8'), 'node_modules/\n.env\n');
  });

  it('refuses a cache folder that is a symbolic link, and writes nothing through it', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-outside-'));
    try {
      await fs.writeFile(path.join(outside, '.gitignore'), 'keep me\n');
      await fs.symlink(outside, path.join(root, '.deepcodeseek'));
      const cache = folder('.deepcodeseek');
      assert.match((await cache.prepare()) ?? '', /symbolic link/);
      await assert.rejects(cache.save('a.json', {}));
      assert.deepEqual(await fs.readdir(outside), ['.gitignore']);
      assert.equal(await fs.readFile(path.join(outside, '.gitignore'), 'utf8'), 'keep me\n');
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it('reuses its own folder and clears stale temporary files of interrupted writes', async () => {
    const cache = folder('.deepcodeseek');
    assert.equal(await cache.prepare(), undefined);
    const stale = path.join(cache.dir, 'index.jsonl.123.456.tmp');
    const fresh = path.join(cache.dir, 'retrieval.json.124.457.tmp');
    await fs.writeFile(stale, 'x');
    await fs.writeFile(fresh, 'x');
    const old = new Date(Date.now() - 3_600_000);
    await fs.utimes(stale, old, old);
    const again = folder('.deepcodeseek');
    assert.equal(await again.prepare(), undefined);
    const names = await fs.readdir(again.dir);
    assert.ok(!names.includes(path.basename(stale)), 'a stale temporary file is removed');
    assert.ok(names.includes(path.basename(fresh)), 'a write under way in another server is left alone');
  });

  it('adopts a cache written before folders were tagged, and only that', async () => {
    const old = path.join(root, '.deepcodeseek');
    await fs.mkdir(old);
    await fs.writeFile(path.join(old, 'index.jsonl'), '{"format":5,"writer":"0.1.0","savedAt":""}\n{"end":0}\n');
    await fs.writeFile(path.join(old, 'retrieval.json'), '{}');
    assert.equal(await folder('.deepcodeseek').prepare(), undefined);
    assert.ok((await fs.readdir(old)).includes(CACHE_TAG));
    const foreign = path.join(root, 'data');
    await fs.mkdir(foreign);
    await fs.writeFile(path.join(foreign, 'index.jsonl'), '{"rows": 3}\n');
    assert.match((await folder('data').prepare()) ?? '', /did not write/);
  });

  it('keeps names inside the folder', () => {
    const cache = folder('.deepcodeseek');
    assert.equal(cache.path('../../etc/passwd'), path.join(cache.dir, 'passwd'));
  });
});
