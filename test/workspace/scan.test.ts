import * as assert from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isCandidateFile, packScan, scanInWorker, scanWorkspace, unpackScan } from '../../server/src/workspace/scan';
import { ignoresPermissions, makeWorkspace, removeWorkspace } from './helpers';

const EXCLUDE = ['out', 'dist'];

describe('workspace/scan scanWorkspace', () => {
  let root: string;
  afterEach(async () => {
    if (root) await removeWorkspace(root);
  });

  it('finds the files of every layout, sorted, and skips excluded folders and other files', async () => {
    root = await makeWorkspace({
      'hr/update/sys_script_include_1.xml': '<record_update/>',
      'dev1/x_acme_hr/sys_script_include/HRUtils.script.js': 'var HRUtils;',
      'cmdb/now.config.json': '{}',
      'cmdb/src/fluent/si.now.ts': 'ScriptInclude({})',
      'plain/script_includes/A.js': 'var A;',
      'plain/README.md': '# no',
      'plain/types.ts': 'export {}',
      'node_modules/lib/index.js': 'x',
      '.git/hooks/pre-commit.js': 'x',
      '.deepcodeseek/cache.js': 'x',
      'out/bundle.js': 'x',
      'deep/dist/x.js': 'x',
    });
    const { files, problems } = await scanWorkspace(root, { exclude: EXCLUDE });
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(files.map((f) => f.path), [
      'cmdb/now.config.json',
      'cmdb/src/fluent/si.now.ts',
      'dev1/x_acme_hr/sys_script_include/HRUtils.script.js',
      'hr/update/sys_script_include_1.xml',
      'plain/script_includes/A.js',
    ]);
    const a = files.find((f) => f.path === 'plain/script_includes/A.js')!;
    assert.strictEqual(a.size, 6);
    assert.ok(a.mtimeMs > 0);
  });

  it('never walks node_modules, .git or .deepcodeseek even when the settings omit them', async () => {
    root = await makeWorkspace({ 'node_modules/a.js': 'x', '.git/b.js': 'x', '.deepcodeseek/c.js': 'x', 'd.js': 'x' });
    const { files } = await scanWorkspace(root, { exclude: [] });
    assert.deepStrictEqual(files.map((f) => f.path), ['d.js']);
  });

  it('survives symlink loops and dangling links, and walks a linked folder once', async () => {
    root = await makeWorkspace({ 'apps/x_acme_hr/script_includes/A.js': 'var A;' });
    await fs.symlink(path.join(root, 'apps'), path.join(root, 'apps/x_acme_hr/loop'));
    await fs.symlink(path.join(root, 'nowhere'), path.join(root, 'apps/dangling'));
    await fs.symlink(path.join(root, 'nowhere.js'), path.join(root, 'apps/dangling.js'));
    await fs.symlink(path.join(root, 'apps/x_acme_hr'), path.join(root, 'linked'));
    const started = Date.now();
    const { files } = await scanWorkspace(root, { exclude: [] });
    assert.ok(Date.now() - started < 5000);
    // The real folder is walked once, under its real path rather than through a link.
    assert.deepStrictEqual(files.map((f) => f.path), ['apps/x_acme_hr/script_includes/A.js']);
  });

  it('walks a folder reached only through a link into an allowed outside folder, under the link path', async () => {
    root = await makeWorkspace({ 'elsewhere/x_acme_hr/script_includes/B.js': 'var B;', 'ws/keep.txt': '' });
    await fs.symlink(path.join(root, 'elsewhere/x_acme_hr'), path.join(root, 'ws/x_acme_hr'));
    const { files } = await scanWorkspace(path.join(root, 'ws'), { exclude: [], allowOutside: [path.join(root, 'elsewhere')] });
    assert.deepStrictEqual(files.map((f) => f.path), ['x_acme_hr/script_includes/B.js']);
  });

  it('never follows a link whose real path leaves the workspace, unless the settings name that folder', async () => {
    const root = await makeWorkspace({ 'si/Inside.js': 'var Inside = Class.create();' });
    const outside = await makeWorkspace({ 'Secret.js': 'var Secret = Class.create();', 'deep/Other.js': 'var Other;' });
    try {
      await fs.symlink(outside, path.join(root, 'linked'));
      await fs.symlink(path.join(outside, 'Secret.js'), path.join(root, 'si', 'Secret.js'));
      const { files, problems } = await scanWorkspace(root, { exclude: [] });
      assert.deepStrictEqual(files.map((f) => f.path), ['si/Inside.js']);
      assert.strictEqual(problems.filter((p) => /leads outside the workspace/.test(p.message)).length, 2);
      const allowed = await scanWorkspace(root, { exclude: [], allowOutside: [outside] });
      assert.deepStrictEqual(allowed.files.map((f) => f.path), ['linked/Secret.js', 'linked/deep/Other.js', 'si/Inside.js', 'si/Secret.js'].sort());
    } finally {
      await removeWorkspace(root);
      await removeWorkspace(outside);
    }
  });

  it('reads names holding a backslash, and says which names it cannot read', async () => {
    root = await makeWorkspace({ 'a\\b/Bs.js': 'var Bs = Class.create();' });
    await fs.mkdir(Buffer.concat([Buffer.from(root + '/'), Buffer.from([0xff, 0xfe])]));
    const { files, problems } = await scanWorkspace(root, { exclude: [] });
    assert.deepStrictEqual(files.map((f) => f.path), ['a\\b/Bs.js']);
    assert.ok(problems.some((p) => /not valid UTF-8/.test(p.message)), JSON.stringify(problems));
  });

  it('reports a missing root without throwing', async () => {
    root = await makeWorkspace({});
    const { files, problems } = await scanWorkspace(path.join(root, 'does-not-exist'), { exclude: [] });
    assert.deepStrictEqual(files, []);
    assert.strictEqual(problems.length, 1);
    assert.strictEqual(problems[0].severity, 'error');
  });

  it('reports an unreadable folder and goes on', async function () {
    root = await makeWorkspace({ 'locked/A.js': 'x', 'open/B.js': 'x' });
    await fs.chmod(path.join(root, 'locked'), 0o000);
    const { files, problems } = await scanWorkspace(root, { exclude: [] });
    await fs.chmod(path.join(root, 'locked'), 0o755);
    assert.ok(files.some((f) => f.path === 'open/B.js'));
    if (ignoresPermissions()) this.skip(); // root lists folders whatever their mode
    assert.ok(problems.some((p) => p.path === 'locked' && /EACCES/.test(p.message)));
  });

  it('stops at maxFiles with a problem', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`s/${i}.js`] = 'x';
    root = await makeWorkspace(files);
    const res = await scanWorkspace(root, { exclude: [], maxFiles: 10 });
    assert.strictEqual(res.files.length, 10);
    assert.strictEqual(res.problems.length, 1);
  });

  it('says which files are candidates', () => {
    assert.deepStrictEqual(
      ['a.js', 'a.JS', 'b.xml', 'c.now.ts', 'now.config.json', 'c.ts', 'now.config.json.bak', 'x.json'].map(isCandidateFile),
      [true, true, true, true, true, false, false, false],
    );
  });

  it('walks on a thread of its own to the same files and problems, and reads back only what a walk sends', async () => {
    root = await makeWorkspace({
      'hr/update/sys_script_include_1.xml': '<record_update/>',
      'plain/script_includes/A.js': 'var A;',
      'plain/script_includes/B.js': 'var Bee;',
      'out/bundle.js': 'x',
    });
    await fs.symlink(path.join(root, 'nowhere'), path.join(root, 'plain/dangling'));
    await fs.symlink('/', path.join(root, 'plain/disk'));
    const here = await scanWorkspace(root, { exclude: EXCLUDE });
    const notes: string[] = [];
    const there = await scanInWorker(root, { exclude: EXCLUDE }, (why) => notes.push(why));
    assert.deepStrictEqual(notes, []);
    assert.deepStrictEqual(there, here);
    assert.strictEqual(here.files.length, 3);
    assert.strictEqual(here.problems.length, 1);
    // The columns round-trip, and anything else is refused rather than read as files.
    assert.deepStrictEqual(unpackScan(packScan(here)), here);
    const packed = packScan(here);
    for (const bad of [null, {}, { ...packed, sizes: [1, 2, 3] }, { ...packed, mtimes: new Float64Array(1) }, { ...packed, paths: [1, 2, 3] }, { ...packed, problems: 'x' }]) {
      assert.strictEqual(unpackScan(bad), undefined, JSON.stringify(bad));
    }
  });
});
