import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { channelAffineJs, conv2dJs, sigmoidLossJs, transpose4Js } from '../../src/training/js-kernels.js';
import { concatChannelsJs, convTransposeBlocksJs } from '../../src/training/js-blocks.js';
import { poolBlocks } from '../../src/training/ops-fast.js';
import { Rng } from '../../src/util/random.js';

function rand(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
}

describe('training/kernels: fast kernels equal TensorFlow.js kernels (values and gradients)', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  for (const [name, strides, dil, pads] of [
    ['3×3 same', [1, 1], [1, 1], [1, 1, 1, 1]],
    ['3×3 stride 2, asymmetric pads', [2, 2], [1, 1], [0, 1, 1, 0]],
  ] as const) {
    it(`conv2dJs ${name}`, () => {
      const x = rand([2, 7, 6, 3], 1),
        f = rand([3, 3, 3, 4], 2),
        b = rand([4], 3) as tf.Tensor1D;
      const g = {
        strides: [...strides] as [number, number],
        dilations: [...dil] as [number, number],
        pads: [...pads] as [number, number, number, number],
      };
      const ref = (xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) =>
        tf.add(
          tf.conv2d(
            xx as tf.Tensor4D,
            ff as tf.Tensor4D,
            g.strides,
            [
              [0, 0],
              [pads[0], pads[1]],
              [pads[2], pads[3]],
              [0, 0],
            ],
            'NHWC',
            g.dilations,
          ),
          bb,
        );
      const ours = (xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) => conv2dJs(xx as tf.Tensor4D, ff as tf.Tensor4D, bb as tf.Tensor1D, g);
      assert.ok(maxDiff(ours(x, f, b), ref(x, f, b)) < 1e-5);
      const w = rand(ref(x, f, b).shape, 4); // weighted sum makes every gradient entry distinct
      const gr = tf.grads((xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(ref(xx, ff, bb), w)))([x, f, b]);
      const go = tf.grads((xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(ours(xx, ff, bb), w)))([x, f, b]);
      gr.forEach((r, i) => assert.ok(maxDiff(go[i]!, r) < 1e-4, `grad ${i}: ${maxDiff(go[i]!, r)}`));
    });
  }

  it('conv2dJs with dilation 2 equals a stride-1 conv with the zero-inserted 5×5 filter (TensorFlow.js has no dilated gradients)', () => {
    const x = rand([2, 7, 6, 3], 1),
      f = rand([3, 3, 3, 4], 2),
      b = rand([4], 3) as tf.Tensor1D;
    const g = {
      strides: [1, 1] as [number, number],
      dilations: [2, 2] as [number, number],
      pads: [2, 2, 2, 2] as [number, number, number, number],
    };
    const fd = tf.tensor(
      Float32Array.from({ length: 5 * 5 * 12 }, (_, i) => {
        const ky = Math.floor(i / 60),
          kx = Math.floor(i / 12) % 5;
        return ky % 2 || kx % 2 ? 0 : f.dataSync()[((ky / 2) * 3 + kx / 2) * 12 + (i % 12)]!;
      }),
      [5, 5, 3, 4],
    );
    const P = [
      [0, 0],
      [2, 2],
      [2, 2],
      [0, 0],
    ] as [[number, number], [number, number], [number, number], [number, number]];
    const ref = (xx: tf.Tensor, bb: tf.Tensor) => tf.add(tf.conv2d(xx as tf.Tensor4D, fd as tf.Tensor4D, 1, P), bb);
    assert.ok(maxDiff(conv2dJs(x as tf.Tensor4D, f as tf.Tensor4D, b, g), ref(x, b)) < 1e-5);
    const w = rand(ref(x, b).shape, 4);
    const gr = tf.grads((xx: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(ref(xx, bb), w)))([x, b]);
    const go = tf.grads((xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(conv2dJs(xx as tf.Tensor4D, ff as tf.Tensor4D, bb as tf.Tensor1D, g), w)),
    )([x, f, b]);
    assert.ok(maxDiff(go[0]!, gr[0]!) < 1e-4);
    assert.ok(maxDiff(go[2]!, gr[1]!) < 1e-4);
    const dfd = tf.grad((ff: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.conv2d(x as tf.Tensor4D, ff as tf.Tensor4D, 1, P), b), w)))(fd);
    const picked = tf.stridedSlice(dfd, [0, 0, 0, 0], [5, 5, 3, 4], [2, 2, 1, 1]);
    assert.ok(maxDiff(go[1]!, picked) < 1e-4);
  });

  it('conv2dJs without the input gradient (constant cached features) gives the same filter and bias gradients', () => {
    const x = rand([2, 6, 5, 3], 21),
      f = rand([3, 3, 3, 2], 22),
      b = rand([2], 23),
      w = rand([2, 6, 5, 2], 24);
    const g = {
      strides: [1, 1] as [number, number],
      dilations: [1, 1] as [number, number],
      pads: [1, 1, 1, 1] as [number, number, number, number],
    };
    const loss = (need: boolean) => (xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(conv2dJs(xx as tf.Tensor4D, ff as tf.Tensor4D, bb as tf.Tensor1D, g, need), w));
    const full = tf.grads(loss(true))([x, f, b]);
    const part = tf.grads(loss(false))([x, f, b]);
    assert.equal(maxDiff(part[1]!, full[1]!), 0);
    assert.equal(maxDiff(part[2]!, full[2]!), 0);
    assert.equal(tf.max(tf.abs(part[0]!)).dataSync()[0], 0);
  });

  it('channelAffineJs equals x·a + c with gradients', () => {
    const x = rand([2, 3, 3, 5], 5),
      a = rand([5], 6) as tf.Tensor1D,
      c = rand([5], 7) as tf.Tensor1D,
      w = rand([2, 3, 3, 5], 8);
    const ref = (xx: tf.Tensor, aa: tf.Tensor, cc: tf.Tensor) => tf.add(tf.mul(xx, aa), cc);
    const ours = (xx: tf.Tensor, aa: tf.Tensor, cc: tf.Tensor) => channelAffineJs(xx, aa as tf.Tensor1D, cc as tf.Tensor1D);
    assert.ok(maxDiff(ours(x, a, c), ref(x, a, c)) < 1e-6);
    const gr = tf.grads((xx: tf.Tensor, aa: tf.Tensor, cc: tf.Tensor) => tf.sum(tf.mul(ref(xx, aa, cc), w)))([x, a, c]);
    const go = tf.grads((xx: tf.Tensor, aa: tf.Tensor, cc: tf.Tensor) => tf.sum(tf.mul(ours(xx, aa, cc), w)))([x, a, c]);
    gr.forEach((r, i) => assert.ok(maxDiff(go[i]!, r) < 1e-4));
  });

  it('convTransposeBlocksJs equals conv2dTranspose + bias for kernel = stride = 2, with gradients', () => {
    const x = rand([2, 3, 4, 3], 9),
      w = rand([3, 2, 2, 2], 10),
      b = rand([2], 11); // ONNX [Cin, Cout, kh, kw]
    const ref = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.add(tf.conv2dTranspose(xx as tf.Tensor4D, tf.transpose(ww, [2, 3, 1, 0]) as tf.Tensor4D, [2, 6, 8, 2], 2, 'valid'), bb);
    const ours = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => convTransposeBlocksJs(xx as tf.Tensor4D, ww, bb as tf.Tensor1D);
    assert.ok(maxDiff(ours(x, w, b), ref(x, w, b)) < 1e-5);
    const m = rand([2, 6, 8, 2], 12);
    const gr = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(ref(xx, ww, bb), m)))([x, w, b]);
    const go = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(ours(xx, ww, bb), m)))([x, w, b]);
    gr.forEach((r, i) => assert.ok(maxDiff(go[i]!, r) < 1e-4, `grad ${i}`));
  });

  it('concatChannelsJs equals tf.concat on the channel axis, with gradients', () => {
    const a = rand([2, 3, 3, 2], 13),
      c = rand([2, 3, 3, 3], 14),
      m = rand([2, 3, 3, 5], 15);
    assert.ok(maxDiff(concatChannelsJs([a, c]), tf.concat([a, c], 3)) === 0);
    const gr = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.concat([p, q], 3), m)))([a, c]);
    const go = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(concatChannelsJs([p, q]), m)))([a, c]);
    gr.forEach((r, i) => assert.ok(maxDiff(go[i]!, r) < 1e-6));
  });

  it('transpose4Js and sigmoidLossJs equal TensorFlow.js (values and gradients)', () => {
    const x = rand([2, 3, 4, 5], 16),
      m = rand([2, 5, 3, 4], 17);
    assert.ok(maxDiff(transpose4Js(x, [0, 3, 1, 2]), tf.transpose(x, [0, 3, 1, 2])) === 0);
    const g1 = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(transpose4Js(p, [0, 3, 1, 2]), m)))(x);
    const g2 = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(tf.transpose(p, [0, 3, 1, 2]), m)))(x);
    assert.ok(maxDiff(g1, g2) < 1e-6);
    const z = rand([2, 1, 4, 4], 18),
      y = tf.cast(tf.greater(rand([2, 1, 4, 4], 19), 0), 'float32');
    const refLoss = (zz: tf.Tensor) => {
      const p = tf.sigmoid(zz);
      const bce = tf.mean(tf.add(tf.sub(tf.relu(zz), tf.mul(zz, y)), tf.log1p(tf.exp(tf.neg(tf.abs(zz))))));
      const inter = tf.sum(tf.mul(p, y), [2, 3]),
        den = tf.add(tf.sum(p, [2, 3]), tf.sum(y, [2, 3]));
      return tf.add(bce, tf.mean(tf.sub(1, tf.div(tf.add(tf.mul(inter, 2), 1), tf.add(den, 1))))) as tf.Scalar;
    };
    assert.ok(Math.abs(sigmoidLossJs(y, z, 'dice-bce').dataSync()[0]! - refLoss(z).dataSync()[0]!) < 1e-6);
    assert.ok(maxDiff(tf.grad((zz: tf.Tensor) => sigmoidLossJs(y, zz, 'dice-bce'))(z), tf.grad(refLoss)(z)) < 1e-6);
  });

  it('poolBlocks equals maxPool/avgPool 2×2/2 (odd sizes floor)', () => {
    const x = rand([1, 5, 4, 2], 11) as tf.Tensor4D;
    assert.ok(maxDiff(poolBlocks(x, [2, 2], 'max'), tf.maxPool(x, 2, 2, 'valid')) < 1e-6);
    assert.ok(maxDiff(poolBlocks(x, [2, 2], 'avg'), tf.avgPool(x, 2, 2, 'valid')) < 1e-6);
  });
});
