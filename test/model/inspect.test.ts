import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/util/errors.js';
import { inspectModel } from '../../src/model/inspect.js';
import { sha256File } from '../../src/model/hash.js';

const FIX = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'models');
/** Values read by the python onnx package (test/fixtures/models/make_models.py). */
const REF = JSON.parse(readFileSync(join(FIX, 'reference.json'), 'utf8')) as Record<string, Record<string, unknown>>;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ptmc-inspect-'));
}

describe('model/inspectModel', () => {
  for (const f of Object.keys(REF)) {
    it(`${f}: identity, I/O, op histogram and every initializer equal the python onnx reference`, async () => {
      const r = await inspectModel(join(FIX, f));
      const ref = REF[f];
      assert.equal(r.irVersion, ref.irVersion);
      assert.deepEqual(r.opsets, ref.opsets);
      assert.deepEqual(r.producer, ref.producer);
      assert.deepEqual(r.inputs, ref.inputs);
      assert.deepEqual(r.outputs, ref.outputs);
      assert.equal(r.nodeCount, ref.nodeCount);
      assert.deepEqual(r.opTypes, ref.opTypes);
      const refParams = ref.parameters as { total: number; initializers: unknown[] };
      assert.equal(r.parameters.total, refParams.total);
      assert.deepEqual(
        r.parameters.initializers.map(({ name, dtype, shape, count }) => ({ name, dtype, shape, count })),
        refParams.initializers,
      );
      assert.equal(
        r.parameters.total,
        r.parameters.initializers.reduce((s, i) => s + i.count, 0),
      );
      assert.equal(r.sha256, await sha256File(join(FIX, f)));
      assert.equal(r.bytes, readFileSync(join(FIX, f)).length);
    });
  }

  it('convnet: MACs and FLOPs equal the hand count, per layer and in total', async () => {
    const r = await inspectModel(join(FIX, 'convnet.onnx'));
    // Hand count, input [1,1,8,8]; MACs of a Conv = output elements × (C_in/group) × kernel area.
    //   conv1  Conv 1→4, k3, pads 1:            out [1,4,8,8] = 256 el × 1·9   = 2304 MACs; params 36+4 = 40
    //   relu1  Relu:                             256 FLOPs
    //   pool1  MaxPool k2 s2:                    out [1,4,4,4] = 64 el × 4      = 256 FLOPs
    //   conv2  Conv 4→8, group 2, SAME_UPPER:   out [1,8,4,4] = 128 el × 2·9   = 2304 MACs; params 144+8 = 152
    //   conv3  Conv 8→8, dilation 2, pads 2:    4+4-(2·2+1)+1 = 4 → [1,8,4,4] = 128 × 8·9 = 9216 MACs; params 576
    //   bn     BatchNormalization:               128 el × 1 = 128 MACs; params 4·8 = 32
    //   gap    GlobalAveragePool:                128 FLOPs (input elements), out [1,8,1,1]
    //   flatten                                  [1,8], free
    //   fc     Gemm 8→3 (transB):                1·3·8 = 24 MACs; params 24+3 = 27
    //   softmax                                  3 FLOPs
    // MACs = 2304+2304+9216+128+24 = 13976; FLOPs = 2·13976 + 256+256+128+3 = 28595; params 827.
    assert.equal(r.macs, 13976);
    assert.equal(r.flops, 28595);
    assert.equal(r.macsComplete, true);
    assert.deepEqual(r.notCounted, []);
    assert.deepEqual(
      r.layers.map((l) => [l.name, l.outputShape, l.parameters, l.macs]),
      [
        ['conv1', [1, 4, 8, 8], 40, 2304],
        ['relu1', [1, 4, 8, 8], 0, 0],
        ['pool1', [1, 4, 4, 4], 0, 0],
        ['conv2_grouped', [1, 8, 4, 4], 152, 2304],
        ['conv3_dilated', [1, 8, 4, 4], 576, 9216],
        ['bn', [1, 8, 4, 4], 32, 128],
        ['gap', [1, 8, 1, 1], 0, 0],
        ['flatten', [1, 8], 0, 0],
        ['fc', [1, 3], 27, 24],
        ['softmax', [1, 3], 0, 0],
      ],
    );
    assert.deepEqual(r.layers[0].inputs, ['input']);
    assert.deepEqual(r.layers[0].inputShapes, [[1, 1, 8, 8]]);
  });

  it('shapes: ConvTranspose, Resize, Concat, a Shape→Gather→Unsqueeze→Concat→Reshape chain, Transpose, MatMul', async () => {
    const r = await inspectModel(join(FIX, 'shapes.onnx'));
    // up: ConvTranspose 2→3, k2 s2 on [1,2,4,4]: out 2·(4-1)+2 = 8 → [1,3,8,8];
    //     MACs = input elements 32 × C_out 3 × 4 = 384
    // resize ×2 nearest → [1,2,8,8]; concat → [1,5,8,8]; reshape to [N=1, 5, -1] → [1,5,64]; transpose → [1,64,5]
    // matmul [1,64,5]×[5,4] → [1,64,4]: 64·4·5 = 1280 MACs.  Total 1664.
    const by = Object.fromEntries(r.layers.map((l) => [l.name, l]));
    assert.deepEqual(by.up.outputShape, [1, 3, 8, 8]);
    assert.equal(by.up.macs, 384);
    assert.deepEqual(by.resize.outputShape, [1, 2, 8, 8]);
    assert.deepEqual(by.concat.outputShape, [1, 5, 8, 8]);
    assert.deepEqual(by.concat_shape.outputShape, [3]);
    assert.deepEqual(by.reshape.outputShape, [1, 5, 64]);
    assert.deepEqual(by.transpose.outputShape, [1, 64, 5]);
    assert.deepEqual(by.matmul.outputShape, [1, 64, 4]);
    assert.equal(by.matmul.macs, 1280);
    assert.equal(r.macs, 1664);
    assert.equal(r.flops, 3328);
    assert.equal(r.macsComplete, true);
  });

  it('torch_cnn (torch 1.13 export, BN folded, view() as a Shape chain): MACs equal the torch-hook reference', async () => {
    const ref = REF['torch_cnn.onnx'].torchHookMacs as { inputShape: number[]; macs: number };
    const r = await inspectModel(join(FIX, 'torch_cnn.onnx'), { inputShapes: { image: ref.inputShape } });
    // c1 2·8·16·16·27 = 110592; c2 (groups 2, stride 2) 2·8·4·4·36 = 9216; fc 2·5·8 = 80 → 119888
    assert.equal(ref.macs, 119888);
    assert.equal(r.macs, ref.macs);
    assert.equal(r.macsComplete, true);
    assert.deepEqual(r.layers.find((l) => l.op === 'Reshape')?.outputShape, [2, 8]);
  });

  it('if_subgraph: initializers inside the If branches are listed and counted', async () => {
    const r = await inspectModel(join(FIX, 'if_subgraph.onnx'));
    assert.deepEqual(
      r.parameters.initializers.map((i) => [i.name, i.count, i.graph]),
      [
        ['top.b', 6, undefined],
        ['else.c', 3, 'graph/branch.else_branch'],
        ['then.c', 6, 'graph/branch.then_branch'],
      ],
    );
    assert.equal(r.parameters.total, 15);
    assert.equal(r.totalNodeCount, 4);
    // the branches are inferred in the If's scope: then Add [2,3]+[2,3], else Mul [2,3]·[3]: 0 MACs, 6 FLOPs each
    assert.equal(r.macsComplete, true);
    assert.deepEqual(r.notCounted, []);
    const row = r.layers.find((l) => l.op === 'If')!;
    assert.deepEqual(
      row.branches!.map((b) => [b.name, b.macs, b.flops]),
      [
        ['else_branch', 0, 6],
        ['then_branch', 0, 6],
      ],
    );
  });

  it('uncounted: an op ptmc does not count is listed in notCounted, never zero', async () => {
    const r = await inspectModel(join(FIX, 'uncounted.onnx'));
    assert.deepEqual(
      r.notCounted.map((n) => [n.name, n.op]),
      [
        ['einsum', 'Einsum'],
        ['relu', 'Relu'],
      ],
    );
    assert.match(r.notCounted[0].reason, /not counted/);
    assert.equal(r.macsComplete, false);
    assert.equal(r.layers[0].macs, null);
  });

  it('symbolic batch dim: MACs need an input shape, which is checked against the model', async () => {
    const f = join(FIX, 'mlp_symbolic.onnx');
    const none = await inspectModel(f);
    assert.equal(none.macs, null);
    assert.match(none.macsNote ?? '', /--input-shape input=/);
    // Linear 4→3 and 3→2 at batch 5: 5·3·4 + 5·2·3 = 60 + 30 = 90 MACs; Relu 15 FLOPs.
    const r = await inspectModel(f, { inputShapes: { input: [5, 4] } });
    assert.equal(r.macs, 90);
    assert.equal(r.flops, 2 * 90 + 15);
    assert.deepEqual(r.inputShapes, { input: [5, 4] });
    await assert.rejects(
      inspectModel(f, { inputShapes: { input: [5, 3] } }),
      (e: unknown) => e instanceof InputError && e.field === 'input' && /dim 1 must be 4/.test(e.message),
    );
    await assert.rejects(inspectModel(f, { inputShapes: { x: [5, 4] } }), InputError);
  });

  it('external data: counts from dims; a missing or short data file is an InputError', async () => {
    const r = await inspectModel(join(FIX, 'external.onnx'), { inputShapes: { x: [2, 16] } });
    assert.equal(r.parameters.total, 136);
    assert.deepEqual(
      r.parameters.initializers.map((i) => i.external),
      ['external.onnx.data', 'external.onnx.data'],
    );
    assert.equal(r.externalDataBytes, readFileSync(join(FIX, 'external.onnx.data')).length);
    assert.equal(r.macs, 2 * 8 * 16);
    const d = tmp();
    copyFileSync(join(FIX, 'external.onnx'), join(d, 'external.onnx'));
    await assert.rejects(
      inspectModel(join(d, 'external.onnx')),
      (e: unknown) => e instanceof InputError && /external data file "external.onnx.data".*missing/.test(e.message),
    );
    writeFileSync(join(d, 'external.onnx.data'), Buffer.alloc(100));
    await assert.rejects(inspectModel(join(d, 'external.onnx')), (e: unknown) => e instanceof InputError && /shorter/.test(e.message));
  });

  it('a truncated, garbage, empty or missing file is an InputError saying it is not ONNX', async () => {
    const d = tmp();
    const b = readFileSync(join(FIX, 'convnet.onnx'));
    for (const [name, data] of [
      ['half.onnx', b.subarray(0, b.length >> 1)],
      ['head.onnx', b.subarray(0, 40)],
      ['text.onnx', Buffer.from('{"not": "a model"}\n')],
      ['empty.onnx', Buffer.alloc(0)],
    ] as const) {
      writeFileSync(join(d, name), data);
      await assert.rejects(inspectModel(join(d, name)), (e: unknown) => {
        assert.ok(e instanceof InputError, String(e));
        assert.equal(e.exitCode, 2);
        assert.equal(e.file, join(d, name));
        assert.match(e.message, /is not a valid ONNX model/);
        return true;
      });
    }
    await assert.rejects(inspectModel(join(d, 'absent.onnx')), InputError);
  });
});
