import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deflateRawSync } from 'zlib';
import { scriptIncludeFields, usageFields } from '../../server/src/index/api-documents';
import { compactEntry, StringPool } from '../../server/src/index/compact-entry';
import { appendChanges, loadCache, saveCache } from '../../server/src/index/persistence';
import { entrySnippets, packEntry, scriptIncludeBody } from '../../server/src/index/snippets';
import { callSite, fileEntry, scriptInclude } from '../helpers/entries';
import { FileEntry } from '../../server/src/model';

/** A caller file's sites, their snippets overlapping as those of neighbouring calls do. */
function callerEntry(): { entry: ReturnType<typeof fileEntry>; snippets: string[] } {
  const lines = Array.from({ length: 40 }, (_, i) => `var step${i} = new LeaveUtils().approve(current, 'état ${i} — ✓ 😀');`);
  const snippets = lines.map((_, i) => lines.slice(Math.max(0, i - 6), i + 2).join('\n'));
  snippets.push('', 'a "quoted" \\ back\u0000slash');
  const entry = fileEntry('br/approve.js', { callSites: snippets.map((snippet, i) => callSite(i % 2 ? 'LeaveUtils' : 'HRUtils', { snippet, scriptOffset: i })) });
  return { entry, snippets };
}

describe('index/snippets', () => {
  it('packs the sites\' snippets into the entry and gives them back in site order, smaller than the text', () => {
    const { entry, snippets } = callerEntry();
    packEntry(entry);
    assert.equal(typeof entry.snippets, 'string');
    assert.ok(entry.callSites.every((s) => s.snippet === undefined), 'the sites no longer hold them');
    assert.deepEqual(entrySnippets(entry), snippets);
    assert.ok((entry.snippets as string).length * 3 < snippets.join('').length, `${(entry.snippets as string).length} against ${snippets.join('').length}`);
    const again = entry.snippets;
    packEntry(entry);
    assert.equal(entry.snippets, again, 'packing a packed entry changes nothing');
  });

  it('leaves an entry without sites alone and reads unpacked sites as they are', () => {
    const empty = fileEntry('si.js');
    packEntry(empty);
    assert.equal(empty.snippets, undefined);
    assert.deepEqual(entrySnippets(empty), []);
    const { entry, snippets } = callerEntry();
    assert.deepEqual(entrySnippets(entry), snippets);
  });

  it('gives empty snippets, without throwing, for a packed value that is damaged', () => {
    const { entry } = callerEntry();
    packEntry(entry);
    const packed = entry.snippets as string;
    const other = callerEntry().entry;
    other.callSites.pop();
    packEntry(other);
    // And one that would unpack to 50 MB for two sites.
    const bomb = deflateRawSync(Buffer.from(JSON.stringify(['x'.repeat(50_000_000), ''])), { windowBits: 12 }).toString('latin1');
    // Packed values are Latin-1 in memory: a valid stream of the wrong shape, a cut one, and bytes that are no stream.
    const wrongShape = deflateRawSync(Buffer.from('{"a":1}'), { windowBits: 12 }).toString('latin1');
    for (const damaged of ['%%% not packed', packed.slice(0, packed.length / 2), wrongShape, other.snippets as string]) {
      entry.snippets = damaged;
      assert.deepEqual(entrySnippets(entry), entry.callSites.map(() => ''), damaged.slice(0, 20));
    }
    const two = fileEntry('br/two.js', { callSites: [callSite('A'), callSite('B')], snippets: bomb });
    assert.deepEqual(entrySnippets(two), ['', '']);
  });

  it("packs each Script Include's body words, gives them back in order, and none for a damaged value", () => {
    const words = ['ajaxparam:sysparm_leave', 'approve', 'état', 'x_acme_leave', 'state', '😀', 'manager'];
    const entry = fileEntry('si/LeaveUtils.js', { scriptIncludes: [scriptInclude('LeaveUtils', { body: words }), scriptInclude('NoBody')] });
    const before = entry.scriptIncludes.map((si) => scriptIncludeFields(si));
    packEntry(entry);
    const [leave, none] = entry.scriptIncludes;
    assert.equal(leave.body, undefined);
    assert.equal(typeof leave.packedBody, 'string');
    assert.equal(none.packedBody, undefined);
    assert.deepEqual(scriptIncludeBody(leave), words);
    assert.deepEqual(scriptIncludeBody(none), []);
    assert.deepEqual(entry.scriptIncludes.map((si) => scriptIncludeFields(si)), before, 'the same document fields');
    const bomb = deflateRawSync(Buffer.from('x\n'.repeat(5_000_000)), { windowBits: 12 }).toString('latin1');
    for (const damaged of ['%%% not packed', (leave.packedBody as string).slice(0, 6), bomb]) {
      leave.packedBody = damaged;
      assert.deepEqual(scriptIncludeBody(leave), [], damaged.slice(0, 20));
    }
  });

  it('makes the same documents from packed snippets and body words, after compaction and a round trip through the cache and its change log', async () => {
    const { entry, snippets } = callerEntry();
    const words = ['leave', 'état', '😀', 'ajaxparam:sysparm_id'];
    entry.scriptIncludes = [scriptInclude('LeaveUtils', { body: words, path: entry.path })];
    const before = entry.callSites.map((s, i) => usageFields({ ...s }, snippets[i]));
    const apiBefore = scriptIncludeFields({ ...entry.scriptIncludes[0] });
    compactEntry(entry, new StringPool());
    assert.equal(typeof entry.snippets, 'string', 'compaction packs them');
    const inMemory = { snippets: entry.snippets, body: entry.scriptIncludes[0].packedBody };
    const changed = { ...entry, path: 'br/changed.js', hash: 'changed' };
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-snippets-'));
    try {
      const base = await saveCache(dir, [{ entry, size: 1, mtimeMs: 1 }], 'test');
      await appendChanges(dir, base, [{ entry: changed, size: 2, mtimeMs: 2 }], true);
      // Writing leaves the entries in memory as they were. The base holds the bytes in the file
      // beside it, the change log in base64.
      assert.deepEqual({ snippets: entry.snippets, body: entry.scriptIncludes[0].packedBody }, inMemory);
      const besideBase = await fs.readFile(path.join(dir, `index-${base}.packed`));
      assert.ok(besideBase.includes(Buffer.from(inMemory.snippets as string, 'latin1')), 'the snippets\' bytes beside the base');
      assert.ok(!(await fs.readFile(path.join(dir, 'index.jsonl'), 'utf8')).includes(Buffer.from(inMemory.snippets as string, 'latin1').toString('base64')));
      const log = await fs.readFile(path.join(dir, 'index-changes.jsonl'), 'utf8');
      assert.ok(log.includes(Buffer.from(inMemory.snippets as string, 'latin1').toString('base64')), 'snippets in base64 in the change log');
      const load = await loadCache(dir);
      assert.equal(load.status, 'loaded');
      for (const p of ['br/approve.js', 'br/changed.js']) {
        const loaded: FileEntry = load.status === 'loaded' ? load.files.get(p)!.entry : entry;
        assert.equal(loaded.snippets, inMemory.snippets, p);
        const unpacked = entrySnippets(loaded);
        assert.deepEqual(unpacked, snippets);
        assert.deepEqual(loaded.callSites.map((s, i) => usageFields(s, unpacked[i])), before);
        assert.deepEqual(scriptIncludeBody(loaded.scriptIncludes[0]), words);
        assert.deepEqual(scriptIncludeFields(loaded.scriptIncludes[0]), apiBefore);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
