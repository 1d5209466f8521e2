import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASE_SKELETON, initCase, initCaseFromModel } from '../../src/case/init.js';
import { caseCommand } from '../../src/cli/commands/case.js';
import { InputError, UsageError } from '../../src/util/errors.js';
import { packageRoot } from '../../src/util/package-root.js';
import { assertValid } from '../../src/util/schema.js';

describe('case/initCase and ptmc case init', () => {
  it('writes the three skeletons, each valid against its schema', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ptmc-init-')), 'new');
    const files = initCase(dir);
    assert.deepEqual(
      files,
      Object.keys(CASE_SKELETON).map((f) => join(dir, f)),
    );
    for (const [name, tpl] of Object.entries(CASE_SKELETON)) {
      const text = readFileSync(join(dir, name), 'utf8');
      assert.equal(text, readFileSync(join(packageRoot(), 'templates', tpl), 'utf8'));
      assertValid(JSON.parse(text), tpl.replace('.template.json', '.schema.json'), name);
    }
  });

  it('refuses a non-empty directory and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-init-'));
    writeFileSync(join(dir, 'keep.txt'), 'x');
    assert.throws(
      () => initCase(dir),
      (e: unknown) => e instanceof InputError && e.constructor === InputError && /not empty/.test((e as Error).message),
    );
    await assert.rejects(caseCommand.run(['init', dir]), InputError);
    assert.equal(readFileSync(join(dir, 'keep.txt'), 'utf8'), 'x');
  });

  it('rejects a missing sub-command as usage', async () => {
    await assert.rejects(caseCommand.run(['make', 'x']), UsageError);
  });

  it('--model: io from the model (data input, io.constants, io.state) and a description pre-filled from the file', async () => {
    const fix = join(packageRoot(), 'test', 'fixtures', 'models');
    const dir = join(mkdtempSync(join(tmpdir(), 'ptmc-init-')), 'stateful');
    await initCaseFromModel(dir, join(fix, 'stateful.onnx'));
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
    assert.deepEqual(spec.io, {
      input: 'x',
      output: 'y',
      inputShape: ['N', 4],
      outputActivation: 'softmax',
      constants: { sr: { dtype: 'int64', shape: [], value: 0 } },
      state: [{ input: 'h', output: 'hn', shape: [1, 3] }],
    });
    const cw = join(mkdtempSync(join(tmpdir(), 'ptmc-init-')), 'cw');
    await caseCommand.run(['init', cw, '--model', join(fix, 'constant_weights.onnx'), '--task', 'classification']);
    const desc = JSON.parse(readFileSync(join(cw, 'description.json'), 'utf8'));
    // Constant weights (make_constant_models.py): conv.w 18 + fc.w 96
    assert.equal(desc.framework.parameters.total, 114);
    assert.deepEqual(
      desc.framework.parameters.layers.map((l: { name: string; initializers: string[]; parameters: number }) => [
        l.name,
        l.initializers,
        l.parameters,
      ]),
      [
        ['conv', ['conv.w'], 18],
        ['fc', ['fc.w'], 96],
      ],
    );
    assert.deepEqual(desc.framework.nodes.operatorTypes, ['Constant', 'Conv', 'Gemm', 'Identity', 'Relu', 'Reshape']);
    assert.equal(desc.modelFile.irVersion, 8);
    assert.deepEqual(desc.framework.dataRepresentation.inputs, [{ name: 'x', dtype: 'float32', shape: ['batch', 1, 6, 6] }]);
    assertValid(desc, 'description.schema.json', 'description.json');
    assertValid(JSON.parse(readFileSync(join(cw, 'case.json'), 'utf8')), 'case.schema.json', 'case.json');
  });
});
