import { strict as assert } from 'node:assert';
import { evaluateRepeatability, judgeRepeat, type RepeatRow } from '../../../src/clauses/6.3.5-repeatability/evaluate.js';
import { assertValid } from '../../../src/util/schema.js';
import { claim, tinyCase } from '../tiny-case.js';
import { assertBilingual } from '../bilingual.js';

const fast = { samples: 8, repeats: 2, sessions: 1, threads: [1], providers: [] as never[], batchSize: 4 };

describe('evaluations/repeatability (6.3.5)', function () {
  this.timeout(60_000);

  it('a deterministic model is bit-for-bit repeatable and meets an "identical" claim', async () => {
    const c = await tinyCase('linear', [claim('5.2.5', 'maxAbsDiff', '==', 0), claim('5.2.5', 'decisionAgreement', '>=', 1)]);
    const ev = await evaluateRepeatability(c, { ep: 'cpu', ...fast });
    assert.deepEqual(
      ev.rows.map((r) => r.comparison),
      ['within-session', 'fresh-sessions', 'threads-1', 'single-vs-batch'],
    );
    assert.ok(ev.rows.every((r) => r.identical && r.maxAbsDiff === 0 && r.exactMatchRate === 1 && r.decisionAgreement === 1));
    assert.equal(ev.result.verdict, 'pass');
    assert.match(String(ev.result.claims[0]!.note), /bit for bit \(identical\)/);
    // the descriptive texts of the table and the settings are bilingual
    assert.deepEqual(assertBilingual(ev.rows[0]!.note, 'within-session note'), {
      zh: '参考会话内重复 2 次',
      en: '2 repeats in the reference session',
    });
    assert.deepEqual(ev.rows[1]!.note, { zh: '1 个新会话，选项相同', en: '1 new session(s), same options' });
    const cells = ev.result.tables[0]!;
    assert.deepEqual(cells.rows[0]![cells.columns.indexOf('note')], ev.rows[0]!.note);
    assertBilingual(ev.result.settings['compared'], 'settings.compared');
    const agree = ev.result.measurements.find((m) => m.name === 'decisionAgreement')!;
    assert.deepEqual(agree.conditions!['measure'], { zh: '标签相同的比例', en: 'share of equal labels' });
    assertValid(ev.result, 'clause-result.schema.json', '6.3.5.json');
    assert.equal(ev.result.modelSha256, c.modelSha256);
    assert.equal(ev.result.environment.executionProvider, 'cpu');
  });

  it('a deliberately non-deterministic model fails the tolerance claim', async () => {
    const c = await tinyCase('noisy', [claim('5.2.5', 'maxAbsDiff', '<=', 1e-5)]);
    const ev = await evaluateRepeatability(c, { ep: 'cpu', ...fast });
    const within = ev.rows.find((r) => r.comparison === 'within-session')!;
    assert.ok(within.maxAbsDiff > 1e-3, `noise of scale 0.05 should show, got ${within.maxAbsDiff}`);
    assert.ok(within.exactMatchRate < 0.5);
    assert.equal(ev.result.verdict, 'fail');
    assert.equal(ev.result.claims[0]!.met, false);
  });

  it('no claim → never a silent pass: 5.2.5 is a shall item, so the clause fails naming it', async () => {
    const ev = await evaluateRepeatability(await tinyCase('linear', []), { ep: 'cpu', ...fast });
    assert.equal(ev.result.verdict, 'fail');
    assert.deepEqual(ev.result.coverage, [{ item: '5.2.5', strength: 'shall', claims: [], status: 'missing' }]);
    assert.match((ev.result.rationale as { en: string }).en, /^5\.2\.5 requires a claim on output consistency across runs; none was made/);
  });

  it('judges against the worst comparison, or the one a claim names', () => {
    const row = (comparison: string, maxAbsDiff: number, decisionAgreement: number): RepeatRow => ({
      comparison,
      runs: 1,
      maxAbsDiff,
      maxRelDiff: 0,
      exactMatchRate: maxAbsDiff ? 0 : 1,
      decisionAgreement,
      identical: maxAbsDiff === 0,
      note: { zh: '', en: '' },
    });
    const rows = [row('within-session', 0, 1), row('threads-2', 2e-6, 0.9)];
    assert.equal(judgeRepeat(claim('5.2.5', 'maxAbsDiff', '<=', 1e-6), rows).met, false);
    assert.equal(judgeRepeat(claim('5.2.5', 'maxAbsDiff', '<=', 1e-6, { conditions: { comparison: 'within-session' } }), rows).met, true);
    assert.equal(judgeRepeat(claim('5.2.5', 'decisionAgreement', '>=', 0.95), rows).measured, 0.9);
    assert.equal(judgeRepeat(claim('5.2.5', 'latency', '<=', 1), rows).met, null);
  });
});
