import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadOnnxEmbedder, OnnxEmbedder, OnnxEmbedderOptions, truncate } from '../../server/src/index/onnx-embedder';
import { EMBED_WORDS, referenceVector, tinyEmbedderModel, TinyEmbedder, writeEmbedderDir } from './tiny-embedder';

const id = (w: string) => EMBED_WORDS.indexOf(w);

async function load(opts: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
  const r = await loadOnnxEmbedder(opts);
  if (!r.ok) assert.fail(r.error);
  return r.embedder;
}

function assertClose(a: Float32Array, b: Float32Array, eps = 1e-5): void {
  assert.strictEqual(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < eps, `component ${i}: ${a[i]} vs ${b[i]}`);
}

const TEXTS = [
  'get the manager of a user',
  'hr utils',
  'assign the incident record to a group',
  'close task',
  'leave balance for a user returns the balance',
  'approval',
  'the table of the record of the task of the user of the group',
  'new hr utils manager',
  'sys_user group',
  'incident',
];

describe('onnx-embedder', () => {
  let model: TinyEmbedder;
  let modelPath: string;
  const loaded: OnnxEmbedder[] = [];
  const track = (e: OnnxEmbedder) => (loaded.push(e), e);

  before(() => {
    model = tinyEmbedderModel({ dim: 8, seed: 11 });
    modelPath = writeEmbedderDir(model);
  });
  after(async () => {
    for (const e of loaded) await e.release();
  });

  it('loads a model with the tokenizer beside it and names its space', async () => {
    const e = track(await load({ modelPath }));
    assert.strictEqual(e.dim, 8);
    assert.match(e.id, /^onnx-8-[0-9a-f]{8}$/);
    assert.strictEqual(e.maxLength, 256);
    assert.strictEqual(e.batchSize, 16);
  });

  it('tokenizes through tokenizer.json with its template', async () => {
    const e = track(await load({ modelPath }));
    assert.deepStrictEqual(e.encode('Get the MANAGER').ids, [id('[CLS]'), id('get'), id('the'), id('manager'), id('[SEP]')]);
    assert.deepStrictEqual(e.encode('get unheardof').ids, [id('[CLS]'), id('get'), id('[UNK]'), id('[SEP]')]);
  });

  it('mean-pools the token states into unit vectors that match a reference', async () => {
    const e = track(await load({ modelPath }));
    const vectors = await e.embedBatch(TEXTS);
    TEXTS.forEach((t, i) => {
      assert.ok(Math.abs(Math.hypot(...vectors[i]) - 1) < 1e-5, `unit length for "${t}"`);
      assertClose(vectors[i], referenceVector(model, e.encode(t).ids));
    });
  });

  it('gives the same vectors one at a time as in batches of eight', async () => {
    const one = track(await load({ modelPath, batchSize: 1 }));
    const eight = track(await load({ modelPath, batchSize: 8 }));
    const a = await one.embedBatch(TEXTS);
    const b = await eight.embedBatch(TEXTS);
    TEXTS.forEach((_, i) => assertClose(a[i], b[i]));
  });

  it('ignores padding: a short text padded beside a long one keeps its vector', async () => {
    const e = track(await load({ modelPath }));
    const [alone] = await e.embedBatch(['hr utils']);
    const [padded] = await e.embedBatch(['hr utils', 'the table of the record of the task of the user of the group']);
    assertClose(alone, padded);
  });

  it('cuts long texts to maxLength, keeping the closing [SEP]', async () => {
    const e = track(await load({ modelPath, maxLength: 4 }));
    const ids = e.encode('get the manager of a user').ids;
    assert.deepStrictEqual(ids, [id('[CLS]'), id('get'), id('the'), id('[SEP]')]);
    const [v] = await e.embedBatch(['get the manager of a user']);
    assertClose(v, referenceVector(model, ids));
    assert.deepStrictEqual(truncate({ ids: [1, 2, 3] }, 2, false).ids, [1, 2]);
  });

  it('feeds token_type_ids when the model declares them', async () => {
    const typed = tinyEmbedderModel({ dim: 6, seed: 5, typeIds: true });
    const e = track(await load({ modelPath: writeEmbedderDir(typed) }));
    const [v] = await e.embedBatch(['incident record']);
    assertClose(v, referenceVector(typed, e.encode('incident record').ids));
  });

  it('reads a pooled [B, d] output as is', async () => {
    const pooled = tinyEmbedderModel({ dim: 5, seed: 9, pooled: true });
    const e = track(await load({ modelPath: writeEmbedderDir(pooled) }));
    assert.strictEqual(e.dim, 5);
    const [v] = await e.embedBatch(['close task']);
    // Sum and mean point the same way: after normalisation they agree.
    assertClose(v, referenceVector(pooled, e.encode('close task').ids));
  });

  it('takes a tokenizer from another path', async () => {
    const bare = writeEmbedderDir(model, false);
    const e = track(await load({ modelPath: bare, tokenizerPath: path.join(path.dirname(modelPath), 'tokenizer.json') }));
    assert.strictEqual(e.encode('hr').ids[1], id('hr'));
  });

  it('a new model file gives a new space id', async () => {
    const copy = writeEmbedderDir(model);
    const a = track(await load({ modelPath: copy }));
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(copy, later, later);
    const b = track(await load({ modelPath: copy }));
    assert.notStrictEqual(a.id, b.id);
  });

  it('reports a missing model, a missing tokenizer and a malformed model as errors', async () => {
    const missing = await loadOnnxEmbedder({ modelPath: path.join(path.dirname(modelPath), 'nope.onnx') });
    assert.ok(!missing.ok && /embedding model not found/.test(missing.error));

    const noTokenizer = await loadOnnxEmbedder({ modelPath: writeEmbedderDir(model, false) });
    assert.ok(!noTokenizer.ok && /embedding tokenizer not found/.test(noTokenizer.error));

    const garbage = writeEmbedderDir(model);
    fs.writeFileSync(garbage, Buffer.from('this is not an onnx model at all'));
    const malformed = await loadOnnxEmbedder({ modelPath: garbage });
    assert.ok(!malformed.ok && /embedding model/.test(malformed.error), JSON.stringify(malformed));

    const badTokenizer = writeEmbedderDir(model);
    fs.writeFileSync(path.join(path.dirname(badTokenizer), 'tokenizer.json'), '{ not json');
    const unreadable = await loadOnnxEmbedder({ modelPath: badTokenizer });
    assert.ok(!unreadable.ok && /embedding tokenizer .*is not valid JSON/.test(unreadable.error));
  });
});
