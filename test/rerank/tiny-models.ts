/**
 * Tiny real models and tokenizers for the rerank tests, built in a temp dir: a BERT-like
 * cross-encoder (mean of token + type embeddings under the mask, times a vector) and a
 * Qwen3-like causal LM (token + position embeddings, projected onto the vocabulary). Random
 * weights, seeded; each model has a reference scorer in plain TypeScript to check against.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataType, attr, buildModel, floatTensor, int64Tensor, node, tensorValue } from '../../server/src/onnx/onnx-builder';
import { createRng } from '../../server/src/rerank/mlp';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dcs-${prefix}-`));
}

function randomFloats(count: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => (rng() * 2 - 1) * scale);
}

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

// ---------------------------------------------------------------------------------------------
// BERT-like

export const BERT_WORDS = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]',
  'how', 'to', 'get', 'the', 'manager', 'of', 'a', 'user', 'hr', 'utils', 'incident', 'record',
  'returns', 'table', 'query', 'script', 'include', 'glide', 'ajax', 'approval', 'task', '##s', '##ing', 'yes', 'no',
];

/** `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]` with [CLS]=2, [SEP]=3, as BERT tokenizers do. */
export function bertPostProcessor(): object {
  return {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
    pair: [
      { SpecialToken: { id: '[CLS]', type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: '[SEP]', type_id: 0 } },
      { Sequence: { id: 'B', type_id: 1 } },
      { SpecialToken: { id: '[SEP]', type_id: 1 } },
    ],
    special_tokens: {
      '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
      '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
    },
  };
}

export function bertTokenizerJson(): object {
  const vocab = Object.fromEntries(BERT_WORDS.map((w, i) => [w, i]));
  return {
    version: '1.0',
    added_tokens: [special(0, '[PAD]'), special(1, '[UNK]'), special(2, '[CLS]'), special(3, '[SEP]')],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: bertPostProcessor(),
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

export interface TinyBert {
  bytes: Uint8Array;
  emb: Float32Array;
  typeEmb: Float32Array;
  w: Float32Array;
  dim: number;
}

export function tinyBertModel(seed = 3, dim = 4): TinyBert {
  const V = BERT_WORDS.length;
  const emb = randomFloats(V * dim, seed);
  const typeEmb = randomFloats(2 * dim, seed + 1);
  const w = randomFloats(dim, seed + 2);
  const seq = ['batch', 'seq'];
  const bytes = buildModel({
    inputs: [
      tensorValue('input_ids', DataType.INT64, seq),
      tensorValue('attention_mask', DataType.INT64, seq),
      tensorValue('token_type_ids', DataType.INT64, seq),
    ],
    outputs: [tensorValue('logits', DataType.FLOAT, ['batch', 1])],
    initializers: [
      floatTensor('emb', [V, dim], emb),
      floatTensor('type_emb', [2, dim], typeEmb),
      floatTensor('w', [dim, 1], w),
      int64Tensor('axis1', [1], [1]),
      int64Tensor('axis2', [1], [2]),
    ],
    nodes: [
      node('Gather', ['emb', 'input_ids'], ['tok']),
      node('Gather', ['type_emb', 'token_type_ids'], ['typ']),
      node('Add', ['tok', 'typ'], ['h']),
      node('Cast', ['attention_mask'], ['maskf'], { to: attr.int(DataType.FLOAT) }),
      node('Unsqueeze', ['maskf', 'axis2'], ['mask3']),
      node('Mul', ['h', 'mask3'], ['hm']),
      node('ReduceSum', ['hm', 'axis1'], ['sum'], { keepdims: attr.int(0) }),
      node('ReduceSum', ['maskf', 'axis1'], ['count'], { keepdims: attr.int(1) }),
      node('Div', ['sum', 'count'], ['pooled']),
      node('MatMul', ['pooled', 'w'], ['logits']),
    ],
  });
  return { bytes, emb, typeEmb, w, dim };
}

/** The BERT-like model's score for one unpadded sequence. */
export function bertReference(m: TinyBert, ids: number[], typeIds: number[]): number {
  let score = 0;
  for (let k = 0; k < m.dim; k++) {
    let sum = 0;
    for (let t = 0; t < ids.length; t++) sum += m.emb[ids[t] * m.dim + k] + m.typeEmb[typeIds[t] * m.dim + k];
    score += (sum / ids.length) * m.w[k];
  }
  return score;
}

// ---------------------------------------------------------------------------------------------
// Qwen3-like

export const QWEN_WORDS = [
  '<|endoftext|>', '<|im_start|>', '<|im_end|>', '[UNK]',
  'system', 'user', 'assistant', 'think', 'Judge', 'whether', 'the', 'Document', 'Query', 'Instruct', 'yes', 'no',
  'get', 'manager', 'hr', 'utils', 'incident', 'record', 'returns', 'table', 'approval', 'task', 'code', '<', '>:', '>', '</',
];

export function qwenTokenizerJson(withYesNo = true): object {
  const words = withYesNo ? QWEN_WORDS : QWEN_WORDS.filter((w) => w !== 'yes' && w !== 'no');
  const vocab = Object.fromEntries(words.map((w, i) => [w, i]));
  return {
    version: '1.0',
    added_tokens: [special(0, '<|endoftext|>'), special(1, '<|im_start|>'), special(2, '<|im_end|>')],
    normalizer: null,
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

export interface TinyQwen {
  bytes: Uint8Array;
  emb: Float32Array;
  pos: Float32Array;
  wout: Float32Array;
  dim: number;
  vocab: number;
}

export function tinyQwenModel(seed = 5, dim = 6, maxPositions = 512): TinyQwen {
  const V = QWEN_WORDS.length;
  const emb = randomFloats(V * dim, seed);
  const pos = randomFloats(maxPositions * dim, seed + 1, 0.5);
  const wout = randomFloats(dim * V, seed + 2);
  const seq = ['batch', 'seq'];
  const bytes = buildModel({
    inputs: [
      tensorValue('input_ids', DataType.INT64, seq),
      tensorValue('attention_mask', DataType.INT64, seq),
      tensorValue('position_ids', DataType.INT64, seq),
    ],
    outputs: [tensorValue('logits', DataType.FLOAT, ['batch', 'seq', V])],
    initializers: [
      floatTensor('emb', [V, dim], emb),
      floatTensor('pos', [maxPositions, dim], pos),
      floatTensor('wout', [dim, V], wout),
      int64Tensor('axis2', [1], [2]),
    ],
    nodes: [
      node('Gather', ['emb', 'input_ids'], ['tok']),
      node('Gather', ['pos', 'position_ids'], ['p']),
      node('Add', ['tok', 'p'], ['h']),
      node('Cast', ['attention_mask'], ['maskf'], { to: attr.int(DataType.FLOAT) }),
      node('Unsqueeze', ['maskf', 'axis2'], ['mask3']),
      node('Mul', ['h', 'mask3'], ['hm']),
      node('MatMul', ['hm', 'wout'], ['logits']),
    ],
  });
  return { bytes, emb, pos, wout, dim, vocab: V };
}

/** log p(yes) against no at the last position of one unpadded sequence. */
export function qwenReference(m: TinyQwen, ids: number[]): number {
  const last = ids.length - 1;
  const logit = (v: number): number => {
    let s = 0;
    for (let k = 0; k < m.dim; k++) s += (m.emb[ids[last] * m.dim + k] + m.pos[last * m.dim + k]) * m.wout[k * m.vocab + v];
    return s;
  };
  const yes = logit(QWEN_WORDS.indexOf('yes'));
  const no = logit(QWEN_WORDS.indexOf('no'));
  const max = Math.max(yes, no);
  return yes - (max + Math.log(Math.exp(yes - max) + Math.exp(no - max)));
}

/** Writes `model.onnx` and `tokenizer.json` into a fresh dir and returns the model path. */
export function writeModelDir(prefix: string, bytes: Uint8Array, tokenizer?: object): string {
  const dir = tempDir(prefix);
  const modelPath = path.join(dir, 'model.onnx');
  fs.writeFileSync(modelPath, bytes);
  if (tokenizer) fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  return modelPath;
}
