import { strict as assert } from 'node:assert';
import { compareOutputs, labelAgreement, maskAgreement } from '../../../src/clauses/6.3.5-repeatability/compare.js';

describe('evaluations/repeat-compare', () => {
  it('measures max absolute and relative difference and the bit-exact share (hand-computed)', () => {
    const d = compareOutputs(new Float32Array([1, 2, -4, 0]), new Float32Array([1, 2.5, -4, 0]));
    assert.equal(d.maxAbsDiff, 0.5);
    assert.equal(d.maxRelDiff, 0.2); // 0.5 / max(|2|, |2.5|)
    assert.equal(d.exactMatchRate, 0.75);
    assert.equal(d.identical, false);
  });

  it('tells +0 from -0 bit for bit although their difference is 0', () => {
    const d = compareOutputs(new Float32Array([0]), new Float32Array([-0]));
    assert.equal(d.maxAbsDiff, 0);
    assert.equal(d.identical, false);
    assert.equal(compareOutputs(new Float32Array([3, NaN]), new Float32Array([3, NaN])).identical, true);
    assert.equal(compareOutputs(new Float32Array([3]), new Float32Array([NaN])).maxAbsDiff, Infinity);
  });

  it('decision agreement: equal labels, and mean Dice between two runs masks', () => {
    assert.equal(labelAgreement([0, 1, 1, 2], [0, 1, 2, 2]), 0.75);
    // image 1: a = {0,1}, b = {1} -> 2·1/3; image 2: both empty -> 1 (runs agree)
    const a = new Uint8Array([1, 1, 0, 0, 0, 0, 0, 0]);
    const b = new Uint8Array([0, 1, 0, 0, 0, 0, 0, 0]);
    assert.ok(Math.abs(maskAgreement(a, b, 4) - (2 / 3 + 1) / 2) < 1e-12);
    assert.throws(() => maskAgreement(a, b.subarray(0, 4), 4), /lengths differ/);
  });
});
