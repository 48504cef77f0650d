/**
 * Hardening, end to end over stdio: a workspace full of hostile files next to healthy ones, a
 * flood of mostly cancelled completion requests, and faults (a missing or corrupt model, requests
 * before `initialized`, requests for documents never opened). The server must stay up, keep
 * answering well on the healthy part, log clear lines, and write nothing outside `.deepcodeseek/`.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { eventually, LspClient } from '../../server/src/bench/lsp-client';
import { snapshotFiles } from '../helpers/snapshot';

const HEALTHY_SI = `/** Closes and reopens incidents. */
var IncidentCloser = Class.create();
IncidentCloser.prototype = {
    initialize: function() {},
    /** Closes the incident with a close code. @param {string} sysId incident sys_id */
    closeIncident: function(sysId) {
        var gr = new GlideRecord('incident');
        if (gr.get(sysId)) { gr.setValue('state', 7); gr.update(); }
    },
    type: 'IncidentCloser'
};
`;

const CALLER = `(function executeRule(current, previous) {
    // close the incident when the problem is resolved
    var closer = new IncidentCloser();
    closer.closeIncident(current.getUniqueValue());
})(current, previous);
`;

async function write(root: string, rel: string, data: string | Buffer): Promise<void> {
  await fs.mkdir(path.join(root, path.dirname(rel)), { recursive: true });
  await fs.writeFile(path.join(root, rel), data);
}

/** A workspace with one healthy Script Include and caller, and every hostile file we know of. */
async function hostileWorkspace(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-hostile-'));
  await write(root, 'scripts/script_includes/IncidentCloser.js', HEALTHY_SI);
  await write(root, 'scripts/business_rules/close_on_problem.js', CALLER);
  // Binary bytes named .js.
  await write(root, 'scripts/script_includes/Binary.js', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
  // A 7 MB file with many methods.
  const methods: string[] = [];
  for (let i = 0, size = 0; size < 7 * 1024 * 1024; i++) {
    methods.push(`  method${i}: function (a) { return a + ${i}; },\n`);
    size += methods[i].length;
  }
  await write(root, 'scripts/script_includes/HugeUtils.js', `var HugeUtils = Class.create();\nHugeUtils.prototype = {\n${methods.join('')}  type: 'HugeUtils'\n};\n`);
  // A 2 MB single line.
  await write(root, 'scripts/script_includes/OneLine.js', `var OneLine = Class.create(); OneLine.prototype = { a: function () { return "${'x'.repeat(2 * 1024 * 1024)}"; }, type: 'OneLine' };`);
  // 20,000-deep nesting.
  await write(root, 'scripts/script_includes/Deep.js', `var Deep = ${'('.repeat(20000)}1${')'.repeat(20000)};`);
  // Invalid UTF-8.
  await write(root, 'scripts/script_includes/BadUtf8.js', Buffer.concat([Buffer.from('var BadUtf8 = Class.create(); // '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('\nBadUtf8.prototype = { ok: function () {}, type: "BadUtf8" };\n')]));
  // Truncated XML.
  await write(root, 'update/sys_script_include_truncated.xml', '<?xml version="1.0"?><record_update table="sys_script_include"><sys_script_include action="INSERT_OR_UPDATE"><name>Trunc</name><script><![CDATA[var Trunc = Class.create();');
  // An entity bomb and an external entity: never expanded, never read.
  const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('');
  await write(root, 'update/sys_script_include_bomb.xml', `<?xml version="1.0"?><!DOCTYPE r [${lol}]><record_update table="sys_script_include"><sys_script_include><name>Bomb</name><script>&lol9;</script></sys_script_include></record_update>`);
  const secret = path.join(root, 'outside-secret.txt');
  await fs.writeFile(secret, 'TOPSECRET');
  await write(root, 'update/sys_script_include_xxe.xml', `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "${pathToFileURL(secret)}">]><record_update table="sys_script_include"><sys_script_include><name>Xxe</name><api_name>global.Xxe</api_name><script>var Xxe = "&xxe;";</script></sys_script_include></record_update>`);
  // A symlink loop and a dangling link.
  await fs.symlink(root, path.join(root, 'scripts', 'loop'));
  await fs.symlink(path.join(root, 'nowhere'), path.join(root, 'scripts', 'dangling.js'));
  // Thousands of vendored files.
  for (let i = 0; i < 2000; i++) await write(root, `node_modules/pkg${i % 20}/f${i}.js`, `function vendored${i}() {}`);
  return root;
}


interface Item {
  label: string;
}

describe('e2e: hostile workspaces, floods and faults', function () {
  this.timeout(120_000);
  let root: string;
  let client: LspClient;
  let baseline: Map<string, string>;
  const callerUri = () => pathToFileURL(path.join(root, 'scripts/business_rules/close_on_problem.js')).toString();
  const holeText = CALLER.replace('new IncidentCloser();', 'new ');
  const holePosition = { line: 2, character: '    var closer = new '.length };

  before(async () => {
    root = await hostileWorkspace();
    baseline = await snapshotFiles(root);
    const started = await LspClient.start({ roots: [root], settings: { rerank: { model: path.join(root, 'missing-model.onnx') } }, watchFiles: true });
    client = started.client;
    await client.initializedAndIndexed(90_000);
  });

  after(async () => {
    const code = await client.stop();
    assert.equal(code, 0);
    await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps answering on the healthy part of the workspace', async () => {
    const symbols = await client.request<Array<{ name: string }>>('workspace/symbol', { query: 'IncidentCloser' });
    assert.ok(symbols.some((s) => s.name === 'IncidentCloser'));
    await client.open(callerUri(), holeText);
    const list = await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri: callerUri() }, position: holePosition });
    assert.equal(list.items[0]?.label, 'IncidentCloser');
  });

  it('indexes the oversized file by name only and never expands or reads entities', async () => {
    const huge = await client.request<Array<{ name: string }>>('workspace/symbol', { query: 'HugeUtils' });
    assert.ok(huge.some((s) => s.name === 'HugeUtils'), 'oversized file is known by name');
    const xxe = await client.request<Array<{ name: string; location: { uri: string } }>>('workspace/symbol', { query: 'Xxe' });
    for (const s of xxe) {
      await client.open(s.location.uri, await fs.readFile(new URL(s.location.uri), 'utf8'), 'xml');
      const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: s.location.uri }, position: { line: 0, character: 0 } });
      assert.ok(!JSON.stringify(hover ?? '').includes('TOPSECRET'));
    }
    assert.ok(!client.logs.join('\n').includes('TOPSECRET'));
    assert.ok(!client.logs.join('\n').includes('lollollol'));
  });

  it('falls back from a missing model with one clear log line', () => {
    const lines = client.logs.filter((l) => /missing-model\.onnx/.test(l));
    assert.equal(lines.length, 1, client.logs.join('\n'));
    assert.match(lines[0], /not found/);
  });

  it('answers or cancels every one of 2,000 completion requests sent 5 ms apart', async () => {
    const pending: Array<Promise<'answered' | 'cancelled' | 'failed'>> = [];
    const kept: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const source = new CancellationTokenSource();
      const p = (client.connection.sendRequest('textDocument/completion', { textDocument: { uri: callerUri() }, position: holePosition }, source.token) as Promise<unknown>).then(
        () => 'answered' as const,
        (err: { code?: number }) => (err?.code === -32800 ? ('cancelled' as const) : ('failed' as const)),
      );
      pending.push(p);
      if (i % 10 !== 0) setTimeout(() => source.cancel(), 1);
      else kept.push(i);
      await new Promise((r) => setTimeout(r, 5));
    }
    const outcomes = await Promise.all(pending);
    assert.equal(outcomes.filter((o) => o === 'failed').length, 0);
    // Every request nobody cancelled is answered (memory under such a flood is the benchmark's business).
    assert.deepEqual(kept.filter((i) => outcomes[i] !== 'answered'), []);
    const list = await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri: callerUri() }, position: holePosition });
    assert.equal(list.items[0]?.label, 'IncidentCloser');
  });

  it('answers requests for documents that were never opened with an InvalidParams error', async () => {
    const uri = pathToFileURL(path.join(root, 'never', 'opened.js')).toString();
    for (const method of ['textDocument/completion', 'textDocument/hover', 'textDocument/definition']) {
      await assert.rejects(client.request(method, { textDocument: { uri }, position: { line: 0, character: 0 } }), (err: { code?: number }) => err.code === -32602, method);
    }
    const symbols = await client.request<Array<{ name: string }>>('workspace/symbol', { query: 'IncidentCloser' });
    assert.ok(symbols.length > 0, 'still serving');
  });

  it('falls back from a corrupt model with one clear log line', async () => {
    const corrupt = path.join(os.tmpdir(), `dcs-corrupt-${process.pid}.onnx`);
    await fs.writeFile(corrupt, Buffer.from('this is not an onnx model'));
    try {
      await client.changeSettings({ rerank: { model: corrupt } });
      await eventually(() => client.logs.some((l) => l.includes(corrupt)), 10_000);
      assert.equal(client.logs.filter((l) => l.includes(corrupt)).length, 1, client.logs.join('\n'));
      const list = await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri: callerUri() }, position: holePosition });
      assert.equal(list.items[0]?.label, 'IncidentCloser');
    } finally {
      await fs.rm(corrupt, { force: true });
    }
  });

  it('writes nothing outside .deepcodeseek/', async () => {
    assert.deepEqual(await snapshotFiles(root), baseline);
  });
});

describe('e2e: requests before initialize', function () {
  this.timeout(30_000);
  it('answers a request sent before initialize with a ServerNotInitialized error', async () => {
    const { spawn } = await import('child_process');
    const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = await import('vscode-languageserver/node');
    const cli = path.resolve(__dirname, '..', '..', '..', 'bin', 'deepcodeseek.js');
    const proc = spawn(process.execPath, [cli, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.listen();
    try {
      await assert.rejects(conn.sendRequest('workspace/symbol', { query: 'x' }) as Promise<unknown>, (err: { code?: number }) => err.code === -32002);
    } finally {
      conn.dispose();
      proc.kill();
    }
  });
});

