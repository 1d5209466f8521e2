import assert from 'node:assert/strict';
import { applyPreprocess, loadCaseDataset, modelInputShape, openCaseModel, postprocess } from '../../src/case/predict.js';
import { loadCase } from '../../src/case/load.js';
import type { ModelIOSpec } from '../../src/case/types.js';
import { InputError } from '../../src/util/errors.js';
import { bundled } from './helpers.js';

const io = (p: Partial<ModelIOSpec>): ModelIOSpec => ({
  input: 'input',
  output: 'logits',
  inputShape: ['N', 1, 2, 2],
  outputActivation: 'sigmoid',
  ...p,
});

describe('case/predict', () => {
  it('affine pre-processing clips then scales (HU → [0, 1])', () => {
    const out = applyPreprocess(
      io({ preprocess: { kind: 'affine', clip: [-1000, 1000], offset: -1000, scale: 0.0005 } }),
      Float32Array.from([-2000, -1000, 0, 1000, 3000]),
      [1, 5],
    );
    assert.deepEqual([...out], [0, 0, 0.5, 1, 1]);
  });

  it('standardize works per feature over the last axis', () => {
    const out = applyPreprocess(
      io({ preprocess: { kind: 'standardize', mean: [1, 2], std: [2, 4] } }),
      Float32Array.from([3, 6, 1, 2]),
      [2, 2],
    );
    assert.deepEqual([...out], [1, 1, 0, 0]);
    assert.throws(
      () => applyPreprocess(io({ preprocess: { kind: 'standardize', mean: [1, 2], std: [2, 4] } }), new Float32Array(3), [1, 3]),
      InputError,
    );
  });

  it('channelOrder NCHW: RGB [N,H,W,3] is standardised per channel, then transposed to [N,3,H,W]', () => {
    const io: ModelIOSpec = {
      input: 'x',
      output: 'y',
      inputShape: ['N', 3, 1, 2],
      outputActivation: 'softmax',
      channelOrder: 'NCHW',
      preprocess: { kind: 'standardize', mean: [10, 20, 30], std: [1, 2, 5] },
    };
    // one image 1×2, pixels (r,g,b) = (11, 24, 40) and (12, 26, 45)
    const x = Float32Array.from([11, 24, 40, 12, 26, 45]);
    // per channel: r (1, 2); g ((24-20)/2, (26-20)/2) = (2, 3); b ((40-30)/5, (45-30)/5) = (2, 3); planar r,r,g,g,b,b
    assert.deepEqual([...applyPreprocess(io, x, [1, 1, 2, 3])], [1, 2, 2, 3, 2, 3]);
    assert.deepEqual(modelInputShape(io, [1, 1, 2, 3]), [1, 3, 1, 2]);
  });

  it('adds the channel axis the model declares, and refuses a wrong sample size', () => {
    assert.deepEqual(modelInputShape(io({ inputShape: ['N', 1, 64, 64] }), [5, 64, 64]), [5, 1, 64, 64]);
    assert.throws(() => modelInputShape(io({ inputShape: ['N', 1, 64, 64] }), [5, 32, 32]), InputError);
  });

  it('sigmoid segmentation: foreground probability and mask at the threshold', () => {
    const p = postprocess(io({}), Float32Array.from([0, Math.log(3), -Math.log(3), 10]), [1, 1, 2, 2]);
    assert.deepEqual(
      [...p.probs].map((v) => +v.toFixed(6)),
      [0.5, 0.75, 0.25, +(1 / (1 + Math.exp(-10))).toFixed(6)],
    );
    assert.deepEqual([...p.masks!], [1, 1, 0, 1]);
    assert.equal(p.numClasses, 2);
  });

  it('softmax classification: probabilities and arg-max labels', () => {
    const p = postprocess(io({ outputActivation: 'softmax', inputShape: ['N', 2] }), Float32Array.from([0, Math.log(3), 2, 0]), [2, 2]);
    assert.deepEqual(
      [...p.probs].map((v) => +v.toFixed(6)),
      [0.25, 0.75, +(Math.exp(2) / (1 + Math.exp(2))).toFixed(6), +(1 / (1 + Math.exp(2))).toFixed(6)],
    );
    assert.deepEqual([...p.labels!], [1, 0]);
  });

  it('two-channel softmax segmentation gives the foreground channel', () => {
    const p = postprocess(io({ outputActivation: 'softmax' }), Float32Array.from([0, 0, Math.log(3), 0]), [1, 2, 1, 2]);
    assert.deepEqual(
      [...p.probs].map((v) => +v.toFixed(6)),
      [0.75, 0.5],
    );
    assert.deepEqual([...p.masks!], [1, 0]);
  });

  it('predicts the breast-cancer test set as the generation script measured (41/42)', async () => {
    const c = await loadCase(bundled('breast-cancer-classifier'));
    const m = await openCaseModel(c, { ep: 'cpu', threads: 1 });
    try {
      for (const [role, right] of [
        ['test', 41],
        ['hard', 20],
        ['downstreamTest', 31],
      ] as const) {
        const ds = await loadCaseDataset(c, role);
        const p = await m.predict(ds.x, ds.shape, { batchSize: 16 });
        let ok = 0;
        for (let i = 0; i < ds.y!.length; i++) ok += p.labels![i] === ds.y![i] ? 1 : 0;
        assert.equal(ok, right, role);
        assert.equal(p.probs.length, ds.y!.length * 2);
      }
    } finally {
      await m.release();
    }
  });
});
