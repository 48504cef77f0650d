import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CACHE_FORMAT, loadCache, saveCache } from '../../server/src/index/persistence';
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

  it('writes atomically: no temporary files are left behind', async () => {
    await saveCache(dir, [], 'test');
    await saveCache(dir, [], 'test');
    assert.deepEqual((await fs.readdir(dir)).sort(), ['index.jsonl']);
  });
});
