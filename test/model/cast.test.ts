/**
 * Data inputs of other element types: float32 data are cast when fed (integers rounded half away from zero and
 * clamped, float16 as binary16 bits), float16 outputs read back as numbers. Fixtures from
 * test/fixtures/models/make_cast_models.py (python onnx); expected values computed by hand.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { castFloat32, float16Bits, float16Value, isCastable, toFloat32 } from '../../src/model/cast.js';
import { openModel } from '../../src/model/open.js';

const FIX = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'models');

describe('model/cast: data inputs of other element types', () => {
  it('binary16 bits of known values (round to nearest even, overflow, subnormals) and back', () => {
    assert.equal(float16Bits(1), 0x3c00);
    assert.equal(float16Bits(-2), 0xc000);
    assert.equal(float16Bits(65504), 0x7bff); // the largest finite half
    assert.equal(float16Bits(65520), 0x7c00); // rounds up to Infinity
    assert.equal(float16Bits(0.1), 0x2e66); // 0.0999755859375
    assert.equal(float16Bits(2 ** -24), 0x0001); // the smallest subnormal
    assert.equal(float16Bits(1 + 2 ** -11), 0x3c00); // a tie rounds to the even mantissa (0)
    assert.equal(float16Bits(1 + 3 * 2 ** -11), 0x3c02); // a tie rounds to the even mantissa (2)
    assert.equal(float16Value(0x2e66), 0.0999755859375);
    assert.equal(float16Value(0x7bff), 65504);
    assert.equal(float16Value(0x0001), 2 ** -24);
    assert.ok(Number.isNaN(float16Value(float16Bits(NaN))));
  });

  it('integer casts round half away from zero and clamp to the range', () => {
    assert.deepEqual(Array.from(castFloat32(Float32Array.from([-3.5, 2.5, 300, 1.49, NaN]), 'uint8') as Uint8Array), [0, 3, 255, 1, 0]);
    assert.deepEqual(Array.from(castFloat32(Float32Array.from([-2.5, 200, -200]), 'int8') as Int8Array), [-3, 127, -128]);
    assert.deepEqual(Array.from(castFloat32(Float32Array.from([-2.5, 7.5]), 'int64') as BigInt64Array), [-3n, 8n]);
    assert.deepEqual(Array.from(toFloat32(Uint16Array.from([0x3c00, 0xc000]), 'float16')), [1, -2]);
    assert.ok(isCastable('float16') && !isCastable('string'));
  });

  it('a uint8 model: predictAll casts the float32 data (clamped, rounded) before Cast(float) × 2', async () => {
    const s = await openModel(join(FIX, 'uint8_input.onnx'), { ep: 'cpu' });
    try {
      const x = Float32Array.from([-3.5, 2.5, 300, 1.49, 0, 10.5, 254.6, 7]);
      const { y } = await s.predictAll(x, [2, 4], { batchSize: 2 });
      assert.deepEqual(Array.from(y!.data), [0, 6, 510, 2, 0, 22, 510, 14]);
    } finally {
      await s.release();
    }
  });

  it('a float16 model: fed binary16 bits, its float16 output read back as numbers', async () => {
    const s = await openModel(join(FIX, 'fp16_io.onnx'), { ep: 'cpu' });
    try {
      const { y } = await s.predictAll(Float32Array.from([0.1, 1, -3, 70000]), [1, 4], { batchSize: 1 });
      // fp16(0.1) = 0.0999755859375, × 2 exactly; 70000 → Infinity in half precision
      assert.deepEqual(Array.from(y!.data), [0.199951171875, 2, -6, Infinity]);
    } finally {
      await s.release();
    }
  });
});
