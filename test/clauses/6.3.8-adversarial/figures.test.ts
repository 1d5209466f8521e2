/**
 * The 6.3.8 example figure follows the input's kind: one bar per feature for tabular rows, an image grid
 * (clean, δ, attacked) for image classifiers, a line over the element index for long 1-D signals — never one
 * bar per pixel (a 3×48×192 classifier once drew 27,648 bars, 608,000 px high, and rendering hung).
 */
import * as assert from 'node:assert/strict';
import type { CaseModel } from '../../../src/case/predict.js';
import type { LoadedCase } from '../../../src/case/types.js';
import { figureIn } from '../../../src/figures/render.js';
import { adversarialFigures, exampleKind, type AdversarialFigureInput } from '../../../src/clauses/6.3.8-adversarial/figures.js';

function input(shape: number[]): AdversarialFigureInput {
  const n = shape[0]!;
  const dim = shape.slice(1).reduce((a, b) => a * b, 1);
  const xm = Float32Array.from({ length: n * dim }, (_, i) => (i % 7) / 7);
  const xAdv = Float32Array.from(xm, (v, i) => v + (i % 2 ? 0.05 : -0.05));
  return {
    ds: { ids: Array.from({ length: n }, (_, i) => `s${i}`), x: xm, shape, y: new Int32Array(n) } as never,
    xm,
    shape,
    rows: [{ attack: 'square', norm: 'linf', epsilon: 0.05, robust: 0.5, attackSuccessRate: 0.5, metric: 'accuracy' }],
    examples: [{ attack: 'square', norm: 'linf', epsilon: 0.05, result: { xAdv, adversarial: Uint8Array.from([1, 0]) } as never }],
    seg: false,
  };
}

const caseWith = (featureColumns?: string[]) =>
  ({ spec: { datasets: { test: featureColumns ? { featureColumns } : {} } } }) as unknown as LoadedCase;

describe('6.3.8 example figures', () => {
  it('exampleKind: features up to 64 inputs or named columns, images for (C,)H,W ≥ 8, signals otherwise', () => {
    assert.equal(exampleKind([2, 30], false), 'features');
    assert.equal(exampleKind([2, 1536], true), 'features');
    assert.equal(exampleKind([2, 1536], false), 'signal');
    assert.equal(exampleKind([2, 3, 48, 192], false), 'image');
    assert.equal(exampleKind([2, 64, 64], false), 'image');
    assert.equal(exampleKind([2, 1, 4, 512], false), 'signal');
  });

  it('an image classifier gets three images of H × W (channel mean), a signal one line per series', async () => {
    const img = await adversarialFigures(caseWith(), {} as CaseModel, input([2, 3, 16, 32]));
    const ex = img.find((f) => f.name === 'examples')!;
    const z = (figureIn(ex.figure, 'en').data as { type?: string; z?: number[][] }[]).filter((t) => t.z);
    assert.equal(z.length, 3);
    assert.deepEqual([z[0]!.z!.length, z[0]!.z![0]!.length], [16, 32]);
    // channel mean of sample 0 at (0, 0): channels at offsets 0, 512, 1024 → (0 + 1 + 2) / 7 / 3
    assert.ok(Math.abs(z[0]!.z![0]![0]! - (0 / 7 + (512 % 7) / 7 + (1024 % 7) / 7) / 3) < 1e-6);
    const sig = await adversarialFigures(caseWith(), {} as CaseModel, input([2, 1536]));
    const lines = figureIn(sig.find((f) => f.name === 'examples')!.figure, 'en').data as { x?: unknown[] }[];
    assert.equal(lines.length, 3);
    assert.equal(lines[0]!.x!.length, 1536);
    const zhNames = (figureIn(sig.find((f) => f.name === 'examples')!.figure, 'zh').data as { name?: string }[]).map((t) => t.name);
    assert.deepEqual(zhNames, ['原始', '攻击后', '扰动 δ']);
    const bars = await adversarialFigures(caseWith(['a', 'b', 'c']), {} as CaseModel, input([2, 3]));
    assert.equal((figureIn(bars.find((f) => f.name === 'examples')!.figure, 'en').data as { y?: unknown[] }[])[0]!.y!.length, 3);
  });
});
