/**
 * End-to-end over a real stdio connection: the built server, started as a child process, on a
 * copy of a fixture workspace. Covers the lifecycle, indexing progress, workspace symbols,
 * changes on disk (through the client's watcher and through the server's own), the cache, and
 * the promise that nothing outside `.deepcodeseek/` is written.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { eventually, LspClient } from '../../server/src/bench/lsp-client';
import { snapshotFiles } from '../helpers/snapshot';

interface SymbolInfo {
  name: string;
  kind: number;
  containerName?: string;
  location: { uri: string };
}

const FILES: Record<string, string> = {
  'scripts/script_includes/IncidentUtils.js': `/**
 * Helpers for incidents.
 */
var IncidentUtils = Class.create();
IncidentUtils.prototype = {
    initialize: function() {},
    /** Closes an incident. @param {string} sysId the incident */
    closeIncident: function(sysId) {
        var gr = new GlideRecord('incident');
        if (gr.get(sysId)) { gr.setValue('state', 7); gr.update(); }
    },
    type: 'IncidentUtils'
};
`,
  'scripts/business_rules/close_children.js': `(function executeRule(current, previous) {
    new IncidentUtils().closeIncident(current.getUniqueValue());
})(current, previous);
`,
};

async function makeWorkspace(files: Record<string, string>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-e2e-'));
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.join(root, path.dirname(rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text);
  }
  return root;
}

/** Every file under root except the cache folder, with a hash of its bytes. */

async function symbols(client: LspClient, query: string): Promise<SymbolInfo[]> {
  return client.request<SymbolInfo[]>('workspace/symbol', { query });
}

describe('e2e: lifecycle over stdio', function () {
  this.timeout(60_000);

  describe('with a client that watches files', () => {
    let root: string;
    let client: LspClient;
    let baseline: Map<string, string>;

    before(async () => {
      root = await makeWorkspace(FILES);
      baseline = await snapshotFiles(root);
      const started = await LspClient.start({ roots: [root], settings: {}, watchFiles: true });
      client = started.client;
      assert.equal(started.init.capabilities.workspaceSymbolProvider, true);
      assert.equal(started.init.serverInfo?.name, 'deepcodeseek');
      await client.initializedAndIndexed();
    });

    after(async () => {
      const code = await client.stop();
      assert.equal(code, 0, 'server exits cleanly after shutdown + exit');
      await fs.rm(root, { recursive: true, force: true });
    });

    it('reports indexing progress: begin, reports with counts, end', () => {
      const kinds = client.progress.map((p) => p.kind);
      assert.equal(kinds[0], 'begin');
      assert.equal(kinds[kinds.length - 1], 'end');
      assert.ok(client.progress.some((p) => p.kind === 'report' && /\d+\/\d+ files/.test(p.message ?? '')));
    });

    it('registers file watchers dynamically for scripts, records, Fluent and config files', () => {
      const reg = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
      assert.ok(reg, 'a watcher registration');
      const globs = (reg.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
      assert.deepEqual(globs.sort(), ['**/*.js', '**/*.json', '**/*.now.ts', '**/*.xml']);
    });

    it('finds Script Includes and methods with workspace/symbol', async () => {
      const found = await symbols(client, 'IncidentUt');
      assert.equal(found[0]?.name, 'IncidentUtils');
      assert.equal(found[0]?.containerName, 'global.IncidentUtils');
      const methods = await symbols(client, 'closeInc');
      assert.ok(methods.some((s) => s.name === 'closeIncident' && s.containerName === 'global.IncidentUtils'));
    });

    it('reflects a file created, changed and deleted on disk', async () => {
      const rel = 'scripts/script_includes/ChangeUtils.js';
      const file = path.join(root, rel);
      const uri = pathToFileURL(file).toString();
      await fs.writeFile(file, 'var ChangeUtils = Class.create();\nChangeUtils.prototype = { approve: function() {}, type: "ChangeUtils" };\n');
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
      await eventually(async () => (await symbols(client, 'ChangeUtils')).some((s) => s.name === 'ChangeUtils'));

      await fs.writeFile(file, 'var ChangeUtils = Class.create();\nChangeUtils.prototype = { rejectChange: function() {}, type: "ChangeUtils" };\n');
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
      await eventually(async () => (await symbols(client, 'rejectChange')).some((s) => s.name === 'rejectChange'));
      assert.ok(!(await symbols(client, 'approve')).some((s) => s.name === 'approve'));

      await fs.rm(file);
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
      await eventually(async () => !(await symbols(client, 'ChangeUtils')).some((s) => s.name === 'ChangeUtils'));
      baseline = await snapshotFiles(root);
    });

    it('re-indexes a saved open document', async () => {
      const rel = 'scripts/script_includes/IncidentUtils.js';
      const uri = pathToFileURL(path.join(root, rel)).toString();
      await client.open(uri, FILES[rel]);
      // The user edits and saves (the editor writes the file, then tells us).
      await fs.writeFile(path.join(root, rel), FILES[rel].replace('closeIncident', 'resolveIncident'));
      await client.notify('textDocument/didSave', { textDocument: { uri } });
      await eventually(async () => (await symbols(client, 'resolveIncident')).some((s) => s.name === 'resolveIncident'));
      await fs.writeFile(path.join(root, rel), FILES[rel]);
      await client.notify('textDocument/didSave', { textDocument: { uri } });
      await eventually(async () => (await symbols(client, 'closeIncident')).some((s) => s.name === 'closeIncident'));
    });

    it('writes nothing outside .deepcodeseek/', async () => {
      assert.deepEqual(await snapshotFiles(root), baseline);
    });
  });

  describe('with a client that cannot watch files', () => {
    it("picks up changes through the server's own watcher", async () => {
      const root = await makeWorkspace(FILES);
      const { client } = await LspClient.start({ roots: [root] });
      try {
        await client.initializedAndIndexed();
        assert.ok(!client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
        await fs.writeFile(path.join(root, 'scripts/script_includes/ProblemUtils.js'), 'var ProblemUtils = Class.create();\nProblemUtils.prototype = { type: "ProblemUtils" };\n');
        await eventually(async () => (await symbols(client, 'ProblemUtils')).some((s) => s.name === 'ProblemUtils'), 15_000);
        await fs.rm(path.join(root, 'scripts/script_includes/ProblemUtils.js'));
        await eventually(async () => !(await symbols(client, 'ProblemUtils')).some((s) => s.name === 'ProblemUtils'), 15_000);
      } finally {
        await client.stop();
        await fs.rm(root, { recursive: true, force: true });
      }
    });
  });

  describe('the cache', () => {
    let root: string;
    before(async () => {
      root = await makeWorkspace(FILES);
    });
    after(async () => {
      await fs.rm(root, { recursive: true, force: true });
    });

    async function startAndIndex(): Promise<LspClient> {
      const { client } = await LspClient.start({ roots: [root], settings: { log: { level: 'debug' } } });
      await client.initializedAndIndexed();
      return client;
    }

    it('is written on the first start and reused on the second', async () => {
      const first = await startAndIndex();
      await first.stop();
      const cache = path.join(root, '.deepcodeseek', 'index.jsonl');
      assert.ok((await fs.stat(cache)).size > 0);
      const second = await startAndIndex();
      try {
        assert.ok(second.logs.some((l) => /cache loaded, 2 reused, 0 parsed/.test(l)), second.logs.join('\n'));
        assert.ok((await symbols(second, 'IncidentUtils')).length > 0);
      } finally {
        await second.stop();
      }
    });

    it('is rebuilt, with one log line, when corrupt', async () => {
      await fs.writeFile(path.join(root, '.deepcodeseek', 'index.jsonl'), '{"format": 5, "writer": "x"}\n{"entry": trunc');
      const client = await startAndIndex();
      try {
        const lines = client.logs.filter((l) => /cache .* unreadable/.test(l));
        assert.equal(lines.length, 1, client.logs.join('\n'));
        assert.ok((await symbols(client, 'IncidentUtils')).some((s) => s.name === 'IncidentUtils'));
      } finally {
        await client.stop();
      }
      const lines = (await fs.readFile(path.join(root, '.deepcodeseek', 'index.jsonl'), 'utf8')).trim().split('\n');
      assert.deepEqual(JSON.parse(lines[lines.length - 1]), { end: 2 }, 'rebuilt with both files');
    });
  });
});
