import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { consoleEditor, Editor } from '../../server/src/editor';
import { EvalWorkspace } from '../../server/src/eval/pipelines';
import { ApiIndex } from '../../server/src/index/api-index';
import { Indexer } from '../../server/src/index/indexer';
import { defaultSettings } from '../../server/src/config';
import { buildCases, EvalCase } from '../../server/src/rank/cases';
import { isHeldBack, learnRanking, LearnedRanking, rankingFromJson } from '../../server/src/rank/learn';
import { CompactReranker, SHIPPED_COMPACT } from '../../server/src/rerank/reranker';
import { FUSION } from '../../server/src/retrieval/pipeline';
import { generateInstance } from '../../server/src/training/synth';
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
    await generateInstance({ outDir: root, scriptIncludes: 150, seed: 3 });
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
    assert.equal(learned.kept, mine.mrr > defaults.mrr + 0.005);
    // On this instance the workspace's own call sites say more than the shipped weights.
    assert.equal(learned.kept, true, JSON.stringify(learned.heldBack));
    assert.notDeepEqual(learned.weights, FUSION);
    assert.ok(learned.rerankWeight >= 0 && learned.rerankWeight <= 1);
  });

  it('leaves the pipeline with the weights it had', () => {
    assert.deepEqual(ws.pipeline.weights, FUSION);
  });

  it('learns nothing from too few cases, and stops when cancelled', async () => {
    assert.equal(await learnRanking({ pipeline: ws.pipeline, reranker }, cases.slice(0, 8)), undefined);
    assert.equal(await learnRanking({ pipeline: ws.pipeline, reranker }, cases, { token: { isCancellationRequested: true } }), undefined);
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
    assert.match(line ?? '', /ranking: learned on this workspace \(held-back MRR [\d.]+ -> [\d.]+/);
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
  return { recordType: 'sys_script', side: 'server' as const, scope: 'global', typed: '', replaceStart: 0, replaceEnd: 0, identifiers: [], strings: [], comments: ['close the incident'], glideApis: [], tables: ['incident'], linesBefore: ['var u = new '], suffix: '' };
}
