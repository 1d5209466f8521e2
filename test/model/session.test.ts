import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { InputError, ModelError } from '../../src/util/errors.js';
import { collectEnvironment } from '../../src/util/environment.js';
import { cudaBinaries, parseProfilePlacement } from '../../src/model/providers.js';
import { judgePlacement, openModel } from '../../src/model/open.js';
import { sha256File } from '../../src/model/hash.js';

const FIX = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'models');
const MLP = join(FIX, 'mlp_symbolic.onnx');
const CONV = join(FIX, 'convnet.onnx');

/** Deterministic pseudo-random data (LCG), so tests need no seeded library. */
function data(n: number, seed = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    a[i] = s / 2147483648 - 0.5;
  }
  return a;
}

describe('model/openModel', () => {
  it('auto on a GPU-less machine runs on cpu and says why cuda and webgpu did not run', async () => {
    const s = await openModel(MLP, { ep: 'auto' });
    try {
      assert.equal(s.provider, 'cpu');
      assert.equal(s.requestedProvider, 'auto');
      const names = s.fallbacks.map((f) => f.provider);
      assert.deepEqual(names, ['cuda', 'webgpu']);
      assert.ok(cudaBinaries().installed === false);
      assert.match(
        s.fallbacks[0].reason,
        /CUDA provider binaries not installed.*libonnxruntime_providers_cuda\.so.*ONNXRUNTIME_NODE_INSTALL=cuda12/,
      );
      assert.match(s.fallbacks[1].reason, /WebGPU adapter|Vulkan/i);
      // the report's text: our sentence in both languages, the missing files and onnxruntime's message quoted as they are
      const [cuda, webgpu] = s.fallbacks.map((f) => f.text!);
      assert.equal(cuda!.en, s.fallbacks[0].reason);
      assert.match(
        cuda!.zh,
        new RegExp(
          '^未安装 CUDA 执行提供程序的二进制文件（缺少 .*libonnxruntime_providers_cuda\\.so.*）；' +
            '可用 ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node 安装$',
        ),
      );
      assert.ok(webgpu!.en.startsWith('webgpu did not start: '), webgpu!.en);
      assert.ok(webgpu!.zh.startsWith('webgpu 未能启动：'), webgpu!.zh);
      const quoted = s.fallbacks[1].reason.replace(/ \(GPU seen: .*$/, '');
      assert.ok(webgpu!.zh.includes(quoted) && webgpu!.en.includes(quoted), 'onnxruntime message quoted in both');
      assert.equal(s.ortVersion, '1.30.0');
      assert.match(s.device, /logical cores/);
      const env = collectEnvironment(s.providerInfo());
      assert.equal(env.executionProvider, 'cpu');
      assert.equal(env.requestedProvider, 'auto');
      assert.equal(env.fallbacks?.length, 2);
      assert.equal(env.gpu, undefined);
    } finally {
      await s.release();
    }
  });

  it('an explicit webgpu request that cannot start falls back to cpu with the reason', async () => {
    const s = await openModel(MLP, { ep: 'webgpu' });
    assert.equal(s.provider, 'cpu');
    assert.equal(s.requestedProvider, 'webgpu');
    assert.deepEqual(
      s.fallbacks.map((f) => f.provider),
      ['webgpu'],
    );
    await s.release();
  });

  it('cpu opens without fallbacks and reads I/O metadata with symbolic dims', async () => {
    const s = await openModel(MLP, { ep: 'cpu', threads: 1, graphOptimization: 'basic' });
    assert.equal(s.provider, 'cpu');
    assert.deepEqual(s.fallbacks, []);
    assert.deepEqual(s.inputs, [{ name: 'input', type: 'float32', shape: ['batch', 4] }]);
    assert.deepEqual(s.outputs, [{ name: 'output', type: 'float32', shape: ['batch', 2] }]);
    assert.equal(s.sha256, await sha256File(MLP));
    await s.release();
    await assert.rejects(s.predictAll(new Float32Array(4), [1, 4]), ModelError);
  });

  it('rejects bad options, missing and non-ONNX files with InputError', async () => {
    await assert.rejects(openModel(MLP, { ep: 'tpu' as 'cpu' }), InputError);
    await assert.rejects(openModel(MLP, { threads: 0 }), InputError);
    await assert.rejects(openModel(join(FIX, 'nope.onnx')), InputError);
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-test-'));
    writeFileSync(join(dir, 'garbage.onnx'), 'this is not a model');
    await assert.rejects(openModel(join(dir, 'garbage.onnx'), { ep: 'cpu' }), InputError);
  });
});

describe('model/ModelSession', () => {
  it('predictAll equals a manual session.run on the same data, with a short last batch', async () => {
    const s = await openModel(MLP, { ep: 'cpu' });
    const ref = await ort.InferenceSession.create(MLP);
    const x = data(10 * 4);
    const got = await s.predictAll(x, [10, 4], { batchSize: 4 });
    const want = await ref.run({ input: new ort.Tensor('float32', x, [10, 4]) });
    assert.deepEqual(got.output.dims, [10, 2]);
    assert.deepEqual(Array.from(got.output.data), Array.from(want.output.data as Float32Array));
    const batches = [];
    for await (const b of s.runBatches(x, [10, 4], { batchSize: 4, warmup: 2 })) batches.push([b.start, b.count]);
    assert.deepEqual(batches, [
      [0, 4],
      [4, 4],
      [8, 2],
    ]);
    await s.release();
    await ref.release();
  });

  it('a wrong shape or dtype is an InputError naming the input with expected vs given', async () => {
    const s = await openModel(MLP, { ep: 'cpu' });
    await assert.rejects(s.predictAll(data(10 * 5), [10, 5]), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.field, 'input');
      assert.match(e.message, /input "input" has shape \[1,5\]; the model expects \[batch,4\]/);
      return true;
    });
    await assert.rejects(
      s.run({ input: new ort.Tensor('int32', new Int32Array(4), [1, 4]) }),
      (e: unknown) => e instanceof InputError && /dtype int32; the model expects float32/.test(e.message),
    );
    await assert.rejects(s.run({ inp: new ort.Tensor('float32', new Float32Array(4), [1, 4]) }), InputError);
    await assert.rejects(s.predictAll(data(7), [2, 4]), InputError);
    await assert.rejects(s.predictAll(data(8), [2, 4], { outputNames: ['nope'] }), InputError);
    await s.release();
    const c = await openModel(CONV, { ep: 'cpu' });
    // static batch 1: a batch of 2 is refused before any run
    await assert.rejects(c.predictAll(data(2 * 64), [2, 1, 8, 8], { batchSize: 2 }), /dim 0 is 2, expected 1/);
    const one = await c.predictAll(data(3 * 64), [3, 1, 8, 8]);
    assert.deepEqual(one.probs.dims, [3, 3]);
    for (let i = 0; i < 3; i++) {
      const sum = one.probs.data[i * 3] + one.probs.data[i * 3 + 1] + one.probs.data[i * 3 + 2];
      assert.ok(Math.abs(sum - 1) < 1e-6); // softmax rows
    }
    await c.release();
  });
});

describe('model/ModelSession on external data', () => {
  it('runs a model whose weights live in an external file; plain {type,data,dims} feeds are accepted', async () => {
    const s = await openModel(join(FIX, 'external.onnx'), { ep: 'cpu' });
    const x = data(3 * 16);
    const all = await s.predictAll(x, [3, 16], { batchSize: 2 });
    assert.deepEqual(all.y.dims, [3, 8]);
    const one = await s.run({ x: { type: 'float32', data: x, dims: [3, 16] } });
    assert.deepEqual(Array.from(all.y.data), Array.from(one.y.data as Float32Array));
    await s.release();
  });
});

describe('model/sha256File', () => {
  it('hashes a file streamed (SHA-256 of "abc") and re-hashes when it changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-test-'));
    const f = join(dir, 'a.txt');
    writeFileSync(f, 'abc');
    assert.equal(await sha256File(f), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    writeFileSync(f, 'abcd');
    assert.equal(await sha256File(f), '88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589');
    copyFileSync(MLP, join(dir, 'm.onnx'));
    assert.equal(await sha256File(join(dir, 'm.onnx')), await sha256File(MLP));
  });
});

describe('model/parseProfilePlacement', () => {
  it('counts distinct nodes per provider from an onnxruntime profile', () => {
    const ev = (i: number, p: string, op: string) => ({
      cat: 'Node',
      name: `n${i}_kernel_time`,
      args: { node_index: String(i), provider: p, op_name: op },
    });
    const json = JSON.stringify([
      { cat: 'Session', name: 'model_run' },
      ev(0, 'WebGpuExecutionProvider', 'Conv'),
      ev(0, 'WebGpuExecutionProvider', 'Conv'),
      ev(1, 'WebGpuExecutionProvider', 'Relu'),
      ev(2, 'CPUExecutionProvider', 'NonZero'),
    ]);
    assert.deepEqual(parseProfilePlacement(json), {
      nodes: { WebGpuExecutionProvider: 2, CPUExecutionProvider: 1 },
      ops: { WebGpuExecutionProvider: ['Conv', 'Relu'], CPUExecutionProvider: ['NonZero'] },
    });
  });
});

describe('model/judgePlacement', () => {
  it('never reports a GPU provider that ran no node', () => {
    const r = judgePlacement('webgpu', { nodes: { CPUExecutionProvider: 4 }, ops: { CPUExecutionProvider: ['Conv', 'Relu'] } });
    assert.equal(r.ran, false);
    assert.deepEqual(r.fallbacks, [
      {
        provider: 'webgpu',
        reason: 'onnxruntime placed none of the 4 nodes on WebGpuExecutionProvider',
        text: {
          zh: 'onnxruntime 未将 4 个节点中的任何一个放在 WebGpuExecutionProvider 上',
          en: 'onnxruntime placed none of the 4 nodes on WebGpuExecutionProvider',
        },
      },
    ]);
  });
  it('records nodes left to the CPU as a partial fallback', () => {
    const r = judgePlacement('cuda', {
      nodes: { CUDAExecutionProvider: 9, CPUExecutionProvider: 2 },
      ops: { CUDAExecutionProvider: ['Conv'], CPUExecutionProvider: ['NonZero', 'Shape'] },
    });
    assert.equal(r.ran, true);
    const reason = 'partial: 2 of 11 nodes ran on CPUExecutionProvider (NonZero, Shape)';
    assert.deepEqual(r.fallbacks, [
      {
        provider: 'cuda',
        reason,
        text: { zh: '部分回退：11 个节点中有 2 个在 CPUExecutionProvider 上运行（NonZero, Shape）', en: reason },
      },
    ]);
  });
  it('reads a real onnxruntime profile: every convnet node on CPUExecutionProvider', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-prof-'));
    const s = await ort.InferenceSession.create(CONV, {
      enableProfiling: true,
      profileFilePrefix: join(dir, 'p'),
      graphOptimizationLevel: 'disabled',
    });
    await s.run({ input: new ort.Tensor('float32', data(64), [1, 1, 8, 8]) });
    await s.endProfiling();
    await s.release();
    const p = parseProfilePlacement(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8'));
    // no graph optimisation: the 10 nodes of the file run as they are
    assert.deepEqual(p.nodes, { CPUExecutionProvider: 10 });
    assert.deepEqual(p.ops.CPUExecutionProvider, [
      'BatchNormalization',
      'Conv',
      'Flatten',
      'Gemm',
      'GlobalAveragePool',
      'MaxPool',
      'Relu',
      'Softmax',
    ]);
    assert.equal(judgePlacement('webgpu', p).ran, false);
  });
});
