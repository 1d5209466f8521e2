import { strict as assert } from 'node:assert';
import type { Prediction } from '../../../src/case/predict.js';
import type { LoadedCase } from '../../../src/case/types.js';
import type { Dataset } from '../../../src/data/types.js';
import { subgroupMaxGap } from '../../../src/clauses/6.3.7-generalization/evaluate.js';
import { analyseSubgroups, subgroupIndex } from '../../../src/clauses/6.3.7-generalization/subgroups.js';
import { Rng } from '../../../src/util/random.js';
import { assertBilingual } from '../bilingual.js';

/** 120 samples over sites A/B/C; `errorRate(site)` of them misclassified (seeded). */
function planted(errorRate: (site: string) => number, task: 'classification' | 'segmentation' = 'classification') {
  const rng = new Rng(11);
  const n = 120;
  const site = Array.from({ length: n }, (_, i) => ['A', 'B', 'C'][i % 3]!);
  const y = new Int32Array(n).map((_, i) => i % 2);
  const labels = Int32Array.from(y, (v, i) => (rng.uniform() < errorRate(site[i]!) ? 1 - v : v));
  const px = 16;
  const masks = new Uint8Array(n * px);
  const pm = new Uint8Array(n * px);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < 8; i++) {
      masks[k * px + i] = 1;
      pm[k * px + i] = rng.uniform() < errorRate(site[k]!) ? 0 : 1;
    }
  const ds = {
    role: 'test',
    ids: site.map((_, i) => `s${i}`),
    x: new Float32Array(n),
    shape: [n, 1],
    y,
    masks,
    meta: { site },
    subgroups: ['site'],
    labels: ['a', 'b'],
  } as unknown as Dataset;
  const pred = { probs: new Float32Array(n * 2), labels, masks: pm, numClasses: 2 } as Prediction;
  const c = { spec: { task } } as LoadedCase;
  return { c, ds, pred };
}

const opts = { seed: 1, iterations: 300, minSize: 10, maxOrder: 1, q: 0.05 };

describe('evaluations/generalization (6.3.7)', () => {
  it('flags a subgroup with a planted bias and not the others (accuracy, z-test + BH)', () => {
    const { c, ds, pred } = planted((s) => (s === 'C' ? 0.45 : 0.02));
    const r = analyseSubgroups(c, ds, pred, opts);
    assert.deepEqual(
      r.rows.map((x) => x.group),
      ['site=A', 'site=B', 'site=C'],
    );
    const C = r.rows.find((x) => x.group === 'site=C')!;
    assert.equal(C.significant, true);
    assert.ok(C.value < 0.7 && C.low <= C.value && C.value <= C.high);
    assert.equal(
      r.rows.filter((x) => x.significant).every((x) => x.group === 'site=C' || x.difference > 0),
      true,
    );
  });

  it('flags nothing when every subgroup has the same error rate', () => {
    const { c, ds, pred } = planted(() => 0.1);
    const r = analyseSubgroups(c, ds, pred, opts);
    assert.equal(r.rows.filter((x) => x.significant).length, 0);
  });

  it('segmentation: pooled Dice per group with bootstrap test flags the planted site', () => {
    const { c, ds, pred } = planted((s) => (s === 'A' ? 0.5 : 0.02), 'segmentation');
    const r = analyseSubgroups(c, ds, pred, opts);
    assert.equal(r.metric, 'dice');
    assert.deepEqual(
      r.rows
        .filter((x) => x.significant)
        .map((x) => x.group)
        .includes('site=A'),
      true,
    );
    assert.deepEqual(assertBilingual(r.rows[0]!.test, 'test'), {
      zh: '差值的自助法检验（合并 Dice）',
      en: 'bootstrap of the difference (pooled Dice)',
    });
  });

  it('combinations respect the minimum group size; the max gap is between groups of one column', () => {
    const { ds } = planted(() => 0);
    (ds.meta as Record<string, unknown[]>).sex = ds.ids.map((_, i) => (i % 4 < 2 ? 'F' : 'M'));
    ds.subgroups = ['site', 'sex'];
    const g = subgroupIndex(ds, ds.subgroups, 2, 15);
    assert.deepEqual(
      g.map((x) => `${x.group}:${x.indices.length}`),
      [
        'site=A:40',
        'site=B:40',
        'site=C:40',
        'sex=F:60',
        'sex=M:60',
        'site=A & sex=F:20',
        'site=A & sex=M:20',
        'site=B & sex=F:20',
        'site=B & sex=M:20',
        'site=C & sex=F:20',
        'site=C & sex=M:20',
      ],
    );
    assert.ok(
      Math.abs(
        subgroupMaxGap([
          { columns: 'site', value: 0.9 },
          { columns: 'site', value: 0.7 },
          { columns: 'sex', value: 0.95 },
        ]) - 0.2,
      ) < 1e-12,
    );
    assert.ok(Number.isNaN(subgroupMaxGap([{ columns: 'site', value: 0.9 }])));
  });
});
