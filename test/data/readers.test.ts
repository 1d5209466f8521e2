import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/util/errors.js';
import { encodeNpy, readNpy, writeNpy } from '../../src/data/npy.js';
import { parseCsv, readCsvTable } from '../../src/data/csv.js';
import { readPng, readPngFolder } from '../../src/data/png.js';
import { readDicom } from '../../src/data/dicom.js';
import { readArrayFile } from '../../src/data/files.js';

const FIX = join(__dirname, '../../../test/fixtures/data');
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as Record<string, { shape: number[]; values: number[] }>;

function sameAs(name: string, got: { data: ArrayLike<number>; shape: number[] }) {
  const e = expected[name]!;
  assert.deepEqual(got.shape, e.shape, name);
  assert.equal(got.data.length, e.values.length);
  for (let i = 0; i < e.values.length; i++)
    assert.equal(got.data[i], name === 'f4.npy' ? Math.fround(e.values[i]!) : e.values[i], `${name}[${i}]`);
}

describe('data/npy', () => {
  for (const [f, dtype, cls] of [
    ['f4.npy', 'float32', Float32Array],
    ['f8.npy', 'float64', Float64Array],
    ['u1.npy', 'uint8', Uint8Array],
    ['i2.npy', 'int16', Int16Array],
    ['i4.npy', 'int32', Int32Array],
    ['i8.npy', 'int64', Float64Array],
    ['b1.npy', 'bool', Uint8Array],
    ['bigendian.npy', 'int32', Int32Array],
  ] as const) {
    it(`reads ${f} written by numpy (${dtype})`, () => {
      const a = readNpy(join(FIX, f));
      assert.equal(a.dtype, dtype);
      assert.ok(a.data instanceof cls);
      sameAs(f, a);
    });
  }
  it('reads a 0-d array', () => assert.deepEqual(readNpy(join(FIX, 'scalar.npy')).shape, []));
  it('rejects Fortran order with a remedy', () => {
    assert.throws(
      () => readNpy(join(FIX, 'fortran.npy')),
      (e: unknown) => e instanceof InputError && e.field === 'fortran_order' && /ascontiguousarray/.test(e.remedy!),
    );
  });
  it('rejects complex dtype and int64 beyond 2^53', () => {
    assert.throws(
      () => readNpy(join(FIX, 'complex.npy')),
      (e: unknown) => e instanceof InputError && /unsupported dtype '<c16'/.test(e.message),
    );
    assert.throws(
      () => readNpy(join(FIX, 'i8big.npy')),
      (e: unknown) => e instanceof InputError && /2\^53/.test(e.message),
    );
  });
  it('rejects a non-npy and a truncated buffer', () => {
    assert.throws(
      () => readNpy(new Uint8Array(20), 'x.npy'),
      (e: unknown) => e instanceof InputError && e.file === 'x.npy' && e.field === 'magic',
    );
    const b = encodeNpy(new Float32Array(8), [2, 4]);
    assert.throws(
      () => readNpy(b.subarray(0, b.length - 4)),
      (e: unknown) => e instanceof InputError && /truncated data/.test(e.message),
    );
  });
  it('round-trips every typed array through writeNpy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const cases = [
      new Float32Array([1.5, -2]),
      new Float64Array([Math.PI, 1e-300]),
      new Uint8Array([0, 255]),
      new Int16Array([-32768, 32767]),
      new Int32Array([-5, 7]),
      new Uint16Array([1, 65535]),
      new Int8Array([-1, 2]),
    ];
    for (const d of cases) {
      writeNpy(join(dir, 'a.npy'), d, [1, 2]);
      const r = readNpy(join(dir, 'a.npy'));
      assert.deepEqual(Array.from(r.data), Array.from(d));
      assert.deepEqual(r.shape, [1, 2]);
      assert.equal(r.data.constructor, d.constructor);
    }
    writeNpy(join(dir, 'b.npy'), new Uint8Array([1, 0]), [2], { dtype: 'bool' });
    assert.equal(readNpy(join(dir, 'b.npy')).dtype, 'bool');
    assert.equal(encodeNpy(new Float32Array(3), [3]).length % 64, 12); // header padded to 64 bytes
  });
  it('rejects a shape that does not match the data', () => {
    assert.throws(() => encodeNpy(new Float32Array(3), [2, 2]), InputError);
  });
});

describe('data/csv', () => {
  it('parses quotes, embedded commas/newlines, CRLF and a BOM', () => {
    const c = parseCsv('\ufeffid,note\r\n1,"a, ""b""\nc"\r\n2,x\n\n');
    assert.deepEqual(c.columns, ['id', 'note']);
    assert.deepEqual(c.rows, [
      ['1', 'a, "b"\nc'],
      ['2', 'x'],
    ]);
  });
  it('names the row with the wrong number of fields', () => {
    assert.throws(
      () => parseCsv('a,b\n1,2\n3\n', 'f.csv'),
      (e: unknown) => e instanceof InputError && e.file === 'f.csv' && e.field === 'row 2',
    );
  });
  it('rejects duplicate columns and empty files', () => {
    assert.throws(
      () => parseCsv('a,a\n'),
      (e: unknown) => e instanceof InputError && /duplicate column "a"/.test(e.message),
    );
    assert.throws(() => parseCsv(''), InputError);
  });
  it('reads a CSV into a danfojs DataFrame with numeric columns', async () => {
    const df = await readCsvTable(join(FIX, 'case/test.csv'));
    assert.deepEqual(df.columns, ['id', 'input', 'mask', 'site', 'age']);
    assert.deepEqual(df.column('age').values, [40, 41, 42]);
    assert.equal(df.shape[0], 3);
  });
});

describe('data/png, dicom', () => {
  for (const f of ['grey8.png', 'grey16.png', 'rgb8.png', 'mask1bit.png']) it(`reads ${f}`, () => sameAs(f, readPng(join(FIX, f))));
  it('keeps 16-bit values and reports the depth', () => {
    const p = readPng(join(FIX, 'grey16.png'));
    assert.ok(p.data instanceof Uint16Array);
    assert.equal(p.bitDepth, 16);
  });
  it('stacks a PNG folder', () => {
    const { array, files } = readPngFolder(join(FIX, 'case/masks'));
    assert.deepEqual(files, ['s0.png', 's1.png', 's2.png']);
    assert.deepEqual(array.shape, [3, 4, 5]);
  });
  it('rejects a non-PNG', () => assert.throws(() => readPng(join(FIX, 'f4.npy')), InputError));
  it('reads a CT DICOM and applies slope/intercept (HU)', () => {
    const d = readDicom(join(FIX, 'ct.dcm'));
    assert.equal(d.modality, 'CT');
    assert.equal(d.intercept, -1024);
    sameAs('ct.dcm', d);
    sameAs('ct.dcm', readArrayFile(join(FIX, 'ct.dcm')));
  });
  it('rejects a non-DICOM file and unknown extensions', () => {
    assert.throws(() => readDicom(join(FIX, 'grey8.png')), InputError);
    assert.throws(
      () => readArrayFile('x.jpg'),
      (e: unknown) => e instanceof InputError && /\.npy, \.png/.test(e.remedy!),
    );
  });
});
