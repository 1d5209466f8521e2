import { strict as assert } from 'node:assert';
import { evaluateScalability, fillSpeedup, judgeScaling, type ScalingRow } from '../../../src/clauses/6.3.2-scalability/evaluate.js';
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
});
