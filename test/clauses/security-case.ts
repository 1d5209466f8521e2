/**
 * Tiny cases for the 6.3.8/6.3.9 tests, from test/fixtures/security: the input-ignoring `constant`
 * model on the tiny 4-feature case, and 8-feature, 16-class `memorise`/`random` MLPs with train (members) and
 * test (non-members) sets.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Claim, LoadedCase } from '../../src/case/types.js';
import { writeNpy } from '../../src/data/npy.js';
import { sha256File } from '../../src/model/hash.js';
import { Rng } from '../../src/util/random.js';
import { assembleCase, tinyCase } from './tiny-case.js';

export const SECURITY = resolve(__dirname, '../../../test/fixtures/security');

/** The tiny 4-feature case with the model that ignores its input. */
export async function constantCase(claims: Claim[], n = 12): Promise<LoadedCase> {
  const c = await tinyCase('linear', claims, n);
  copyFileSync(join(SECURITY, 'constant.onnx'), c.modelPath);
  return { ...c, modelSha256: await sha256File(c.modelPath) };
}

/** The 8-feature membership case with the memorising or the untrained MLP. */
export async function membershipCase(
  model: 'memorise' | 'random',
  claims: Claim[] = [],
  description: Record<string, unknown> = {},
): Promise<LoadedCase> {
  const dir = mkdtempSync(join(tmpdir(), 'ptmc-mia-case-'));
  for (const f of [`${model}.onnx`, 'train.csv', 'test.csv'])
    copyFileSync(join(SECURITY, f), join(dir, f === `${model}.onnx` ? 'model.onnx' : f));
  const ds = (manifest: string) => ({ manifest, featureColumns: Array.from({ length: 8 }, (_, i) => `f${i}`), labelColumn: 'label' });
  const spec: LoadedCase['spec'] = {
    name: `mia-${model}`,
    task: 'classification',
    modality: 'tabular',
    labels: Array.from({ length: 16 }, (_, i) => `c${i}`),
    model: 'model.onnx',
    description: 'description.json',
    claims: 'claims.json',
    io: { input: 'x', output: 'logits', inputShape: ['N', 8], outputActivation: 'softmax' },
    datasets: { train: ds('train.csv'), test: ds('test.csv') },
    seeds: { default: 11 },
  };
  const c = await assembleCase(dir, spec, claims, description);
  // written too, so that the sandboxed child can load the case with loadCase()
  writeFileSync(join(dir, 'case.json'), JSON.stringify(spec));
  writeFileSync(join(dir, 'description.json'), JSON.stringify(description));
  writeFileSync(join(dir, 'claims.json'), JSON.stringify(c.claims));
  return c;
}

/**
 * A CT-like segmentation case with the threshold segmenter: `n` 8×8 images of −800 or +800 HU per
 * pixel (model space 0.1 / 0.9 after clip [−1000, 1000], offset −1000, scale 0.0005), masks = HU > 0.
 */
export async function thresholdSegCase(claims: Claim[] = [], n = 4): Promise<LoadedCase> {
  const dir = mkdtempSync(join(tmpdir(), 'ptmc-seg-case-'));
  copyFileSync(join(SECURITY, 'threshold-seg.onnx'), join(dir, 'model.onnx'));
  const rng = new Rng(13);
  const rows = ['id,input,mask'];
  for (let i = 0; i < n; i++) {
    const hu = Float32Array.from({ length: 64 }, () => (rng.uniform() < 0.5 ? -800 : 800));
    writeNpy(join(dir, `img${i}.npy`), hu, [8, 8]);
    writeNpy(
      join(dir, `mask${i}.npy`),
      Uint8Array.from(hu, (v) => (v > 0 ? 1 : 0)),
      [8, 8],
    );
    rows.push(`s${i},img${i}.npy,mask${i}.npy`);
  }
  writeFileSync(join(dir, 'test.csv'), rows.join('\n') + '\n');
  return assembleCase(
    dir,
    {
      name: 'threshold-seg',
      task: 'segmentation',
      modality: 'ct',
      labels: ['background', 'body'],
      model: 'model.onnx',
      description: 'description.json',
      claims: 'claims.json',
      io: {
        input: 'input',
        output: 'logits',
        inputShape: ['N', 1, 8, 8],
        preprocess: { kind: 'affine', clip: [-1000, 1000], offset: -1000, scale: 0.0005 },
        outputActivation: 'sigmoid',
        threshold: 0.5,
      },
      datasets: { test: { manifest: 'test.csv', inputColumn: 'input', maskColumn: 'mask' } },
      seeds: { default: 5 },
    },
    claims,
  );
}
