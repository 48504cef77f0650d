import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CrossEncoder, assembleQwenSequence, detectContract, loadCrossEncoder } from '../../server/src/rerank/cross-encoder';
import { ValueInfo } from '../../server/src/onnx/onnx-session';
import { CancelledError } from '../../server/src/rerank/types';
import {
  BERT_WORDS,
  QWEN_WORDS,
  bertReference,
  bertTokenizerJson,
  qwenReference,
  qwenTokenizerJson,
  tempDir,
  tinyBertModel,
  tinyQwenModel,
  writeModelDir,
} from './tiny-models';

const QUERY = 'get the manager of a user';
const DOCS = [
  'hr utils returns the manager',
  'incident',
  'approval task record table query script include glide ajax returns the manager of a user',
  'hr utils',
  'table',
];

function closeArrays(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  assert.strictEqual(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
}

async function mustLoad(opts: Parameters<typeof loadCrossEncoder>[0]): Promise<CrossEncoder> {
  const r = await loadCrossEncoder(opts);
  if (!r.ok) assert.fail(r.error);
  return r.encoder;
}

describe('cross-encoder: BERT-style contract', () => {
  const bert = tinyBertModel();
  const modelPath = writeModelDir('bert', bert.bytes, bertTokenizerJson());

  it('detects the contract and scores every pair like the reference computation', async () => {
    const enc = await mustLoad({ modelPath });
    assert.strictEqual(enc.kind, 'cross-encoder');
    const sequences = enc.encode(QUERY, DOCS);
    const first = sequences[0];
    assert.deepStrictEqual(first.ids.slice(0, 1), [BERT_WORDS.indexOf('[CLS]')]);
    assert.strictEqual(first.ids[first.ids.length - 1], BERT_WORDS.indexOf('[SEP]'));
    assert.ok(first.typeIds!.includes(1), 'the document half carries type id 1');
    const scores = await enc.score(QUERY, DOCS);
    closeArrays(scores, sequences.map((s) => bertReference(bert, s.ids, s.typeIds!)));
    await enc.release();
  });

  it('gives the same scores with batch size 1 and 8 (padding does not leak)', async () => {
    const one = await mustLoad({ modelPath, batchSize: 1 });
    const eight = await mustLoad({ modelPath, batchSize: 8 });
    closeArrays(await one.score(QUERY, DOCS), await eight.score(QUERY, DOCS));
    await one.release();
    await eight.release();
  });

  it('truncates the document, not the query, to the maximum length', async () => {
    const enc = await mustLoad({ modelPath, maxLength: 12 });
    const longDoc = Array.from({ length: 40 }, () => 'incident record').join(' ');
    const [seq] = enc.encode(QUERY, [longDoc]);
    assert.strictEqual(seq.ids.length, 12);
    const queryIds = ['get', 'the', 'manager', 'of', 'a', 'user'].map((w) => BERT_WORDS.indexOf(w));
    assert.deepStrictEqual(seq.ids.slice(1, 1 + queryIds.length), queryIds);
    assert.strictEqual(seq.ids[seq.ids.length - 1], BERT_WORDS.indexOf('[SEP]'));
    const [score] = await enc.score(QUERY, [longDoc]);
    assert.ok(Math.abs(score - bertReference(bert, seq.ids, seq.typeIds!)) < 1e-5);
    await enc.release();
  });

  it('refuses a forced qwen3-reranker kind on a classifier', async () => {
    const r = await loadCrossEncoder({ modelPath, kind: 'qwen3-reranker' });
    assert.strictEqual(r.ok, false);
    if (!r.ok) assert.match(r.error, /classifier/);
  });

  it('returns an error value for a missing tokenizer and a missing model', async () => {
    const dir = tempDir('bert-no-tok');
    const lonely = path.join(dir, 'model.onnx');
    fs.writeFileSync(lonely, bert.bytes);
    const noTok = await loadCrossEncoder({ modelPath: lonely });
    assert.deepStrictEqual(noTok, { ok: false, error: `cross-encoder tokenizer not found: ${path.join(dir, 'tokenizer.json')}` });
    const noModel = await loadCrossEncoder({ modelPath: path.join(dir, 'absent.onnx'), tokenizerPath: modelPath.replace('model.onnx', 'tokenizer.json') });
    assert.strictEqual(noModel.ok, false);
    if (!noModel.ok) assert.strictEqual(noModel.error, `cross-encoder model not found: ${path.join(dir, 'absent.onnx')}`);
  });

  it('returns an error value for a tokenizer that is not JSON', async () => {
    const dir = tempDir('bert-bad-tok');
    const p = path.join(dir, 'model.onnx');
    fs.writeFileSync(p, bert.bytes);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), 'root:x:0:0:SECRET-LINE:/root:/bin/bash\n');
    const r = await loadCrossEncoder({ modelPath: p });
    assert.strictEqual(r.ok, false);
    if (!r.ok) {
      assert.match(r.error, /^cross-encoder tokenizer .*tokenizer\.json is not valid JSON$/);
      assert.doesNotMatch(r.error, /SECRET|root:x/, 'an error names the file, never its content');
    }
    // A huge file is refused before it is read.
    fs.truncateSync(path.join(dir, 'tokenizer.json'), 65 * 1024 * 1024);
    const huge = await loadCrossEncoder({ modelPath: p });
    assert.ok(!huge.ok && /more than .*not read/.test(huge.error), huge.ok ? '' : huge.error);
  });

  it('stops between batches when cancelled', async () => {
    const enc = await mustLoad({ modelPath, batchSize: 1 });
    await assert.rejects(enc.score(QUERY, DOCS, { isCancellationRequested: true }), CancelledError);
    await enc.release();
  });
});

describe('cross-encoder: Qwen3-Reranker-style contract', () => {
  const qwen = tinyQwenModel();
  const modelPath = writeModelDir('qwen', qwen.bytes, qwenTokenizerJson());

  it('detects a causal LM, builds the chat prompt and scores log p(yes) at the last real token', async () => {
    const enc = await mustLoad({ modelPath });
    assert.strictEqual(enc.kind, 'qwen3-reranker');
    const sequences = enc.encode(QUERY, DOCS);
    const id = (w: string): number => QWEN_WORDS.indexOf(w);
    const seq = sequences[0].ids;
    assert.strictEqual(seq[0], id('<|im_start|>'));
    assert.strictEqual(seq[1], id('system'));
    // the assistant turn opens with an empty think block: ... <|im_start|> assistant < think > </ think >
    assert.deepStrictEqual(seq.slice(-8), [id('<|im_start|>'), id('assistant'), id('<'), id('think'), id('>'), id('</'), id('think'), id('>')]);
    assert.ok(seq.includes(id('manager')) && seq.includes(id('hr')), 'query and document words are in the prompt');
    const scores = await enc.score(QUERY, DOCS);
    closeArrays(scores, sequences.map((s) => qwenReference(qwen, s.ids)));
    for (const s of scores) assert.ok(s < 0, 'a log-probability');
    await enc.release();
  });

  it('is independent of batch size and of the padding a batch brings', async () => {
    const one = await mustLoad({ modelPath, batchSize: 1 });
    const eight = await mustLoad({ modelPath, batchSize: 8 });
    const alone = await one.score(QUERY, [DOCS[1]]);
    const batched = await eight.score(QUERY, DOCS);
    closeArrays(await one.score(QUERY, DOCS), batched);
    assert.ok(Math.abs(alone[0] - batched[1]) < 1e-5);
    await one.release();
    await eight.release();
  });

  it('truncates the document and keeps query and template within the maximum length', async () => {
    const full = await mustLoad({ modelPath, maxLength: 4096 });
    const [reference] = full.encode(QUERY, ['x']);
    const templateAndQuery = reference.ids.length - 1;
    const maxLength = templateAndQuery + 10;
    const enc = await mustLoad({ modelPath, maxLength });
    const longDoc = Array.from({ length: 50 }, () => 'incident record').join(' ');
    const [seq] = enc.encode(QUERY, [longDoc]);
    assert.strictEqual(seq.ids.length, maxLength);
    const id = (w: string): number => QWEN_WORDS.indexOf(w);
    assert.strictEqual(seq.ids.filter((t) => t === id('incident')).length + seq.ids.filter((t) => t === id('record')).length, 10);
    assert.ok(seq.ids.includes(id('manager')), 'the query survives');
    assert.deepStrictEqual(seq.ids.slice(-3), reference.ids.slice(-3));
    const [score] = await enc.score(QUERY, [longDoc]);
    assert.ok(Math.abs(score - qwenReference(qwen, seq.ids)) < 1e-5);
    await full.release();
    await enc.release();
  });

  it('refuses a tokenizer without "yes"/"no" tokens', async () => {
    const p = writeModelDir('qwen-noyes', qwen.bytes, qwenTokenizerJson(false));
    const r = await loadCrossEncoder({ modelPath: p, warmUp: false });
    assert.strictEqual(r.ok, false);
    if (!r.ok) assert.match(r.error, /"yes"\/"no"/);
  });

  it('refuses a forced cross-encoder kind on a causal LM', async () => {
    const r = await loadCrossEncoder({ modelPath, kind: 'cross-encoder' });
    assert.strictEqual(r.ok, false);
    if (!r.ok) assert.match(r.error, /causal LM/);
  });
});

describe('cross-encoder: qwen3 prompt assembly', () => {
  const t = { head: [1, 1], mid: [2], tail: [3, 3] };
  it('cuts a long query only as far as leaves the document a few tokens', () => {
    const query = Array.from({ length: 30 }, () => 7);
    const doc = Array.from({ length: 30 }, () => 9);
    const seq = assembleQwenSequence(t, query, doc, 25);
    assert.strictEqual(seq.length, 25);
    assert.strictEqual(seq.filter((x) => x === 9).length, 8);
    assert.strictEqual(seq.filter((x) => x === 7).length, 12);
    assert.deepStrictEqual(seq.slice(-2), [3, 3]);
  });
  it('keeps everything when it fits', () => {
    assert.deepStrictEqual(assembleQwenSequence(t, [7], [9, 9], 100), [1, 1, 7, 2, 9, 9, 3, 3]);
  });
});

describe('cross-encoder: contract detection', () => {
  const ids = (extra: string[] = []): ValueInfo[] =>
    ['input_ids', 'attention_mask', ...extra].map((name) => ({ name, type: 'int64', shape: ['b', 't'] }));
  const out = (shape: (number | string)[]): ValueInfo[] => [{ name: 'logits', type: 'float32', shape }];
  const base = { requested: 'auto' as const, architectures: [] as string[], hasToken: () => false };

  it('reads the logits rank first', () => {
    assert.deepStrictEqual(detectContract({ ...base, inputs: ids(), outputs: out(['b', 't', 100]) }), { ok: true, kind: 'qwen3-reranker' });
    assert.deepStrictEqual(detectContract({ ...base, inputs: ids(['position_ids']), outputs: out(['b', 1]) }), { ok: true, kind: 'cross-encoder' });
  });

  it('falls back to the architecture, the inputs and the chat tokens when the rank is unknown', () => {
    assert.deepStrictEqual(detectContract({ ...base, inputs: ids(), outputs: out([]), architectures: ['Qwen3ForCausalLM'] }), { ok: true, kind: 'qwen3-reranker' });
    assert.deepStrictEqual(detectContract({ ...base, inputs: ids(), outputs: out([]), architectures: ['BertForSequenceClassification'] }), { ok: true, kind: 'cross-encoder' });
    assert.deepStrictEqual(detectContract({ ...base, inputs: ids(['token_type_ids']), outputs: out([]) }), { ok: true, kind: 'cross-encoder' });
    assert.deepStrictEqual(detectContract({ ...base, inputs: ids(['past_key_values.0.key']), outputs: out([]) }), { ok: true, kind: 'qwen3-reranker' });
    assert.deepStrictEqual(detectContract({ ...base, inputs: ids(), outputs: out([]), hasToken: () => true }), { ok: true, kind: 'qwen3-reranker' });
  });

  it('refuses a model without input_ids', () => {
    const r = detectContract({ ...base, inputs: [{ name: 'features', type: 'float32', shape: ['n', 4] }], outputs: out(['n']) });
    assert.strictEqual(r.ok, false);
  });
});
