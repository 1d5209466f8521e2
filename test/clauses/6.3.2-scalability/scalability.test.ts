import { strict as assert } from 'node:assert';
import {
  evaluateScalability,
  fillSpeedup,
  judgeScaling,
  judgeTrainingThroughput,
  type ScalingRow,
} from '../../../src/clauses/6.3.2-scalability/evaluate.js';
import { meanInterval, type TrainingScalingRow } from '../../../src/clauses/6.3.2-scalability/training.js';
import { loadCase } from '../../../src/case/load.js';
import { join } from 'node:path';
import { assertValid } from '../../../src/util/schema.js';
import { claim, tinyCase } from '../tiny-case.js';

function row(threads: number, throughputPerSec: number, batch = 1): ScalingRow {
  return {
    provider: 'cpu',
    mode: 'sequential',
    threads,
    batch,
    p50Ms: 1000 / throughputPerSec,
    p99Ms: 1000 / throughputPerSec,
    throughputPerSec,
    speedup: NaN,
    parallelEfficiency: NaN,
  };
}

describe('evaluations/scalability (6.3.2)', function () {
  this.timeout(60_000);

  it('speed-up and parallel efficiency are relative to one thread', () => {
    const rows = [row(1, 100), row(2, 180), row(4, 300)];
    fillSpeedup(rows);
    assert.deepEqual(
      rows.map((r) => r.speedup),
      [1, 1.8, 3],
    );
    assert.deepEqual(
      rows.map((r) => r.parallelEfficiency),
      [1, 0.9, 0.75],
    );
  });

  it('finds the minimum configuration that meets a throughput claim', () => {
    const rows = [row(1, 100), row(2, 180), row(4, 300)];
    fillSpeedup(rows);
    const c = judgeScaling(claim('5.2.2', 'throughputPerSec', '>=', 150), rows);
    assert.equal(c.met, true);
    assert.equal(c.measured, 180);
    assert.match(String(c.note), /minimum configuration meeting the claim: 2 thread/);
    assert.equal(judgeScaling(claim('5.2.2', 'throughputPerSec', '>=', 400), rows).met, false);
    assert.equal(judgeScaling(claim('5.2.2', 'speedup', '>=', 2.5, { conditions: { threads: 4 } }), rows).met, true);
    // without a thread count, a speed-up claim is judged at the most threads swept (4: ×3)
    const su = judgeScaling(claim('5.2.2', 'speedup', '>=', 3.5), rows);
    assert.equal(su.measured, 3);
    assert.equal(su.met, false);
    assert.equal(judgeScaling(claim('5.2.2', 'throughputPerSec', '>=', 1, { conditions: { ep: 'cuda' } }), rows).met, null);
  });

  it('sweeps the case and lists every requested provider, ran or not available', async () => {
    const c = await tinyCase('linear', [claim('5.2.2', 'throughputPerSec', '>=', 10, { conditions: { batch: 2, threads: 1 } })]);
    const ev = await evaluateScalability(c, {
      threads: [1],
      batchSizes: [1],
      modes: ['sequential'],
      providers: ['cpu', 'webgpu'],
      timing: { warmup: 1, minQueries: 5, minDurationMs: 0 },
    });
    // batch 2 comes from the claim's conditions
    assert.deepEqual(
      ev.rows.map((r) => `${r.provider}/${r.threads}/${r.batch}`).filter((k) => k.startsWith('cpu')),
      ['cpu/1/1', 'cpu/1/2'],
    );
    const providers = ev.result.tables.find((t) => t.name === 'providers')!;
    assert.deepEqual(
      providers.rows.map((r) => r[0]),
      ['cpu', 'webgpu'],
    );
    const webgpuRan = ev.rows.some((r) => r.provider === 'webgpu');
    assert.equal(webgpuRan || ev.unavailable.some((u) => u.provider === 'webgpu' && /not available on this machine/.test(u.reason)), true);
    assert.equal(ev.result.verdict, 'pass');
    assertValid(ev.result, 'clause-result.schema.json', '6.3.2.json');
  });

  it('mean of repeated timings with a Student-t interval (hand-computed)', () => {
    // mean 10, s = 1, s/√3 = 0.57735, t(0.975, 2) = 4.303 → ± 2.48434
    const r = meanInterval([9, 10, 11]);
    assert.equal(r.mean, 10);
    assert.ok(Math.abs(r.low - (10 - 4.303 / Math.sqrt(3))) < 1e-12);
    assert.ok(Math.abs(r.high - (10 + 4.303 / Math.sqrt(3))) < 1e-12);
    assert.equal(meanInterval([1, 3]).low, 0, 'clamped at 0: 2 − 12.706 × 1 < 0');
  });

  it('judges a training-throughput claim at the claimed thread count (default: the fewest threads)', () => {
    const tr = (threads: number, v: number): TrainingScalingRow => ({
      threads,
      samplesPerSecond: v,
      low: v - 1,
      high: v + 1,
      repeats: 2,
      samples: 40,
      steps: 2,
      load: { before: 0, after: 0 },
    });
    const rows = [tr(1, 30), tr(2, 45)];
    const k = claim('5.2.2', 'trainingThroughputPerSec', '>=', 40, { conditions: { threads: 2 } });
    assert.equal(judgeTrainingThroughput(k, rows).measured, 45);
    assert.equal(judgeTrainingThroughput(k, rows).met, true);
    const k1 = claim('5.2.2', 'trainingThroughputPerSec', '>=', 40);
    assert.equal(judgeTrainingThroughput(k1, rows).measured, 30);
    assert.equal(judgeTrainingThroughput(k1, rows).met, false);
    assert.equal(
      judgeTrainingThroughput(claim('5.2.2', 'trainingThroughputPerSec', '>=', 1, { conditions: { threads: 3 } }), rows).met,
      null,
    );
    assert.match(judgeTrainingThroughput(k1, [], 'the case has no training settings').note!, /no training settings/);
  });

  it('measures the built-in trainer across thread counts beside the inference sweep (table, figure, measurement)', async () => {
    const c = await loadCase(join(__dirname, '..', '..', '..', '..', 'examples', 'breast-cancer-classifier'));
    c.claims = { ...c.claims, claims: [claim('5.2.2', 'trainingThroughputPerSec', '>=', 1, { conditions: { threads: 1 } })] };
    const ev = await evaluateScalability(c, {
      threads: [1, 2],
      batchSizes: [1],
      modes: ['sequential'],
      providers: ['cpu'],
      timing: { warmup: 1, minQueries: 5, minDurationMs: 0 },
      trainingSteps: 2,
    });
    assert.deepEqual(
      ev.training.map((r) => r.threads),
      [1, 2],
    );
    for (const r of ev.training) {
      assert.ok(r.samplesPerSecond > 0 && r.low <= r.samplesPerSecond && r.samplesPerSecond <= r.high);
      assert.equal(r.samples, 2 * c.spec.training!.batchSize);
    }
    const m = ev.result.measurements.filter((x) => x.name === 'trainingThroughputPerSec');
    assert.deepEqual(
      m.map((x) => x.conditions!.threads),
      [1, 2],
    );
    assert.ok(ev.result.tables.some((t) => t.name === 'training' && t.rows.length === 2));
    assert.ok(ev.figures.some((f) => f.name === 'training-throughput'));
    assert.equal(ev.result.claims[0]!.measured, ev.training[0]!.samplesPerSecond);
    assertValid(ev.result, 'clause-result.schema.json', '6.3.2.json');
  });
});
