import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatReport, writeReport } from '../../server/src/eval/report';
import { runEval, typedText } from '../../server/src/eval/runner';
import { EvalAnswer, EvalCase, EvalPipeline } from '../../server/src/eval/types';

const CASES: EvalCase[] = [
  { id: 'c1', prefix: 'var u = new ', expected: { scriptInclude: 'HRUtils', apiName: 'x_hr.HRUtils', method: 'getManager' } },
  { id: 'c2', prefix: "var ga = new GlideAjax('", expected: { scriptInclude: 'HRAjax', apiName: 'x_hr.HRAjax', method: 'getName' } },
  { id: 'c3', prefix: 'var n = ', expected: { scriptInclude: 'PayrollCalc', apiName: 'x_hr.PayrollCalc' } },
  { id: 'c4', prefix: 'x = ', expected: { scriptInclude: 'DateHelper', apiName: 'x_hr.DateHelper' } },
];

const ALL = ['x_hr.HRUtils', 'x_hr.HRAjax', 'x_hr.PayrollCalc', 'x_hr.DateHelper'];

/**
 * A test double of a pipeline: always answers in the same fixed order with method `getManager`
 * for everything, filtered by what was typed. It records what it was given.
 */
function fakePipeline(log: string[]): EvalPipeline {
  let prepared = false;
  return {
    name: 'fake',
    async prepare() {
      log.push('prepare');
      prepared = true;
    },
    async answer(c: EvalCase, typed: string): Promise<EvalAnswer> {
      assert.ok(prepared, 'answer before prepare');
      log.push(`${c.id}:${typed}:${c.prefix}`);
      const list = ALL.filter((a) => a.split('.')[1].toLowerCase().startsWith(typed.toLowerCase()));
      return { scriptIncludes: list, methods: list.map(() => 'getManager') };
    },
  };
}

describe('eval runner and report', () => {
  it('passes typed characters beside the case and never changes the prefix', () => {
    assert.strictEqual(typedText(CASES[0], 0), '');
    assert.strictEqual(typedText(CASES[0], 2), 'HR');
    assert.strictEqual(typedText(CASES[0], 99), 'HRUtils');
  });

  it('prepares once, warms up untimed, then runs each typed setting', async () => {
    const log: string[] = [];
    const report = await runEval([fakePipeline(log)], CASES, { typedChars: [0, 2], warmup: 2 });
    assert.strictEqual(log[0], 'prepare');
    assert.strictEqual(log.filter((l) => l === 'prepare').length, 1);
    // 2 warm-up answers + 4 cases x 2 settings.
    assert.strictEqual(log.length, 1 + 2 + 8);
    assert.ok(log.includes('c2:HR:' + CASES[1].prefix));
    assert.ok(log.includes('c3::var n = '));
    assert.deepStrictEqual(report.rows.map((r) => [r.pipeline, r.typedChars]), [['fake', 0], ['fake', 2]]);

    const [zero, two] = report.rows.map((r) => r.metrics);
    // Typed 0: ranks 1, 2, 3, 4; the method (always getManager) is right for c1 only.
    assert.strictEqual(zero.top1, 1 / 4);
    assert.strictEqual(zero.top5, 1);
    assert.ok(Math.abs(zero.mrr - (1 + 1 / 2 + 1 / 3 + 1 / 4) / 4) < 1e-12);
    assert.strictEqual(zero.methodCases, 2);
    assert.strictEqual(zero.methodTop1, 1 / 2);
    // Typed 2 ("HR", "HR", "Pa", "Da"): ranks 1, 2, 1, 1.
    assert.strictEqual(two.top1, 3 / 4);
    assert.ok(two.p50Ms >= 0 && two.p95Ms >= two.p50Ms);
  });

  it('counts a failing pipeline per case instead of failing the run', async () => {
    const broken: EvalPipeline = {
      name: 'broken',
      async answer(c) {
        if (c.id === 'c2') throw new Error('index gone');
        return { scriptIncludes: [c.expected.apiName ?? ''] };
      },
    };
    const unprepared: EvalPipeline = {
      name: 'unprepared',
      async prepare() {
        throw new Error('no model');
      },
      async answer() {
        return { scriptIncludes: ALL };
      },
    };
    const report = await runEval([broken, unprepared], CASES, { typedChars: [0], warmup: 1, perCase: true });
    const [b, u] = report.rows;
    assert.strictEqual(b.metrics.errors, 1);
    assert.strictEqual(b.metrics.top1, 3 / 4);
    assert.strictEqual(b.firstError, 'index gone');
    assert.strictEqual(b.results?.find((r) => r.id === 'c2')?.rank, null);
    assert.strictEqual(u.metrics.errors, 4);
    assert.match(u.firstError ?? '', /prepare failed: no model/);
  });

  it('prints one row per pipeline and typed setting', async () => {
    const report = await runEval([fakePipeline([])], CASES, { typedChars: [0, 2], warmup: 0 });
    const text = formatReport(report);
    const lines = text.split('\n');
    assert.deepStrictEqual(lines[0].split(/\s{2,}/), ['pipeline', 'typed', 'cases', 'top1', 'top5', 'top10', 'top40', 'm@1', 'm@5', 'MRR', 'p50 ms', 'p95 ms']);
    const rows = lines.filter((l) => l.startsWith('fake')).map((l) => l.split(/\s+/));
    assert.strictEqual(rows.length, 2);
    assert.deepStrictEqual(rows[0].slice(0, 10), ['fake', '0', '4', '25.0%', '100.0%', '100.0%', '100.0%', '50.0%', '50.0%', '0.521']);
    assert.deepStrictEqual(rows[1].slice(0, 4), ['fake', '2', '4', '75.0%']);
    assert.match(text, /4 cases, 2 with an expected method/);
  });

  it('writes the report object as JSON', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-report-'));
    try {
      const report = await runEval([fakePipeline([])], CASES, { typedChars: [0], warmup: 0 });
      const file = path.join(dir, 'report.json');
      await writeReport(file, report);
      assert.deepStrictEqual(JSON.parse(fs.readFileSync(file, 'utf8')), report);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
