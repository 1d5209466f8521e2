import { strict as assert } from 'node:assert';
import { ModelError } from '../../src/util/errors.js';
import { concatDim0, OutputAccumulator } from '../../src/model/batches.js';

const t = (dims: number[], start: number) => ({
  dims,
  data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => start + i),
});

describe('model/OutputAccumulator', () => {
  it('writes batches whose dim 0 is the sample count straight into one array', () => {
    const a = new OutputAccumulator('m.onnx', 'y', 5);
    a.add(t([2, 3], 0), 2);
    a.add(t([2, 3], 6), 2);
    a.add(t([1, 3], 12), 1);
    const r = a.result();
    assert.deepEqual(r.dims, [5, 3]);
    assert.deepEqual(
      Array.from(r.data),
      Array.from({ length: 15 }, (_, i) => i),
    );
  });

  it('joins outputs without a batch dim along dim 0, and refuses disagreeing trailing dims', () => {
    const a = new OutputAccumulator('m.onnx', 'y', 4);
    a.add(t([3], 0), 2);
    a.add(t([3], 3), 2);
    assert.deepEqual(a.result(), { dims: [6], data: Float32Array.from([0, 1, 2, 3, 4, 5]) });
    const b = new OutputAccumulator('m.onnx', 'y', 4);
    b.add(t([2, 3], 0), 2);
    b.add(t([2, 4], 0), 2);
    assert.throws(
      () => b.result(),
      (e: unknown) => e instanceof ModelError && e.field === 'y',
    );
  });

  it('concatDim0 of one part returns it unchanged', () => {
    const p = t([2, 2], 0);
    assert.equal(concatDim0('m.onnx', 'y', [p]), p);
  });
});
