/**
 * The trainer's compute backend and why it was chosen (measured on the project's 2-core CPU machine,
 * TensorFlow.js 4.22, one training step = forward + gradients):
 *
 * | op (fwd + grad) | tfjs `cpu` | tfjs `wasm` | this trainer |
 * | --- | --- | --- | --- |
 * | conv 3×3 8→8 on 10×64×64 | 7 236 ms | no `Conv2DBackpropFilter` kernel | 410 ms (JS kernel) |
 * | MLP 30-16-8-2, batch 32 | 2.2 ms | 1.4 ms | tfjs `cpu` |
 * | relu·2 on 10×64×64×16 | 217 ms | 15 ms | tfjs `cpu` |
 *
 * `@tensorflow/tfjs-node` needs a native binary downloaded outside the npm registry; `webgl`/`webgpu`
 * need a browser GPU context. `@tensorflow/tfjs-backend-wasm@4.22.0` installs from the registry but
 * cannot train convolutions and, in this repository, peer-conflicts with the `@tensorflow/tfjs-core`
 * 3.21 that danfojs-node hoists. So the trainer uses TensorFlow.js' pure-JS `cpu` backend for autograd
 * and small ops, with hand-written JavaScript kernels (convolution, channel affine, concatenation,
 * transposed convolution, layout transposes, fused sigmoid losses) for the hot paths.
 */
import * as tf from '@tensorflow/tfjs';
import type { Bilingual } from '../results/types.js';

/** What trains: backend, versions and the hand-written kernels. */
export interface TrainerBackendInfo {
  /** TensorFlow.js backend in use (`cpu`). */
  backend: string;
  tfjs: string;
  /** Kernels replaced by JavaScript loops with hand-written gradients. */
  jsKernels: string[];
  /** Where the frozen prefix runs. */
  prefix: Bilingual;
  /** Why this backend. */
  note: Bilingual;
}

/**
 * Describes the trainer's backend (recorded in ClauseResult settings).
 * @example
 * trainerBackend().backend; // 'cpu'
 */
export function trainerBackend(): TrainerBackendInfo {
  return {
    backend: tf.getBackend() ?? 'cpu',
    tfjs: tf.version.tfjs,
    jsKernels: [
      'Conv (group 1)',
      'BatchNormalization / bias → channelAffine',
      'Concat (channels)',
      'ConvTranspose (kernel = stride)',
      'NCHW↔NHWC transpose',
      'sigmoid BCE / Dice / Dice+BCE',
    ],
    prefix: {
      zh: 'onnxruntime-node，CPU 执行提供程序（切分处张量作为额外输出暴露并缓存）',
      en: 'onnxruntime-node, CPU execution provider (cut tensors exposed as extra outputs, cached)',
    },
    note: {
      zh:
        '选用纯 JS 的 TensorFlow.js cpu 后端：tfjs-node 需要注册表之外的二进制文件，wasm 没有 Conv2DBackpropFilter ' +
        '且与提升安装的 tfjs-core 3.21 冲突；使用 JS 内核训练卷积比 tfjs cpu 快 17.6 倍' +
        '（每步 410 ms 对 7236 ms，3×3 卷积 8→8，输入 10×64×64）',
      en:
        'pure-JS TensorFlow.js cpu backend chosen: tfjs-node needs a non-registry binary, wasm has no ' +
        'Conv2DBackpropFilter and conflicts with the hoisted tfjs-core 3.21; convolution training is 17.6× ' +
        'faster with the JS kernels than with tfjs cpu (410 vs 7236 ms per step, 3×3 conv 8→8 on 10×64×64)',
    },
  };
}
