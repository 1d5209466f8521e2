import { strict as assert } from 'node:assert';
import { percentile, timeQueries } from '../../../src/clauses/common/timing.js';

describe('evaluations/timing', () => {
  it('percentile interpolates linearly between closest ranks (numpy "linear")', () => {
    assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
    // numpy.percentile(range(1, 11), 90) == 9.1
    assert.ok(Math.abs(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) - 9.1) < 1e-12);
    assert.equal(percentile([5], 99), 5);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('runs the warm-up unmeasured, then at least minQueries queries', async () => {
    let calls = 0;
    const t = await timeQueries(async () => void calls++, { warmup: 2, minQueries: 5, minDurationMs: 0 });
    assert.equal(calls, 7);
    assert.equal(t.samplesMs.length, 5);
    assert.ok(t.p50 <= t.p90 && t.p90 <= t.p99);
    assert.deepEqual(t.settings, { warmup: 2, minQueries: 5, minDurationMs: 0, maxQueries: 10000 });
  });

  it('keeps measuring until minDurationMs has passed, bounded by maxQueries', async () => {
    const slow = await timeQueries(() => new Promise((r) => setTimeout(r, 5)), { warmup: 0, minQueries: 1, minDurationMs: 60 });
    assert.ok(slow.samplesMs.length >= 5, `only ${slow.samplesMs.length} queries in 60 ms of 5 ms queries`);
    const capped = await timeQueries(async () => undefined, { warmup: 0, minQueries: 1, minDurationMs: 10_000, maxQueries: 50 });
    assert.equal(capped.samplesMs.length, 50);
  });
});
