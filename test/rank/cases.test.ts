import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiIndex } from '../../server/src/index/api-index';
import { parseJavaScript } from '../../server/src/syntax/parser';
import {
  buildCases,
  BuildCasesResult,
  caseFromSite,
  containsLeak,
  dedupeCases,
  parseCases,
  PLACEHOLDER,
  readCases,
  sampleCases,
  scrub,
  statementEnd,
  writeCases,
} from '../../server/src/rank/cases';
import { EvalCase } from '../../server/src/eval/types';
import { callSite, scriptInclude } from '../helpers/entries';
import { FIXTURE, indexWorkspace, removeWorkspace, writeWorkspace } from '../eval/fixture';

const DEMO = path.resolve(__dirname, '../../../examples/demo-instance');

function byPathAndName(cases: EvalCase[], file: string, name: string): EvalCase {
  const c = cases.find((x) => x.path?.endsWith(file) && x.expected.scriptInclude === name);
  assert.ok(c, `no case for ${name} in ${file}`);
  return c;
}

describe('eval cases: building from a workspace', () => {
  let root: string;
  let index: ApiIndex;
  let built: BuildCasesResult;

  before(async () => {
    root = writeWorkspace(FIXTURE);
    index = await indexWorkspace(root);
    built = await buildCases(root, index);
  });
  after(() => removeWorkspace(root));

  it('makes one case per resolved call site, with the expected answer, method and form', () => {
    const seen = built.cases.map((c) => `${c.form} ${c.expected.apiName} ${c.expected.method ?? '-'}`).sort();
    assert.deepStrictEqual(seen, [
      'function x_acme_hr.PayrollCalc -',
      'glide-ajax x_acme_hr.HRAjax getManagerName',
      'new x_acme_hr.HRUtils getDepartment',
      'new x_acme_hr.HRUtils getManager',
      'new x_acme_hr.HRUtils getManager',
      'static x_acme_hr.DateHelper daysBetween',
    ]);
    const c = byPathAndName(built.cases, 'show_manager.js', 'HRAjax');
    assert.strictEqual(c.side, 'client');
    assert.strictEqual(c.scope, 'x_acme_hr');
    assert.strictEqual(c.recordType, 'sys_script_client');
  });

  it('reads no file until the caller lets it go on, and builds the same cases either way', async () => {
    let open!: () => void;
    const quiet = new Promise<void>((resolve) => (open = resolve));
    let waits = 0;
    let done = false;
    const gated = buildCases(root, index, {
      yieldTo: async () => {
        waits++;
        await quiet;
      },
    }).then((r) => ((done = true), r));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.strictEqual(done, false);
    assert.strictEqual(waits, 1, 'it waits before the first file');
    open();
    assert.deepStrictEqual(await gated, built);
    assert.ok(waits >= new Set(built.cases.map((c) => c.path)).size, `${waits} waits`);
  });

  it('cuts the prefix where the answer starts, for every form', () => {
    const ends = (file: string, name: string, tail: RegExp): void => assert.match(byPathAndName(built.cases, file, name).prefix, tail, `${name} in ${file}`);
    ends('assign_manager.js', 'HRUtils', /= new $/);
    ends('show_manager.js', 'HRAjax', /new GlideAjax\('$/);
    // `new scope.` keeps the scope: it is its own completion position.
    ends('department_check.js', 'HRUtils', /if \(new x_acme_hr\.$/);
    // A static call written `scope.Name.m(` has the scope inside the hole.
    ends('net_pay.js', 'DateHelper', /var days = $/);
    ends('net_pay.js', 'PayrollCalc', /var net = $/);
  });

  it('starts the suffix after the statement that holds the call', () => {
    const ajax = byPathAndName(built.cases, 'show_manager.js', 'HRAjax');
    assert.match(ajax.suffix ?? '', /^\s*ga\.addParam\('sysparm_name', '__'\)/);
    const dept = byPathAndName(built.cases, 'department_check.js', 'HRUtils');
    // The `if` condition holds the call; its body stays as suffix, the call's arguments do not.
    assert.ok(!dept.suffix?.includes('caller_id'));
    assert.match(dept.suffix ?? '', /setAbortAction/);
  });

  it('never leaks the answer or, after the hole, the method', () => {
    assert.ok(built.cases.length > 0);
    for (const c of built.cases) assert.strictEqual(containsLeak(c), false, c.id);
    const c = byPathAndName(built.cases, 'assign_manager.js', 'HRUtils');
    // The comment and the variable named after the class are replaced, not dropped.
    assert.ok(c.prefix.startsWith(`// ${PLACEHOLDER} finds the manager`));
    assert.match(c.suffix ?? '', /var mgr = __\.__\(/);
    assert.ok(!/hrutils/i.test(c.prefix + c.suffix));
  });

  it('hides a calling Script Include from its own case', () => {
    const fromSi = byPathAndName(built.cases, 'HRAjax.js', 'HRUtils');
    assert.deepStrictEqual(fromSi.exclude, ['x_acme_hr/script_includes/HRAjax.js']);
    for (const c of built.cases.filter((x) => x !== fromSi)) assert.strictEqual(c.exclude, undefined, c.path);
  });

  it('keeps a copied caller once and says so', () => {
    const copies = built.cases.filter((c) => c.path?.includes('assign_manager'));
    assert.strictEqual(copies.length, 1);
    assert.strictEqual(built.skipped.duplicate, 1);
    // AbstractAjaxProcessor is not a Script Include of this workspace.
    assert.strictEqual(built.skipped.unresolved, 1);
  });

  it('is deterministic: same ids, same order, ids unique', async () => {
    const again = await buildCases(root, index);
    assert.deepStrictEqual(again.cases, built.cases);
    assert.strictEqual(new Set(built.cases.map((c) => c.id)).size, built.cases.length);
    const paths = built.cases.map((c) => c.path ?? '');
    assert.deepStrictEqual(paths, [...paths].sort());
  });

  it('samples a limit deterministically by seed', async () => {
    const a = await buildCases(root, index, { limit: 3, seed: 7 });
    const b = await buildCases(root, index, { limit: 3, seed: 7 });
    assert.strictEqual(a.cases.length, 3);
    assert.deepStrictEqual(a.cases.map((c) => c.id), b.cases.map((c) => c.id));
    // Sites are drawn before files are read, so what the draw left out may count sites that
    // would have given no case: at least the cases that are not there.
    assert.ok(a.skipped['sampled-out'] >= built.cases.length - 3, String(a.skipped['sampled-out']));
    const all = new Set(built.cases.map((c) => c.id));
    for (const c of a.cases) assert.ok(all.has(c.id));
  });
});

describe('eval cases: pure parts', () => {
  const clean: EvalCase = { id: 'c1', prefix: 'var x = new ', suffix: 'x.run();', expected: { scriptInclude: 'HRUtils', apiName: 'x_acme_hr.HRUtils', method: 'getManager' } };

  it('detects hand-made leaks in any case and inside longer words', () => {
    assert.strictEqual(containsLeak(clean), false);
    assert.strictEqual(containsLeak({ ...clean, prefix: 'var hrutils = new ' }), true);
    assert.strictEqual(containsLeak({ ...clean, suffix: '// see HRUtilsTest' }), true);
    assert.strictEqual(containsLeak({ ...clean, suffix: "ga.addParam('sysparm_name', 'getManager');" }), true);
    // Before the hole a method name is context, not the answer.
    assert.strictEqual(containsLeak({ ...clean, prefix: '// getManager of the caller\nvar x = new ' }), false);
  });

  it('scrubs every spelling, longest word first', () => {
    assert.strictEqual(scrub("new x_acme_hr.HRUtils(); var hrUtils; 'HRUTILSTest'", ['HRUtils', 'x_acme_hr.HRUtils']), "new __(); var __; '__Test'");
    assert.strictEqual(scrub('nothing here', []), 'nothing here');
  });

  it('ends a compound statement where its body starts', () => {
    const script = 'if (new A().ok()) {\n  doIt();\n}\nafter();\n';
    const tree = parseJavaScript(script);
    assert.strictEqual(script.slice(statementEnd(tree, script, script.indexOf('A'))), '{\n  doIt();\n}\nafter();\n');
    const plain = 'var a = new A();\nafter();\n';
    assert.strictEqual(plain.slice(statementEnd(parseJavaScript(plain), plain, plain.indexOf('A'))), '\nafter();\n');
  });

  it('refuses a site whose script does not hold the name where the site says', () => {
    const script = 'var a = new Other();\n';
    const site = callSite('HRUtils', { targetOffset: script.indexOf('Other'), scriptOffset: 8 });
    const out = caseFromSite({ site, target: scriptInclude('HRUtils'), script, tree: parseJavaScript(script) });
    assert.deepStrictEqual(out, { ok: false, reason: 'hole-not-found' });
  });

  it('keeps at most ~15 lines of suffix', () => {
    const script = `var u = new HRUtils();\n${Array.from({ length: 40 }, (_, i) => `line${i}();`).join('\n')}\n`;
    const site = callSite('HRUtils', { targetOffset: script.indexOf('HRUtils'), scriptOffset: 8 });
    const out = caseFromSite({ site, target: scriptInclude('HRUtils'), script, tree: parseJavaScript(script) });
    assert.ok(out.ok);
    const lines = (out.case.suffix ?? '').split('\n').filter((l) => l.trim());
    assert.ok(lines.length >= 14 && lines.length <= 16, `${lines.length} lines`);
    assert.ok(!out.case.suffix?.includes('line39'));
  });

  it('de-duplicates on prefix tail and answer only', () => {
    const a: EvalCase = { id: 'a', prefix: 'x'.repeat(500) + 'var u = new ', expected: { scriptInclude: 'A' } };
    const b: EvalCase = { ...a, id: 'b', prefix: 'y' + a.prefix };
    const c: EvalCase = { ...a, id: 'c', expected: { scriptInclude: 'B' } };
    const out = dedupeCases([a, b, c]);
    assert.deepStrictEqual(out.cases.map((x) => x.id), ['a', 'c']);
    assert.strictEqual(out.dropped, 1);
  });

  it('samples the same items for the same seed, in their original order', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const s1 = sampleCases(items, 10, 3);
    assert.deepStrictEqual(s1, sampleCases(items, 10, 3));
    assert.deepStrictEqual(s1, [...s1].sort((x, y) => x - y));
    assert.notDeepStrictEqual(s1, sampleCases(items, 10, 4));
    assert.deepStrictEqual(sampleCases(items, 100, 1), items);
  });
});

describe('eval cases: JSON Lines', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-cases-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips cases through a file', async () => {
    const cases: EvalCase[] = [
      { id: 'c1', prefix: "var ga = new GlideAjax('", suffix: '\n', side: 'client', expected: { scriptInclude: 'A', apiName: 'x.A', method: 'm' }, exclude: ['a.js'], form: 'glide-ajax' },
      { id: 'c2', prefix: 'new ', expected: { scriptInclude: 'B' } },
    ];
    const file = path.join(dir, 'cases.jsonl');
    await writeCases(file, cases);
    const back = await readCases(file);
    assert.deepStrictEqual(back.problems, []);
    assert.deepStrictEqual(back.cases, cases);
  });

  it('tolerates bad lines: each is a problem, the rest is read', () => {
    const text = [
      '{"id":"ok1","prefix":"new ","expected":{"scriptInclude":"A"}}',
      '{not json',
      '',
      '{"id":"x","expected":{"scriptInclude":"A"}}',
      '{"id":"y","prefix":"p","expected":{}}',
      '[1,2]',
      '{"id":"ok1","prefix":"again","expected":{"scriptInclude":"A"}}',
      '{"id":"ok2","prefix":"p","side":"moon","exclude":"a.js","expected":{"scriptInclude":"B","method":7}}',
    ].join('\n');
    const out = parseCases(text, 'cases.jsonl');
    assert.deepStrictEqual(out.cases.map((c) => c.id), ['ok1', 'ok2']);
    assert.deepStrictEqual(out.cases[1], { id: 'ok2', prefix: 'p', expected: { scriptInclude: 'B' } });
    const lines = out.problems.map((p) => /^line (\d+)/.exec(p.message)?.[1]);
    assert.deepStrictEqual(lines, ['2', '4', '5', '6', '7', '8']);
  });

  it('reports a missing file as one problem', async () => {
    const out = await readCases(path.join(dir, 'absent.jsonl'));
    assert.deepStrictEqual(out.cases, []);
    assert.strictEqual(out.problems.length, 1);
    assert.strictEqual(out.problems[0].severity, 'error');
  });
});

describe('eval cases: the demo workspace', () => {
  it('gives more than 100 cases, none leaking, every form present', async function () {
    this.timeout(60000);
    const index = await indexWorkspace(DEMO);
    const { cases } = await buildCases(DEMO, index);
    assert.ok(cases.length > 100, `${cases.length} cases`);
    assert.deepStrictEqual(cases.filter((c) => containsLeak(c)).map((c) => c.id), []);
    assert.deepStrictEqual([...new Set(cases.map((c) => c.form))].sort(), ['extends', 'function', 'glide-ajax', 'new', 'static']);
    // Cases from Script Include callers hide only the caller's own file, never the answer's.
    for (const c of cases.filter((x) => x.exclude)) {
      const answer = index.withApiName(c.expected.apiName ?? '');
      assert.ok(answer && !c.exclude?.includes(answer.path), c.id);
      // Nor a file that declares the answer (a Fluent file declaring every Script Include of the app).
      for (const p of c.exclude ?? []) assert.ok(!index.file(p)?.scriptIncludes.some((si) => si.apiName === answer.apiName), `${c.id} ${p}`);
    }
  });
});
