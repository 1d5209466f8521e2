import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { inspectModel } from '../../src/model/inspect.js';
import { exportFineTuned, parseOnnx } from '../../src/training/parsed-model.js';
import { judgeClaim } from '../../src/clauses/judge.js';
import { shapesAgree } from '../../src/clauses/6.2-description/accuracy.js';
import type { Claim } from '../../src/case/types.js';

const FIX = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'models');
/** Independent counts by the python onnx package (test/fixtures/models/make_constant_models.py, count_params.py). */
const REF = JSON.parse(readFileSync(join(FIX, 'reference-constants.json'), 'utf8')) as Record<
  string,
  { total: number; weights: { name: string; count: number; constant: boolean }[] }
>;

describe('model: weights stored as Constant nodes, and MACs through If subgraphs', () => {
  for (const f of Object.keys(REF)) {
    it(`${f}: the parameter count equals the python onnx count (initializers + large float Constants)`, async () => {
      const r = await inspectModel(join(FIX, f));
      assert.equal(r.parameters.total, REF[f]!.total);
      const counts = (xs: { count: number; constant?: boolean }[]) => xs.map((x) => `${x.count}:${x.constant === true}`).sort();
      assert.deepEqual(counts(r.parameters.initializers), counts(REF[f]!.weights));
    });
  }

  it('constant_weights: Constant and Identity-renamed Constant weights are listed per layer; small constants are not', async () => {
    const r = await inspectModel(join(FIX, 'constant_weights.onnx'), { inputShapes: { x: [2, 1, 6, 6] } });
    // hand count: conv.w 18 (> 16 elements), fc.w 96 (renamed by an Identity); conv.b (2), fc.b (3), shape (int64) are not weights
    assert.equal(r.parameters.total, 114);
    assert.deepEqual(
      r.parameters.initializers.map((i) => [i.name, i.count, i.constant]),
      [
        ['conv.w', 18, true],
        ['fc.w', 96, true],
      ],
    );
    assert.deepEqual(r.opTypes, { Constant: 5, Conv: 1, Relu: 1, Reshape: 1, Identity: 1, Gemm: 1 });
    assert.equal(r.nodeCount, 10);
    const conv = r.layers.find((l) => l.op === 'Conv')!;
    assert.equal(conv.parameters, 18);
    // Conv out [2,2,4,4] = 64 elements × 1·9 = 576 MACs; Gemm 2·3·32 = 192 MACs
    assert.equal(conv.macs, 576);
    assert.equal(r.layers.find((l) => l.op === 'Gemm')!.parameters, 96);
    assert.equal(r.macs, 768);
    assert.equal(r.macsComplete, true);
  });

  it('if_macs: both branches are reported by name and the larger is the upper bound', async () => {
    const r = await inspectModel(join(FIX, 'if_macs.onnx'));
    const row = r.layers.find((l) => l.op === 'If')!;
    // in the file's attribute order (onnx helper sorts them); then: 2·3·8 = 48 MACs; else: 2·3·6 + 2·6·8 = 36 + 96 = 132 MACs
    assert.deepEqual(
      row.branches!.map((b) => [b.name, b.macs, b.complete]),
      [
        ['else_branch', 132, true],
        ['then_branch', 48, true],
      ],
    );
    assert.equal(row.macs, 132);
    assert.deepEqual(row.outputShape, [2, 8]);
    assert.equal(r.macs, 132);
    assert.equal(r.macsComplete, true);
    assert.deepEqual(r.opTypesAll, { Add: 1, If: 1, Constant: 3, MatMul: 3, Relu: 1 });
    assert.deepEqual(r.opTypes, { Add: 1, If: 1 });
  });

  it('trainer: Constant weights are lifted to parameters and the fine-tuned export is a valid ONNX that runs', async () => {
    const m = parseOnnx(join(FIX, 'constant_weights.onnx'));
    assert.deepEqual([...m.initializers.keys()], ['conv.w', 'fc.w']);
    assert.equal(
      m.nodes.some((n) => n.opType === 'Identity'),
      false,
    );
    const x = new Float32Array(36).map((_, i) => Math.sin(i));
    const run = async (file: string) => {
      const s = await ort.InferenceSession.create(file);
      const out = (await s.run({ x: new ort.Tensor('float32', x, [1, 1, 6, 6]) }))['y']!.data as Float32Array;
      await s.release();
      return [...out];
    };
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-lift-'));
    const same = exportFineTuned(m, new Map(), join(dir, 'same.onnx'));
    const before = await run(join(FIX, 'constant_weights.onnx'));
    assert.deepEqual(await run(same), before);
    const zero = exportFineTuned(m, new Map([['fc.w', new Float32Array(96)]]), join(dir, 'zero.onnx'));
    // fc.w = 0 → y = fc.b, the Constant bias the trainer left in place
    const bias = (m.nodes.find((n) => n.outputs[0] === 'fc.b')!.attrs.value as { data: Float32Array }).data;
    const after = await run(zero);
    after.forEach((v, i) => assert.ok(Math.abs(v - bias[i]!) < 1e-6, `y[${i}] = ${v}, bias ${bias[i]}`));
    assert.notDeepEqual(after, before);
  });

  it('6.2: a declared symbolic batch dim matches a named one (paddle2onnx), numbers still must be equal', () => {
    assert.equal(shapesAgree(['N', 3, 48, 192], ['p2o.DynamicDimension.0', 3, 48, 192]), true);
    assert.equal(shapesAgree(['N', 3, 48, 192], ['p2o.DynamicDimension.0', 3, 32, 192]), false);
    assert.equal(shapesAgree([-1, 3], ['batch', 3]), true);
  });

  it('6.3.4: a lower bound is inconclusive against <= claims, and fails a <= claim it already exceeds', () => {
    const claim = (comparator: Claim['comparator'], value: number): Claim =>
      ({ id: 'c', statement: 's', metric: 'macs', comparator, value }) as unknown as Claim;
    const lb = (c: Claim, v: number) => judgeClaim(c, v, 'lower bound: some nodes not counted', { rule: 'lower-bound' }).met;
    assert.equal(lb(claim('<=', 5e7), 0), null);
    assert.equal(lb(claim('<=', 5e7), 6e7), false);
    assert.equal(lb(claim('>=', 10), 20), true);
    assert.equal(lb(claim('>=', 10), 5), null);
    assert.equal(lb(claim('==', 10), 10), null);
  });
});
