import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface Cell {
  cell_type: string;
  id: string;
  metadata: { tags?: string[] };
  source: string[];
}

describe('notebooks 6.3.1 and 6.3.3: structure', () => {
  for (const [name, own] of [
    ['6.3.1-trainability', ['trainable', 'init', 'epochs', 'batchSize', 'lr', 'maxSeconds', 'threadsSweep', 'useProviderCommand']],
    ['6.3.3-transferability', ['trainable', 'epochs', 'batchSize', 'lr', 'maxSeconds', 'scratch', 'bootstrapIterations']],
  ] as const) {
    it(
      `${name}: nbformat 4.5 with unique cell ids, the kernelspec, a parameters cell with the common and own ` +
        `parameters, bilingual text`,
      () => {
        const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', `${name}.ipynb`), 'utf8')) as {
          nbformat: number;
          nbformat_minor: number;
          metadata: { kernelspec: Record<string, string> };
          cells: Cell[];
        };
        assert.equal(nb.nbformat, 4);
        assert.equal(nb.nbformat_minor, 5);
        assert.deepEqual(nb.metadata.kernelspec, {
          display_name: 'TypeScript (ptm-conformity)',
          language: 'typescript',
          name: 'ptm-typescript',
        });
        const ids = nb.cells.map((c) => c.id);
        assert.equal(new Set(ids).size, ids.length);
        const code = nb.cells.filter((c) => c.cell_type === 'code');
        assert.deepEqual(code[0]!.metadata.tags, ['parameters']);
        const params = code[0]!.source.join('');
        assert.match(params, /const casePath = '\.\.\/examples\/ct-body-segmentation';/);
        assert.match(params, /const outDir = '\.\.\/evidence\/notebook-run';/);
        for (const p of ['ep', 'seed', 'lang', ...own]) assert.match(params, new RegExp(`const ${p}\\b`), p);
        const text = nb.cells
          .filter((c) => c.cell_type === 'markdown')
          .map((c) => c.source.join(''))
          .join('\n');
        assert.match(text, /[\u4e00-\u9fff]/);
        assert.match(text, /Requirement/);
        const src = code.map((c) => c.source.join('')).join('\n');
        assert.match(src, /from 'ptm-conformity'/);
        assert.match(src, /saveClauseEvaluation\(outDir, ev\)/);
        assert.match(src, /trained/);
      },
    );
  }
});
