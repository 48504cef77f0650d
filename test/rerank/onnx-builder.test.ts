import * as assert from 'node:assert';
import * as ort from 'onnxruntime-node';
import {
  DataType,
  attr,
  buildModel,
  decodeModel,
  floatTensor,
  int64Tensor,
  node,
  readModelMetadata,
  tensorValue,
} from '../../server/src/onnx/onnx-builder';

function matMulAddModel(metadata?: Record<string, string>): Uint8Array {
  return buildModel({
    inputs: [tensorValue('x', DataType.FLOAT, ['n', 3])],
    outputs: [tensorValue('y', DataType.FLOAT, ['n', 2])],
    initializers: [floatTensor('w', [3, 2], [1, 2, 3, 4, 5, 6]), floatTensor('b', [2], [0.5, -1])],
    nodes: [node('MatMul', ['x', 'w'], ['xw']), node('Add', ['xw', 'b'], ['y'])],
    metadata,
  });
}

describe('onnx-builder', () => {
  it('builds a MatMul+Add model that onnxruntime runs with the expected numbers', async () => {
    const session = await ort.InferenceSession.create(matMulAddModel());
    const x = new ort.Tensor('float32', Float32Array.from([1, 0, 0, 1, 1, 1]), [2, 3]);
    const { y } = await session.run({ x });
    assert.deepStrictEqual(y.dims, [2, 2]);
    // row 1: [1,2] + [0.5,-1]; row 2: [1+3+5, 2+4+6] + [0.5,-1]
    assert.deepStrictEqual(Array.from(y.data as Float32Array), [1.5, 1, 9.5, 11]);
    assert.deepStrictEqual(session.inputMetadata[0], { name: 'x', isTensor: true, type: 'float32', shape: ['n', 3] });
    await session.release();
  });

  it('writes attributes and int64 initializers that the runtime honours', async () => {
    const bytes = buildModel({
      inputs: [tensorValue('a', DataType.FLOAT, [2, 3])],
      outputs: [tensorValue('out', DataType.FLOAT, [3])],
      initializers: [int64Tensor('axes', [1], [1])],
      nodes: [
        node('Transpose', ['a'], ['t'], { perm: attr.ints([1, 0]) }),
        node('ReduceSum', ['t', 'axes'], ['s'], { keepdims: attr.int(0) }),
        node('LeakyRelu', ['s'], ['out'], { alpha: attr.float(0.5) }),
      ],
    });
    const session = await ort.InferenceSession.create(bytes);
    const { out } = await session.run({ a: new ort.Tensor('float32', Float32Array.from([1, -2, 3, -4, 5, -6]), [2, 3]) });
    assert.deepStrictEqual(Array.from(out.data as Float32Array), [-1.5, 3, -1.5]);
    await session.release();
  });

  it('is deterministic and keeps metadata_props in order', () => {
    const meta = { kind: 'compact-reranker', feature_count: '3', feature_names: '["a","b","c"]' };
    const one = matMulAddModel(meta);
    const two = matMulAddModel(meta);
    assert.deepStrictEqual(Buffer.from(one), Buffer.from(two));
    const read = readModelMetadata(one);
    assert.ok(read.ok);
    if (read.ok) assert.deepStrictEqual(Object.entries(read.metadata), Object.entries(meta));
    const decoded = decodeModel(one);
    assert.ok(decoded.ok);
    if (decoded.ok) {
      assert.strictEqual(decoded.model.ir_version, 8);
      assert.strictEqual(decoded.model.opset_import[0].version, 17);
      assert.deepStrictEqual(decoded.model.graph.node.map((n: { op_type: string }) => n.op_type), ['MatMul', 'Add']);
    }
  });

  it('reads metadata pairs with fields it does not know and UTF-8 text, and refuses a cut one', () => {
    const utf8 = (t: string) => [...Buffer.from(t, 'utf8')];
    const field = (n: number, bytes: number[]) => [(n << 3) | 2, bytes.length, ...bytes];
    // key = 1, an unknown varint field 3 (= 300), value = 2, an unknown fixed32 field 4.
    const pair = [...field(1, utf8('kind')), (3 << 3) | 0, 0xac, 0x02, ...field(2, utf8('räranker ✓')), (4 << 3) | 5, 1, 2, 3, 4];
    const model = Uint8Array.from([...field(14, pair), ...field(7, [])]);
    const read = readModelMetadata(model);
    assert.ok(read.ok, read.ok ? '' : read.error);
    if (read.ok) assert.deepStrictEqual(read.metadata, { kind: 'räranker ✓' });
    // The value's length says more bytes than the pair holds.
    const cut = [...field(1, utf8('kind')), (2 << 3) | 2, 40, ...utf8('short')];
    assert.strictEqual(readModelMetadata(Uint8Array.from([...field(14, cut), ...field(7, [])])).ok, false);
  });

  it('reports bytes that are not a model as an error value', () => {
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff);
    assert.strictEqual(readModelMetadata(garbage).ok, false);
    assert.strictEqual(readModelMetadata(new Uint8Array(0)).ok, false);
    assert.strictEqual(readModelMetadata(matMulAddModel().subarray(0, 40)).ok, false);
  });

  it('rejects an initializer whose values do not fill its dims', () => {
    assert.throws(() => floatTensor('w', [2, 2], [1, 2, 3]), /need 4 values/);
  });
});
