import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { consoleEditor, Editor } from '../../server/src/editor';
import { EvalWorkspace } from '../../server/src/eval/pipelines';
import { ApiIndex } from '../../server/src/index/api-index';
import { Indexer } from '../../server/src/index/indexer';
import { defaultSettings } from '../../server/src/config';
import { buildCases, EvalCase } from '../../server/src/rank/cases';
import { clearlyBetter, isHeldBack, learnRanking, LearnedRanking, rankingFromJson } from '../../server/src/rank/learn';
import { caseRequest } from '../../server/src/rank/case-request';
import { CompactReranker, SHIPPED_COMPACT, SHIPPED_WEIGHTS } from '../../server/src/rerank/reranker';
import { exportMlpToOnnx, mlpFromJson } from '../../server/src/rerank/mlp';
import { FUSION, fusedScore } from '../../server/src/retrieval/pipeline';
import { CandidateTable, RowSlabs } from '../../server/src/rank/candidate-table';
import { SERVING_RANK_OPTIONS } from '../../server/src/rank/ranker';
import { mulberry32 } from '../../server/src/random';
import { Session } from '../../server/src/session';

describe('rank/learn: learning the workspace', function () {
  this.timeout(120_000);
  let root: string;
  let index: ApiIndex;
  let ws: EvalWorkspace;
  let cases: EvalCase[];
  let reranker: CompactReranker;
  let learned: LearnedRanking | undefined;

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-learn-'));
    await writeShapedWorkspace(root);
    index = new ApiIndex();
    await new Indexer(index, { root, settings: defaultSettings(), editor: consoleEditor('error'), persist: false }).indexAll();
    ws = new EvalWorkspace(index);
    cases = (await buildCases(root, index, { limit: 300 })).cases;
    const loaded = await CompactReranker.load(SHIPPED_COMPACT, 'compact-reranker');
    assert.ok(loaded.ok);
    if (loaded.ok) reranker = loaded.reranker;
    learned = await learnRanking({ pipeline: ws.pipeline, reranker }, cases);
  });
  after(async () => {
    ws.dispose();
    await reranker.release();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps each case\'s candidates as rows that score and read back exactly as the pipeline made them', () => {
    // Slabs of 1,050 values: a few cases' tables each, so tables start in fresh slabs as learning's do.
    const slabs = new RowSlabs(1050);
    const tables: Array<{ table: CandidateTable; scores: number[] }> = [];
    const other = { ...FUSION, usage: FUSION.usage * 4, holeAffinity: 0, k: 20 };
    for (const c of cases.slice(0, 40)) {
      const out = ws.pipeline.rank({ ...caseRequest(c, '', SERVING_RANK_OPTIONS), maxResults: 100_000, methods: false });
      const sis = out.details.filter((d) => d.ref.si);
      const table = CandidateTable.of(sis, slabs);
      tables.push({ table, scores: sis.map((d) => fusedScore(d.evidence, FUSION, true)) });
      assert.equal(table.size, sis.length);
      sis.forEach((d, i) => {
        for (const w of [FUSION, other]) for (const priors of [true, false]) assert.equal(table.score(i, w, priors), fusedScore(d.evidence, w, priors));
        const s = table.score(i, other, true);
        d.candidate.score = s;
        d.candidate.stages.fused = { score: s, rank: i + 1 };
        assert.deepEqual(table.detail(i, s, i + 1), d);
      });
    }
    // Tables written later never overwrote earlier ones in the shared slabs.
    for (const { table, scores } of tables) assert.deepEqual(scores.map((_, i) => table.score(i, FUSION, true)), scores);
    assert.ok(tables.length > 6);
  });

  it('fits on some of the cases and judges on the others', () => {
    assert.ok(learned);
    const held = cases.filter((c) => isHeldBack(c.id)).length;
    assert.equal(learned.heldBack.learned.cases, held);
    assert.equal(learned.fitCases, cases.length - held);
    assert.ok(held > 20 && learned.fitCases > 2 * held * 0.8, `${learned.fitCases} fitted, ${held} held back`);
  });

  it("keeps what it learned only when it beats the shipped weights on the held-back cases", () => {
    assert.ok(learned);
    const { defaults, learned: mine } = learned.heldBack;
    if (learned.kept) assert.ok(mine.mrr > defaults.mrr + 0.005, JSON.stringify(learned.heldBack));
    // In this workspace the shape of the code before a call says more than the shipped weights hear.
    assert.equal(learned.kept, true, JSON.stringify(learned.heldBack));
    assert.notDeepEqual(learned.weights, FUSION);
    assert.ok(learned.rerankWeight >= 0 && learned.rerankWeight <= 1);
  });

  it('calls a gain real only when it is more than chance on the held-back cases', () => {
    const base = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 1 : 0.25));
    assert.equal(clearlyBetter(base.map((x) => Math.min(1, x + 0.1)), base, 0.005), true, 'a steady gain');
    assert.equal(clearlyBetter(base, base, 0.005), false, 'no gain');
    // The same mean gain from a handful of lucky cases among few is not enough.
    const few = [1, 0.5, 0.25, 0.2, 0.5, 1, 0.33, 0.25];
    const lucky = few.map((x, i) => (i === 0 ? x : i === 1 ? 1 : x));
    assert.equal(clearlyBetter(lucky, few, 0.005), false);
  });

  it('never takes weights that push a fitted answer out of the top 40', () => {
    assert.ok(learned);
    const within40 = (weights: typeof FUSION) => {
      const saved = ws.pipeline.weights;
      ws.pipeline.weights = weights;
      try {
        return cases
          .filter((c) => !isHeldBack(c.id))
          .filter((c) => {
            const out = ws.pipeline.rank({ ...caseRequest(c, ''), maxResults: 100_000, methods: false });
            const sis = out.details.filter((d) => d.ref.si).map((d) => d.candidate.apiName);
            const at = sis.indexOf(c.expected.apiName ?? c.expected.scriptInclude);
            return at >= 0 && at < 40;
          }).length;
      } finally {
        ws.pipeline.weights = saved;
      }
    };
    assert.ok(within40(learned.weights) >= within40(FUSION));
  });

  it('leaves the pipeline with the weights it had', () => {
    assert.deepEqual(ws.pipeline.weights, FUSION);
  });

  it('learns nothing from too few cases, and stops when cancelled', async () => {
    assert.equal(await learnRanking({ pipeline: ws.pipeline, reranker }, cases.slice(0, 8)), undefined);
    assert.equal(await learnRanking({ pipeline: ws.pipeline, reranker }, cases, { token: { isCancellationRequested: true } }), undefined);
  });

  it('gives way before each step of its work, and learns the same either way', async () => {
    const some = cases.slice(0, 80);
    const plain = await learnRanking({ pipeline: ws.pipeline, reranker }, some);
    const rank = ws.pipeline.rank;
    let searches = 0;
    ws.pipeline.rank = (req) => {
      searches++;
      return rank.call(ws.pipeline, req);
    };
    try {
      let open!: () => void;
      const quiet = new Promise<void>((resolve) => (open = resolve));
      let waits = 0;
      const learning = learnRanking({ pipeline: ws.pipeline, reranker }, some, {
        yieldTo: async () => {
          waits++;
          await quiet;
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(searches, 0, 'nothing is searched until the editor goes quiet');
      open();
      assert.deepEqual(await learning, plain);
      assert.equal(searches, some.length);
      assert.ok(waits >= some.length, `${waits} waits for ${some.length} cases`);
    } finally {
      ws.pipeline.rank = rank;
    }
  });

  it('reads back from the cache only what was learned on the same files, with the same reranker, within bounds', () => {
    assert.ok(learned);
    const saved = JSON.parse(JSON.stringify({ ...learned, signature: 'abc', reranker: 'compact-reranker' }));
    assert.deepEqual(rankingFromJson(saved, 'abc', 'compact-reranker'), learned);
    assert.equal(rankingFromJson(saved, 'other', 'compact-reranker'), undefined);
    assert.equal(rankingFromJson(saved, 'abc', 'another-model'), undefined);
    assert.equal(rankingFromJson({ ...saved, weights: { ...saved.weights, usage: 1e9 } }, 'abc', 'compact-reranker'), undefined);
    assert.equal(rankingFromJson({ ...saved, rerankWeight: -1 }, 'abc', 'compact-reranker'), undefined);
    assert.equal(rankingFromJson('not json', 'abc', 'compact-reranker'), undefined);
  });

  it('a server learns after indexing, ranks with what it kept, says so, and restores it from the cache', async () => {
    const start = async (settings: Record<string, unknown> = {}) => {
      const lines: string[] = [];
      const editor: Editor = { ...consoleEditor('error'), log: (_level, message) => lines.push(message) };
      const session = new Session(editor);
      session.settings = { ...session.settings, ...settings };
      const w = session.addWorkspace(root);
      await w.startIndexing();
      await w.learning;
      return { session, w, lines };
    };
    const first = await start();
    const line = first.lines.find((l) => l.startsWith('ranking:'));
    assert.match(line ?? '', /ranking: learned on this workspace(, reranker fine-tuned)? \(held-back MRR [\d.]+ -> [\d.]+/);
    assert.deepEqual(first.w.pipeline.weights, first.w.learned?.weights);
    const out = await first.w.rank({ context: { ...emptyContext(), kind: 'new' } });
    assert.ok(out.trace.some((t) => /ranking weights learned on this workspace/.test(t)), out.trace.join('\n'));
    await first.session.dispose();

    const second = await start();
    assert.match(second.lines.find((l) => l.startsWith('ranking:')) ?? '', /from the cache/);
    await second.session.dispose();

    const off = await start({ 'rank.learnWorkspace': false });
    assert.equal(off.lines.find((l) => l.startsWith('ranking:')), undefined);
    assert.deepEqual(off.w.pipeline.weights, FUSION);
    await off.session.dispose();
  });
});

function emptyContext() {
  return { recordType: 'sys_script', side: 'server' as const, scope: 'global', typed: '', replaceStart: 0, replaceEnd: 0, identifiers: [], callsBefore: [], callsAfter: [], strings: [], comments: ['close the incident'], glideApis: [], tables: ['incident'], linesBefore: ['var u = new '], suffix: '' };
}

/**
 * A workspace whose habits the shipped weights do not know: helper functions called all over,
 * each always into a variable named in its own way (`grTask = GetRecord(`, `nUser =
 * GetIntegerValue(`), under a comment that names another helper's type. The shipped weights
 * believe the comment; learning should find the shape instead.
 */
async function writeShapedWorkspace(root: string): Promise<void> {
  const helpers: Array<[string, string]> = [
    ['GetRecord', 'gr'], ['GetIntegerValue', 'n'], ['GetStringValue', 'str'], ['GetArrayValue', 'a'],
    ['GetBooleanValue', 'b'], ['GetObjectValue', 'o'], ['GetDateValue', 'dt'], ['GetFloatValue', 'f'],
  ];
  const kinds = ['record', 'integer', 'string', 'array', 'boolean', 'object', 'date', 'float'];
  const words = ['task', 'user', 'group', 'item', 'request', 'change', 'asset', 'record', 'entry', 'value'];
  await fs.mkdir(path.join(root, 'si'), { recursive: true });
  await fs.mkdir(path.join(root, 'callers'), { recursive: true });
  for (const [h] of helpers) await fs.writeFile(path.join(root, 'si', `${h}.js`), `function ${h}(value, fallback) {\n  // converts the value\n  return value === undefined ? fallback : value;\n}\n`);
  const rand = mulberry32(11);
  for (let f = 0; f < 120; f++) {
    const lines = [`function Caller${f}(input) {`];
    for (let k = 0; k < 6; k++) {
      const i = Math.floor(rand() * helpers.length);
      const [h, prefix] = helpers[i];
      const w = words[Math.floor(rand() * words.length)];
      // This workspace's comments are stale: each names the type of the next helper along.
      lines.push(`  // the ${kinds[(i + 1) % kinds.length]} of the ${w}`);
      // The type is marked after the word (`taskB0`): a one-letter mark is no word of its own.
      lines.push(`  var ${w}${prefix[0].toUpperCase()}${prefix.slice(1)}${k} = ${h}(input.${w});`);
    }
    lines.push('  return input;', '}');
    await fs.writeFile(path.join(root, 'callers', `Caller${f}.js`), lines.join('\n') + '\n');
  }
}

describe('rank/learn: what learning is keyed to', () => {
  it('a compact reranker is known by its bytes, not only its name', async () => {
    const shipped = readFileSync(SHIPPED_COMPACT);
    const weights = mlpFromJson(readFileSync(SHIPPED_WEIGHTS, 'utf8'));
    assert.ok(weights.ok);
    const retrained = weights.model;
    retrained.b3 += 1;
    const [a, b, c] = await Promise.all([
      CompactReranker.load(SHIPPED_COMPACT, 'compact-reranker (shipped)'),
      CompactReranker.load(new Uint8Array(shipped), 'compact-reranker (shipped)'),
      CompactReranker.load(exportMlpToOnnx(retrained), 'compact-reranker (shipped)'),
    ]);
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.reranker.identity, b.reranker.identity);
    assert.notEqual(a.reranker.identity, c.reranker.identity);
    assert.ok(a.reranker.identity.startsWith('compact-reranker (shipped)'));
    for (const r of [a, b, c]) await r.reranker.release();
  });
});
