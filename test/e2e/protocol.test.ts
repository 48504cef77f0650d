/**
 * A malformed client must cost the server nothing: notifications with broken params are ignored
 * with a log line, requests with broken params get InvalidParams, a second initialize is refused,
 * and the server leaves when its input ends or can no longer be read.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../../server/src/bench/lsp-client';

const CLI = path.resolve(__dirname, '..', '..', '..', 'bin', 'deepcodeseek.js');

describe('e2e: a malformed client', function () {
  this.timeout(60_000);
  let root: string;
  let client: LspClient;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-protocol-'));
    await fs.mkdir(path.join(root, 'si'));
    await fs.writeFile(path.join(root, 'si', 'AcmeUtils.js'), "var AcmeUtils = Class.create();\nAcmeUtils.prototype = { run: function () {}, type: 'AcmeUtils' };\n");
    ({ client } = await LspClient.start({ roots: [root], settings: {} }));
    await client.initializedAndIndexed();
  });
  after(async () => {
    await client.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  const uri = () => pathToFileURL(path.join(root, 'rules', 'r.js')).toString();

  it('ignores malformed didOpen and didChange notifications and keeps serving', async () => {
    const bad: unknown[] = [
      { textDocument: { uri: uri(), version: 1, text: 'x' } },
      { textDocument: { uri: uri(), languageId: 'javascript', version: 1, text: null } },
      { textDocument: { uri: uri(), languageId: 'javascript', version: 1, text: 42 } },
      { textDocument: { uri: 42, languageId: 'javascript', version: 1, text: 'x' } },
      { textDocument: { uri: uri(), languageId: 123, version: 1, text: 'x' } },
      { textDocument: { uri: uri() } },
      {},
      null,
    ];
    for (const params of bad) await client.connection.sendNotification('textDocument/didOpen', params);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(), version: 2 }, contentChanges: 'nope' });
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 7, type: 9 }] });
    // Past the diagnostics delay, then a well-formed session still works.
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(client.proc.exitCode, null, 'the server is still running');
    await client.open(uri(), 'var u = new Acme', 'javascript', 5);
    const list = await client.request<{ items: Array<{ label: string }> }>('textDocument/completion', { textDocument: { uri: uri() }, position: { line: 0, character: 16 } });
    assert.ok(list.items.some((i) => i.label === 'AcmeUtils'));
    assert.ok(client.logs.some((l) => /didOpen ignored: textDocument.text is not a string/.test(l)), client.logs.join('\n'));
  });

  it('answers requests with malformed params with InvalidParams', async () => {
    for (const params of [
      { textDocument: { uri: uri() }, position: { line: 'a', character: 0 } },
      { textDocument: { uri: 42 }, position: { line: 0, character: 0 } },
      { textDocument: { uri: uri() }, position: { line: -1, character: 0 } },
    ]) {
      await assert.rejects(client.connection.sendRequest('textDocument/completion', params) as Promise<unknown>, (err: { code?: number }) => err.code === -32602);
    }
  });

  it('follows workspace folders the client adds and removes, each folder once', async () => {
    const other = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-folder-'));
    try {
      await fs.writeFile(path.join(other, 'ZetaUtils.js'), "var ZetaUtils = Class.create();\nZetaUtils.prototype = { z: function () {}, type: 'ZetaUtils' };\n");
      const folder = { uri: pathToFileURL(other).toString(), name: 'other' };
      const change = (added: unknown[], removed: unknown[]) => client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added, removed } });
      const zetas = async () => (await client.request<Array<{ name: string }>>('workspace/symbol', { query: 'ZetaUtils' })).filter((s) => s.name === 'ZetaUtils').length;
      for (let i = 0; i < 30; i++) {
        await change([folder], []);
        await change([], [folder]);
      }
      await change([folder], []);
      await change([folder], []);
      const deadline = Date.now() + 20_000;
      while ((await zetas()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await zetas(), 1, 'added twice, indexed once');
      await change([], [folder]);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await zetas(), 0);
    } finally {
      // The server may still be writing the removed folder's cache (its last save): retried.
      await fs.rm(other, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });

  it('does not analyse an open document over index.maxFileSize, and says so once', async () => {
    const big = pathToFileURL(path.join(root, 'rules', 'bundle.min.js')).toString();
    const text = 'var a=1;'.repeat(250_000) + 'var u = new Acme';
    await client.open(big, text, 'javascript', 1);
    for (let i = 0; i < 3; i++) {
      const list = await client.request<{ items: unknown[] } | null>('textDocument/completion', { textDocument: { uri: big }, position: { line: 0, character: text.length } });
      assert.ok(!list || list.items.length === 0);
    }
    assert.equal(client.logs.filter((l) => l.includes('bundle.min.js') && /over index.maxFileSize/.test(l)).length, 1, client.logs.join('\n'));
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: big } });
  });

  it('answers a burst of explain requests with the newest only, so nothing waits behind the rest', async () => {
    await client.open(uri(), 'var u = new Acme', 'javascript', 7);
    const args = [uri(), { line: 0, character: 16 }];
    const burst = Array.from({ length: 200 }, () => client.connection.sendRequest('workspace/executeCommand', { command: 'deepcodeseek.explain', arguments: args }) as Promise<unknown>);
    const completion = client.request<{ items: Array<{ label: string }> }>('textDocument/completion', { textDocument: { uri: uri() }, position: { line: 0, character: 16 } });
    const answers = await Promise.all(burst);
    assert.ok((await completion).items.some((i) => i.label === 'AcmeUtils'));
    assert.ok(answers.filter((a) => a === null).length >= 150, `${answers.filter((a) => a === null).length} superseded`);
    assert.notEqual(answers[answers.length - 1], null, 'the newest explain is answered');
  });

  it('refuses a second initialize', async () => {
    await assert.rejects(client.connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} }) as Promise<unknown>, (err: { code?: number }) => err.code === -32600);
  });
});

describe('e2e: the server\'s own watcher and very long paths', function () {
  this.timeout(60_000);
  it('indexes a workspace holding a folder path longer than PATH_MAX', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-deep-'));
    try {
      await fs.writeFile(path.join(root, 'DeepUtils.js'), "var DeepUtils = Class.create();\nDeepUtils.prototype = { type: 'DeepUtils' };\n");
      let dir = root;
      for (let i = 0; i < 18; i++) {
        dir = path.join(dir, 'd'.repeat(250));
        try {
          await fs.mkdir(dir);
        } catch {
          break; // ENAMETOOLONG: deep enough
        }
      }
      assert.ok(dir.length > 4096, `${dir.length} characters`);
      const { client } = await LspClient.start({ roots: [root], settings: { index: { watch: 'server' } } });
      try {
        await client.initializedAndIndexed(30_000);
        const symbols = await client.request<Array<{ name: string }>>('workspace/symbol', { query: 'DeepUtils' });
        assert.ok(symbols.some((s) => s.name === 'DeepUtils'));
      } finally {
        await client.stop();
      }
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});

describe('e2e: the server leaves when its client does', function () {
  this.timeout(30_000);
  const exited = (proc: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  it('exits when stdin ends, even with no processId to watch', async () => {
    const proc = spawn(process.execPath, [CLI, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    proc.stdin!.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const gone = exited(proc);
    proc.stdin!.end();
    assert.equal(await gone, 0);
  });

  it('exits on a stream it cannot read (a malformed header) instead of going deaf', async () => {
    const proc = spawn(process.execPath, [CLI, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d.toString()));
    const gone = exited(proc);
    proc.stdin!.write('Content-Length: banana\r\n\r\n{}');
    assert.equal(await gone, 1);
    assert.match(stderr, /cannot read the client's messages/);
  });
});
