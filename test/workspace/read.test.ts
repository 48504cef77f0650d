import * as assert from 'node:assert';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readWorkspaceFile } from '../../server/src/workspace/read';
import { ignoresPermissions, makeWorkspace, positionOf, removeWorkspace } from './helpers';

const OPTS = { maxFileSize: 1_500_000 };
const sha = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');

describe('workspace/read readWorkspaceFile', () => {
  let root: string;
  afterEach(async () => {
    if (root) await removeWorkspace(root);
  });

  it('reads an sn-scriptsync file into one record named by its path', async () => {
    const script = 'var HRUtils = Class.create();\nHRUtils.prototype = { type: "HRUtils" };\n';
    root = await makeWorkspace({ 'dev12345/x_acme_hr/sys_script_include/HRUtils.script.js': script });
    const res = await readWorkspaceFile(root, 'dev12345/x_acme_hr/sys_script_include/HRUtils.script.js', OPTS);
    assert.deepStrictEqual(res.problems, []);
    assert.strictEqual(res.layout, 'scriptsync');
    assert.strictEqual(res.hash, sha(script));
    assert.strictEqual(res.records.length, 1);
    const r = res.records[0];
    assert.deepStrictEqual(
      [r.table, r.name, r.apiName, r.scope, r.side, r.field, r.script, r.access, r.clientCallable],
      ['sys_script_include', 'HRUtils', 'x_acme_hr.HRUtils', 'x_acme_hr', 'server', 'script', script, undefined, undefined],
    );
    assert.deepStrictEqual(r.scriptStart, { line: 0, character: 0 });
  });

  it('gives plain files the scope of their SDK project, else global', async () => {
    root = await makeWorkspace({
      'cmdb/now.config.json': '{"scope": "x_acme_cmdb", "scopeId": "1", "name": "CMDB"}',
      'cmdb/src/server/lib/util.js': 'function util() {}',
      'other/client_scripts/onLoad.client.js': 'function onLoad() {}',
    });
    const scopeCache = new Map<string, string | undefined>();
    const a = await readWorkspaceFile(root, 'cmdb/src/server/lib/util.js', { ...OPTS, scopeCache });
    assert.deepStrictEqual([a.layout, a.records[0].scope, a.records[0].table], ['plain', 'x_acme_cmdb', 'unknown']);
    assert.strictEqual(scopeCache.get('cmdb/src/server/lib'), 'x_acme_cmdb');
    const b = await readWorkspaceFile(root, 'other/client_scripts/onLoad.client.js', OPTS);
    assert.deepStrictEqual([b.records[0].scope, b.records[0].side, b.records[0].name], ['global', 'client', 'onLoad']);
  });

  it('reads XML records from disk with exact script positions', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<record_update table="sys_script_include"><sys_script_include action="INSERT_OR_UPDATE"><api_name>x_acme_hr.A</api_name><name>A</name>\n<script><![CDATA[var A = Class.create();]]></script></sys_script_include></record_update>`;
    root = await makeWorkspace({ 'hr/update/sys_script_include_1.xml': xml });
    const res = await readWorkspaceFile(root, 'hr/update/sys_script_include_1.xml', OPTS);
    assert.strictEqual(res.layout, 'xml');
    assert.deepStrictEqual(res.records.map((r) => r.apiName), ['x_acme_hr.A']);
    assert.deepStrictEqual(res.records[0].scriptStart, positionOf(xml, 'var A'));
  });

  it('reads Fluent records with included scripts, lists the includes and hashes them in', async () => {
    const nowTs = `import { ScriptInclude, BusinessRule } from '@servicenow/sdk/core'
ScriptInclude({ $id: Now.ID['ci'], name: 'CIUtils', script: Now.include('../../server/CIUtils.server.js'), accessibleFrom: 'public' })
BusinessRule({ name: 'Missing', table: 'cmdb_ci', script: Now.include('../../server/missing.js') })
BusinessRule({ name: 'Inline', table: 'cmdb_ci', script: \`new CIUtils().touch(current);\` })`;
    root = await makeWorkspace({
      'now.config.json': '{"scope": "x_acme_cmdb", "scopeId": "abc", "name": "CMDB"}',
      'src/fluent/si/ci.now.ts': nowTs,
      'src/server/CIUtils.server.js': 'var CIUtils = Class.create();',
    });
    const rel = 'src/fluent/si/ci.now.ts';
    const res = await readWorkspaceFile(root, rel, OPTS);
    assert.strictEqual(res.layout, 'fluent');
    assert.deepStrictEqual(res.includes, ['src/server/CIUtils.server.js', 'src/server/missing.js']);
    assert.ok(res.problems.some((p) => /missing\.js/.test(p.message)));
    const [si, missing, inline] = res.records;
    assert.deepStrictEqual(
      [si.name, si.apiName, si.scope, si.access, si.script, si.scriptPath, si.scriptStart],
      ['CIUtils', 'x_acme_cmdb.CIUtils', 'x_acme_cmdb', 'public', 'var CIUtils = Class.create();', 'src/server/CIUtils.server.js', { line: 0, character: 0 }],
    );
    assert.deepStrictEqual([missing.script, missing.scriptPath], ['', undefined]);
    assert.deepStrictEqual([inline.script, inline.scriptPath, inline.collection], ['new CIUtils().touch(current);', undefined, 'cmdb_ci']);
    assert.deepStrictEqual(inline.scriptStart, positionOf(nowTs, 'new CIUtils()'));

    await fs.writeFile(path.join(root, 'src/server/CIUtils.server.js'), 'var CIUtils = Class.create(); // v2');
    const again = await readWorkspaceFile(root, rel, OPTS);
    assert.notStrictEqual(again.hash, res.hash, 'editing an included file changes the hash');
  });

  it('reads now.config.json as a Fluent file without records', async () => {
    root = await makeWorkspace({ 'now.config.json': '{"scope": "x_a"}' });
    const res = await readWorkspaceFile(root, 'now.config.json', OPTS);
    assert.deepStrictEqual([res.layout, res.records.length, res.problems.length], ['fluent', 0, 0]);
  });

  it('refuses binary bytes named .js', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) % 256;
    root = await makeWorkspace({ 'script_includes/Blob.js': bytes });
    const res = await readWorkspaceFile(root, 'script_includes/Blob.js', OPTS);
    assert.deepStrictEqual(res.records, []);
    assert.strictEqual(res.problems.length, 1);
    assert.match(res.problems[0].message, /binary/);
    assert.strictEqual(res.hash, sha(bytes));
  });

  it('reads invalid UTF-8 with replacement characters and an info problem', async () => {
    root = await makeWorkspace({ 'script_includes/Latin.js': Buffer.from([...Buffer.from('var caf'), 0xe9, ...Buffer.from(' = 1;')]) });
    const res = await readWorkspaceFile(root, 'script_includes/Latin.js', OPTS);
    assert.strictEqual(res.records.length, 1);
    assert.strictEqual(res.records[0].script, 'var caf\ufffd = 1;');
    assert.deepStrictEqual(res.problems.map((p) => p.severity), ['info']);
  });

  it('indexes a 7 MB file and a 2 MB single line by name only when over maxFileSize', async () => {
    const line = `var x = "${'a'.repeat(2 * 1024 * 1024)}";`;
    const big = `var Big = Class.create();\n${'Big.prototype.f = function () { return 1; };\n'.repeat(160_000)}`;
    assert.ok(big.length > 7_000_000);
    root = await makeWorkspace({ 'script_includes/Big.js': big, 'script_includes/Line.js': line });
    const res = await readWorkspaceFile(root, 'script_includes/Big.js', OPTS);
    assert.deepStrictEqual(res.records.map((r) => [r.name, r.oversized, r.script]), [['Big', true, '']]);
    assert.strictEqual(res.problems.length, 1);
    assert.strictEqual(res.hash, sha(big));
    const oneLine = await readWorkspaceFile(root, 'script_includes/Line.js', OPTS);
    assert.strictEqual(oneLine.records[0].oversized, true);
    const allowed = await readWorkspaceFile(root, 'script_includes/Line.js', { maxFileSize: 3_000_000 });
    assert.strictEqual(allowed.records[0].script.length, line.length);
    assert.strictEqual(allowed.records[0].oversized, undefined);
  });

  it('never reads a file above the hard size limit, but still names and hashes it', async () => {
    root = await makeWorkspace({});
    const rel = 'x_acme_hr/script_includes/Huge.js';
    await fs.mkdir(path.join(root, 'x_acme_hr/script_includes'), { recursive: true });
    const handle = await fs.open(path.join(root, rel), 'w');
    await handle.truncate(33 * 1024 * 1024); // sparse: costs no disk
    await handle.close();
    const res = await readWorkspaceFile(root, rel, { maxFileSize: 1000 });
    assert.deepStrictEqual(res.records.map((r) => [r.name, r.scope, r.oversized, r.script]), [['Huge', 'x_acme_hr', true, '']]);
    assert.strictEqual(res.problems.length, 1);
    assert.match(res.hash, /^[0-9a-f]{64}$/);
  });

  it('reports a file deleted between scan and read, without throwing', async () => {
    root = await makeWorkspace({});
    const res = await readWorkspaceFile(root, 'script_includes/Gone.js', OPTS);
    assert.deepStrictEqual(res.records, []);
    assert.strictEqual(res.problems.length, 1);
    assert.match(res.problems[0].message, /ENOENT|no longer exists/);
  });

  it('reports an unreadable file', async function () {
    root = await makeWorkspace({ 'script_includes/Locked.js': 'var Locked = 1;' });
    await fs.chmod(path.join(root, 'script_includes/Locked.js'), 0o000);
    const res = await readWorkspaceFile(root, 'script_includes/Locked.js', OPTS);
    await fs.chmod(path.join(root, 'script_includes/Locked.js'), 0o644);
    if (ignoresPermissions()) this.skip(); // root reads through chmod 000
    assert.deepStrictEqual(res.records, []);
    assert.match(res.problems[0].message, /permission denied/);
  });

  it('refuses paths outside the workspace and files it does not handle', async () => {
    root = await makeWorkspace({ 'notes.md': '# hi' });
    for (const rel of ['../outside.js', 'notes.md']) {
      const res = await readWorkspaceFile(root, rel, OPTS);
      assert.deepStrictEqual(res.records, []);
      assert.strictEqual(res.problems.length, 1);
    }
  });

  it('does not read an external entity from disk', async () => {
    root = await makeWorkspace({ 'secret.txt': 'TOP-SECRET-VALUE' });
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY s SYSTEM "file://${path.join(root, 'secret.txt')}">]>\n<record_update><sys_script_include action="INSERT_OR_UPDATE"><name>Leak</name><description>&s;</description><script>var a = "&s;";</script></sys_script_include></record_update>`;
    await fs.writeFile(path.join(root, 'leak.xml'), xml);
    const res = await readWorkspaceFile(root, 'leak.xml', OPTS);
    assert.ok(!JSON.stringify(res.records).includes('TOP-SECRET'));
    assert.ok(res.problems.some((p) => /entit/i.test(p.message)));
  });
});

describe("workspace/read with blocking reads (an extraction worker's)", () => {
  let root: string;
  afterEach(async () => {
    if (root) await removeWorkspace(root);
  });
  const BLOCKING = { ...OPTS, blocking: true };
  const sameRead = (a: Awaited<ReturnType<typeof readWorkspaceFile>>, b: Awaited<ReturnType<typeof readWorkspaceFile>>): void => {
    assert.deepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
  };

  it('reads scripts, XML, invalid UTF-8 and binary bytes as the asynchronous reads do', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_script_include"><sys_script_include action="INSERT_OR_UPDATE"><api_name>global.Block</api_name><name>Block</name><script><![CDATA[var Block = Class.create();]]></script><sys_id>0123456789abcdef0123456789abcdef</sys_id></sys_script_include></record_update>';
    root = await makeWorkspace({
      'x_acme_hr/script_includes/Plain.js': 'var Plain = Class.create();\nPlain.prototype = { go: function () {}, type: "Plain" };\n',
      'update/sys_script_include_0123456789abcdef0123456789abcdef.xml': xml,
      'script_includes/Bad.js': Buffer.from([0x76, 0x61, 0x72, 0x20, 0xff, 0xfe, 0x3b, 0x0a]),
      'script_includes/Bin.js': Buffer.from([0, 1, 2, 3, 0, 0, 0, 0]),
      'script_includes/Empty.js': '',
    });
    for (const rel of ['x_acme_hr/script_includes/Plain.js', 'update/sys_script_include_0123456789abcdef0123456789abcdef.xml', 'script_includes/Bad.js', 'script_includes/Bin.js', 'script_includes/Empty.js']) {
      sameRead(await readWorkspaceFile(root, rel, BLOCKING), await readWorkspaceFile(root, rel, OPTS));
    }
    const plain = await readWorkspaceFile(root, 'x_acme_hr/script_includes/Plain.js', BLOCKING);
    assert.strictEqual(plain.records[0].name, 'Plain');
    assert.strictEqual(plain.hash, sha('var Plain = Class.create();\nPlain.prototype = { go: function () {}, type: "Plain" };\n'));
  });

  it('hands a file above the hard size limit to the streamed hash, and reports a missing file', async () => {
    root = await makeWorkspace({});
    await fs.mkdir(path.join(root, 'script_includes'), { recursive: true });
    const handle = await fs.open(path.join(root, 'script_includes/Huge.js'), 'w');
    await handle.truncate(33 * 1024 * 1024);
    await handle.close();
    sameRead(await readWorkspaceFile(root, 'script_includes/Huge.js', { maxFileSize: 1000, blocking: true }), await readWorkspaceFile(root, 'script_includes/Huge.js', { maxFileSize: 1000 }));
    const gone = await readWorkspaceFile(root, 'script_includes/Gone.js', BLOCKING);
    assert.deepStrictEqual(gone.records, []);
    assert.match(gone.problems[0].message, /no longer exists/);
  });

  it('refuses a folder and a named pipe named .js without waiting on the pipe', async function () {
    if (process.platform === 'win32') this.skip();
    root = await makeWorkspace({});
    await fs.mkdir(path.join(root, 'script_includes/Folder.js'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, 'script_includes/Pipe.js')]);
    for (const rel of ['script_includes/Folder.js', 'script_includes/Pipe.js']) {
      const res = await readWorkspaceFile(root, rel, BLOCKING);
      assert.deepStrictEqual(res.records, [], rel);
      assert.match(res.problems[0].message, /not a regular file/, rel);
    }
  });

  it('reports an unreadable file', async function () {
    root = await makeWorkspace({ 'script_includes/Locked.js': 'var Locked = 1;' });
    await fs.chmod(path.join(root, 'script_includes/Locked.js'), 0o000);
    const res = await readWorkspaceFile(root, 'script_includes/Locked.js', BLOCKING);
    await fs.chmod(path.join(root, 'script_includes/Locked.js'), 0o644);
    if (ignoresPermissions()) this.skip();
    assert.match(res.problems[0].message, /permission denied/);
  });
});
