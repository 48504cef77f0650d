/**
 * External rerankers a user can configure instead of the compact model: an ONNX transformer with
 * its Hugging Face `tokenizer.json`, in one of two contracts.
 *
 *  - `cross-encoder` (BERT-style): inputs `input_ids`, `attention_mask` and optionally
 *    `token_type_ids`; output logits [B, 1] or [B] (score = logit) or [B, 2] (score =
 *    log p(class 1)). Query and document are encoded as a pair, so the tokenizer's template adds
 *    [CLS]/[SEP] and the type ids.
 *  - `qwen3-reranker`: a causal LM with logits [B, T, V], prompted with the Qwen3-Reranker
 *    instruction template; score = log p("yes") under a softmax over the "yes" and "no" logits
 *    at the last real (non-pad) position.
 *
 * Sequences are right-padded (a causal LM's outputs at real positions cannot see pads after
 * them, and an encoder masks them), batched by similar length, and the document is what gets
 * truncated to the maximum length; the query and the template are kept.
 */
import { loadTokenizerFile } from '../onnx/tokenizer-file';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers' with { 'resolution-mode': 'import' };
import { ort } from '../onnx/runtime';
import { ModelSession, ValueInfo, loadSession } from '../onnx/onnx-session';
import { CancellationLike, CancelledError, messageOf } from './types';


export type CrossEncoderKind = 'auto' | 'cross-encoder' | 'qwen3-reranker';
export type CrossEncoderContract = Exclude<CrossEncoderKind, 'auto'>;

export interface CrossEncoderOptions {
  modelPath: string;
  /** Default: `tokenizer.json` beside the model. A `tokenizer_config.json` beside it is read too. */
  tokenizerPath?: string;
  kind?: CrossEncoderKind;
  /** Tokens per query-document sequence, template included. Default 512. */
  maxLength?: number;
  /** Sequences per run. Default 8 (cross-encoder) or 4 (qwen3-reranker, whose logits are [B, T, V]). */
  batchSize?: number;
  threads?: number;
  /** The `<Instruct>` line of the qwen3-reranker prompt. */
  instruction?: string;
  /** Run one tiny batch at load. Default true. */
  warmUp?: boolean;
}

/** One encoded query-document sequence, before padding. */
export interface EncodedSequence {
  ids: number[];
  typeIds?: number[];
}

export interface CrossEncoder {
  readonly kind: CrossEncoderContract;
  readonly maxLength: number;
  readonly batchSize: number;
  readonly session: ModelSession;
  /** The token sequences `score` would feed (unpadded), in document order. */
  encode(query: string, documents: readonly string[]): EncodedSequence[];
  /**
   * One score per document, higher is more relevant. Rejects with `CancelledError` when `token`
   * fires between batches, and with an Error when the runtime fails.
   */
  score(query: string, documents: readonly string[], token?: CancellationLike): Promise<Float32Array>;
  release(): Promise<void>;
}

export type CrossEncoderResult = { ok: true; encoder: CrossEncoder } | { ok: false; error: string };

export const DEFAULT_INSTRUCTION =
  'Given the code around the cursor, decide whether the ServiceNow Script Include or API described by the document is the one the code needs next';

// The Qwen3-Reranker chat template. The model was trained with exactly this wording, so it is a
// protocol constant, not prose to rephrase.
const QWEN_SYSTEM =
  '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n';
const QWEN_SUFFIX = '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n';

/** A document keeps at least this many tokens when a long query has to be cut instead. */
const MIN_DOCUMENT_TOKENS = 8;

export async function loadCrossEncoder(opts: CrossEncoderOptions): Promise<CrossEncoderResult> {
  const tokenizerPath = opts.tokenizerPath || path.join(path.dirname(opts.modelPath), 'tokenizer.json');
  const tok = loadTokenizer(tokenizerPath);
  if (!tok.ok) return tok;
  const tokenizer = tok.tokenizer;

  const loaded = await loadSession(opts.modelPath, { threads: opts.threads, label: 'cross-encoder model', warmUp: false });
  if (!loaded.ok) return loaded;
  const session = loaded.session;
  const fail = async (error: string): Promise<CrossEncoderResult> => {
    await session.release();
    return { ok: false, error };
  };

  const detected = detectContract({
    requested: opts.kind ?? 'auto',
    inputs: session.inputs,
    outputs: session.outputs,
    architectures: readArchitectures(path.join(path.dirname(opts.modelPath), 'config.json')),
    hasToken: (t) => tokenizer.token_to_id(t) !== undefined,
  });
  if (!detected.ok) return fail(`cross-encoder model ${opts.modelPath}: ${detected.error}`);
  const kind = detected.kind;
  const maxLength = Math.max(4, Math.floor(opts.maxLength ?? 512));
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? (kind === 'qwen3-reranker' ? 4 : 8)));
  const padId = padTokenId(tokenizer, tok.config);

  let encode: (query: string, documents: readonly string[]) => EncodedSequence[];
  let readScores: (logits: ort.Tensor, lengths: number[]) => Float32Array;
  if (kind === 'qwen3-reranker') {
    const yes = tokenizer.token_to_id('yes');
    const no = tokenizer.token_to_id('no');
    if (yes === undefined || no === undefined) return fail(`cross-encoder tokenizer ${tokenizerPath} has no "yes"/"no" tokens, which a qwen3-reranker needs`);
    const template = qwenTemplate(tokenizer, opts.instruction ?? DEFAULT_INSTRUCTION);
    const fixed = template.head.length + template.mid.length + template.tail.length;
    if (fixed + MIN_DOCUMENT_TOKENS > maxLength) return fail(`cross-encoder max length ${maxLength} is too short for the qwen3-reranker prompt (${fixed} tokens)`);
    encode = (query, documents) => {
      const queryIds = qwenPieceIds(tokenizer, query);
      return documents.map((d) => ({ ids: assembleQwenSequence(template, queryIds, qwenPieceIds(tokenizer, d), maxLength) }));
    };
    readScores = (logits, lengths) => yesNoScores(logits, lengths, yes, no);
  } else {
    encode = (query, documents) => documents.map((d) => encodePair(tokenizer, query, d, maxLength));
    readScores = (logits) => classifierScores(logits);
  }

  const logitsName = logitsOutput(session.outputs).name;

  const encoder: CrossEncoder = {
    kind,
    maxLength,
    batchSize,
    session,
    encode,
    async score(query, documents, token) {
      const sequences = encode(query, documents);
      const scores = new Float32Array(sequences.length);
      for (const batch of lengthBatches(sequences, batchSize)) {
        if (token?.isCancellationRequested) throw new CancelledError('cross-encoder scoring cancelled');
        const rows = batch.map((i) => sequences[i]);
        const feeds = buildFeeds(session.inputs, rows, padId);
        if (!feeds.ok) throw new Error(feeds.error);
        const result = await session.run(feeds.feeds);
        if (!result.ok) throw new Error(`cross-encoder run failed: ${result.error}`);
        const batchScores = readScores(result.outputs[logitsName], rows.map((r) => r.ids.length));
        batch.forEach((docIndex, row) => (scores[docIndex] = batchScores[row]));
      }
      return scores;
    },
    release: () => session.release(),
  };

  if (opts.warmUp !== false) {
    try {
      await encoder.score('warm up', ['warm up']);
    } catch (err) {
      return fail(`cross-encoder model failed its warm-up run: ${opts.modelPath} (${messageOf(err)})`);
    }
  }
  return { ok: true, encoder };
}

// ---------------------------------------------------------------------------------------------
// Loading helpers

type TokenizerLoad = { ok: true; tokenizer: Tokenizer; config: Record<string, unknown> } | { ok: false; error: string };

function loadTokenizer(file: string): TokenizerLoad {
  return loadTokenizerFile(file, 'cross-encoder tokenizer');
}

function readArchitectures(file: string): string[] {
  try {
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(config.architectures) ? config.architectures.map(String) : [];
  } catch {
    return [];
  }
}

function padTokenId(tokenizer: Tokenizer, config: Record<string, unknown>): number {
  const configured = config.pad_token;
  const name = typeof configured === 'string' ? configured : (configured as { content?: string } | undefined)?.content;
  for (const candidate of [name, '[PAD]', '<pad>', '<|endoftext|>']) {
    if (!candidate) continue;
    const id = tokenizer.token_to_id(candidate);
    if (id !== undefined) return id;
  }
  // Pads are masked out, so any valid id works when the tokenizer names none.
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Contract detection

export interface ContractEvidence {
  requested: CrossEncoderKind;
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  /** `architectures` from a Hugging Face config.json beside the model, if any. */
  architectures: readonly string[];
  hasToken: (token: string) => boolean;
}

function logitsOutput(outputs: readonly ValueInfo[]): ValueInfo {
  return outputs.find((o) => o.name === 'logits') ?? outputs[0];
}

/**
 * Decides the contract: the logits' rank is the strongest evidence (3 = a causal LM over the
 * vocabulary), then the Hugging Face architecture, then the inputs, then the tokenizer's chat
 * tokens. A requested kind is checked against the same evidence.
 */
export function detectContract(e: ContractEvidence): { ok: true; kind: CrossEncoderContract } | { ok: false; error: string } {
  const names = new Set(e.inputs.map((i) => i.name));
  if (!names.has('input_ids')) return { ok: false, error: `no input_ids input (inputs: ${[...names].join(', ')})` };
  if (!names.has('attention_mask')) return { ok: false, error: 'no attention_mask input' };
  if (e.outputs.length === 0) return { ok: false, error: 'no outputs' };
  const rank = logitsOutput(e.outputs).shape.length;
  if (e.requested === 'qwen3-reranker') {
    if (rank === 1 || rank === 2) return { ok: false, error: `logits of rank ${rank} are a classifier's, not a causal LM's [B, T, V]; use kind cross-encoder or auto` };
    return { ok: true, kind: 'qwen3-reranker' };
  }
  if (e.requested === 'cross-encoder') {
    if (rank === 3) return { ok: false, error: 'logits [B, T, V] are a causal LM\'s, not a classifier\'s; use kind qwen3-reranker or auto' };
    return { ok: true, kind: 'cross-encoder' };
  }
  if (rank === 3) return { ok: true, kind: 'qwen3-reranker' };
  if (rank === 1 || rank === 2) return { ok: true, kind: 'cross-encoder' };
  if (e.architectures.some((a) => /CausalLM/.test(a))) return { ok: true, kind: 'qwen3-reranker' };
  if (e.architectures.some((a) => /SequenceClassification/.test(a))) return { ok: true, kind: 'cross-encoder' };
  if (names.has('token_type_ids')) return { ok: true, kind: 'cross-encoder' };
  if (names.has('position_ids') || [...names].some((n) => n.startsWith('past_key_values'))) return { ok: true, kind: 'qwen3-reranker' };
  if (e.hasToken('<|im_start|>') && e.hasToken('yes') && e.hasToken('no')) return { ok: true, kind: 'qwen3-reranker' };
  return { ok: true, kind: 'cross-encoder' };
}

// ---------------------------------------------------------------------------------------------
// Encoding

/**
 * A query-document pair through the tokenizer's own pair template. When too long, the document
 * is cut to the tokens that fit: its first tokens are decoded back to text and the pair is
 * re-encoded (the template is the tokenizer's, so we never rebuild it by hand); if the query
 * alone overflows, the ids are cut hard, keeping the final separator.
 */
export function encodePair(tokenizer: Tokenizer, query: string, doc: string, maxLength: number): EncodedSequence {
  const pair = (d: string): EncodedSequence => {
    const e = tokenizer.encode(query, { text_pair: d, return_token_type_ids: true });
    return { ids: e.ids, typeIds: e.token_type_ids };
  };
  let enc = pair(doc);
  if (enc.ids.length <= maxLength) return enc;
  const docIds = tokenizer.encode(doc, { add_special_tokens: false }).ids;
  let keep = docIds.length - (enc.ids.length - maxLength);
  // Decoding and re-encoding can shift a token or two; a few corrections settle it.
  for (let attempt = 0; attempt < 4 && keep > 0; attempt++) {
    enc = pair(tokenizer.decode(docIds.slice(0, keep), { skip_special_tokens: true }));
    if (enc.ids.length <= maxLength) return enc;
    keep -= enc.ids.length - maxLength;
  }
  if (keep <= 0) enc = pair('');
  if (enc.ids.length <= maxLength) return enc;
  const cut = (xs: number[]): number[] => [...xs.slice(0, maxLength - 1), xs[xs.length - 1]];
  return { ids: cut(enc.ids), typeIds: enc.typeIds ? cut(enc.typeIds) : undefined };
}

export interface QwenTemplate {
  /** System prompt, instruction and `<Query>:`. */
  head: number[];
  /** `\n<Document>:` */
  mid: number[];
  /** End of the user turn and the assistant prefix with an empty think block. */
  tail: number[];
}

export function qwenTemplate(tokenizer: Tokenizer, instruction: string): QwenTemplate {
  const ids = (text: string): number[] => tokenizer.encode(text, { add_special_tokens: false }).ids;
  return { head: ids(`${QWEN_SYSTEM}<Instruct>: ${instruction}\n<Query>:`), mid: ids('\n<Document>:'), tail: ids(QWEN_SUFFIX) };
}

/**
 * The prompt `<Instruct>: ...\n<Query>: {query}\n<Document>: {doc}` inside the chat template,
 * from the query's and the document's own tokens (see `qwenPieceIds`). The document is cut to
 * fit; the query only when it would leave the document fewer than a few tokens.
 */
export function assembleQwenSequence(t: QwenTemplate, queryIds: readonly number[], docIds: readonly number[], maxLength: number): number[] {
  const room = maxLength - (t.head.length + t.mid.length + t.tail.length);
  const docFloor = Math.min(docIds.length, MIN_DOCUMENT_TOKENS);
  const q = queryIds.length + docFloor > room ? queryIds.slice(0, Math.max(0, room - docFloor)) : queryIds;
  const d = q.length + docIds.length > room ? docIds.slice(0, Math.max(0, room - q.length)) : docIds;
  return [...t.head, ...q, ...t.mid, ...d, ...t.tail];
}

/**
 * Tokens of a variable piece of the prompt. Pieces are tokenized apart so the document can be
 * cut by tokens; each starts with its space so byte-level BPE sees the same words as it would
 * in the whole prompt.
 */
export function qwenPieceIds(tokenizer: Tokenizer, text: string): number[] {
  return tokenizer.encode(` ${text}`, { add_special_tokens: false }).ids;
}

// ---------------------------------------------------------------------------------------------
// Batching and feeds

/**
 * Document indices grouped into batches of similar length (longest first), so padding stays
 * small; the caller scatters scores back by index.
 */
export function lengthBatches(sequences: readonly EncodedSequence[], batchSize: number): number[][] {
  const order = sequences.map((_, i) => i).sort((a, b) => sequences[b].ids.length - sequences[a].ids.length || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}

function intTensor(type: string, values: number[], dims: number[]): ort.Tensor | undefined {
  if (type === 'int64') return new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
  if (type === 'int32') return new ort.Tensor('int32', Int32Array.from(values), dims);
  return undefined;
}

/** Right-padded feeds for every input the model declares, or an error naming one we cannot fill. */
export function buildFeeds(
  inputs: readonly ValueInfo[],
  rows: readonly EncodedSequence[],
  padId: number,
): { ok: true; feeds: Record<string, ort.Tensor> } | { ok: false; error: string } {
  const B = rows.length;
  const T = Math.max(1, ...rows.map((r) => r.ids.length));
  const grid = (value: (row: EncodedSequence, t: number) => number): number[] => {
    const out = new Array<number>(B * T);
    rows.forEach((r, b) => {
      for (let t = 0; t < T; t++) out[b * T + t] = value(r, t);
    });
    return out;
  };
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    let tensor: ort.Tensor | undefined;
    switch (input.name) {
      case 'input_ids':
        tensor = intTensor(input.type, grid((r, t) => (t < r.ids.length ? r.ids[t] : padId)), [B, T]);
        break;
      case 'attention_mask':
        tensor = intTensor(input.type, grid((r, t) => (t < r.ids.length ? 1 : 0)), [B, T]);
        break;
      case 'token_type_ids':
        tensor = intTensor(input.type, grid((r, t) => (t < r.ids.length && r.typeIds ? r.typeIds[t] : 0)), [B, T]);
        break;
      case 'position_ids':
        tensor = intTensor(input.type, grid((_, t) => t), [B, T]);
        break;
      default:
        if (input.name.startsWith('past_key_values')) tensor = emptyPast(input, B);
    }
    if (!tensor) return { ok: false, error: `cannot feed model input '${input.name}' (${input.type})` };
    feeds[input.name] = tensor;
  }
  return { ok: true, feeds };
}

/** An empty KV cache for models exported with past inputs: [B, heads, 0, head_dim]. */
function emptyPast(input: ValueInfo, B: number): ort.Tensor | undefined {
  if (input.shape.length !== 4) return undefined;
  const dims = input.shape.map((d, i) => (i === 0 ? B : i === 2 ? 0 : typeof d === 'number' ? d : 1));
  if (input.type === 'float32') return new ort.Tensor('float32', new Float32Array(0), dims);
  if (input.type === 'float16') return new ort.Tensor('float16', new Uint16Array(0), dims);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading scores

function floatData(t: ort.Tensor | undefined): Float32Array {
  if (!t) throw new Error('model returned no logits');
  if (t.type !== 'float32') throw new Error(`logits of type ${t.type} are not supported (float32 expected)`);
  return t.data as Float32Array;
}

/** Classifier logits [B], [B, 1] or [B, 2] -> one score per row. */
export function classifierScores(logits: ort.Tensor): Float32Array {
  const data = floatData(logits);
  const B = logits.dims[0];
  const perRow = B > 0 ? data.length / B : 1;
  if (perRow === 1) return Float32Array.from(data);
  if (perRow === 2) {
    // log p(relevant) of a two-class head
    return Float32Array.from({ length: B }, (_, b) => data[b * 2 + 1] - logSumExp(data[b * 2], data[b * 2 + 1]));
  }
  throw new Error(`classifier logits [${logits.dims.join(', ')}] have ${perRow} classes; expected 1 or 2`);
}

/** Causal-LM logits [B, T, V] -> log p("yes") against "no" at each row's last real position. */
export function yesNoScores(logits: ort.Tensor, lengths: readonly number[], yesId: number, noId: number): Float32Array {
  const data = floatData(logits);
  if (logits.dims.length !== 3) throw new Error(`expected logits [B, T, V], got [${logits.dims.join(', ')}]`);
  const [, T, V] = logits.dims;
  return Float32Array.from(lengths, (len, b) => {
    const base = (b * T + Math.max(0, len - 1)) * V;
    const yes = data[base + yesId];
    const no = data[base + noId];
    return yes - logSumExp(yes, no);
  });
}

function logSumExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}
