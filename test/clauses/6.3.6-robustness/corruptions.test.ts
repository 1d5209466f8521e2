import { strict as assert } from 'node:assert';
import {
  corrupt,
  corruptionContext,
  corruptionsFor,
  CORRUPTIONS,
  getCorruption,
  noiseCorruptionFor,
} from '../../../src/clauses/6.3.6-robustness/corruptions/registry.js';
import { gaussianKernel, pixelate, jpegQuantise } from '../../../src/clauses/6.3.6-robustness/corruptions/image-ops.js';
import { InputError } from '../../../src/util/errors.js';
import { Rng } from '../../../src/util/random.js';

function image(n = 2, h = 16, w = 16, seed = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * h * w }, () => -1000 + 2000 * rng.uniform());
}
const shape = [2, 1, 16, 16];

describe('corruptions (6.3.6)', () => {
  it('every corruption has five recorded severities and severity 0 is the identity', () => {
    for (const c of CORRUPTIONS) {
      assert.equal(c.params.length, 5, c.name);
      const tab = c.modalities.includes('tabular') || c.modalities.includes('signal');
      const x = tab ? Float32Array.from({ length: 20 }, (_, i) => i - 7) : image();
      const s = tab ? [4, 5] : shape;
      const ctx = corruptionContext(x, s, tab ? 'tabular' : 'ct');
      assert.deepEqual(corrupt(c, x, s, 0, 3, ctx), x, c.name);
      const y1 = corrupt(c, x, s, 5, 3, ctx);
      assert.deepEqual(corrupt(c, x, s, 5, 3, ctx), y1, `${c.name} is not reproducible for a seed`);
      assert.notDeepEqual(y1, x, `${c.name} at severity 5 changed nothing`);
    }
  });

  it('registers the CT set and the tabular set by modality', () => {
    assert.deepEqual(
      corruptionsFor('ct').map((c) => c.name),
      [
        'gaussian-noise',
        'shot-noise',
        'impulse-noise',
        'gaussian-blur',
        'motion-blur',
        'contrast',
        'brightness',
        'pixelate',
        'jpeg-quantisation',
        'ring-artefact',
        'streak-artefact',
        'dose-reduction',
      ],
    );
    assert.deepEqual(
      corruptionsFor('tabular').map((c) => c.name),
      ['gaussian-noise', 'missing-values'],
    );
    assert.throws(
      () => getCorruption('fog', 'ct'),
      (e: unknown) => e instanceof InputError && /unknown corruption "fog"/.test(e.message),
    );
    assert.throws(() => corrupt(getCorruption('contrast', 'ct'), image(), shape, 6, 1, { range: [0, 1] }), InputError);
  });

  it("the exploration cells' noise corruption exists for every modality that has corruptions (none for text)", () => {
    const picks = (['ct', 'mr', 'image', 'tabular', 'signal', 'text'] as const).map((m) => [m, noiseCorruptionFor(m)]);
    assert.deepEqual(Object.fromEntries(picks), {
      ct: 'gaussian-noise',
      mr: 'gaussian-noise',
      image: 'gaussian-noise',
      tabular: 'gaussian-noise',
      signal: 'additive-noise',
      text: undefined,
    });
    for (const [m, name] of picks) if (name) assert.equal(getCorruption(name, m as 'ct').name, name);
  });

  it('brightness, contrast and pixelate give hand-computed values', () => {
    const x = Float32Array.from([0, 10, 20, 30]); // one 2×2 image
    const ctx = { range: [0, 100] as [number, number] };
    assert.deepEqual(Array.from(corrupt(getCorruption('brightness', 'image'), x, [1, 2, 2], 3, 1, ctx)), [10, 20, 30, 40]); // +0.1·100
    // mean 15, ×0.5
    assert.deepEqual(Array.from(corrupt(getCorruption('contrast', 'image'), x, [1, 2, 2], 3, 1, ctx)), [7.5, 12.5, 17.5, 22.5]);
    assert.deepEqual(Array.from(pixelate(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), [3, 3], 2)), [3, 3, 4.5, 3, 3, 4.5, 7.5, 7.5, 9]);
    const k = gaussianKernel(1.2);
    assert.ok(Math.abs(k.reduce((a, b) => a + b, 0) - 1) < 1e-6);
  });

  it('dose-reduction adds noise inside the patient only; missing values impute the clean mean', () => {
    const x = Float32Array.from([-1000, -1000, 40, 40]);
    const y = corrupt(getCorruption('dose-reduction', 'ct'), x, [1, 2, 2], 5, 1, { range: [-1000, 1000] });
    assert.deepEqual(Array.from(y.subarray(0, 2)), [-1000, -1000]);
    assert.ok(y[2] !== 40 && y[3] !== 40);
    const t = Float32Array.from([1, 10, 3, 30]);
    const ctx = corruptionContext(t, [2, 2], 'tabular');
    assert.deepEqual(Array.from(ctx.featureMean!), [2, 20]);
    const m = corrupt(getCorruption('missing-values', 'tabular'), t, [2, 2], 5, 9, ctx);
    m.forEach((v, i) => assert.ok(v === t[i] || v === ctx.featureMean![i % 2], `value ${i}`));
  });

  it('JPEG-like quantisation at quality 100 changes values by at most the rounding of the 0–255 scale', () => {
    const x = image(1, 8, 8, 4);
    const y = jpegQuantise(x, [1, 8, 8], 100, [-1000, 1000]);
    const worst = Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i]!)));
    assert.ok(worst < (2000 / 255) * 4, `max change ${worst} HU`);
    assert.ok(worst > 0);
  });
});
