/**
 * Channel concatenation (U-Net skip connections) and non-overlapping transposed convolution
 * (U-Net up-sampling) in JavaScript loops with hand-written gradients; TensorFlow.js' CPU backend
 * indexes these element by element (measured: `SplitV`, the concat gradient, 2.5 s per step and the
 * 6-D transpose 0.4 s on the CT U-Net decoder).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Concatenation of NHWC tensors along the channel axis in JavaScript, with the gradient split back
 * (TensorFlow.js' CPU `SplitV` took 2.5 s per step on the U-Net decoder; this loop takes milliseconds).
 */
export function concatChannelsJs(xs: tf.Tensor[]): tf.Tensor {
  const Cs = xs.map((x) => x.shape[3]!);
  const Ct = Cs.reduce((a, b) => a + b, 0);
  const pixels = xs[0]!.size / Cs[0]!;
  const op = tf.customGrad(((...args: tf.Tensor[]) => {
    const ins = args.slice(0, xs.length).map((t) => t.dataSync() as Float32Array);
    const Y = new Float32Array(pixels * Ct);
    let off = 0;
    ins.forEach((X, k) => {
      const C = Cs[k]!;
      for (let p = 0; p < pixels; p++) for (let c = 0; c < C; c++) Y[p * Ct + off + c] = X[p * C + c]!;
      off += C;
    });
    const shape = [...xs[0]!.shape.slice(0, 3), Ct];
    return {
      value: tf.tensor(Y, shape),
      gradFunc: (dy: tf.Tensor) => {
        const DY = dy.dataSync() as Float32Array;
        let o2 = 0;
        return Cs.map((C) => {
          const G = new Float32Array(pixels * C);
          for (let p = 0; p < pixels; p++) for (let c = 0; c < C; c++) G[p * C + c] = DY[p * Ct + o2 + c]!;
          o2 += C;
          return tf.tensor(G, [...shape.slice(0, 3), C]);
        });
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(...xs);
}

/**
 * Transposed convolution with kernel = stride (non-overlapping blocks, no padding) and bias, in
 * JavaScript with gradients. `x` NHWC `[N,H,W,Cin]`, `w` ONNX `[Cin, Cout, kh, kw]`, `b` `[Cout]`.
 * @returns `[N, H·kh, W·kw, Cout]`
 */
export function convTransposeBlocksJs(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor1D): tf.Tensor4D {
  const [N, H, W, Cin] = x.shape;
  const [, Cout, kh, kw] = w.shape as [number, number, number, number];
  const Ho = H * kh,
    Wo = W * kw;
  // output pixel (n, y·kh+ky, x·kw+kx, co) = b[co] + Σ_ci X[n,y,x,ci]·w[ci,co,ky,kx]
  const op = tf.customGrad(((xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xt, wt]);
    const X = xt.dataSync() as Float32Array,
      Wt = wt.dataSync() as Float32Array,
      B = bt.dataSync() as Float32Array;
    const Y = new Float32Array(N * Ho * Wo * Cout);
    for (let n = 0; n < N; n++)
      for (let y = 0; y < H; y++)
        for (let xx = 0; xx < W; xx++) {
          const xo = ((n * H + y) * W + xx) * Cin;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const yo = ((n * Ho + y * kh + ky) * Wo + xx * kw + kx) * Cout;
              for (let co = 0; co < Cout; co++) {
                let s = B[co]!;
                for (let ci = 0; ci < Cin; ci++) s += X[xo + ci]! * Wt[((ci * Cout + co) * kh + ky) * kw + kx]!;
                Y[yo + co] = s;
              }
            }
        }
    return {
      value: tf.tensor4d(Y, [N, Ho, Wo, Cout]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const X2 = saved[0]!.dataSync() as Float32Array,
          W2 = saved[1]!.dataSync() as Float32Array,
          DY = dy.dataSync() as Float32Array;
        const DX = new Float32Array(X2.length),
          DW = new Float64Array(W2.length),
          DB = new Float64Array(Cout);
        for (let n = 0; n < N; n++)
          for (let y = 0; y < H; y++)
            for (let xx = 0; xx < W; xx++) {
              const xo = ((n * H + y) * W + xx) * Cin;
              for (let ky = 0; ky < kh; ky++)
                for (let kx = 0; kx < kw; kx++) {
                  const yo = ((n * Ho + y * kh + ky) * Wo + xx * kw + kx) * Cout;
                  for (let co = 0; co < Cout; co++) {
                    const d = DY[yo + co]!;
                    DB[co] += d;
                    for (let ci = 0; ci < Cin; ci++) {
                      const wi = ((ci * Cout + co) * kh + ky) * kw + kx;
                      DX[xo + ci] += d * W2[wi]!;
                      DW[wi] += d * X2[xo + ci]!;
                    }
                  }
                }
            }
        return [tf.tensor(DX, saved[0]!.shape), tf.tensor(Float32Array.from(DW), saved[1]!.shape), tf.tensor1d(Float32Array.from(DB))];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, w, b) as tf.Tensor4D;
}
