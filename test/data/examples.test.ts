import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseSpec, DatasetRole } from '../../src/case/types.js';
import { loadDataset } from '../../src/data/manifest.js';

const EXAMPLES = join(__dirname, '../../../examples');

describe('data: the bundled example cases load', () => {
  for (const name of ['ct-body-segmentation', 'breast-cancer-classifier']) {
    const dir = join(EXAMPLES, name);
    it(`${name}: every data set of case.json`, async function () {
      if (!existsSync(join(dir, 'case.json'))) this.skip();
      const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseSpec;
      for (const [role, ds] of Object.entries(spec.datasets)) {
        const d = await loadDataset(dir, ds!, { task: spec.task, labels: spec.labels, role: role as DatasetRole });
        const n = d.ids.length;
        assert.equal(d.shape[0], n, role);
        assert.equal(
          d.x.length,
          d.shape.reduce((a, b) => a * b, 1),
          role,
        );
        if (d.masks) assert.equal(d.masks.length, n * d.maskShape![1]! * d.maskShape![2]!);
        if (d.y) assert.ok(d.y.every((k) => k >= 0 && k < spec.labels.length));
        for (const g of d.subgroups) assert.equal(d.meta[g]!.length, n, `${role} ${g}`);
      }
    });
  }
});
