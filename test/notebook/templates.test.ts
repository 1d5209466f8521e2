import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertValidNotebook } from '../../src/notebook/schema.js';

const ROOT = join(__dirname, '..', '..', '..');
const GENERATORS = ['make-description-training-notebooks.js', 'make-inference-notebooks.js', 'make-security-notebooks.js'];

interface Generator {
  notebooks: Record<string, unknown[]>;
}
interface Cells {
  notebook(stem: string, cells: unknown[]): { cells: { cell_type: string; metadata: { tags?: string[] }; source: string[] }[] };
}

describe('template notebooks ↔ their generator scripts', () => {
  const cells = require(join(ROOT, 'scripts', 'notebook-cells.js')) as Cells;
  const generated = new Map<string, string>();
  for (const g of GENERATORS) {
    const { notebooks } = require(join(ROOT, 'scripts', g)) as Generator;
    for (const [stem, list] of Object.entries(notebooks)) {
      assert.ok(!generated.has(stem), `${stem} comes from one generator only`);
      generated.set(stem, JSON.stringify(cells.notebook(stem, list), null, 1) + '\n');
    }
  }

  it('every committed notebooks/*.ipynb comes from exactly one generator, and all ten clauses are there', () => {
    const committed = readdirSync(join(ROOT, 'notebooks'))
      .filter((f) => f.endsWith('.ipynb'))
      .map((f) => f.replace(/\.ipynb$/, ''))
      .sort();
    assert.deepEqual(committed, [...generated.keys()].sort());
    assert.equal(committed.length, 10);
  });

  for (const stem of [
    '6.2-description',
    '6.3.1-trainability',
    '6.3.2-scalability',
    '6.3.3-transferability',
    '6.3.4-efficiency',
    '6.3.5-repeatability',
    '6.3.6-robustness',
    '6.3.7-generalization',
    '6.3.8-adversarial',
    '6.3.9-privacy',
  ]) {
    it(`${stem}.ipynb is byte-identical to its generator's output (run the scripts/make-*-notebooks.js after editing)`, () => {
      const text = readFileSync(join(ROOT, 'notebooks', `${stem}.ipynb`), 'utf8');
      assert.ok(generated.has(stem), `no generator writes ${stem}`);
      assert.ok(text === generated.get(stem), `notebooks/${stem}.ipynb differs from its generator: regenerate it`);
      const nb = JSON.parse(text) as ReturnType<Cells['notebook']>;
      assertValidNotebook(nb, `${stem}.ipynb`);
      const params = nb.cells.find((c) => c.metadata.tags?.includes('parameters'));
      assert.ok(params, 'a cell tagged parameters');
      for (const name of ['casePath', 'outDir', 'ep', 'seed', 'lang'])
        assert.match(params.source.join(''), new RegExp(`const ${name}\\b`), `parameters cell defines ${name}`);
    });
  }

  for (const [stem, budgets] of [
    ['6.3.8-adversarial', ['samples', 'maxQueries', 'decisionQueries']],
    ['6.3.6-robustness', ['samples']],
  ] as const) {
    it(`${stem}: the default parameters leave the budget (${budgets.join(', ')}) to the clause (sized from the measured cost)`, () => {
      const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', `${stem}.ipynb`), 'utf8')) as ReturnType<Cells['notebook']>;
      const src = nb.cells.map((c) => c.source.join('')).join('\n');
      // a literal default passed on (e.g. `decisionQueries: decisionQueries` with 400) counts as a budget the user gave,
      // so the clause keeps it instead of fitting it to its time budget
      for (const name of budgets) {
        assert.match(src, new RegExp(`const ${name} = 0;`), `${name} defaults to 0 (= the clause's sized default)`);
        assert.match(src, new RegExp(`${name}: ${name} > 0 \\? ${name} : undefined`), `${name} is passed only when set`);
      }
    });
  }
});
