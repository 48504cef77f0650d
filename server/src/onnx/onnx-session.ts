/**
 * The one wrapper over onnxruntime-node sessions: created once per model, warmed up, and
 * reporting missing or corrupt files as one-line error values instead of exceptions, so the
 * server can log a line and fall back to the retrieval order.
 */
import * as fs from 'node:fs';
import { ort } from './runtime';
import { scanModelMetadata } from './onnx-builder';

export type Tensor = ort.Tensor;
export type Feeds = Record<string, ort.Tensor>;
export type Fetches = Record<string, ort.Tensor>;

/** An input or output as the model declares it. String dimensions are symbolic. */
export interface ValueInfo {
  name: string;
  /** `float32`, `int64`, ... or `non-tensor`. */
  type: string;
  /** Empty when the model leaves the shape unknown. */
  shape: (number | string)[];
}

export interface SessionOptions {
  /** Intra-op threads; the interactive path wants 1 or 2 so it never starves the editor. */
  threads?: number;
  /** Names the model in error lines: `reranker model not found: ...`. Default `model`. */
  label?: string;
  /** Run once at load so the first keystroke does not pay for allocation. Default true. */
  warmUp?: boolean;
  /** Feeds for the warm-up run; default zeros with every symbolic dimension set to 1. */
  warmUpFeeds?: Feeds;
  /** onnxruntime graph optimisation; default `all`. */
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

export interface ModelSession {
  /** The path, or `<bytes>` for a model built in memory. */
  readonly source: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The model's `metadata_props`. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The options the session was actually created with. */
  readonly options: Readonly<ort.InferenceSession.SessionOptions>;
  /** One inference. Never rejects: a failure is an error value. */
  run(feeds: Feeds): Promise<{ ok: true; outputs: Fetches } | { ok: false; error: string }>;
  release(): Promise<void>;
}

export type SessionResult = { ok: true; session: ModelSession } | { ok: false; error: string };

/** The onnxruntime options for our settings: pure, so tests can check what is applied. */
export function sessionOptionsFor(opts: SessionOptions = {}): ort.InferenceSession.SessionOptions {
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  return {
    intraOpNumThreads: threads,
    // One model runs at a time per request; parallel execution would only add thread handoffs.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: opts.graphOptimization ?? 'all',
    // Warnings (unused inputs, ...) would otherwise be printed to stderr, which a stdio server shares with the client.
    logSeverityLevel: 3,
  };
}

/** Loads a model from a path (external data files beside it are honoured) or from bytes. */
export async function loadSession(source: string | Uint8Array, opts: SessionOptions = {}): Promise<SessionResult> {
  const label = opts.label ?? 'model';
  const where = typeof source === 'string' ? source : '<bytes>';
  const meta = typeof source === 'string' ? readMetadataFromFile(source) : readMetadataFromBytes(source);
  if (!meta.ok) {
    return { ok: false, error: meta.error === 'missing' ? `${label} not found: ${where}` : `${label} unreadable: ${where} (${meta.error})` };
  }
  const options = sessionOptionsFor(opts);
  let inner: ort.InferenceSession;
  try {
    inner = typeof source === 'string' ? await ort.InferenceSession.create(source, options) : await ort.InferenceSession.create(source, options);
  } catch (err) {
    return { ok: false, error: `${label} unreadable: ${where} (${messageOf(err)})` };
  }
  const session = wrap(inner, where, meta.value, options);
  if (opts.warmUp !== false) {
    const feeds = opts.warmUpFeeds ?? zeroFeeds(session.inputs);
    if (feeds) {
      const warm = await session.run(feeds);
      if (!warm.ok) {
        await session.release();
        return { ok: false, error: `${label} failed its warm-up run: ${where} (${warm.error})` };
      }
    }
  }
  return { ok: true, session };
}

function wrap(
  inner: ort.InferenceSession,
  source: string,
  metadata: Record<string, string>,
  options: ort.InferenceSession.SessionOptions,
): ModelSession {
  const toInfo = (m: ort.InferenceSession.ValueMetadata): ValueInfo =>
    m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] };
  const inputs = inner.inputMetadata.map(toInfo);
  const outputs = inner.outputMetadata.map(toInfo);
  let released = false;
  return {
    source,
    inputs,
    outputs,
    inputNames: inputs.map((i) => i.name),
    outputNames: outputs.map((o) => o.name),
    metadata,
    options,
    async run(feeds) {
      if (released) return { ok: false, error: 'session released' };
      try {
        return { ok: true, outputs: await inner.run(feeds) };
      } catch (err) {
        return { ok: false, error: messageOf(err) };
      }
    },
    async release() {
      if (released) return;
      released = true;
      await inner.release().catch(() => undefined);
    },
  };
}

/**
 * Zero feeds for a warm-up run, every symbolic dimension set to 1 except the sequence-length
 * dimension of a KV-cache input, which is 0 (an empty past). Undefined when an input cannot be
 * synthesised (non-tensor, unknown rank, unsupported type): the warm-up is then skipped.
 */
export function zeroFeeds(inputs: readonly ValueInfo[]): Feeds | undefined {
  const feeds: Feeds = {};
  for (const input of inputs) {
    if (input.shape.length === 0 && input.type === 'non-tensor') return undefined;
    const isPast = /past/i.test(input.name);
    const dims = input.shape.map((d, i) => (typeof d === 'number' ? Math.max(0, d) : isPast && i === input.shape.length - 2 ? 0 : 1));
    const t = zeroTensor(input.type, dims);
    if (!t) return undefined;
    feeds[input.name] = t;
  }
  return feeds;
}

export function zeroTensor(type: string, dims: number[]): ort.Tensor | undefined {
  const size = dims.reduce((a, b) => a * b, 1);
  switch (type) {
    case 'float32':
      return new ort.Tensor('float32', new Float32Array(size), dims);
    case 'int64':
      return new ort.Tensor('int64', new BigInt64Array(size), dims);
    case 'int32':
      return new ort.Tensor('int32', new Int32Array(size), dims);
    case 'bool':
      return new ort.Tensor('bool', new Uint8Array(size), dims);
    case 'float16':
      return new ort.Tensor('float16', new Uint16Array(size), dims);
    default:
      return undefined;
  }
}

type MetaRead = { ok: true; value: Record<string, string> } | { ok: false; error: string };

function readMetadataFromBytes(bytes: Uint8Array): MetaRead {
  const r = scanModelMetadata((p, l) => bytes.subarray(p, p + l), bytes.length);
  return r.ok ? { ok: true, value: r.metadata } : { ok: false, error: r.error };
}

/** Reads only the top-level fields of the file; the graph is skipped by seeking past it. */
function readMetadataFromFile(path: string): MetaRead {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, error: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : messageOf(err) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, error: 'is a directory' };
    const readAt = (position: number, length: number): Uint8Array => {
      const buf = Buffer.alloc(length);
      const n = fs.readSync(fd, buf, 0, length, position);
      return buf.subarray(0, n);
    };
    const r = scanModelMetadata(readAt, stat.size);
    return r.ok ? { ok: true, value: r.metadata } : { ok: false, error: r.error };
  } catch (err) {
    return { ok: false, error: messageOf(err) };
  } finally {
    fs.closeSync(fd);
  }
}


function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
