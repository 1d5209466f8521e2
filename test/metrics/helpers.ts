import { strict as assert } from 'node:assert';

const TOL = 1e-9;

/** Compares numbers (or arrays) to 1e-9, with 'NaN' in the fixture standing for NaN. */
export function close(got: unknown, want: unknown, what: string): void {
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(got) || ArrayBuffer.isView(got), `${what}: expected an array`);
    const g = Array.from(got as ArrayLike<number>);
    assert.equal(g.length, want.length, `${what}: length`);
    want.forEach((w, i) => close(g[i], w, `${what}[${i}]`));
    return;
  }
  if (want === 'NaN' || (typeof want === 'number' && Number.isNaN(want)))
    return assert.ok(Number.isNaN(got as number), `${what}: expected NaN, got ${got}`);
  assert.equal(typeof got, 'number', `${what}: got ${got}`);
  assert.ok(Math.abs((got as number) - (want as number)) <= TOL, `${what}: got ${got}, want ${want}`);
}
