import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCase } from '../../src/case/load.js';
import { loadCaseDataset } from '../../src/case/predict.js';
import { InputError, SchemaError } from '../../src/util/errors.js';
import { bundled, copyCase, editJson } from './helpers.js';

async function rejects(p: Promise<unknown>, cls: new (...args: any[]) => Error, check: (e: any) => void): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'expected a rejection');
  assert.equal((err as Error).constructor, cls, `expected ${cls.name}, got ${(err as Error).constructor.name}: ${(err as Error).message}`);
  check(err);
}

describe('case/loadCase', () => {
  for (const name of ['breast-cancer-classifier', 'ct-body-segmentation'] as const) {
    it(`loads the bundled ${name} case with its model hash`, async () => {
      const c = await loadCase(bundled(name));
      assert.equal(c.spec.name, name);
      assert.equal(c.modelSha256, createHash('sha256').update(readFileSync(c.modelPath)).digest('hex'));
      assert.equal((c.description as { modelId: string }).modelId, c.claims.modelId);
      assert.ok(c.claims.claims.length >= 10);
      assert.equal(c.resolve('data/test/manifest.csv'), join(c.dir, 'data/test/manifest.csv'));
      assert.throws(() => c.resolve('../x'), InputError);
    });
  }

  it('accepts the case.json path as well as the folder', async () => {
    const c = await loadCase(join(bundled('breast-cancer-classifier'), 'case.json'));
    assert.equal(c.spec.task, 'classification');
  });

  it('rejects a model path escaping the case directory (schema, /model)', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'case.json'), (d) => (d.model = '../model.onnx'));
    await rejects(loadCase(dir), SchemaError, (e) => {
      assert.equal(e.file, join(dir, 'case.json'));
      assert.equal(e.field, '/model');
      assert.match(e.message, /must be a path relative to the case directory/);
      assert.match(e.message, /必须为相对于案例目录的路径/);
    });
  });

  it('rejects an absolute manifest path', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'case.json'), (d) => (d.datasets.test.manifest = '/etc/hosts'));
    await rejects(loadCase(dir), SchemaError, (e) => assert.equal(e.field, '/datasets/test/manifest'));
  });

  it('rejects a symbolic link that leads outside the case', async () => {
    const dir = copyCase('breast-cancer-classifier');
    const outside = join(dirname(dir), 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'manifest.csv'), 'id\n');
    symlinkSync(outside, join(dir, 'data', 'linked'));
    editJson(join(dir, 'case.json'), (d) => (d.datasets.test.manifest = 'data/linked/manifest.csv'));
    await rejects(loadCase(dir), InputError, (e) => {
      assert.equal(e.field, '/datasets/test/manifest');
      assert.match(e.message, /symbolic link/);
    });
  });

  it('rejects a missing manifest, naming the field', async () => {
    const dir = copyCase('breast-cancer-classifier');
    rmSync(join(dir, 'data', 'hard', 'manifest.csv'));
    await rejects(loadCase(dir), InputError, (e) => {
      assert.equal(e.field, '/datasets/hard/manifest');
      assert.equal(e.file, join(dir, 'case.json'));
      assert.match(e.message, /not found/);
    });
  });

  it('rejects a missing model file', async () => {
    const dir = copyCase('breast-cancer-classifier');
    rmSync(join(dir, 'model.onnx'));
    await rejects(loadCase(dir), InputError, (e) => assert.equal(e.field, '/model'));
  });

  it('reports a schema violation in both languages with its JSON path', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'case.json'), (d) => (d.io.outputActivation = 'relu'));
    await rejects(loadCase(dir), SchemaError, (e) => {
      assert.equal(e.field, '/io/outputActivation');
      assert.deepEqual(
        e.violations.map((v: { path: string }) => v.path),
        ['/io/outputActivation'],
      );
      assert.match(e.message, /must be one of \["sigmoid","softmax","none"\]/);
      assert.match(e.message, /必须为以下之一/);
    });
  });

  it('validates the description and names its file and path', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'description.json'), (d) => (d.framework.parameters.total = 'many'));
    await rejects(loadCase(dir), SchemaError, (e) => {
      assert.equal(e.file, join(dir, 'description.json'));
      assert.equal(e.field, '/framework/parameters/total');
      assert.match(e.message, /must be of type integer/);
    });
  });

  it('validates the claims: unknown comparator and duplicate ids', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'claims.json'), (d) => (d.claims[2].comparator = '=>'));
    await rejects(loadCase(dir), SchemaError, (e) => assert.equal(e.field, '/claims/2/comparator'));
    editJson(join(dir, 'claims.json'), (d) => {
      d.claims[2].comparator = '>=';
      d.claims[1].id = d.claims[0].id;
    });
    await rejects(loadCase(dir), InputError, (e) => assert.equal(e.field, '/claims/1/id'));
  });

  it('rejects a training role no data set defines', async () => {
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'case.json'), (d) => delete d.datasets.validation);
    await rejects(loadCase(dir), InputError, (e) => assert.equal(e.field, '/training/validationRole'));
  });

  it('rejects a missing case directory and a folder without case.json', async () => {
    await rejects(loadCase('/nonexistent/case'), InputError, (e) => assert.match(e.message, /case directory not found/));
    const dir = copyCase('breast-cancer-classifier');
    rmSync(join(dir, 'case.json'));
    await rejects(loadCase(dir), InputError, (e) => assert.match(e.message, /no case.json/));
  });

  it('loadCaseDataset loads a role and refuses an undefined one', async () => {
    const c = await loadCase(bundled('breast-cancer-classifier'));
    const ds = await loadCaseDataset(c, 'test');
    assert.deepEqual(ds.shape, [42, 30]);
    assert.equal(ds.y!.length, 42);
    const dir = copyCase('breast-cancer-classifier');
    editJson(join(dir, 'case.json'), (d) => delete d.datasets.ood);
    const c2 = await loadCase(dir);
    await rejects(loadCaseDataset(c2, 'ood'), InputError, (e) => assert.equal(e.field, '/datasets/ood'));
  });
});
