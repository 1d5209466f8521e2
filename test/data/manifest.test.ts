import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { InputError } from '../../src/util/errors.js';
import { loadDataset, readManifest } from '../../src/data/manifest.js';
import { datasetTable, subset } from '../../src/data/dataset.js';
import { readNpy } from '../../src/data/npy.js';

const CASE = join(__dirname, '../../../test/fixtures/data/case');
const seg = { task: 'segmentation' as const, labels: ['background', 'body'], role: 'test' as const };
const cls = { task: 'classification' as const, labels: ['benign', 'malignant'], role: 'test' as const };

describe('data/manifest', () => {
  it('loads a segmentation data set: npy inputs, 0/255 PNG masks as 0/1, metadata', async () => {
    const ds = await loadDataset(CASE, { manifest: 'test.csv', subgroups: ['site'] }, seg);
    assert.deepEqual(ds.ids, ['s0', 's1', 's2']);
    assert.deepEqual(ds.shape, [3, 4, 5]);
    assert.deepEqual(ds.maskShape, [3, 4, 5]);
    const s1 = readNpy(join(CASE, 'images/s1.npy')).data;
    assert.deepEqual(Array.from(ds.x.subarray(20, 40)), Array.from(s1));
    assert.ok(ds.masks!.every((v) => v === 0 || v === 1));
    assert.ok(ds.masks!.some((v) => v === 1));
    assert.deepEqual(ds.meta.site, ['A', 'B', 'A']);
    assert.deepEqual(ds.meta.age, [40, 41, 42]);
    assert.deepEqual(ds.subgroups, ['site']);
    assert.equal(ds.y, undefined);
  });
  it('subset and datasetTable', async () => {
    const ds = await loadDataset(CASE, { manifest: 'test.csv' }, seg);
    const s = subset(ds, [2, 0]);
    assert.deepEqual(s.ids, ['s2', 's0']);
    assert.deepEqual(Array.from(s.x.subarray(0, 20)), Array.from(ds.x.subarray(40, 60)));
    assert.deepEqual(Array.from(s.masks!.subarray(20, 40)), Array.from(ds.masks!.subarray(0, 20)));
    assert.deepEqual(s.meta.site, ['A', 'A']);
    assert.throws(() => subset(ds, [3]), InputError);
    const df = datasetTable(ds);
    assert.deepEqual(
      df.columns,
      ['id', 'input', 'mask', 'site', 'age'].filter((c) => c !== 'input' && c !== 'mask'),
    );
  });
  it('loads tabular data from JSON with label names or indices', async () => {
    const ds = await loadDataset(CASE, { manifest: 'tabular.json', featureColumns: ['f1', 'f2'] }, cls);
    assert.deepEqual(ds.shape, [2, 2]);
    assert.deepEqual(Array.from(ds.x), [1.5, 2, -0.5, 3]);
    assert.deepEqual(Array.from(ds.y!), [0, 1]);
    assert.deepEqual(ds.meta, { sex: ['F', 'M'] });
    assert.equal(datasetTable(ds).column('label').values[1], 'malignant');
  });
  it('names the row and column of a non-numeric feature', async () => {
    await assert.rejects(
      loadDataset(CASE, { manifest: 'tabular.csv', featureColumns: ['f1', 'f2'] }, cls),
      (e: unknown) => e instanceof InputError && e.field === 'row 3, column f2' && /tabular\.csv$/.test(e.file!),
    );
  });
  it('names the row of a missing file', async () => {
    await assert.rejects(
      loadDataset(CASE, { manifest: 'missing.csv' }, seg),
      (e: unknown) => e instanceof InputError && e.field === 'row 2, column input' && /not found/.test(e.message),
    );
  });
  it('names the first row whose shape differs', async () => {
    await assert.rejects(
      loadDataset(CASE, { manifest: 'shapes.csv' }, seg),
      (e: unknown) => e instanceof InputError && e.field === 'row 3, column input',
    );
  });
  it('refuses paths outside the case directory', async () => {
    await assert.rejects(
      loadDataset(CASE, { manifest: 'escape.csv' }, seg),
      (e: unknown) => e instanceof InputError && /outside the case/.test(e.message),
    );
    await assert.rejects(
      loadDataset(CASE, { manifest: '../f4.npy' }, seg),
      (e: unknown) => e instanceof InputError && /outside the case/.test(e.message),
    );
  });
  it('rejects unknown labels and unknown subgroup columns', async () => {
    await assert.rejects(
      loadDataset(CASE, { manifest: 'tabular.json', featureColumns: ['f1'] }, { ...cls, labels: ['x', 'y'] }),
      (e: unknown) => e instanceof InputError && e.field === 'row 1, column label',
    );
    await assert.rejects(
      loadDataset(CASE, { manifest: 'test.csv', subgroups: ['scanner'] }, seg),
      (e: unknown) => e instanceof InputError && e.field === 'scanner',
    );
  });
  it('readManifest reads CSV cells as numbers or strings', () => {
    const m = readManifest(join(CASE, 'test.csv'));
    assert.equal(m.rows[0]!.age, 40);
    assert.equal(m.rows[0]!.site, 'A');
  });
});
