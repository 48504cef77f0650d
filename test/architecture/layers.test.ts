import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHECK = path.join(ROOT, 'scripts', 'check-layers.js');

function check(src?: string) {
  return spawnSync(process.execPath, src ? [CHECK, src] : [CHECK], { encoding: 'utf8' });
}

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-layers-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('architecture: two wings', () => {
  it('the sources pass the layer check the build runs', () => {
    const r = check();
    assert.strictEqual(r.status, 0, r.stderr);
  });

  it('the check fails on a core module importing the lab, on syntax/ reaching up, and on a cycle', () => {
    const dir = tree({
      'features/hover.ts': "import { trainReranker } from '../training/train-reranker';\n",
      'training/train-reranker.ts': 'export const trainReranker = 1;\n',
      'syntax/parser.ts': "import { ApiIndex } from '../index/api-index';\n",
      'index/api-index.ts': "import { x } from './b';\nexport class ApiIndex {}\n",
      'index/b.ts': "import { ApiIndex } from './api-index';\nexport const x = ApiIndex;\n",
      'eval/ok.ts': "import { ApiIndex } from '../index/api-index';\n",
    });
    try {
      const r = check(dir);
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, /features\/hover \(core\) imports training\/train-reranker \(lab\)/);
      assert.match(r.stderr, /syntax\/parser \(syntax\/\) imports index\/api-index, above it/);
      assert.match(r.stderr, /import cycle: index\/api-index -> index\/b -> index\/api-index/);
      assert.doesNotMatch(r.stderr, /eval\/ok/, 'the lab may import the core');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('nothing reachable from serve loads a lab module, nor protobufjs', () => {
    const script = `
      require(${JSON.stringify(path.join(ROOT, 'out', 'server', 'src', 'server.js'))});
      require(${JSON.stringify(path.join(ROOT, 'out', 'server', 'src', 'session.js'))});
      const lab = Object.keys(require.cache).filter((k) => /[\\\\/]out[\\\\/]server[\\\\/]src[\\\\/](training|eval|bench)[\\\\/]/.test(k));
      const core = Object.keys(require.cache).filter((k) => /[\\\\/]out[\\\\/]server[\\\\/]src[\\\\/]/.test(k));
      // Only building a model needs protobufjs; a server reads models without it (onnx-builder.ts).
      const builder = Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/]protobufjs[\\\\/]/.test(k));
      process.stdout.write(JSON.stringify({ lab, core: core.length, builder }));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const { lab, core, builder } = JSON.parse(r.stdout) as { lab: string[]; core: number; builder: string[] };
    assert.ok(core > 20, `only ${core} core modules loaded: the probe did not load the server`);
    assert.deepStrictEqual(lab, []);
    assert.deepStrictEqual(builder, []);
  });
});
