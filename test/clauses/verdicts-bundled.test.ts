/**
 * Acceptance of the decision rules over both bundled cases: every one of the ten clauses runs once per
 * case at small budgets (one run per clause and case, shared by the tests of this file), every claim's
 * `met` agrees with its interval, and the findings an assessor must see appear in the results and on the
 * PDF's summary page in both languages.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../src/case/load.js';
import type { Claim, LoadedCase } from '../../src/case/types.js';
import { saveClauseEvaluation, type ClauseEvaluation } from '../../src/clauses/clause.js';
import { checkDescription } from '../../src/clauses/6.2-description/evaluate.js';
import { evaluateTrainability } from '../../src/clauses/6.3.1-trainability/evaluate.js';
import { evaluateScalability } from '../../src/clauses/6.3.2-scalability/evaluate.js';
import { evaluateRepeatability } from '../../src/clauses/6.3.5-repeatability/evaluate.js';
import { evaluatePrivacy } from '../../src/clauses/6.3.9-privacy/evaluate.js';
import { evaluateTransferability } from '../../src/clauses/6.3.3-transferability/evaluate.js';
import { evaluateEfficiency } from '../../src/clauses/6.3.4-efficiency/evaluate.js';
import { evaluateRobustness } from '../../src/clauses/6.3.6-robustness/evaluate.js';
import { evaluateGeneralization } from '../../src/clauses/6.3.7-generalization/evaluate.js';
import { evaluateAdversarial } from '../../src/clauses/6.3.8-adversarial/evaluate.js';
import { renderReportBuffer } from '../../src/report/render.js';
import type { ClaimCheck, ClauseResult } from '../../src/results/types.js';
import { bundled, copyCase, editJson } from '../case/helpers.js';
import { packageRoot } from '../../src/util/package-root.js';

/** The decision an interval (or exact value) gives on a claim, independently of judge.ts. */
function intervalDecision(k: Claim, lo: number, hi: number): boolean | null {
  const t = k.tolerance ?? 0;
  switch (k.comparator) {
    case '>=':
      return lo >= k.value - t ? true : hi < k.value - t ? false : null;
    case '>':
      return lo > k.value - t ? true : hi <= k.value - t ? false : null;
    case '<=':
      return hi <= k.value + t ? true : lo > k.value + t ? false : null;
    case '<':
      return hi < k.value + t ? true : lo >= k.value + t ? false : null;
    default:
      return lo >= k.value - t && hi <= k.value + t ? true : hi < k.value - t || lo > k.value + t ? false : null;
  }
}

function checkProperty(check: ClaimCheck, k: Claim, where: string): void {
  const ev = check.evidence!;
  assert.ok(ev, `${where}: evidence`);
  if (ev.rule === 'none') return assert.equal(check.met, null, `${where}: nothing measured → null`);
  const [lo, hi] = ev.rule === 'ci' ? [ev.ci!.low, ev.ci!.high] : [ev.estimate!, ev.estimate!];
  let d = intervalDecision(k, lo, hi);
  if (ev.rule === 'lower-bound') d = k.comparator.startsWith('>') ? (d === true ? true : null) : d === false ? false : null;
  if (check.met === true) assert.equal(d, true, `${where}: met ⇒ the interval clears ${k.comparator} ${k.value}`);
  else if (check.met === false) assert.ok(d === false || ev.override, `${where}: not met ⇒ the interval cannot reach the threshold`);
  // null: either the interval does not decide, or a stated rule (budget, finding, deviation) withheld the decision
  else assert.ok(d === null || (check.note ?? '').length > 0, `${where}: null ⇒ undecided interval or a stated reason`);
}

const squash = (s: string) => s.replace(/\s+/g, '');
const strings = JSON.parse(readFileSync(join(packageRoot(), 'templates/report/strings.json'), 'utf8')) as Record<
  'zh' | 'en',
  { clauses: string }
>;

describe('clauses: decisions over both bundled cases (property) and findings on the PDF summary page', function () {
  this.timeout(900_000);
  const results: ClauseResult[] = [];
  const cases: Record<string, LoadedCase> = {};
  let ctIid: LoadedCase | undefined;
  let ctNo526: LoadedCase | undefined;
  const out = mkdtempSync(join(tmpdir(), 'ptmc-verdicts-'));

  before(async () => {
    cases.ct = await loadCase(bundled('ct-body-segmentation'));
    const bc = copyCase('breast-cancer-classifier');
    // a downstream claim that any working model meets before fine-tuning (the finding must say so)
    editJson(join(bc, 'claims.json'), (d) =>
      d.claims.push({
        id: 'transfer-low-bar',
        clause: '5.2.3',
        statement: { zh: '下游准确率 ≥ 0.3', en: 'downstream accuracy ≥ 0.3' },
        metric: 'accuracy',
        comparator: '>=',
        value: 0.3,
      }),
    );
    cases.bc = await loadCase(bc);
    // a CT copy whose "OOD" set is in-distribution (the test slices): confidence cannot separate it
    const iid = copyCase('ct-body-segmentation');
    editJson(join(iid, 'case.json'), (d) => {
      d.datasets.ood = { manifest: 'data/test/manifest.csv', inputColumn: 'input', subgroups: ['site'] };
    });
    ctIid = await loadCase(iid);
    // a CT copy without any 5.2.6 claim: h) and i) are missing, the clause fails whatever it measures
    const no526 = copyCase('ct-body-segmentation');
    editJson(join(no526, 'claims.json'), (d) => (d.claims = d.claims.filter((k: Claim) => k.clause !== '5.2.6')));
    ctNo526 = await loadCase(no526);
    const runs: [string, () => Promise<ClauseEvaluation>][] = [];
    const add = (name: string, p: () => Promise<ClauseEvaluation>) => runs.push([name, p]);
    const timing = { warmup: 1, minQueries: 10, minDurationMs: 50 };
    for (const [name, c] of Object.entries(cases)) {
      add(`${name} 6.2`, async () => ({ result: await checkDescription(join(c.dir, c.spec.description)), figures: [] }));
      add(`${name} 6.3.1`, () =>
        evaluateTrainability(c, {
          ep: 'cpu',
          epochs: 2,
          trainSamples: 20,
          validationSamples: 10,
          threadsSweep: [],
          useProviderCommand: false,
        }),
      );
      add(`${name} 6.3.2`, () =>
        evaluateScalability(c, {
          threads: [1],
          batchSizes: [1],
          providers: ['cpu'],
          modes: ['sequential'],
          timing,
          trainingThreads: [1],
          trainingSteps: 2,
        }),
      );
      add(`${name} 6.3.3`, () => evaluateTransferability(c, { epochs: 2, bootstrapIterations: 100, outDir: join(out, name) }));
      add(`${name} 6.3.4`, () =>
        evaluateEfficiency(c, { ep: 'cpu', batchSizes: [1], timing: { minQueries: 20, minDurationMs: 100 }, variants: false }),
      );
      add(`${name} 6.3.5`, () =>
        evaluateRepeatability(c, { ep: 'cpu', samples: 8, repeats: 2, sessions: 1, threads: [1], providers: [], batchSize: 4 }),
      );
      add(`${name} 6.3.6`, () => evaluateRobustness(c, { ep: 'cpu', severities: [1, 3, 5], bootstrapIterations: 100 }));
      add(`${name} 6.3.7`, () => evaluateGeneralization(c, { ep: 'cpu', iterations: 100 }));
      add(`${name} 6.3.8`, () => evaluateAdversarial(c, { ep: 'cpu', samples: 4, maxQueries: 20, attacks: ['square'], norms: ['linf'] }));
      add(`${name} 6.3.9`, () => evaluatePrivacy(c, { ep: 'cpu', samples: 40, sandbox: false }));
    }
    add('ct-no526 6.3.6', () => evaluateRobustness(ctNo526!, { ep: 'cpu', severities: [1], bootstrapIterations: 50 }));
    add('ct-iid-ood 6.3.6', () => evaluateRobustness(ctIid!, { ep: 'cpu', severities: [1], bootstrapIterations: 100 }));
    for (const [name, p] of runs) {
      const ev = await p(); // sequential on purpose: one model at a time on a 2-core machine
      const dir = join(out, name.replace(/\s+/g, '-'));
      results.push({ ...(await saveClauseEvaluation(dir, ev)), settings: { ...ev.result.settings, run: name } });
    }
  });

  it('every claim: met ⇒ the interval (or exact value) clears, not met ⇒ it cannot reach, null otherwise', () => {
    let n = 0;
    for (const r of results) {
      const prefix = String(r.settings.run).split(' ')[0]!;
      const c = prefix === 'ct-iid-ood' ? ctIid! : prefix === 'ct-no526' ? ctNo526! : prefix === 'ct' ? cases.ct! : cases.bc!;
      for (const check of r.claims) {
        const k = c.claims.claims.find((x) => x.id === check.id)!;
        checkProperty(check, k, `${String(r.settings.run)} ${check.id}`);
        n++;
      }
    }
    assert.ok(n >= 40, `${n} claims checked`);
    assert.equal(new Set(results.map((r) => r.clause)).size, 10, 'all ten clauses ran');
    for (const rule of ['ci', 'exact', 'none'] as const)
      assert.ok(
        results.some((r) => r.claims.some((k) => k.evidence?.rule === rule)),
        `some claim decided by rule ${rule}`,
      );
    // 6.3.3's non-headline figures carry their own intervals (no claim on them is decided on a point estimate)
    const ctTransfer = results.find((r) => r.settings.run === 'ct 6.3.3')!;
    for (const name of ['iou', 'pixelAccuracy'])
      assert.ok(
        ctTransfer.measurements
          .filter((m) => m.name === name)
          .every((m) => m.ci && m.ci.low <= Number(m.value) && Number(m.value) <= m.ci.high),
        name,
      );
    // the reduced budgets of this file fall under the evidence minimums: those claims say so and how to raise them
    const priv = results.find((r) => r.settings.run === 'ct 6.3.9')!;
    const mia = priv.claims.find((k) => k.id === 'priv-mia')!;
    assert.equal(mia.met, null);
    assert.match(mia.note!, /^evidence budget below minimum: 40 members and 40 non-members < 100 and 100, raise with -p samples=100/);
    assert.ok(priv.findings.some((f) => f.id === 'budget-membership-samples'));
  });

  it('CT 6.3.6 is not pass while invalid samples are accepted: its honest 5.2.6 i) claims are not met; findings say so', () => {
    const rob = results.find((r) => r.settings.run === 'ct 6.3.6')!;
    assert.equal(rob.verdict, 'fail');
    // the bundled claims cover 5.2.6 i) as the provider states it (AUROC ≥ 0.9, ≤ 5 % invalid accepted): not met
    assert.equal(rob.coverage.find((x) => x.item === '5.2.6.i')!.status, 'not-met');
    const ids = rob.findings.filter((f) => f.severity === 'major').map((f) => f.id);
    assert.ok(ids.includes('invalid-accepted'), ids.join(', '));
    assert.deepEqual(
      rob.claims.filter((k) => k.met === false).map((k) => k.id),
      ['rob-invalid'],
    );
    // no 5.2.6 claim at all: 6.3.6 fails with h) and i) missing
    const none = results.find((r) => r.settings.run === 'ct-no526 6.3.6')!;
    assert.equal(none.verdict, 'fail');
    assert.deepEqual(
      none.coverage.filter((x) => x.item.startsWith('5.2.6')).map((x) => [x.item, x.status]),
      [
        ['5.2.6.h', 'missing'],
        ['5.2.6.i', 'missing'],
      ],
    );
    // with in-distribution slices as "OOD" the confidence cannot separate them: a major finding
    const iid = results.find((r) => r.settings.run === 'ct-iid-ood 6.3.6')!;
    const ood = iid.findings.find((f) => f.id === 'ood-inseparable')!;
    assert.equal(ood.severity, 'major');
    assert.ok((ood.measured as { oodAuroc: number }).oodAuroc <= 0.6, JSON.stringify(ood.measured));
    const bcAdv = results.find((r) => r.settings.run === 'bc 6.3.8')!;
    assert.deepEqual(
      bcAdv.findings.filter((f) => f.id.startsWith('budget-')).map((f) => f.id),
      ['budget-attack-samples', 'budget-attack-queries'],
    );
    assert.ok(bcAdv.claims.every((k) => k.met === null && k.note!.startsWith('evidence budget below minimum: ')));
    const transfer = results.find((r) => r.settings.run === 'bc 6.3.3')!;
    assert.ok(transfer.findings.some((f) => f.id === 'met-before-fine-tuning:transfer-low-bar' && f.severity === 'major'));
  });

  it('the findings are on the summary page of the PDF, in Chinese and in English', async () => {
    const bundle = mkdtempSync(join(tmpdir(), 'ptmc-verdicts-pdf-'));
    // one result per clause for the report: the CT robustness, the breast-cancer attack and transfer runs
    const pick = ['ct-iid-ood 6.3.6', 'bc 6.3.8', 'bc 6.3.3', 'ct 6.3.4'].map((n) => results.find((r) => r.settings.run === n)!);
    const expect = {
      en: [
        'invalid samples are accepted with confidence',
        'not separable from test samples',
        'already met before fine-tuning',
        'evidence budget below minimum',
      ],
      zh: ['不合格样本', '无法与测试样本区分', '在微调前已满足', '证据量低于最低要求'],
    };
    for (const lang of ['en', 'zh'] as const) {
      const pdf = join(bundle, `report-${lang}.pdf`);
      writeFileSync(
        pdf,
        await renderReportBuffer(
          bundle,
          lang,
          undefined,
          undefined,
          pick.map((r) => ({ ...r, figures: [] })),
        ),
      );
      const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f');
      // the findings table starts on a summary page and may run over several, up to the clause sections
      const start = pages.findIndex((p) => p.includes(lang === 'en' ? 'Findings per clause' : '各条款的评价发现'));
      assert.ok(start >= 0, `${lang}: a summary page with the findings`);
      const clausesHeading = squash(strings[lang].clauses);
      let end = start + 1;
      while (end < pages.length && !squash(pages[end]!).includes(clausesHeading)) end++;
      const summary = pages.slice(start, end).join('\n');
      for (const t of expect[lang]) assert.ok(squash(summary).includes(squash(t)), `${lang} summary page lacks "${t}"`);
      if (lang === 'en') assert.ok(!/[\u4e00-\u9fff]/.test(summary.split('Findings per clause')[1]!), 'no Chinese in the English findings');
    }
  });
});
