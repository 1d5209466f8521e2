/** Assertions on the `{zh, en}` texts that clause results carry in settings, conditions and table cells. */
import { strict as assert } from 'node:assert';
import type { Bilingual } from '../../src/results/types.js';

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;

/**
 * Asserts `v` is a bilingual text: exactly the string keys `zh` and `en`, the zh side Chinese, the en side free of
 * Chinese; returns it typed.
 */
export function assertBilingual(v: unknown, what = 'value'): Bilingual {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `${what} is an object: ${JSON.stringify(v)}`);
  assert.deepEqual(Object.keys(v).sort(), ['en', 'zh'], `${what} has exactly zh and en`);
  const b = v as Bilingual;
  assert.equal(typeof b.zh, 'string', `${what}.zh is a string`);
  assert.equal(typeof b.en, 'string', `${what}.en is a string`);
  assert.match(b.zh, CJK, `${what}.zh is Chinese: ${b.zh}`);
  assert.doesNotMatch(b.en, CJK, `${what}.en has no Chinese: ${b.en}`);
  return b;
}
