import { strict as assert } from 'node:assert';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseBindings } from '../../src/case/bindings.js';
import { loadCase } from '../../src/case/load.js';
import type { ModelIOSpec } from '../../src/case/types.js';
import { openModel } from '../../src/model/open.js';
import { InputError } from '../../src/util/errors.js';
import { copyCase, editJson } from './helpers.js';

const FIX = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'models');
/** stateful.onnx (make_constant_models.py): hn = h + sum(x), y = hn · sr. */
const STATEFUL = join(FIX, 'stateful.onnx');
const IO: ModelIOSpec = {
  input: 'x',
  output: 'y',
  inputShape: ['N', 4],
  outputActivation: 'none',
  constants: { sr: { dtype: 'int64', value: 2 } },
  state: [{ input: 'h', output: 'hn', shape: [1, 3] }],
};

function statefulCase(io: unknown): string {
  const dir = copyCase('breast-cancer-classifier');
  copyFileSync(STATEFUL, join(dir, 'model.onnx'));
  editJson(join(dir, 'case.json'), (d) => {
    d.io = io;
    delete d.variants;
  });
  return dir;
}

describe('case/bindings: io.constants and io.state', () => {
  it('io.state is zero at the start of a data set and carried from sample to sample; io.constants fed each run', async () => {
    const s = await openModel(STATEFUL, { ep: 'cpu' });
    try {
      s.bind(caseBindings(IO));
      const x = new Float32Array(12).fill(1);
      // hand count: sum(x row) = 4, sr = 2 → hn 4, 8, 12 → y 8, 16, 24 (batchSize 8 is lowered to 1 for state)
      const out = await s.predictAll(x, [3, 4], { batchSize: 8, outputNames: ['y'] });
      assert.deepEqual([...out.y!.data], [8, 8, 8, 16, 16, 16, 24, 24, 24]);
      // a second data set starts from zeros again (warm-up runs do not leak either)
      const again = await s.predictAll(x.subarray(0, 4), [1, 4], { warmup: 2 });
      assert.deepEqual([...again.y!.data], [8, 8, 8]);
    } finally {
      await s.release();
    }
  });

  it('without bindings, runBatches names the unfed inputs and the io.constants/io.state remedy', async () => {
    const s = await openModel(STATEFUL, { ep: 'cpu' });
    try {
      await assert.rejects(
        s.predictAll(new Float32Array(4), [1, 4], { inputName: 'x' }),
        (e: unknown) => e instanceof InputError && /also has input\(s\) sr, h/.test(e.message) && /io\.state/.test(e.remedy ?? ''),
      );
    } finally {
      await s.release();
    }
  });

  it('case load checks io against the model: unfed inputs, wrong names, wrong dtype and state shape', async () => {
    const loaded = await loadCase(statefulCase(IO));
    assert.deepEqual(caseBindings(loaded.spec.io).state, [{ input: 'h', output: 'hn', shape: [1, 3] }]);
    const fails = async (io: unknown, field: string, re: RegExp) =>
      assert.rejects(loadCase(statefulCase(io)), (e: unknown) => e instanceof InputError && e.field === field && re.test(e.message));
    await fails({ ...IO, constants: undefined, state: undefined }, '/io', /input\(s\) sr, h are fed by nothing/);
    await fails({ ...IO, input: 'input' }, '/io/input', /"input" is not an input/);
    await fails({ ...IO, state: [{ input: 'h', output: 'h_out', shape: [1, 3] }] }, '/io/state/0/output', /"h_out" is not an output/);
    await fails({ ...IO, state: [{ input: 'h', output: 'hn', shape: [2, 3] }] }, '/io/state/0/shape', /declares \[1,3\]/);
    await fails({ ...IO, constants: { sr: { dtype: 'float32', value: 2 } } }, '/io/constants/sr/dtype', /model's input is int64/);
  });
});
