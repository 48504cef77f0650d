import * as assert from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { coalesceChanges, FileChange, watchWorkspace } from '../../server/src/workspace/watcher';
import { makeWorkspace, removeWorkspace } from './helpers';

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
