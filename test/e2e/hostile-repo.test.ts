/**
 * A cloned repository is untrusted input. This runs a real server over stdio on a workspace that
 * ships a crafted cache folder (a cut vectors file whose hash was updated to match, a model file
 * claiming to be trained on the workspace) and links to a folder outside it, under strace when
 * strace is installed, and checks that nothing outside the workspace is read or written, no
 * socket is opened, no native code crashes and no shipped model file runs. A second workspace has
 * its cache folder as a link to somewhere else: nothing is written there.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../../server/src/bench/lsp-client';
import { copyDemoWorkspace, DEMO } from '../helpers/demo';
import { snapshotFiles } from '../helpers/snapshot';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CALLER = path.join('scriptsync', 'acmedev', 'global', 'sys_script', 'hostile_probe.script.js');

/** Whether strace is installed and may trace here (a container can forbid ptrace). */
function hasStrace(): boolean {
  return spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', process.execPath, '-e', '0'], { encoding: 'utf8', timeout: 20_000 }).status === 0;
}

async function session(root: string, launcher?: string[]) {
  const { client } = await LspClient.start({ roots: [root], settings: { rerank: { useWorkspaceModel: false } }, launcher });
  await client.initializedAndIndexed(90_000);
  const uri = pathToFileURL(path.join(root, CALLER)).toString();
  const text = "// close the incident and its child tasks\nvar gr = new GlideRecord('incident');\nvar helper = new ";
  await client.open(uri, text, 'javascript', 1);
  const list = await client.request<{ items: Array<{ label: string }> }>('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 17 } });
  const secrets = await client.request<Array<{ name: string }>>('workspace/symbol', { query: 'OutsideSecret' });
  const code = await client.stop();
  return { client, list, secrets, code };
}

describe('e2e: a hostile repository', function () {
  this.timeout(180_000);
  let root: string;
  let outside: string;
  before(async () => {
    root = await copyDemoWorkspace('dcs-hostile-repo-');
    outside = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-outside-'));
    await fs.writeFile(path.join(outside, 'OutsideSecret.js'), "var OutsideSecret = Class.create();\nOutsideSecret.prototype = { leak: function () {}, type: 'OutsideSecret' };\n");
    await fs.symlink(outside, path.join(root, 'linked_apps'));
    await fs.symlink(path.join(outside, 'OutsideSecret.js'), path.join(root, 'plain', 'OutsideSecret.js'));
    // A cache as a first session leaves it, then crafted the way an attacker would commit it.
    await session(root);
    const cache = path.join(root, '.deepcodeseek');
    const snap = JSON.parse(readFileSync(path.join(cache, 'retrieval.json'), 'utf8')) as { vectorsFile: string };
    const vectors = path.join(cache, snap.vectorsFile);
    const cut = readFileSync(vectors).subarray(0, 64);
    await fs.writeFile(vectors, cut);
    const meta = JSON.parse(readFileSync(`${vectors}.json`, 'utf8'));
    meta.sha256 = createHash('sha256').update(cut).digest('hex');
    await fs.writeFile(`${vectors}.json`, JSON.stringify(meta));
    await fs.copyFile(path.join(REPO, 'models', 'compact-reranker.onnx'), path.join(cache, 'reranker.onnx'));
    await fs.writeFile(path.join(cache, 'reranker.json'), JSON.stringify({ beatsShipped: true }));
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  });

  it('serves without a crash, without the shipped model file, without reading or writing outside, without sockets', async () => {
    const traceDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-trace-'));
    const traced = hasStrace();
    const launcher = traced ? ['strace', '-ff', '-qq', '-e', 'trace=openat,open,creat,rename,unlink,unlinkat,mkdir,socket,connect', '-o', path.join(traceDir, 'log')] : undefined;
    const outsideBefore = await snapshotFiles(outside);
    try {
      const { client, list, secrets, code } = await session(root, launcher);
      assert.ok(list.items.length > 0, 'completion answers');
      assert.equal(code, 0, `the server exited with ${code}\n${client.stderr}`);
      assert.deepEqual(secrets, [], 'nothing behind the outside links is indexed');
      assert.ok(client.logs.some((l) => /vector index .* is malformed/.test(l)), client.logs.join('\n'));
      assert.ok(!client.logs.some((l) => /trained on this workspace/.test(l)), 'the model file in the cache folder did not run');
      assert.deepEqual(await snapshotFiles(outside), outsideBefore);
      if (!traced) return void console.log('      (strace is not installed: the system-call checks were skipped)');
      const calls = readdirSync(traceDir).flatMap((f) => readFileSync(path.join(traceDir, f), 'utf8').split('\n'));
      assert.ok(calls.filter((c) => c.startsWith('openat(')).length > 50, 'strace saw the server open its files');
      const outsideReal = await fs.realpath(outside);
      assert.deepEqual(calls.filter((c) => c.includes(outside) || c.includes(outsideReal)), [], 'no file outside the workspace was touched');
      assert.deepEqual(calls.filter((c) => /^(socket|connect)\(/.test(c) && !/AF_UNIX|AF_LOCAL/.test(c)), [], 'no network socket');
      const cacheDir = path.join(root, '.deepcodeseek');
      const writes = calls.filter((c) => /^(openat\(.*O_(WRONLY|RDWR|CREAT)|creat\(|rename\(|unlink|mkdir\()/.test(c) && !/= -1 E/.test(c));
      const stray = writes.filter((c) => [...c.matchAll(/"([^"]+)"/g)].some(([, p]) => path.isAbsolute(p) && !p.startsWith(cacheDir + path.sep) && p !== cacheDir && !p.startsWith('/dev/')));
      assert.ok(writes.length > 0, 'the server wrote its cache (so the write filter sees writes)');
      assert.deepEqual(stray, [], 'every write is in the cache folder');
    } finally {
      await fs.rm(traceDir, { recursive: true, force: true });
    }
  });

  it('writes nothing through a cache folder that is a link to somewhere else', async () => {
    const elsewhere = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-elsewhere-'));
    const ws = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-linked-cache-'));
    try {
      await fs.cp(path.join(DEMO, 'scriptsync'), path.join(ws, 'scriptsync'), { recursive: true });
      await fs.writeFile(path.join(elsewhere, '.gitignore'), 'node_modules/\n.env\n');
      await fs.symlink(elsewhere, path.join(ws, '.deepcodeseek'));
      const { client, code } = await session(ws);
      assert.equal(code, 0);
      assert.ok(client.logs.some((l) => /symbolic link/.test(l)), client.logs.join('\n'));
      assert.deepEqual(readdirSync(elsewhere), ['.gitignore']);
      assert.equal(readFileSync(path.join(elsewhere, '.gitignore'), 'utf8'), 'node_modules/\n.env\n');
    } finally {
      await fs.rm(ws, { recursive: true, force: true });
      await fs.rm(elsewhere, { recursive: true, force: true });
    }
  });
});
