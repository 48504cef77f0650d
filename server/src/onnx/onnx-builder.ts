/**
 * Builds ONNX model files (ModelProto bytes) from a small graph description, so the compact
 * reranker can be exported from TypeScript and tests can make tiny real models without Python.
 *
 * Only the subset of the ONNX IR that plain inference graphs need is declared here, with the
 * field numbers of the public onnx.proto3 schema. Tensors are written as little-endian
 * `raw_data`, which every runtime reads and which keeps files compact.
 */
import type * as Protobuf from 'protobufjs';

/**
 * protobufjs, loaded when a model is first built: a server only reads models (their metadata, by
 * `scanModelMetadata`), and loading its 45 modules was a tenth of the server's own start.
 */
let protobufModule: typeof Protobuf | undefined;
function protobuf(): typeof Protobuf {
  return (protobufModule ??= require('protobufjs') as typeof Protobuf);
}

/** ONNX `TensorProto.DataType` values for the element types we write. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  DOUBLE: 11,
} as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export const IR_VERSION = 8;
export const OPSET_VERSION = 17;

// The ONNX IR subset, written from the public spec. proto3 packs repeated scalars by default,
// as onnx.proto3 does.
const ONNX_SUBSET = `
syntax = "proto3";
package onnx;
message AttributeProto {
  string name = 1;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  TensorProto t = 5;
  GraphProto g = 6;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  string doc_string = 13;
  int32 type = 20;
}
message ValueInfoProto {
  string name = 1;
  TypeProto type = 2;
  string doc_string = 3;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
  string doc_string = 6;
  string domain = 7;
}
message StringStringEntryProto {
  string key = 1;
  string value = 2;
}
message OperatorSetIdProto {
  string domain = 1;
  int64 version = 2;
}
message ModelProto {
  int64 ir_version = 1;
  string producer_name = 2;
  string producer_version = 3;
  string domain = 4;
  int64 model_version = 5;
  string doc_string = 6;
  GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}
message TensorProto {
  repeated int64 dims = 1;
  int32 data_type = 2;
  repeated float float_data = 4;
  repeated int32 int32_data = 5;
  repeated int64 int64_data = 7;
  string name = 8;
  bytes raw_data = 9;
  repeated double double_data = 10;
  string doc_string = 12;
}
message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    string denotation = 3;
  }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor {
    int32 elem_type = 1;
    TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
  string denotation = 6;
}
`;

/** `AttributeProto.AttributeType` values. */
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** The parsed schema is immutable, so one per process is enough. */
let modelType: Protobuf.Type | undefined;
function modelProtoType(): Protobuf.Type {
  if (!modelType) modelType = protobuf().parse(ONNX_SUBSET, { keepCase: true }).root.lookupType('onnx.ModelProto');
  return modelType;
}

/** An initializer: a named constant tensor stored in the model. */
export interface TensorSpec {
  name: string;
  dataType: DataTypeCode;
  dims: number[];
  /** Little-endian element bytes, as ONNX `raw_data` expects. */
  rawData: Uint8Array;
}

/** A graph input or output. A string dimension is symbolic (`dim_param`), a number fixed. */
export interface ValueInfoSpec {
  name: string;
  elemType: DataTypeCode;
  /** Omit for an unknown rank. */
  shape?: (number | string)[];
}

export type AttributeValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'floats'; value: number[] }
  | { kind: 'ints'; value: number[] }
  | { kind: 'strings'; value: string[] }
  | { kind: 'tensor'; value: TensorSpec };

export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attributes?: Record<string, AttributeValue>;
}

export interface ModelSpec {
  inputs: ValueInfoSpec[];
  outputs: ValueInfoSpec[];
  initializers?: TensorSpec[];
  nodes: NodeSpec[];
  /** Written as `metadata_props`; kept in insertion order so bytes are reproducible. */
  metadata?: Record<string, string>;
  graphName?: string;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  opsetVersion?: number;
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): TensorSpec {
  checkCount(name, dims, values.length);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return { name, dataType: DataType.FLOAT, dims: [...dims], rawData: bytes };
}

export function int64Tensor(name: string, dims: number[], values: ArrayLike<number | bigint>): TensorSpec {
  checkCount(name, dims, values.length);
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]), true);
  return { name, dataType: DataType.INT64, dims: [...dims], rawData: bytes };
}

function checkCount(name: string, dims: number[], count: number): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  // A malformed initializer is a programming error in the graph being built, not a data condition.
  if (expected !== count) throw new Error(`tensor ${name}: dims [${dims.join(',')}] need ${expected} values, got ${count}`);
}

export function tensorValue(name: string, elemType: DataTypeCode, shape?: (number | string)[]): ValueInfoSpec {
  return { name, elemType, shape };
}

export const attr = {
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  string: (value: string): AttributeValue => ({ kind: 'string', value }),
  floats: (value: number[]): AttributeValue => ({ kind: 'floats', value }),
  ints: (value: number[]): AttributeValue => ({ kind: 'ints', value }),
  strings: (value: string[]): AttributeValue => ({ kind: 'strings', value }),
  tensor: (value: TensorSpec): AttributeValue => ({ kind: 'tensor', value }),
};

export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes?: Record<string, AttributeValue>,
  name?: string,
): NodeSpec {
  return { opType, inputs, outputs, attributes, name };
}

function tensorMessage(t: TensorSpec): object {
  return { name: t.name, data_type: t.dataType, dims: t.dims, raw_data: t.rawData };
}

function valueInfoMessage(v: ValueInfoSpec): object {
  const tensor: Record<string, unknown> = { elem_type: v.elemType };
  if (v.shape) {
    tensor.shape = { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) };
  }
  return { name: v.name, type: { tensor_type: tensor } };
}

function attributeMessage(name: string, a: AttributeValue): object {
  const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
  switch (a.kind) {
    case 'float':
      return { name, type: AttributeType.FLOAT, f: a.value };
    case 'int':
      return { name, type: AttributeType.INT, i: a.value };
    case 'string':
      return { name, type: AttributeType.STRING, s: utf8(a.value) };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: a.value };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: a.value };
    case 'strings':
      return { name, type: AttributeType.STRINGS, strings: a.value.map(utf8) };
    case 'tensor':
      return { name, type: AttributeType.TENSOR, t: tensorMessage(a.value) };
  }
}

function nodeMessage(n: NodeSpec, index: number): object {
  return {
    name: n.name ?? `${n.opType.toLowerCase()}_${index}`,
    op_type: n.opType,
    input: n.inputs,
    output: n.outputs,
    domain: n.domain ?? '',
    attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attributeMessage(k, v)),
  };
}

/**
 * Encodes a model. Deterministic: the same spec gives the same bytes (no timestamps, metadata in
 * insertion order). Throws only on a malformed spec, which is a bug in the caller's graph code.
 */
export function buildModel(spec: ModelSpec): Uint8Array {
  const type = modelProtoType();
  const message = {
    ir_version: IR_VERSION,
    producer_name: spec.producerName ?? 'deepcodeseek',
    producer_version: spec.producerVersion ?? '0.1.0',
    doc_string: spec.docString ?? '',
    opset_import: [{ domain: '', version: spec.opsetVersion ?? OPSET_VERSION }],
    graph: {
      name: spec.graphName ?? 'main',
      node: spec.nodes.map(nodeMessage),
      initializer: (spec.initializers ?? []).map(tensorMessage),
      input: spec.inputs.map(valueInfoMessage),
      output: spec.outputs.map(valueInfoMessage),
    },
    metadata_props: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  const problem = type.verify(message);
  if (problem) throw new Error(`invalid ONNX model spec: ${problem}`);
  return type.encode(type.fromObject(message)).finish();
}

/** Decodes a model built here (or any ModelProto) into plain objects; for tests and tools. */
export function decodeModel(bytes: Uint8Array): { ok: true; model: Record<string, any> } | { ok: false; error: string } {
  try {
    const type = modelProtoType();
    const model = type.toObject(type.decode(bytes), { longs: Number, bytes: Array, defaults: false });
    return { ok: true, model };
  } catch (err) {
    return { ok: false, error: `not an ONNX model: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Reads `length` bytes at `position`; returns fewer at the end of the data. */
export type ReadAt = (position: number, length: number) => Uint8Array;

const MODEL_GRAPH_FIELD = 7;
const MODEL_METADATA_FIELD = 14;

/**
 * Reads `metadata_props` from a ModelProto without decoding its graph: the top-level fields are
 * walked and the (possibly huge) graph is skipped by its length, so a multi-gigabyte
 * cross-encoder costs a handful of small reads. Returns an error value for bytes that are not a
 * protobuf message.
 */
export function scanModelMetadata(readAt: ReadAt, size: number): { ok: true; metadata: Record<string, string> } | { ok: false; error: string } {
  const metadata: Record<string, string> = {};
  let pos = 0;
  let sawGraph = false;
  try {
    while (pos < size) {
      // A field's tag and length fit in 20 bytes; its payload is read only when it is wanted.
      const head = readAt(pos, Math.min(20, size - pos));
      const { field, wire, at } = tagAt(head, 0);
      if (field === 0) return { ok: false, error: 'not an ONNX model: bad field tag' };
      const { start, next: end } = payloadAt(head, wire, at);
      if (end === undefined) return { ok: false, error: `not an ONNX model: unexpected wire type ${wire}` };
      const next = pos + end;
      if (next > size || next <= pos) return { ok: false, error: 'not an ONNX model: truncated field' };
      if (wire === 2) {
        if (field === MODEL_GRAPH_FIELD) sawGraph = true;
        if (field === MODEL_METADATA_FIELD) {
          const entry = decodeStringPair(readAt(pos + start, end - start));
          if (entry) metadata[entry[0]] = entry[1];
        }
      }
      pos = next;
    }
  } catch {
    return { ok: false, error: 'not an ONNX model: malformed bytes' };
  }
  if (!sawGraph) return { ok: false, error: 'not an ONNX model: no graph' };
  return { ok: true, metadata };
}

/** `scanModelMetadata` over bytes in memory. */
export function readModelMetadata(bytes: Uint8Array): { ok: true; metadata: Record<string, string> } | { ok: false; error: string } {
  return scanModelMetadata((p, l) => bytes.subarray(p, p + l), bytes.length);
}

function readVarint(buf: Uint8Array, offset: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let i = offset; i < buf.length && i < offset + 10; i++) {
    value |= BigInt(buf[i] & 0x7f) << shift;
    if ((buf[i] & 0x80) === 0) return [value, i - offset + 1];
    shift += 7n;
  }
  throw new Error('bad varint');
}

const UTF8 = new TextDecoder();

/** The protobuf tag at `at`: its field number and wire type, and where the field goes on. */
function tagAt(buf: Uint8Array, at: number): { field: number; wire: number; at: number } {
  const [tag, tagLen] = readVarint(buf, at);
  return { field: Number(tag >> 3n), wire: Number(tag & 7n), at: at + tagLen };
}

/**
 * Where the payload of a field of wire type `wire` that goes on at `at` starts, and where the
 * next field starts (undefined for a wire type a message of ours never holds). Reads only a
 * varint or a length; throws when it is cut.
 */
function payloadAt(buf: Uint8Array, wire: number, at: number): { start: number; next: number | undefined } {
  switch (wire) {
    case 0:
      return { start: at, next: at + readVarint(buf, at)[1] };
    case 1:
      return { start: at, next: at + 8 };
    case 5:
      return { start: at, next: at + 4 };
    case 2: {
      const [len, lenLen] = readVarint(buf, at);
      return { start: at + lenLen, next: at + lenLen + Number(len) };
    }
    default:
      return { start: at, next: undefined };
  }
}

/** A `StringStringEntryProto` (key = 1, value = 2); other fields are skipped, bytes that are not one throw. */
function decodeStringPair(buf: Uint8Array): [string, string] | undefined {
  let key = '';
  let value = '';
  for (let pos = 0; pos < buf.length; ) {
    const { field, wire, at } = tagAt(buf, pos);
    const { start, next } = payloadAt(buf, wire, at);
    if (next === undefined) throw new Error(`unexpected wire type ${wire}`);
    if (next > buf.length) throw new Error('truncated field');
    if (wire === 2 && field === 1) key = UTF8.decode(buf.subarray(start, next));
    else if (wire === 2 && field === 2) value = UTF8.decode(buf.subarray(start, next));
    pos = next;
  }
  return key ? [key, value] : undefined;
}
