import { strict as assert } from 'node:assert';
import { expandShorthand } from '../../src/kernel/shorthand.js';

describe('kernel/shorthand (tslab workaround)', () => {
  it('expands shorthand properties of object literals, keeping lines', () => {
    assert.equal(expandShorthand('f({ a, b: 1 })'), 'f({ a: a, b: 1 })');
    assert.equal(expandShorthand('const o = {\n  ep,\n  seed\n};'), 'const o = {\n  ep: ep,\n  seed: seed\n};');
    assert.equal(expandShorthand('({ a = 1 } = obj);'), '({ a: a = 1 } = obj);');
  });

  it('leaves declarations, binding patterns, methods and strings alone', () => {
    for (const src of [
      'const { a, b } = o;',
      'function f({ a }: { a: number }) { return a; }',
      'const o = { m() { return 1; } };',
      "const s = '{ a }';",
      'x + 1',
    ]) {
      assert.equal(expandShorthand(src), src);
    }
  });
});
