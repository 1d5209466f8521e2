/**
 * Two real languages (issue 15): the clause evaluations of the bundled breast-cancer case run at small
 * budgets, both PDFs are rendered from their results, and the text `pdftotext` extracts obeys the rule of
 * test/report/language.ts — no English sentence in the zh report, no Chinese in the en report, except the
 * standard's own titles (report title, clause titles) and names.
 *
 * Both bundled cases (breast-cancer classifier and CT body segmentation) are checked, and the PDFs are rendered
 * from the complete results: result tables, settings, measurement conditions and the figures (each PDF embeds
 * the figures of its language) included.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../src/case/load.js';
import type { LoadedCase } from '../../src/case/types.js';
import { saveClauseEvaluation, type ClauseEvaluation } from '../../src/clauses/clause.js';
import { checkDescription } from '../../src/clauses/6.2-description/evaluate.js';
import { evaluateTrainability } from '../../src/clauses/6.3.1-trainability/evaluate.js';
import { evaluateScalability } from '../../src/clauses/6.3.2-scalability/evaluate.js';
import { evaluateTransferability } from '../../src/clauses/6.3.3-transferability/evaluate.js';
import { evaluateEfficiency } from '../../src/clauses/6.3.4-efficiency/evaluate.js';
import { evaluateRepeatability } from '../../src/clauses/6.3.5-repeatability/evaluate.js';
import { evaluateRobustness } from '../../src/clauses/6.3.6-robustness/evaluate.js';
import { evaluateGeneralization } from '../../src/clauses/6.3.7-generalization/evaluate.js';
import { evaluateAdversarial } from '../../src/clauses/6.3.8-adversarial/evaluate.js';
import { evaluatePrivacy } from '../../src/clauses/6.3.9-privacy/evaluate.js';
import { judgeClaim, verdictFromClaims } from '../../src/clauses/judge.js';
import { claimRows } from '../../src/clauses/show.js';
import { renderReportBuffer } from '../../src/report/render.js';
import { reportStrings } from '../../src/report/strings.js';
import { CLAUSES } from '../../src/results/clauses.js';
import type { ClauseResult } from '../../src/results/types.js';
import { bundled } from '../case/helpers.js';
import { chineseLines, englishSentences, pdfPlainText } from './language.js';

/** The names a bundle records (identifiers, not sentences): keys, ids and the environment's own strings. */
export function bundleNames(c: LoadedCase, results: ClauseResult[]): Set<string> {
  const names = new Set<string>();
  const add = (s: unknown) => {
    if (typeof s === 'string') for (const w of s.split(/[\s(),;:=]+/)) if (w) names.add(w);
  };
  add(c.spec.name);
  add(c.claims.modelId);
  // the column names of the case's manifests (6.3.7 lists the columns it looked at)
  for (const ds of Object.values(c.spec.datasets)) {
    if (!ds) continue;
    [ds.idColumn ?? 'id', ds.inputColumn ?? 'input', ds.labelColumn ?? 'label', ds.maskColumn ?? 'mask'].forEach(add);
    [...(ds.subgroups ?? []), ...(ds.featureColumns ?? [])].forEach(add);
  }
  for (const r of results) {
    Object.keys(r.settings).forEach(add);
    r.tables.forEach((t) => t.columns.forEach(add));
    r.measurements.forEach((m) => add(m.name));
    r.claims.forEach((k) => add(k.id));
    for (const k of ['os', 'cpu', 'memory', 'node', 'onnxruntime', 'executionProvider', 'gpu'] as const) add(r.environment[k]);
    // the runtime's own messages on why a provider fell back are quoted as they are, not translated
    r.environment.fallbacks?.forEach((f) => add(f.reason));
  }
  return names;
}

for (const caseName of ['breast-cancer-classifier', 'ct-body-segmentation'] as const) describeCase(caseName);

/** Registers nothing: the BC-only checks (its provider command, its 6.3.3 interval) are not asked of the CT case. */
function none(_title: string, _fn: () => void): void {}

function describeCase(caseName: Parameters<typeof bundled>[0]): void {
  describe(`report: two real languages (pdftotext of both PDFs of the ${caseName} bundle)`, function () {
    this.timeout(900_000);
    const bc = caseName === 'breast-cancer-classifier';
    const out = mkdtempSync(join(tmpdir(), 'ptmc-language-'));
    const results: ClauseResult[] = [];
    let c: LoadedCase;
    let zh = '';
    let en = '';

    before(async () => {
      c = await loadCase(bundled(caseName));
      const timing = { warmup: 1, minQueries: 10, minDurationMs: 50 };
      const runs: (() => Promise<ClauseEvaluation>)[] = [
        async () => ({ result: await checkDescription(join(c.dir, c.spec.description)), figures: [] }),
        () => evaluateTrainability(c, { ep: 'cpu', epochs: 2, trainSamples: 20, validationSamples: 10, threadsSweep: [] }),
        () =>
          evaluateScalability(c, {
            threads: [1],
            batchSizes: [1],
            providers: ['cpu'],
            modes: ['sequential'],
            timing,
            trainingThreads: [1],
            trainingSteps: 2,
          }),
        () => evaluateTransferability(c, { epochs: 2, bootstrapIterations: 100, outDir: out }),
        () => evaluateEfficiency(c, { ep: 'cpu', batchSizes: [1], timing: { minQueries: 20, minDurationMs: 100 }, variants: false }),
        () => evaluateRepeatability(c, { ep: 'cpu', samples: 8, repeats: 2, sessions: 1, threads: [1], providers: [], batchSize: 4 }),
        () => evaluateRobustness(c, { ep: 'cpu', severities: [1, 3], bootstrapIterations: 100 }),
        () => evaluateGeneralization(c, { ep: 'cpu', iterations: 100 }),
        () => evaluateAdversarial(c, { ep: 'cpu', samples: 4, maxQueries: 20, attacks: ['square'], norms: ['linf'] }),
        () => evaluatePrivacy(c, { ep: 'cpu', samples: 40, sandbox: false }),
      ];
      for (const run of runs) results.push(await saveClauseEvaluation(out, await run())); // one model at a time
      for (const lang of ['zh', 'en'] as const) {
        const file = join(out, `report-${lang}.pdf`);
        writeFileSync(file, await renderReportBuffer(out, lang));
        if (lang === 'zh') zh = pdfPlainText(file);
        else en = pdfPlainText(file);
      }
    });
    after(() => rmSync(out, { recursive: true, force: true }));

    const titles = () => [
      reportStrings('zh').reportTitle,
      reportStrings('en').reportTitle,
      ...CLAUSES.flatMap((k) => [k.title.zh, k.title.en]),
    ];

    it('the zh report has no English sentence outside the titles and the names of the bundle', () => {
      assert.equal(results.length, 10);
      assert.ok(zh.includes('结论与理由') && zh.length > 5000, 'the zh PDF has text');
      const found = englishSentences(zh, titles(), bundleNames(c, results));
      assert.deepEqual(found.slice(0, 40), [], `${found.length} English sentence(s) in the zh report`);
    });

    it('each PDF embeds the figures of its language', () => {
      const figures = results.flatMap((r) => r.figures);
      assert.ok(figures.length >= 20, `${figures.length} figures`);
      assert.ok(
        figures.every((f) => f.byLang),
        'every clause figure is saved per language',
      );
      const flat = (t: string) => t.replace(/\s+/g, '');
      // axis titles of the 6.3.1 loss curve and the 6.3.9 loss histogram
      assert.ok(flat(zh).includes('轮次') && flat(zh).includes('每样本损失'), 'zh axis titles in the zh PDF');
      assert.ok(!/\bEpoch\b/.test(zh) && !zh.includes('per-sample loss'), 'no English axis title in the zh PDF');
      assert.ok(/\bEpoch\b/.test(en) && flat(en).includes('per-sampleloss'), 'en axis titles in the en PDF');
    });

    it('the en report has no Chinese outside the titles', () => {
      assert.ok(en.includes('Verdict and rationale') && en.length > 5000, 'the en PDF has text');
      const found = chineseLines(en, titles());
      assert.deepEqual(found.slice(0, 40), [], `${found.length} line(s) with Chinese in the en report`);
    });

    (bc ? it : none)('the zh report carries the facts of the en rationale: the skipped provider command, the interval', () => {
      const t631 = results.find((r) => r.clause === '6.3.1')!;
      assert.equal(typeof t631.rationale, 'object');
      const r = t631.rationale as { zh: string; en: string };
      // the BC case names train.py, which runs only with --allow-provider-commands: both languages say it did not run
      assert.match(r.en, /Provider command not run \(not allowed\)/);
      assert.match(r.zh, /提供方训练命令未运行（未允许）/);
      const t633 = results.find((x) => x.clause === '6.3.3')!.rationale as { zh: string; en: string };
      const ci = /\[(\d\.\d{3}), (\d\.\d{3})\]/.exec(t633.en);
      assert.ok(ci, t633.en);
      assert.ok(t633.zh.includes(ci[0]), `the zh 6.3.3 rationale gives the interval ${ci[0]}`);
      const flat = zh.replace(/\s+/g, '');
      for (const x of results) {
        assert.equal(typeof x.rationale, 'object', `${x.clause}: bilingual rationale`);
        const rz = (x.rationale as { zh: string }).zh;
        assert.match(rz, /[\u4e00-\u9fff]/, `${x.clause}: the zh rationale is Chinese`);
        assert.ok(flat.includes(rz.replace(/\s+/g, '').slice(0, 30)), `${x.clause}: zh rationale on the zh PDF`);
      }
    });

    (bc ? it : none)('claim notes and verdict reasons carry the same facts in both languages (interval, threshold, sample size)', () => {
      const k = {
        id: 'acc',
        clause: '5.2.7',
        statement: { zh: '准确率', en: 'accuracy' },
        metric: 'accuracy',
        comparator: '>=' as const,
        value: 0.85,
      };
      const ci = { low: 0.84, high: 0.88, method: 'wilson', level: 0.95 };
      const check = judgeClaim(k, 0.86, undefined, { n: 40, ci });
      assert.equal(check.met, null);
      assert.equal(
        check.note,
        'insufficient evidence: the 95 % interval [0.8400, 0.8800] contains the threshold 0.8500; ' +
          'about 160 samples (now 40) would decide it at the observed spread',
      );
      assert.equal(
        check.noteZh,
        '证据不足：95 % 置信区间 [0.8400, 0.8800] 包含阈值 0.8500；按当前离散程度约需 160 个样本（现有 40 个）才能判定',
      );
      const { reason } = verdictFromClaims([check]);
      assert.ok(reason.en.startsWith('claim(s) could not be judged: acc (insufficient evidence'));
      assert.ok(reason.zh.startsWith('声称无法判定：acc（证据不足'));
      const zhRows = claimRows({ ...results[0]!, claims: [check] }, 'zh');
      assert.equal(zhRows[0]!['note'], check.noteZh);
      assert.equal(zhRows[0]!['met'], '未判定');
    });
  });
}
