import * as assert from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { coalesceChanges, FileChange, watchWorkspace } from '../../server/src/workspace/watcher';
import { ignoresPermissions, makeWorkspace, removeWorkspace } from './helpers';

/** Collects batches; `next` resolves with the first batch that satisfies `done`. */
function collector() {
  const batches: FileChange[][] = [];
  let waiter: { done: (all: FileChange[]) => boolean; resolve: () => void } | undefined;
  const all = (): FileChange[] => batches.flat();
  return {
    batches,
    all,
    onChanges(changes: FileChange[]): void {
      batches.push(changes);
      if (waiter?.done(all())) waiter.resolve();
    },
    until(done: (all: FileChange[]) => boolean, ms = 5000): Promise<void> {
      if (done(all())) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; saw ${JSON.stringify(batches)}`)), ms);
        waiter = { done, resolve: () => (clearTimeout(timer), resolve()) };
      });
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('workspace/watcher', () => {
  it('coalesces a burst of events into one change per path', () => {
    const c = (kind: FileChange['kind'], p: string): FileChange => ({ kind, path: p });
    assert.deepStrictEqual(
      coalesceChanges([
        c('created', 'a.js'), c('changed', 'a.js'),
        c('deleted', 'b.js'), c('created', 'b.js'),
        c('changed', 'c.js'), c('deleted', 'c.js'),
        c('changed', 'd.js'), c('changed', 'd.js'),
        c('created', 'e.js'), c('deleted', 'e.js'),
      ]),
      [c('created', 'a.js'), c('changed', 'b.js'), c('deleted', 'c.js'), c('changed', 'd.js'), c('deleted', 'e.js')],
    );
  });

  it('reports created, changed and deleted files in batches, ignoring excluded folders and other files', async () => {
    const root = await makeWorkspace({ 'x_acme/script_includes/Old.js': 'var Old;', 'out/.keep.txt': '' });
    const c = collector();
    const watcher = watchWorkspace(root, { exclude: ['out'] }, (ch) => c.onChanges(ch));
    try {
      await watcher.ready;
      await fs.writeFile(path.join(root, 'x_acme/script_includes/New.js'), 'var New;');
      await fs.writeFile(path.join(root, 'out/ignored.js'), 'x');
      await fs.writeFile(path.join(root, 'x_acme/notes.md'), 'x');
      await c.until((all) => all.some((e) => e.path === 'x_acme/script_includes/New.js'));

      await fs.writeFile(path.join(root, 'x_acme/script_includes/Old.js'), 'var Old = 2;');
      await c.until((all) => all.some((e) => e.kind === 'changed' && e.path === 'x_acme/script_includes/Old.js'));

      await fs.unlink(path.join(root, 'x_acme/script_includes/New.js'));
      await c.until((all) => all.some((e) => e.kind === 'deleted' && e.path === 'x_acme/script_includes/New.js'));
      await sleep(150);

      const all = c.all();
      assert.deepStrictEqual(all.find((e) => e.path === 'x_acme/script_includes/New.js'), { kind: 'created', path: 'x_acme/script_includes/New.js' });
      assert.ok(!all.some((e) => e.path.startsWith('out/') || e.path.endsWith('.md')), JSON.stringify(all));
      for (const batch of c.batches) assert.strictEqual(new Set(batch.map((e) => e.path)).size, batch.length, 'one change per path per batch');
    } finally {
      await watcher.close();
      await removeWorkspace(root);
    }
  });

  it('follows folders that appear, go and are renamed, with the files in them', async () => {
    const root = await makeWorkspace({ 'old/inner/A.js': 'var A;', 'old/B.js': 'var B;', 'keep/C.js': 'var C;' });
    const c = collector();
    const watcher = watchWorkspace(root, { exclude: [] }, (ch) => c.onChanges(ch));
    const has = (kind: FileChange['kind'], p: string) => (all: FileChange[]) => all.some((e) => e.kind === kind && e.path === p);
    try {
      await watcher.ready;
      // A folder made with a file in it at once: the file is there before the folder is watched.
      await fs.mkdir(path.join(root, 'fresh/deep'), { recursive: true });
      await fs.writeFile(path.join(root, 'fresh/deep/D.js'), 'var D;');
      await c.until(has('created', 'fresh/deep/D.js'));
      // Renamed: its files go under the old name and come under the new one, and later edits
      // are reported under the new name.
      await fs.rename(path.join(root, 'old'), path.join(root, 'renamed'));
      await c.until((all) => ['old/inner/A.js', 'old/B.js'].every((p) => has('deleted', p)(all)) && ['renamed/inner/A.js', 'renamed/B.js'].every((p) => has('created', p)(all)));
      await fs.writeFile(path.join(root, 'renamed/inner/A.js'), 'var A = 2;');
      await c.until(has('changed', 'renamed/inner/A.js'));
      // Removed with everything in it.
      await fs.rm(path.join(root, 'fresh'), { recursive: true });
      await c.until(has('deleted', 'fresh/deep/D.js'));
      await sleep(150);
      assert.ok(!c.all().some((e) => e.path.startsWith('keep/')), JSON.stringify(c.all()));
      assert.ok(!c.all().some((e) => e.path.startsWith('old/') && e.kind !== 'deleted'), JSON.stringify(c.all()));
    } finally {
      await watcher.close();
      await removeWorkspace(root);
    }
  });

  it('watches folders, not files, and never through a link', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`a/b/F${i}.js`] = `var F${i};`;
    const root = await makeWorkspace(files);
    const outside = await makeWorkspace({ 'Outside.js': 'var Outside;' });
    await fs.symlink(outside, path.join(root, 'link'));
    const inotifyWatches = async () => {
      let watches = 0;
      for (const fd of await fs.readdir('/proc/self/fdinfo')) {
        const info = await fs.readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
        watches += (info.match(/^inotify wd:/gm) ?? []).length;
      }
      return watches;
    };
    const before = process.platform === 'linux' ? await inotifyWatches() : 0;
    const c = collector();
    const watcher = watchWorkspace(root, { exclude: [] }, (ch) => c.onChanges(ch));
    try {
      await watcher.ready;
      // One watch per folder (the root, a, a/b): 3 more inotify watches, not 200.
      if (process.platform === 'linux') {
        const added = (await inotifyWatches()) - before;
        assert.ok(added >= 3 && added < 10, `${added} inotify watches`);
      }
      await fs.writeFile(path.join(outside, 'Outside.js'), 'var Outside = 2;');
      await fs.writeFile(path.join(root, 'a/b/F7.js'), 'var F7 = 2;');
      await c.until((all) => all.some((e) => e.path === 'a/b/F7.js'));
      await sleep(150);
      assert.deepStrictEqual(c.all(), [{ kind: 'changed', path: 'a/b/F7.js' }]);
    } finally {
      await watcher.close();
      await removeWorkspace(root);
      await removeWorkspace(outside);
    }
  });

  it('skips a folder it may not read without a word, and watches the rest', async function () {
    if (ignoresPermissions()) this.skip(); // root reads through chmod 000
    const root = await makeWorkspace({ 'locked/A.js': 'var A;', 'open/B.js': 'var B;' });
    await fs.chmod(path.join(root, 'locked'), 0o000);
    const errors: string[] = [];
    const c = collector();
    const watcher = watchWorkspace(root, { exclude: [], onError: (m) => errors.push(m) }, (ch) => c.onChanges(ch));
    try {
      await watcher.ready;
      await fs.writeFile(path.join(root, 'open/B.js'), 'var B = 2;');
      await c.until((all) => all.some((e) => e.path === 'open/B.js'));
      assert.deepStrictEqual(errors, []);
    } finally {
      await watcher.close();
      await fs.chmod(path.join(root, 'locked'), 0o755);
      await removeWorkspace(root);
    }
  });

  it('turns a burst of writes to one file into one change', async () => {
    const root = await makeWorkspace({ 'a/B.js': 'var B;' });
    const c = collector();
    const watcher = watchWorkspace(root, { exclude: [], batchMs: 80 }, (ch) => c.onChanges(ch));
    try {
      await watcher.ready;
      const file = path.join(root, 'a/B.js');
      for (let i = 0; i < 5; i++) await fs.writeFile(file, `var B = ${i};`);
      await c.until((all) => all.length > 0);
      await sleep(200);
      // However the burst falls into batches (timing on a shared machine), a batch never holds
      // the same file twice, and the last change seen is the file as it ends up.
      for (const batch of c.batches) assert.strictEqual(batch.filter((e) => e.path === 'a/B.js').length <= 1, true, JSON.stringify(batch));
      assert.notStrictEqual(c.all().filter((e) => e.path === 'a/B.js').at(-1)?.kind, 'deleted');
    } finally {
      await watcher.close();
      await removeWorkspace(root);
    }
  });
});
