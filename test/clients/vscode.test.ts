/**
 * clients/vscode: its `contributes.configuration` mirrors the server's settings schema key for
 * key, and the offline packager writes a .vsix that VS Code can install and whose bundled server
 * runs on its own.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { promises as fs, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inflateRawSync } from 'zlib';
import { SETTINGS, SettingSpec } from '../../server/src/config';
import { REPO } from './editor-harness';

const CLIENT = path.join(REPO, 'clients', 'vscode');
/** Settings the client itself reads; they are not part of the server's schema. */
const CLIENT_ONLY = ['deepcodeseek.server.path', 'deepcodeseek.trace.server'];

interface Property {
  type: string;
  items?: { type: string };
  default: unknown;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  description: string;
  scope?: string;
}

function manifest(): { [k: string]: any } {
  return JSON.parse(readFileSync(path.join(CLIENT, 'package.json'), 'utf8'));
}

/** The zip's entries by name, read from its central directory (stored or deflated, no zip64). */
function readZip(buf: Buffer): Map<string, () => Buffer> {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, () => Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'broken central directory');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    entries.set(name, () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return method === 8 ? inflateRawSync(data) : Buffer.from(data);
    });
    at += 46 + nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return entries;
}

describe('clients/vscode', function () {
  this.timeout(60_000);

  describe('contributes.configuration', () => {
    const properties = (): Record<string, Property> => manifest().contributes.configuration.properties;

    it('has every server setting with its type, default, enum, bounds and description', () => {
      const props = properties();
      for (const [key, spec] of Object.entries(SETTINGS) as [string, SettingSpec<unknown>][]) {
        const p = props[`deepcodeseek.${key}`];
        assert.ok(p, `deepcodeseek.${key} is missing`);
        if (spec.type === 'string[]') {
          assert.equal(p.type, 'array', key);
          assert.deepEqual(p.items, { type: 'string' }, key);
        } else {
          assert.equal(p.type, spec.type, key);
        }
        assert.deepEqual(p.default, spec.default, key);
        assert.deepEqual(p.enum, spec.enum ? [...spec.enum] : undefined, key);
        assert.equal(p.minimum, spec.minimum, key);
        assert.equal(p.maximum, spec.maximum, key);
        assert.equal(p.description, spec.description, key);
      }
    });

    it("takes paths of code it runs and files it reads or writes from the user's settings only, and limits untrusted workspaces", () => {
      const props = properties();
      const restricted = ['server.path', 'rerank.model', 'rerank.tokenizer', 'embedder.model', 'index.cacheDir', 'index.allowOutside', 'rerank.useWorkspaceModel'].map((k) => `deepcodeseek.${k}`);
      // `machine` scope: a workspace's .vscode/settings.json cannot set them.
      for (const key of restricted) assert.equal(props[key]?.scope, 'machine', key);
      const untrusted = manifest().capabilities?.untrustedWorkspaces;
      assert.equal(untrusted?.supported, 'limited');
      assert.deepEqual([...untrusted.restrictedConfigurations].sort(), [...restricted].sort());
    });

    it('has nothing else but the documented client-only settings', () => {
      const extra = Object.keys(properties()).filter((k) => !(k.slice('deepcodeseek.'.length) in SETTINGS));
      assert.deepEqual(extra.sort(), [...CLIENT_ONLY].sort());
      for (const k of CLIENT_ONLY) assert.match(properties()[k].description, /^Client only:/, k);
    });
  });

  it('activates on JavaScript and ServiceNow workspaces and contributes its commands', () => {
    const m = manifest();
    assert.equal(m.main, './out/extension.js');
    assert.equal(m.engines.vscode, '^1.91.0');
    assert.ok(m.activationEvents.includes('onLanguage:javascript'));
    assert.ok(m.activationEvents.includes('workspaceContains:**/sys_script_include*.xml'));
    assert.ok(m.activationEvents.includes('workspaceContains:**/now.config.json'));
    const commands = m.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(commands.sort(), ['deepcodeseek.explain', 'deepcodeseek.restartServer']);
  });

  describe('package-vsix.js', () => {
    let out: string;
    let entries: Map<string, () => Buffer>;
    let stdout: string;
    const target = `${process.platform}-${process.arch}`;

    before(async () => {
      out = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-vsix-'));
      const r = spawnSync(process.execPath, [path.join(CLIENT, 'package-vsix.js'), '--out', out], { encoding: 'utf8', timeout: 50_000 });
      assert.equal(r.status, 0, `packaging failed:\n${r.stdout}\n${r.stderr}`);
      stdout = r.stdout;
      const m = manifest();
      entries = readZip(await fs.readFile(path.join(out, `${m.name}-${target}-${m.version}.vsix`)));
    });

    after(async () => {
      if (out) await fs.rm(out, { recursive: true, force: true });
    });

    it('holds the manifest, the content types, the extension and its bundled server', () => {
      for (const name of [
        'extension.vsixmanifest',
        '[Content_Types].xml',
        'extension/package.json',
        'extension/out/extension.js',
        'extension/node_modules/vscode-languageclient/package.json',
        'extension/server/bin/deepcodeseek.js',
        'extension/server/out/server/src/cli.js',
        'extension/server/node_modules/tree-sitter/package.json',
      ]) {
        assert.ok(entries.has(name), `${name} is missing`);
      }
      assert.deepEqual(JSON.parse(entries.get('extension/package.json')!().toString('utf8')), manifest());
      const vsixManifest = entries.get('extension.vsixmanifest')!().toString('utf8');
      const m = manifest();
      assert.match(vsixManifest, new RegExp(`<Identity [^>]*Id="${m.name}" Version="${m.version}" Publisher="${m.publisher}"`));
      assert.match(vsixManifest, /Microsoft\.VisualStudio\.Code\.Engine" Value="\^1\.91\.0"/);
      assert.match(vsixManifest, new RegExp(`TargetPlatform="${process.platform}-${process.arch}"`));
    });

    it('leaves out other platforms, native sources and test-only files', () => {
      const names = [...entries.keys()];
      const target = `${process.platform}-${process.arch}`;
      assert.deepEqual(names.filter((n) => /\/prebuilds\/[^/]+\//.test(n) && !n.includes(`/prebuilds/${target}/`)), []);
      assert.deepEqual(names.filter((n) => /\/bin\/napi-v\d+\/[^/]+\/[^/]+\//.test(n) && !n.includes(`/${process.platform}/${process.arch}/`)), []);
      assert.deepEqual(names.filter((n) => /\.(d\.ts|map|cc|c|h)$/.test(n) || n.includes('/out/test/')), []);
      assert.ok(!names.some((n) => n.includes('/node_modules/mocha/') || n.includes('/node_modules/typescript/')));
      // Build leftovers: makefiles, object files, the vendored addon API.
      assert.deepEqual(names.filter((n) => /(\.mk|\.o|Makefile|config\.gypi)$/.test(n) || /\/(node-addon-api|obj\.target)\//.test(n)), []);
    });

    it('takes one copy of each native binary, and says which native files it took and their sizes', () => {
      const names = [...entries.keys()];
      for (const pkg of ['tree-sitter', 'tree-sitter-javascript', 'hnswlib-node', 'onnxruntime-node']) {
        const binaries = names.filter((n) => n.startsWith(`extension/server/node_modules/${pkg}/`) && n.endsWith('.node'));
        assert.equal(binaries.length, 1, `${pkg}: ${binaries.join(', ')}`);
      }
      const listed = [...stdout.matchAll(/^native +([\d.]+) MB {2}(\S+)$/gm)].map((m) => m[2]);
      assert.deepEqual(listed.sort(), names.filter((n) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(n)).sort());
      assert.match(stdout, /^native files: \d+, [\d.]+ MB unpacked$/m);
    });

    it('refuses, in one line, a target whose binaries are not here, and an unknown target', () => {
      const other = process.platform === 'darwin' ? 'linux-x64' : 'darwin-arm64';
      const r = spawnSync(process.execPath, [path.join(CLIENT, 'package-vsix.js'), '--out', out, '--target', other, '--no-compile'], { encoding: 'utf8', timeout: 50_000 });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr.trim(), new RegExp(`^package-vsix: no ${other} binary for [^\n]*hnswlib-node[^\n]*; build the package on ${other}$`));
      const bad = spawnSync(process.execPath, [path.join(CLIENT, 'package-vsix.js'), '--target', 'amiga-68k', '--no-compile'], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(bad.status, 1);
      assert.match(bad.stderr.trim(), /^package-vsix: unknown --target amiga-68k; one of linux-x64, /);
    });

    it('carries a server that runs from the package alone', async () => {
      const dir = await fs.mkdtemp(path.join(out, 'x-'));
      for (const [name, read] of entries) {
        if (name.endsWith('/')) continue;
        await fs.mkdir(path.join(dir, path.dirname(name)), { recursive: true });
        await fs.writeFile(path.join(dir, name), read());
      }
      const workspace = path.join(REPO, 'examples', 'demo-instance');
      const r = spawnSync(process.execPath, [path.join(dir, 'extension', 'server', 'bin', 'deepcodeseek.js'), 'index', '--workspace', workspace, '--no-cache', '--json'], {
        encoding: 'utf8',
        timeout: 30_000,
        cwd: dir,
        // Only the package's own node_modules may be found.
        env: { ...process.env, NODE_PATH: '' },
      });
      assert.equal(r.status, 0, r.stderr);
      const report = JSON.parse(r.stdout) as { scriptIncludes: { active: number } };
      assert.ok(report.scriptIncludes.active > 0, r.stdout.slice(0, 500));
    });
  });
});
