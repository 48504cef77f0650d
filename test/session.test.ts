import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { consoleEditor, Editor } from '../server/src/editor';
import { Session } from '../server/src/session';
import { contextAt } from './retrieval/helpers';
import { copyDemoWorkspace } from './helpers/demo';


/** Positions a developer of the demo instance completes at. */
const POSITIONS = [
  `// close the incident and its child tasks\nvar gr = new GlideRecord('incident');\nvar helper = new |`,
  `var ga = new GlideAjax('|`,
  `// the manager of the caller\nvar mgr = |`,
  `var approvals = new x_acme_hr.|`,
];

describe('session: a workspace', function () {
  this.timeout(120_000);
  let root: string;
  before(async () => {
    root = await copyDemoWorkspace('dcs-session-');
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  async function start(settings: Record<string, unknown> = {}, warmFirst = false) {
    const lines: string[] = [];
    const editor: Editor = { ...consoleEditor('error'), log: (_level, message) => lines.push(message) };
    const session = new Session(editor);
    session.settings = { ...session.settings, 'rank.learnWorkspace': false, ...settings };
    const ws = session.addWorkspace(root);
    await ws.startIndexing();
    if (warmFirst) await ws.warming;
    const answers = [];
    for (const source of POSITIONS) {
      const out = await ws.rank({ context: contextAt(source, { side: source.includes('GlideAjax') ? 'client' : 'server' }), includePlatform: true }, 10_000);
      answers.push(out.candidates.map((c) => `${c.apiName}#${c.method ?? ''}`));
    }
    const dense = (await ws.rank({ context: contextAt(POSITIONS[0]) }, 10_000)).trace.find((t) => t.startsWith('lexical '));
    await session.dispose();
    return { lines, answers, dense };
  }

  it('answers after a warm start exactly as after a cold one', async () => {
    const cold = await start();
    assert.ok(cold.lines.some((l) => /retrieval built/.test(l)), cold.lines.join('\n'));
    const warm = await start();
    assert.ok(warm.lines.some((l) => /retrieval restored from the cache/.test(l)), warm.lines.join('\n'));
    assert.deepEqual(warm.answers, cold.answers);
    assert.ok(cold.answers.every((a) => a.length > 0));
    // The dense list is part of it, not empty after the restart.
    assert.equal(warm.dense, cold.dense);
    assert.doesNotMatch(warm.dense ?? '', /dense 0 /);
    // A cold start gives its build's garbage back before it answers; a warm one, which built
    // nothing, leaves the little it made to the server's first collection after the start.
    assert.ok(cold.lines.some((l) => /released the memory of reading the files/.test(l)), cold.lines.join('\n'));
    assert.ok(cold.lines.some((l) => /released the memory of building retrieval/.test(l)), cold.lines.join('\n'));
    assert.ok(!warm.lines.some((l) => /released the memory of/.test(l)), warm.lines.join('\n'));
  });

  it('warms its search lists in the background after the start, and answers the same warmed or not', async () => {
    const first = await start();
    const warmed = await start({}, true);
    assert.ok(warmed.lines.some((l) => /^warmed the search lists in \d+ slices and primed ranking at [1-9]\d* of the workspace's call sites/.test(l)), warmed.lines.join('\n'));
    assert.deepEqual(warmed.answers, first.answers);
  });

  it('warms again after a change: the pruned sets of the scopes ranked before are built before the next keystroke asks', async () => {
    const lines: string[] = [];
    const editor: Editor = { ...consoleEditor('error'), log: (_level, message) => lines.push(message) };
    const session = new Session(editor);
    session.settings = { ...session.settings, 'rank.learnWorkspace': false };
    const ws = session.addWorkspace(root);
    const rel = 'x_acme_hr/script_includes/WarmProbeUtils.js';
    try {
      await ws.startIndexing();
      await ws.warming;
      const before = await ws.rank({ context: contextAt(POSITIONS[0]) }, 10_000);
      assert.equal(ws.pipeline.warm(0), true, 'nothing to do while nothing changed');
      await fs.mkdir(path.join(root, path.dirname(rel)), { recursive: true });
      await fs.writeFile(path.join(root, rel), 'var WarmProbeUtils = Class.create();\nWarmProbeUtils.prototype = {\n  probe: function () { return 1; },\n  type: "WarmProbeUtils"\n};\n');
      await ws.indexer.applyChanges([{ kind: 'created', path: rel }]);
      // The change dropped the pruned set of the scope ranked above; the warm-up builds it again.
      await new Promise((resolve) => setImmediate(resolve));
      await ws.warming;
      assert.ok(lines.some((l) => /^warmed again after a change in \d+ slices/.test(l)), lines.join('\n'));
      assert.equal(ws.pipeline.warm(0), true, 'the warm-up left nothing for the next keystroke');
      assert.ok([...ws.index.scriptIncludes()].some((si) => si.name === 'WarmProbeUtils'));
      assert.ok(before.candidates.length > 0);
    } finally {
      await session.dispose();
      await fs.rm(path.join(root, rel), { force: true });
    }
  });

  it('removes vectors files no snapshot names, once they are old, and keeps the one in use', async () => {
    await start();
    const cache = path.join(root, '.deepcodeseek');
    const stale = path.join(cache, 'vectors-old-1.bin');
    await fs.writeFile(stale, 'x');
    await fs.writeFile(`${stale}.json`, '{}');
    const old = new Date(Date.now() - 3_600_000);
    for (const f of [stale, `${stale}.json`]) await fs.utimes(f, old, old);
    const named = (JSON.parse(await fs.readFile(path.join(cache, 'retrieval.json'), 'utf8')) as { vectorsFile?: string }).vectorsFile;
    const again = await start();
    assert.ok(again.lines.some((l) => /restored from the cache/.test(l)));
    const names = await fs.readdir(cache);
    assert.ok(!names.includes('vectors-old-1.bin') && !names.includes('vectors-old-1.bin.json'), names.join(' '));
    assert.ok(named && names.includes(named), 'the vectors in use stay');
  });

  it('never creates a workspace folder that is not there, and says so', async () => {
    const missing = path.join(os.tmpdir(), `dcs-no-such-${process.pid}`, 'ws');
    const lines: string[] = [];
    const editor: Editor = { ...consoleEditor('error'), log: (_level, message) => lines.push(message) };
    const session = new Session(editor);
    const ws = session.addWorkspace(missing);
    await ws.startIndexing().catch(() => undefined);
    await ws.learning;
    await session.dispose();
    assert.equal((await fs.stat(path.dirname(missing)).catch(() => undefined)) === undefined, true, 'nothing was created');
    assert.ok(lines.some((l) => l.includes(missing) && /does not exist/.test(l)), lines.join('\n'));
  });
});
