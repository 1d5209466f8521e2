import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { InputError, ModelError } from '../../src/util/errors.js';
import { parseOnnx } from '../../src/training/parsed-model.js';
import { planTraining, SUPPORTED_OPS } from '../../src/training/plan.js';
import { TfGraph } from '../../src/training/graph.js';

const FIX = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'training');

async function ortRun(file: string, x: Float32Array, shape: number[]): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(file);
  const r = await s.run({ input: new ort.Tensor('float32', x, shape) });
  await s.release();
  return r['logits']!.data as Float32Array;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('training/import: ONNX graph → TensorFlow.js', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  for (const [name, shape] of [
    ['tiny-unet', [3, 1, 16, 16]],
    ['tiny-mlp', [3, 6]],
    ['tiny-cnn', [3, 1, 8, 8]],
  ] as const) {
    it(`${name}: forward pass equals onnxruntime (max abs diff < 1e-5)`, async () => {
      const file = join(FIX, `${name}.onnx`);
      const m = parseOnnx(file);
      const g = new TfGraph(m, planTraining(m, 'all'));
      const n = (shape as readonly number[]).reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 2);
      const y = tf.tidy(() => g.forward(new Map([['input', tf.tensor(x, [...shape] as number[])]]), false).dataSync() as Float32Array);
      const ref = await ortRun(file, x, [...shape]);
      assert.ok(maxAbsDiff(y, ref) < 1e-5, `diff ${maxAbsDiff(y, ref)}`);
      g.dispose();
    });
  }

  it('reads initializers with their ONNX shapes and the opset', () => {
    const m = parseOnnx(join(FIX, 'tiny-unet.onnx'));
    assert.deepEqual(m.initializers.get('enc.0.weight')!.shape, [4, 1, 3, 3]);
    assert.deepEqual(m.initializers.get('up.weight')!.shape, [8, 4, 2, 2]);
    assert.equal(m.opset, 13);
    assert.deepEqual(m.inputs, ['input']);
    assert.deepEqual(m.outputs, ['logits']);
  });

  it('names an unsupported operator, its node and the remedy', () => {
    const m = parseOnnx(join(FIX, 'tiny-erf.onnx'));
    assert.throws(
      () => planTraining(m, 'all'),
      (e: unknown) => {
        assert.ok(e instanceof ModelError);
        assert.match(e.message, /does not support operator\(s\) Erf \(/);
        assert.match(e.remedy ?? '', /freeze those layers/);
        assert.equal(e.field, 'graph.node');
        return true;
      },
    );
    // freezing the Erf (training only the last layer) is fine
    assert.deepEqual(planTraining(m, 'last').trainable, ['fc.weight', 'fc.bias']);
  });

  it('documents the operator set', () => {
    for (const op of [
      'Conv',
      'ConvTranspose',
      'BatchNormalization',
      'Relu',
      'Sigmoid',
      'Softmax',
      'MaxPool',
      'AveragePool',
      'Concat',
      'Add',
      'Mul',
      'Gemm',
      'MatMul',
      'Flatten',
      'Reshape',
      'Dropout',
      'Identity',
      'Constant',
      'Shape',
      'Gather',
      'Unsqueeze',
      'Pad',
    ]) {
      assert.ok(SUPPORTED_OPS.includes(op), op);
    }
  });
});

describe('training/plan: freezing', () => {
  const m = parseOnnx(join(FIX, 'tiny-unet.onnx'));

  it("'last' trains the output conv only, cut at its input", () => {
    const p = planTraining(m, 'last');
    assert.deepEqual(p.trainable, ['out.weight', 'out.bias']);
    assert.deepEqual(p.cutInputs, ['/dec/dec.2/BatchNormalization_output_0']);
    assert.equal(p.needsPrefix, true);
    assert.deepEqual(
      p.layers.filter((l) => l.trainable).map((l) => l.node),
      ['/out/Conv'],
    );
  });

  it("'all' trains every parameter but not BatchNormalization statistics", () => {
    const p = planTraining(m, 'all');
    assert.equal(p.needsPrefix, false);
    assert.equal(p.trainable.length, 16);
    assert.ok(!p.trainable.includes('enc.2.running_mean'));
    assert.ok(p.trainable.includes('enc.2.weight'));
  });

  it('lastLayers: 2 cuts at the output of the skip concatenation', () => {
    const p = planTraining(m, { lastLayers: 2 });
    assert.deepEqual(p.cutInputs, ['/Concat_output_0']);
    assert.deepEqual(p.trainable, ['dec.0.weight', 'dec.0.bias', 'dec.2.weight', 'dec.2.bias', 'out.weight', 'out.bias']);
  });

  it('from a ConvTranspose node: the skip tensor becomes a second cut input', () => {
    const p = planTraining(m, { from: '/up/ConvTranspose' });
    assert.deepEqual(p.cutInputs, ['/mid/mid.2/BatchNormalization_output_0', '/enc/enc.2/BatchNormalization_output_0']);
  });

  it('MLP: the host shape chain is pulled into the tail', () => {
    const mlp = parseOnnx(join(FIX, 'tiny-mlp.onnx'));
    const p = planTraining(mlp, 'last');
    assert.deepEqual(
      p.tailNodes.map((n) => n.opType),
      ['Shape', 'Constant', 'Gather', 'Constant', 'Unsqueeze', 'Constant', 'Concat', 'Gemm'],
    );
    assert.deepEqual(p.cutInputs, ['input', '/net/net.3/Relu_output_0']);
  });

  it('bad choices are InputErrors naming the field', () => {
    assert.throws(
      () => planTraining(m, { lastLayers: 9 }),
      (e: unknown) => e instanceof InputError && e.field === 'trainable.lastLayers' && /outside 1\.\.5/.test(e.message),
    );
    assert.throws(
      () => planTraining(m, { from: 'nope' }),
      (e: unknown) => e instanceof InputError && e.field === 'trainable.from' && /'nope'/.test(e.message),
    );
  });
});
