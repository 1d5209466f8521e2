/**
 * A tiny tabular evaluation case built in a temp folder for the evaluation tests: the linear (or
 * deliberately noisy) 4→2 model of test/fixtures/evaluations/make_models.py and a test set of
 * `n` seeded samples. The LoadedCase is assembled directly (the loader has its own tests).
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256File } from '../../src/model/hash.js';
import type { Claim, LoadedCase } from '../../src/case/types.js';
import { confinedPath } from '../../src/case/paths.js';
import { Rng } from '../../src/util/random.js';

export const FIXTURES = resolve(__dirname, '../../../test/fixtures/evaluations');

/** Builds the case; `claims` are the provider's claims. */
export async function tinyCase(model: 'linear' | 'noisy', claims: Claim[], n = 12): Promise<LoadedCase> {
  const dir = mkdtempSync(join(tmpdir(), 'ptmc-tiny-case-'));
  copyFileSync(join(FIXTURES, `${model}.onnx`), join(dir, 'model.onnx'));
  const rng = new Rng(7);
  const rows = ['id,f0,f1,f2,f3,label,site'];
  for (let i = 0; i < n; i++)
    rows.push([`s${i}`, ...[0, 1, 2, 3].map(() => rng.normal().toFixed(4)), i % 2 ? 'b' : 'a', i % 3 ? 'x' : 'y'].join(','));
  writeFileSync(join(dir, 'test.csv'), rows.join('\n') + '\n');
  return assembleCase(
    dir,
    {
      name: `tiny-${model}`,
      task: 'classification',
      modality: 'tabular',
      labels: ['a', 'b'],
      model: 'model.onnx',
      description: 'description.json',
      claims: 'claims.json',
      io: { input: 'x', output: 'logits', inputShape: ['N', 4], outputActivation: 'softmax' },
      datasets: { test: { manifest: 'test.csv', featureColumns: ['f0', 'f1', 'f2', 'f3'], labelColumn: 'label', subgroups: ['site'] } },
      seeds: { default: 3 },
    },
    claims,
  );
}

/** A LoadedCase for a case folder holding `model.onnx`, assembled directly (the loader has its own tests). */
export async function assembleCase(
  dir: string,
  spec: LoadedCase['spec'],
  claims: Claim[],
  description: Record<string, unknown> = {},
): Promise<LoadedCase> {
  const file = join(dir, 'case.json');
  const modelPath = join(dir, 'model.onnx');
  return {
    dir,
    file,
    spec,
    modelPath,
    modelSha256: await sha256File(modelPath),
    description,
    claims: { modelId: spec.name, version: '1', claims },
    resolve: (rel: string) => confinedPath(dir, rel, file, '/'),
  };
}

/** A claim with defaults for the tests. */
export function claim(clause: string, metric: string, comparator: Claim['comparator'], value: number, extra: Partial<Claim> = {}): Claim {
  return { id: `${metric}-${comparator}-${value}`, clause, statement: { zh: metric, en: metric }, metric, comparator, value, ...extra };
}
