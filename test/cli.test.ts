import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'deepcodeseek.js');
const DEMO = path.join(REPO, 'examples', 'demo-instance');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A bad invocation: exit 2 and exactly one line on stderr, no stack trace. */
function refused(r: ReturnType<typeof run>, pattern: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

describe('cli', function () {
  this.timeout(120_000);

  it('answers --help, -h and --version at the top and per command', () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = run(flag);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /deepcodeseek serve --stdio/);
    }
    const v = run('--version');
    assert.equal(v.status, 0);
    assert.equal(v.stdout.trim(), `deepcodeseek ${JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version}`);
    const e = run('eval', '--help');
    assert.equal(e.status, 0);
    assert.match(e.stdout, /--cases FILE/);
    assert.match(e.stdout, /--corpus DIR/);
    assert.doesNotMatch(e.stdout, /deepcodeseek synth/);
  });

  it('refuses an unknown command and unknown options with one line', () => {
    refused(run('frobnicate'), /unknown command 'frobnicate'/);
    refused(run('index', '--bogus'), /bogus/);
  });

  it('never creates a workspace that is not there', () => {
    const missing = path.join(os.tmpdir(), `dcs-missing-${process.pid}`, 'ws');
    refused(run('index', '--workspace', missing), /no such folder/);
    assert.equal(fs.existsSync(path.dirname(missing)), false);
  });

  it('checks numbers, files and folders before doing anything', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-cli-'));
    try {
      refused(run('synth', '--out', path.join(out, 'a'), '--script-includes', 'abc'), /--script-includes takes a whole number/);
      assert.equal(fs.existsSync(path.join(out, 'a')), false);
      fs.writeFileSync(path.join(out, 'keep.txt'), 'mine');
      refused(run('synth', '--out', out, '--script-includes', '5'), /not empty/);
      assert.deepEqual(fs.readdirSync(out), ['keep.txt']);
      refused(run('eval', '--workspace', DEMO, '--cases', path.join(out, 'nope.jsonl')), /no such file/);
      refused(run('query', '--workspace', DEMO, '--file', 'nope.js', '--line', '1', '--character', '1'), /no such file/);
      refused(run('query', '--workspace', DEMO, '--file', 'README.md', '--line', 'a', '--character', '1'), /--line takes a whole number/);
      refused(run('eval', '--workspace', DEMO, '--cases', 'x', '--typed', 'two'), /--typed takes whole numbers/);
      refused(run('bench', '--runs', '0'), /--runs takes a whole number/);
      refused(run('eval', '--corpus', path.join(out, 'nowhere')), /no such folder/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('measures another model with eval --model, learning from the weights beside it or saying there are none', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-cli-model-'));
    try {
      const ws = path.join(tmp, 'ws');
      fs.cpSync(DEMO, ws, { recursive: true, filter: (src) => !src.includes(`${path.sep}.deepcodeseek`) });
      const models = path.join(tmp, 'm');
      fs.mkdirSync(models);
      const onnx = path.join(models, 'candidate.onnx');
      fs.copyFileSync(path.join(REPO, 'models', 'compact-reranker.onnx'), onnx);
      const alone = run('eval', '--corpus', ws, '--limit', '30', '--typed', '0', '--model', onnx);
      assert.equal(alone.status, 0, alone.stderr);
      assert.match(alone.stderr, /no weights beside .*candidate\.onnx: full\+learned fits the fusion weights and the blend only/);
      assert.match(alone.stdout, /^full\+learned +0 +30 /m);
      fs.copyFileSync(path.join(REPO, 'models', 'compact-reranker.json'), path.join(models, 'candidate.json'));
      const paired = run('eval', '--corpus', ws, '--limit', '30', '--typed', '0', '--model', onnx);
      assert.equal(paired.status, 0, paired.stderr);
      assert.doesNotMatch(paired.stderr, /no weights beside/);
      assert.match(paired.stdout, /^full\+learned +0 +30 /m);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('writes a synthetic instance into an empty folder and says what it wrote', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-cli-'));
    try {
      const r = run('synth', '--out', out, '--script-includes', '20', '--seed', '3');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /wrote 20 Script Includes/);
      assert.ok(fs.readdirSync(out).length > 0);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
