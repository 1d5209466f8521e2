import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCase } from '../../src/case/load.js';
import { buildClauseResult, startClause } from '../../src/clauses/clause.js';
import { evaluateRobustness } from '../../src/clauses/6.3.6-robustness/evaluate.js';
import { InputError } from '../../src/util/errors.js';
import { collectEnvironment } from '../../src/util/environment.js';
import { assertValid } from '../../src/util/schema.js';
import { copyCase, editJson } from '../case/helpers.js';
import { claim, tinyCase } from './tiny-case.js';

const env = collectEnvironment({ executionProvider: 'cpu' });

describe('clauses/coverage: requirement coverage decides with the claims', function () {
  this.timeout(120_000);

  it('a case without any 5.2.6 claim: 6.3.6 fails, h) and i) missing, the rationale names i) in both languages', async () => {
    const c = await tinyCase('linear', [claim('5.2.1', 'finalTrainLoss', '<=', 1)], 20);
    const ev = await evaluateRobustness(c, { ep: 'cpu', severities: [1], samples: 20, bootstrapIterations: 50 });
    assert.equal(ev.result.verdict, 'fail');
    assert.deepEqual(
      ev.result.coverage.map((r) => [r.item, r.strength, r.status]),
      [
        ['5.2.6.h', 'shall', 'missing'],
        ['5.2.6.i', 'shall', 'missing'],
      ],
    );
    const rat = ev.result.rationale as { zh: string; en: string };
    assert.ok(rat.en.includes('5.2.6 i) requires a claim on out-of-distribution data; none was made'), rat.en);
    assert.ok(rat.zh.includes('5.2.6 i) 要求对分布外数据作出声称，但未作出'), rat.zh);
    assertValid(ev.result, 'clause-result.schema.json', '6.3.6.json');
  });

  it('a met claim on h) alone still fails 6.3.6 (i) missing); covers defaults from the metric', async () => {
    const k = claim('5.2.6', 'accuracy', '>=', 0, { conditions: { corruption: 'gaussian-noise', severity: 1 } });
    const c = await tinyCase('linear', [k], 30);
    const ev = await evaluateRobustness(c, { ep: 'cpu', severities: [1], samples: 30, bootstrapIterations: 50 });
    assert.equal(ev.result.claims[0]!.covers, '5.2.6.h');
    assert.equal(ev.result.claims[0]!.met, true);
    assert.deepEqual(
      ev.result.coverage.map((r) => [r.item, r.status, r.claims]),
      [
        ['5.2.6.h', 'met', [k.id]],
        ['5.2.6.i', 'missing', []],
      ],
    );
    assert.equal(ev.result.verdict, 'fail');
  });

  it('a should item without a claim is noted (info), not failed; a where-applicable item can be declared not applicable', async () => {
    const c = await tinyCase('linear', [], 8);
    const adv = buildClauseResult(startClause('6.3.8', c), { claims: [], rationale: (r) => r, settings: {}, environment: env });
    assert.equal(adv.verdict, 'inconclusive');
    assert.deepEqual(adv.coverage, [{ item: '5.2.8', strength: 'should', claims: [], status: 'missing' }]);
    assert.deepEqual(
      adv.findings.map((f) => [f.id, f.severity, f.item]),
      [['no-claim-5.2.8', 'info', '5.2.8']],
    );
    const reason = { zh: '单一参数配置', en: 'one parameter configuration only' };
    const withNa = { ...c, claims: { ...c.claims, notApplicable: [{ item: '5.2.4.g', reason }] } };
    const eff = buildClauseResult(startClause('6.3.4', withNa), {
      claims: [],
      rationale: (r) => r,
      settings: {},
      environment: env,
    });
    assert.deepEqual(
      eff.coverage.find((r) => r.item === '5.2.4.g'),
      {
        item: '5.2.4.g',
        strength: 'where-applicable',
        claims: [],
        status: 'not-applicable',
        reason,
      },
    );
    assert.equal(eff.verdict, 'fail', '5.2.4 e) and f) are shall items without claims');
  });

  it('case load: covers defaults from the metric; a metric that cannot evidence its covers is an InputError naming the claim', async () => {
    const ok = await loadCase(join(copyCase('ct-body-segmentation')));
    assert.equal(ok.claims.claims.find((k) => k.id === 'rob-noise')!.covers, '5.2.6.h');
    assert.equal(ok.claims.claims.find((k) => k.id === 'eff-macs')!.covers, '5.2.4.e');
    assert.equal(ok.claims.claims.find((k) => k.id === 'eff-params')!.covers, '5.2.4.f');
    const dir = copyCase('ct-body-segmentation');
    editJson(join(dir, 'claims.json'), (d) => (d.claims.find((k: { id: string }) => k.id === 'rob-noise').covers = '5.2.6.i'));
    await assert.rejects(loadCase(dir), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /claim "rob-noise": metric "dice" cannot evidence 5\.2\.6\.i/);
      const idx = (JSON.parse(readFileSync(join(dir, 'claims.json'), 'utf8')).claims as { id: string }[]).findIndex(
        (k) => k.id === 'rob-noise',
      );
      assert.equal(e.field, `/claims/${idx}/metric`);
      assert.match(e.remedy!, /oodAuroc/);
      return true;
    });
    const na = copyCase('ct-body-segmentation');
    editJson(join(na, 'claims.json'), (d) => (d.notApplicable = [{ item: '5.2.6.i', reason: { zh: '无', en: 'none' } }]));
    await assert.rejects(loadCase(na), /a shall item, which cannot be declared not applicable/);
  });
});
