/**
 * Golden files for large outputs: `index --json`, `query --json` and the demo eval table, run
 * through the real CLI on a copy of the demo workspace and normalised for paths and timings.
 * `UPDATE_GOLDEN=1 npm test` rewrites them. The README's demo table is checked against the eval
 * golden, so the numbers it shows cannot drift from the code.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { copyDemoWorkspace } from '../helpers/demo';

const REPO = path.resolve(__dirname, '..', '..', '..');
const GOLDEN = path.join(REPO, 'test', 'golden');
const CLI = path.join(REPO, 'bin', 'deepcodeseek.js');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function cli(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
}

function checkGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from its golden file (UPDATE_GOLDEN=1 npm test refreshes it after a deliberate change)`);
}

/** Removes what varies from run to run: timings, the temporary root. */
function normalise(value: unknown, root: string): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => {
    if (/^(timing|timings|ms|savedAt)$/.test(key)) return undefined;
    if (typeof v === 'string') return v.split(root).join('<root>');
    return v;
  }));
}

/** The eval table without its latency columns (the last two), the footer kept. */
function accuracyColumns(table: string): string {
  const lines = table.split('\n');
  const end = lines.indexOf('');
  return lines.map((line, i) => (i < end ? line.trim().split(/\s{2,}/).slice(0, -2).join('  ') : line)).join('\n');
}

describe('golden files: the demo workspace through the CLI', function () {
  this.timeout(240_000);
  let root: string;
  before(async () => {
    root = await copyDemoWorkspace('dcs-golden-');
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  it('index --json', () => {
    const report = JSON.parse(cli(['index', '--workspace', root, '--json', '--no-cache']));
    checkGolden('demo-index.json', JSON.stringify(normalise(report, root), null, 2) + '\n');
  });

  it('query --json', () => {
    const file = path.join('scriptsync', 'acmedev', 'global', 'sys_script', 'golden_probe.script.js');
    const text = "(function executeRule(current, previous) {\n  // close the incident and its child tasks\n  var gr = new GlideRecord('incident');\n  var helper = new \n})(current, previous);\n";
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
    const out = JSON.parse(cli(['query', '--workspace', root, '--file', file, '--line', '3', '--character', '19', '--json'])) as { candidates: Array<{ apiName: string; method?: string }> };
    // What a user sees: the ranked names and methods (scores vary in their last digits across machines).
    const ranked = out.candidates.slice(0, 10).map((c) => `${c.apiName}${c.method ? `#${c.method}` : ''}`);
    checkGolden('demo-query.json', JSON.stringify(ranked, null, 2) + '\n');
  });

  it('the eval table, and the README shows the same numbers', () => {
    const cases = path.join(root, 'cases.jsonl');
    cli(['cases', '--workspace', root, '--out', cases]);
    const table = accuracyColumns(cli(['eval', '--workspace', root, '--cases', cases]));
    checkGolden('demo-eval.txt', table);
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('Demo workspace ('), readme.indexOf('\n\n', readme.indexOf('| pipeline | typed', readme.indexOf('Demo workspace ('))));
    const rows = section.split('\n').filter((l) => /^\| (bm25|retrieval|full)/.test(l));
    assert.ok(rows.length >= 4, 'the README has the demo table');
    for (const row of rows) {
      const [pipeline, typed, top1, top5, top10, top40, mrr] = row.split('|').slice(1, -1).map((c) => c.trim().replace(/\*/g, ''));
      const name = pipeline.split(' ')[0];
      const line = table.split('\n').find((l) => l.startsWith(`${name} `) && l.split(/\s+/)[1] === typed);
      assert.ok(line, `${name} typed ${typed} is in the eval table`);
      const cells = line.split(/\s+/);
      const pct = (x: string) => x.replace(/\.0%$/, '%');
      assert.deepEqual([top1, top5, top10, top40, mrr].map(pct), [cells[3], cells[4], cells[5], cells[6], cells[9]].map(pct), `README row '${row}' against '${line}'`);
    }
  });
});
