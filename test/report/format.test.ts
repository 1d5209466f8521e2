import { strict as assert } from 'node:assert';
import { columnWidths } from '../../src/report/clause.js';
import { breakable, formatConditions, formatValue } from '../../src/report/format.js';
import { clauseRequirement, reportStrings } from '../../src/report/strings.js';
import { CLAUSES } from '../../src/results/clauses.js';

describe('report/format', () => {
  it('formatValue: 4 significant digits, exact integers, exponents for tiny/huge, words for the rest', () => {
    assert.equal(formatValue(0.871234), '0.8712');
    assert.equal(formatValue(9040000), '9040000');
    assert.equal(formatValue(0.00001234), '1.234e-5');
    assert.equal(formatValue(1.5e12 + 0.5), '1.500e+12');
    assert.equal(formatValue(null), '—');
    assert.equal(formatValue(true), 'true');
    assert.equal(formatValue({ a: 0.123456, b: [1, 2] }), '{"a":0.1235, "b":[1, 2]}');
    assert.equal(formatValue('x'.repeat(300)).length, 240);
  });

  it('formatConditions: key=value, nested keys dotted', () => {
    assert.equal(
      formatConditions({ corruption: 'gaussian-noise', severity: 3, params: { sigmaStd: 0.2 } }),
      'corruption=gaussian-noise, severity=3, params.sigmaStd=0.2',
    );
    assert.equal(formatConditions([1, 2]), '[1, 2]');
  });

  it('breakable: break-all only for long unbroken tokens', () => {
    assert.deepEqual(breakable('a short text'), { text: 'a short text' });
    assert.deepEqual(breakable('ab'.repeat(32), { bold: true }), { text: 'ab'.repeat(32), wordBreak: 'break-all', bold: true });
  });

  it('every clause has a bilingual requirement and method, and both languages have the same labels', () => {
    for (const c of CLAUSES) {
      const r = clauseRequirement(c.clause)!;
      for (const t of [r.requirement, r.method]) {
        assert.ok(t.zh.length > 20 && /[\u4e00-\u9fff]/.test(t.zh), `${c.clause} zh`);
        assert.ok(t.en.length > 20 && /^[\x20-\x7e\u2013\u2014\u00d7]+$/.test(t.en), `${c.clause} en`);
      }
    }
    assert.deepEqual(Object.keys(reportStrings('zh')).sort(), Object.keys(reportStrings('en')).sort());
    assert.equal(reportStrings('zh').verdicts.inconclusive, '无法判定');
  });
});

describe('report/columnWidths', () => {
  it('gives short columns little room, text columns more, never less than the longest word', () => {
    const w = columnWidths(['id', 'status', 'note'], [[1, 'consistent', 'a long explanation of what was compared and why it matters']]).map(
      (x) => parseFloat(x),
    );
    assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 100) < 0.05);
    assert.ok(w[0]! < w[1]! && w[1]! < w[2]!, String(w));
    assert.equal(w[1]! / w[0]!, 20 / 8, 'status: 10-letter word ×2; id: 4 letters ×2');
  });
});
