/**
 * A tiny real sentence-embedding model for tests, built in a temp dir: token embeddings looked up
 * by id (plus type embeddings when asked), returned as `last_hidden_state` [B, T, d] or summed
 * into a pooled [B, d] output. Random seeded weights, a WordLevel `tokenizer.json` that wraps a
 * text in [CLS] ... [SEP], and a reference pooler in plain TypeScript to check against.
 *
 * Pad positions get a non-zero state on purpose, as in a real encoder: pooling that forgot the
 * mask would show.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataType, attr, buildModel, floatTensor, int64Tensor, node, tensorValue } from '../../server/src/onnx/onnx-builder';
import { createRng } from '../../server/src/rerank/mlp';
import { bertPostProcessor, tempDir } from '../rerank/tiny-models';

export const EMBED_WORDS = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]',
  'get', 'the', 'manager', 'of', 'a', 'user', 'hr', 'utils', 'incident', 'record', 'returns', 'table',
  'approval', 'task', 'sys_user', 'assign', 'group', 'close', 'leave', 'balance', 'helpers', 'for', 'cases',
  'methods', 'tables', 'new', 'var', 'ga', '=', '(', ')', ';', ':', '.', ',', '-',
];

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

export function wordLevelTokenizerJson(): object {
  return {
    version: '1.0',
    added_tokens: EMBED_WORDS.slice(0, 4).map((w, i) => special(i, w)),
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: bertPostProcessor(),
    decoder: null,
    model: { type: 'WordLevel', unk_token: '[UNK]', vocab: Object.fromEntries(EMBED_WORDS.map((w, i) => [w, i])) },
  };
}

export interface TinyEmbedderSpec {
  dim?: number;
  seed?: number;
  /** Declare and use `token_type_ids`. */
  typeIds?: boolean;
  /** Output a pooled `sentence_embedding` [B, d] (sum over all positions) instead of `last_hidden_state`. */
  pooled?: boolean;
}

export interface TinyEmbedder {
  bytes: Uint8Array;
  emb: Float32Array;
  dim: number;
}

export function tinyEmbedderModel(spec: TinyEmbedderSpec = {}): TinyEmbedder {
  const dim = spec.dim ?? 8;
  const V = EMBED_WORDS.length;
  const rng = createRng(spec.seed ?? 11);
  const emb = Float32Array.from({ length: V * dim }, () => rng() * 2 - 1);
  const seq = ['batch', 'seq'];
  const inputs = [tensorValue('input_ids', DataType.INT64, seq), tensorValue('attention_mask', DataType.INT64, seq)];
  const initializers = [floatTensor('emb', [V, dim], emb), int64Tensor('axis1', [1], [1])];
  const nodes = [node('Gather', ['emb', 'input_ids'], ['tok'])];
  let hidden = 'tok';
  if (spec.typeIds) {
    // Type embeddings of zero for type 0, so the reference pooler stays the same for single texts.
    inputs.push(tensorValue('token_type_ids', DataType.INT64, seq));
    initializers.push(floatTensor('type_emb', [2, dim], new Float32Array(2 * dim).fill(0).map((_, i) => (i < dim ? 0 : 1))));
    nodes.push(node('Gather', ['type_emb', 'token_type_ids'], ['typ']), node('Add', ['tok', 'typ'], ['h']));
    hidden = 'h';
  }
  // The mask is read (as an encoder's attention would) but leaves pad states non-zero.
  nodes.push(node('Cast', ['attention_mask'], ['maskf'], { to: attr.int(DataType.FLOAT) }));
  const outputs = spec.pooled ? [tensorValue('sentence_embedding', DataType.FLOAT, ['batch', dim])] : [tensorValue('last_hidden_state', DataType.FLOAT, ['batch', 'seq', dim])];
  if (spec.pooled) nodes.push(node('ReduceSum', [hidden, 'axis1'], ['sentence_embedding'], { keepdims: attr.int(0) }));
  else nodes.push(node('Identity', [hidden], ['last_hidden_state']));
  return { bytes: buildModel({ inputs, outputs, initializers, nodes }), emb, dim };
}

/** The unit mean of the token embeddings of one unpadded sequence. */
export function referenceVector(m: TinyEmbedder, ids: readonly number[]): Float32Array {
  const v = new Float32Array(m.dim);
  for (const id of ids) for (let k = 0; k < m.dim; k++) v[k] += m.emb[id * m.dim + k] / ids.length;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Writes `model.onnx` and (unless told not to) `tokenizer.json` into a fresh dir; returns the model path. */
export function writeEmbedderDir(model: TinyEmbedder, withTokenizer = true): string {
  const dir = tempDir('embedder');
  const modelPath = path.join(dir, 'model.onnx');
  fs.writeFileSync(modelPath, model.bytes);
  if (withTokenizer) {
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(wordLevelTokenizerJson()));
    // A WordLevel model takes its unknown token from here.
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ unk_token: '[UNK]', pad_token: '[PAD]' }));
  }
  return modelPath;
}
