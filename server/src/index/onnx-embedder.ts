/**
 * A user-supplied ONNX sentence-embedding model (a BERT-style encoder exported with its Hugging
 * Face `tokenizer.json`) as an `AsyncEmbedder` for dense retrieval.
 *
 * Contract: inputs `input_ids` and `attention_mask` (and `token_type_ids` when the model declares
 * it); output either a pooled [B, d] tensor (`sentence_embedding`, ...) or the token states
 * [B, T, d] (`last_hidden_state`), which are mean-pooled under the attention mask. Vectors come
 * out L2-normalised, so padding, batching and batch order never change a text's vector.
 *
 * Loading is I/O at the edge: a missing or malformed model or tokenizer is an error value with
 * one line of explanation, never an exception.
 */
import { loadTokenizerFile } from '../onnx/tokenizer-file';
import { fnv1aBytes, fnv1aStart } from '../hash';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers' with { 'resolution-mode': 'import' };
import { ort } from '../onnx/runtime';
import { buildFeeds, EncodedSequence, lengthBatches } from '../rerank/cross-encoder';
import { loadSession, ModelSession, ValueInfo } from '../onnx/onnx-session';
import { messageOf } from '../rerank/types';
import { AsyncEmbedder, normalize } from './embedders';


export interface OnnxEmbedderOptions {
  modelPath: string;
  /** Default: `tokenizer.json` beside the model. */
  tokenizerPath?: string;
  /** Tokens per text, special tokens included; longer texts are cut. Default 256. */
  maxLength?: number;
  /** Texts per run. Default 16. */
  batchSize?: number;
  /** Intra-op threads of the session. Default 1. */
  threads?: number;
}

export type OnnxEmbedderResult = { ok: true; embedder: OnnxEmbedder } | { ok: false; error: string };

/** Output names that hold an already pooled sentence vector, in order of preference. */
const POOLED_OUTPUTS = ['sentence_embedding', 'sentence_embeddings', 'embeddings', 'text_embeds'];
/** Output names that hold per-token states to mean-pool. `pooler_output` (a [CLS] head) is not one we want. */
const TOKEN_OUTPUTS = ['last_hidden_state', 'token_embeddings', 'hidden_states'];

export class OnnxEmbedder implements AsyncEmbedder {
  private readonly unkId: number;

  constructor(
    /** Names the embedding space: the model's and tokenizer's size and mtime, and the cut length. */
    readonly id: string,
    readonly dim: number,
    readonly maxLength: number,
    readonly batchSize: number,
    private readonly session: ModelSession,
    private readonly tokenizer: Tokenizer,
    private readonly padId: number,
    private readonly outputName: string,
    /** Special tokens the tokenizer adds around a text: a cut keeps the final one (`[SEP]`). */
    private readonly addsSpecialTokens: boolean,
  ) {
    this.unkId = tokenizer.token_to_id('[UNK]') ?? tokenizer.token_to_id('<unk>') ?? padId;
  }

  /** The token ids the model reads for a text, cut to `maxLength`. */
  encode(text: string): EncodedSequence {
    const e = this.tokenizer.encode(text, { return_token_type_ids: true });
    // A WordLevel vocabulary told of no unknown token leaves holes for unseen words: read them as unknown.
    const ids = e.ids.map((id: number) => (Number.isInteger(id) ? id : this.unkId));
    return truncate({ ids, typeIds: e.token_type_ids }, this.maxLength, this.addsSpecialTokens);
  }

  /** One unit vector per text, in order. Rejects with an Error when the runtime fails. */
  async embedBatch(texts: string[]): Promise<Float32Array[]> {
    const sequences = texts.map((t) => this.encode(t));
    const out = new Array<Float32Array>(texts.length);
    for (const batch of lengthBatches(sequences, this.batchSize)) {
      const rows = batch.map((i) => sequences[i]);
      const vectors = await this.runRows(rows);
      batch.forEach((textIndex, row) => (out[textIndex] = vectors[row]));
    }
    return out;
  }

  private async runRows(rows: EncodedSequence[]): Promise<Float32Array[]> {
    const feeds = buildFeeds(this.session.inputs, rows, this.padId);
    if (!feeds.ok) throw new Error(feeds.error);
    const result = await this.session.run(feeds.feeds);
    if (!result.ok) throw new Error(`embedding model run failed: ${result.error}`);
    return readVectors(result.outputs[this.outputName], rows.map((r) => r.ids.length));
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

export async function loadOnnxEmbedder(opts: OnnxEmbedderOptions): Promise<OnnxEmbedderResult> {
  const tokenizerPath = opts.tokenizerPath || path.join(path.dirname(opts.modelPath), 'tokenizer.json');
  // The model first: "model not found" is the more useful line when both are missing.
  if (!fs.existsSync(opts.modelPath)) return { ok: false, error: `embedding model not found: ${opts.modelPath}` };
  const tok = loadTokenizer(tokenizerPath);
  if (!tok.ok) return tok;
  const loaded = await loadSession(opts.modelPath, { threads: opts.threads, label: 'embedding model', warmUp: false });
  if (!loaded.ok) return loaded;
  const session = loaded.session;
  const fail = async (error: string): Promise<OnnxEmbedderResult> => {
    await session.release();
    return { ok: false, error: `embedding model ${opts.modelPath}: ${error}` };
  };
  const names = new Set(session.inputNames);
  if (!names.has('input_ids') || !names.has('attention_mask')) return fail(`needs inputs input_ids and attention_mask (it has: ${session.inputNames.join(', ')})`);
  const unknown = session.inputNames.filter((n) => n !== 'input_ids' && n !== 'attention_mask' && n !== 'token_type_ids');
  if (unknown.length) return fail(`has inputs a sentence embedder does not feed: ${unknown.join(', ')}`);
  const output = pickOutput(session.outputs);
  if (!output) return fail('has no outputs');

  const tokenizer = tok.tokenizer;
  const maxLength = Math.max(2, Math.floor(opts.maxLength ?? 256));
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 16));
  const addsSpecialTokens = tokenizer.encode('a', { add_special_tokens: true }).ids.length > tokenizer.encode('a', { add_special_tokens: false }).ids.length;
  const probe = new OnnxEmbedder('', 0, maxLength, batchSize, session, tokenizer, padTokenId(tokenizer), output, addsSpecialTokens);
  // One real run both warms the session up and tells the dimension, which symbolic shapes hide.
  let dim: number;
  try {
    const [v] = await probe.embedBatch(['warm up']);
    dim = v.length;
  } catch (err) {
    return fail(`failed its warm-up run (${messageOf(err)})`);
  }
  if (dim < 1) return fail('produces empty vectors');
  const id = `onnx-${dim}-${spaceFingerprint([opts.modelPath, tokenizerPath], maxLength)}`;
  return { ok: true, embedder: new OnnxEmbedder(id, dim, maxLength, batchSize, session, tokenizer, padTokenId(tokenizer), output, addsSpecialTokens) };
}

/** The output holding the sentence vector: a named pooled one, else token states, else the first. */
export function pickOutput(outputs: readonly ValueInfo[]): string | undefined {
  const byName = new Map(outputs.map((o) => [o.name, o]));
  for (const name of [...POOLED_OUTPUTS, ...TOKEN_OUTPUTS]) if (byName.has(name)) return name;
  return outputs[0]?.name;
}

/**
 * Unit vectors from a model output: [B, d] as is, [B, T, d] mean-pooled over each row's first
 * `lengths[b]` positions (the real tokens; rows are right-padded).
 */
export function readVectors(t: ort.Tensor | undefined, lengths: readonly number[]): Float32Array[] {
  if (!t) throw new Error('model returned no embedding output');
  if (t.type !== 'float32') throw new Error(`embeddings of type ${t.type} are not supported (float32 expected)`);
  const data = t.data as Float32Array;
  const dims = t.dims;
  if (dims.length === 2) {
    const d = dims[1];
    return lengths.map((_, b) => normalize(data.slice(b * d, (b + 1) * d)));
  }
  if (dims.length === 3) {
    const [, T, d] = dims;
    return lengths.map((len, b) => {
      const v = new Float32Array(d);
      const n = Math.min(len, T);
      for (let tok = 0; tok < n; tok++) {
        const base = (b * T + tok) * d;
        for (let k = 0; k < d; k++) v[k] += data[base + k];
      }
      // Scaling by 1/n is what mean pooling means; normalisation would undo it anyway, but an
      // unnormalised caller of this function should see the mean.
      if (n > 0) for (let k = 0; k < d; k++) v[k] /= n;
      return normalize(v);
    });
  }
  throw new Error(`embedding output [${dims.join(', ')}] is neither [B, d] nor [B, T, d]`);
}

/** Cuts a sequence to `maxLength`, keeping the closing special token when the tokenizer adds one. */
export function truncate(seq: EncodedSequence, maxLength: number, keepLast: boolean): EncodedSequence {
  if (seq.ids.length <= maxLength) return seq;
  const cut = (xs: number[]): number[] => (keepLast ? [...xs.slice(0, maxLength - 1), xs[xs.length - 1]] : xs.slice(0, maxLength));
  return { ids: cut(seq.ids), typeIds: seq.typeIds ? cut(seq.typeIds) : undefined };
}

type TokenizerLoad = { ok: true; tokenizer: Tokenizer } | { ok: false; error: string };

function loadTokenizer(file: string): TokenizerLoad {
  const r = loadTokenizerFile(file, 'embedding tokenizer');
  return r.ok ? { ok: true, tokenizer: r.tokenizer } : r;
}

function padTokenId(tokenizer: Tokenizer): number {
  for (const candidate of ['[PAD]', '<pad>', '<|endoftext|>']) {
    const id = tokenizer.token_to_id(candidate);
    if (id !== undefined) return id;
  }
  // Pads are masked out and never pooled, so any valid id works.
  return 0;
}

/**
 * A short hex fingerprint of each file's size, modification time and first and last 64 KiB, and
 * the cut length: a replaced model gets a new id, so vectors saved under the old one are never
 * reused. Hashing hundreds of megabytes at every start would cost more than the rebuild it saves.
 */
function spaceFingerprint(files: readonly string[], maxLength: number): string {
  let h = fnv1aStart();
  const feed = (bytes: Uint8Array) => {
    h = fnv1aBytes(h, bytes);
  };
  const text = (s: string) => feed(Buffer.from(s));
  const SAMPLE = 64 * 1024;
  for (const f of files) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(f, 'r');
      const st = fs.fstatSync(fd);
      text(`${st.size}:${Math.floor(st.mtimeMs)};`);
      const buf = Buffer.alloc(Math.min(SAMPLE, st.size));
      feed(buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)));
      if (st.size > SAMPLE) feed(buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, st.size - buf.length)));
    } catch {
      text('-;');
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
  text(String(maxLength));
  return h.toString(16).padStart(8, '0');
}
