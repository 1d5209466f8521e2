import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { InputError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/random.js';
import { parseOnnx } from '../../src/training/parsed-model.js';
import { Trainer, type TrainerOptions, type TrainingData } from '../../src/training/trainer.js';
import { analyzeConvergence } from '../../src/training/convergence.js';

const FIX = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'training');

/** Blobs brighter than 0.3 are foreground: a task a U-Net learns in a few epochs. */
function segData(n: number, seed: number): TrainingData {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n * 256 }, () => rng.normal());
  return { x, shape: [n, 1, 16, 16], target: x.map((v) => (v > 0.3 ? 1 : 0)), targetShape: [n, 1, 16, 16] };
}

function clsData(n: number, seed: number): TrainingData {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n * 6 }, () => rng.normal());
  const target = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) target[i * 2 + (x[i * 6]! + x[i * 6 + 1]! > 0 ? 1 : 0)] = 1;
  return { x, shape: [n, 6], target, targetShape: [n, 2] };
}

const seg: TrainerOptions = {
  modelPath: join(FIX, 'tiny-unet.onnx'),
  task: 'segmentation',
  activation: 'sigmoid',
  loss: 'dice-bce',
  optimizer: { kind: 'adam', lr: 0.01 },
  epochs: 4,
  batchSize: 8,
  seed: 7,
  trainable: { lastLayers: 2 },
  augmentation: { flips: true, gaussianNoise: 0.01 },
};

async function maxDiffVsOrt(file: string, x: Float32Array, shape: number[], y: Float32Array): Promise<number> {
  const s = await ort.InferenceSession.create(file);
  const r = await s.run({ input: new ort.Tensor('float32', x, shape) });
  await s.release();
  let d = 0;
  (r['logits']!.data as Float32Array).forEach((v, i) => {
    d = Math.max(d, Math.abs(v - y[i]!));
  });
  return d;
}

describe('training/Trainer', () => {
  const out = mkdtempSync(join(tmpdir(), 'ptmc-train-'));

  it('fine-tunes the tail of a U-Net: loss falls, validation Dice rises, deterministic for a seed', async () => {
    const train = segData(24, 1),
      val = segData(8, 2);
    const runs = [];
    for (let k = 0; k < 2; k++) {
      const t = await Trainer.create(seg);
      const before = await t.evaluate(val);
      const h = await t.fit(train, val);
      runs.push({ before, h });
      await t.dispose();
    }
    const [a, b] = runs;
    assert.deepEqual(
      a!.h.steps.map((s) => s.loss),
      b!.h.steps.map((s) => s.loss),
    );
    assert.equal(a!.h.steps.length, 4 * 3);
    assert.equal(a!.h.epochs.length, 4);
    assert.equal(a!.h.metricName, 'dice');
    assert.ok(a!.h.epochs[3]!.valLoss! < a!.before.loss, `${a!.h.epochs[3]!.valLoss} < ${a!.before.loss}`);
    assert.ok(a!.h.epochs[3]!.valMetric! > a!.before.metric);
    assert.ok(a!.h.samplesPerSecond > 0);
  });

  it(
    'writes the fine-tuned weights into a copy of the ONNX file that onnxruntime runs like the trainer ' + '(max abs diff < 1e-5)',
    async () => {
      const t = await Trainer.create({ ...seg, epochs: 2 });
      const d = segData(16, 3);
      await t.fit(d);
      const file = t.exportOnnx(join(out, 'ft.onnx'));
      const y = await t.predict(d.x, d.shape);
      const diff = await maxDiffVsOrt(file, d.x, d.shape, y);
      assert.ok(diff < 1e-5, `max abs diff ${diff}`);
      const orig = parseOnnx(seg.modelPath),
        ft = parseOnnx(file);
      assert.deepEqual(ft.initializers.get('enc.0.weight')!.data, orig.initializers.get('enc.0.weight')!.data, 'frozen layers unchanged');
      assert.notDeepEqual(ft.initializers.get('out.weight')!.data, orig.initializers.get('out.weight')!.data, 'trained layers changed');
      assert.deepEqual(
        ft.nodes.map((n) => n.opType),
        orig.nodes.map((n) => n.opType),
        'same graph',
      );
      await t.dispose();
    },
  );

  it('trains an MLP whole with SGD momentum and a step schedule; accuracy rises; lr decays −10 % per step', async () => {
    const t = await Trainer.create({
      modelPath: join(FIX, 'tiny-mlp.onnx'),
      task: 'classification',
      activation: 'softmax',
      loss: 'cross-entropy',
      optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9 },
      schedule: { kind: 'step', every: 2, factor: 0.9 },
      epochs: 6,
      batchSize: 16,
      seed: 3,
      trainable: 'all',
    });
    const train = clsData(128, 4),
      val = clsData(64, 5);
    const before = await t.evaluate(val);
    const h = await t.fit(train, val);
    assert.deepEqual(
      h.epochs.map((e) => Number(e.lr.toFixed(6))),
      [0.1, 0.1, 0.09, 0.09, 0.081, 0.081],
    );
    assert.ok(h.epochs[5]!.valMetric! > Math.max(0.8, before.metric), `accuracy ${h.epochs[5]!.valMetric}`);
    const file = t.exportOnnx(join(out, 'mlp.onnx'));
    assert.ok((await maxDiffVsOrt(file, val.x, val.shape, await t.predict(val.x, val.shape))) < 1e-5);
    await t.dispose();
  });

  it('a huge learning rate diverges: non-finite loss stops training and the analysis says so', async () => {
    const t = await Trainer.create({
      modelPath: join(FIX, 'tiny-mlp.onnx'),
      task: 'classification',
      activation: 'softmax',
      loss: 'cross-entropy',
      optimizer: { kind: 'sgd', lr: 1e6, momentum: 0.9 },
      epochs: 5,
      batchSize: 16,
      seed: 3,
      trainable: 'all',
    });
    const h = await t.fit(clsData(64, 4));
    const a = analyzeConvergence(h.steps.map((s) => s.loss));
    assert.ok(a.diverged);
    assert.equal(a.status, 'diverged');
    assert.match(a.reasons[0]!.en, /diverged/);
    await t.dispose();
  });

  it("'reinit-trainable' re-initialises only the trained layers; 'scratch' every layer; maxSeconds stops after an epoch", async () => {
    const orig = parseOnnx(seg.modelPath);
    const r = await Trainer.create({ ...seg, epochs: 3, init: 'reinit-trainable', trainable: 'last', maxSeconds: 0 });
    const h = await r.fit(segData(8, 1));
    assert.equal(h.epochs.length, 1);
    assert.equal(h.stoppedByBudget, true);
    const w = r.weights();
    assert.deepEqual([...w.keys()].sort(), ['out.bias', 'out.weight']);
    await r.dispose();
    const s = await Trainer.create({ ...seg, epochs: 1, init: 'scratch', trainable: 'last' });
    const ws = s.weights();
    assert.ok(ws.has('enc.0.weight') && ws.has('enc.2.running_var'));
    assert.deepEqual(Array.from(ws.get('enc.2.running_var')!), [1, 1, 1, 1]);
    assert.notDeepEqual(ws.get('enc.0.weight'), orig.initializers.get('enc.0.weight')!.data);
    await s.dispose();
  });

  it('rejects bad settings with InputError naming the field', async () => {
    await assert.rejects(Trainer.create({ ...seg, epochs: 0 }), (e: unknown) => e instanceof InputError && e.field === 'epochs');
    await assert.rejects(Trainer.create({ ...seg, batchSize: 1.5 }), (e: unknown) => e instanceof InputError && e.field === 'batchSize');
    const t = await Trainer.create({ ...seg, optimizer: { kind: 'sgd', lr: -1 } });
    await assert.rejects(t.fit(segData(8, 1)), (e: unknown) => e instanceof InputError && e.field === 'optimizer.lr');
    await t.dispose();
    assert.equal(tf.getBackend(), 'cpu');
  });
});
