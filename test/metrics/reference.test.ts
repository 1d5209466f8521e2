import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accuracyScore, fbetaScore, precisionRecallFscoreSupport } from '../../src/metrics/classification.js';
import { confusionMatrix } from '../../src/metrics/confusion.js';
import type { Average, ZeroDivision } from '../../src/metrics/options.js';
import { averagePrecisionScore, precisionRecallCurve, rocAucScore, rocCurvePoints } from '../../src/metrics/ranking.js';
import { segmentationMetrics } from '../../src/metrics/segmentation.js';
import { close } from './helpers.js';

const REF = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/metrics/reference.json'), 'utf8'));
describe('metrics vs scikit-learn ' + REF.sklearn, () => {
  for (const c of REF.classification) {
    describe(`classification: ${c.name}`, () => {
      const w = c.sampleWeight ?? undefined;
      const labels = c.labels ?? undefined;
      it('confusion matrix and accuracy', () => {
        close(confusionMatrix(c.yTrue, c.yPred, { labels, sampleWeight: w }).flat(), c.confusionMatrix.flat(), 'cm');
        close(accuracyScore(c.yTrue, c.yPred, { sampleWeight: w }), c.accuracy, 'accuracy');
      });
      it('precision, recall, F1, F2, specificity in every average and zero-division setting', () => {
        for (const r of c.results) {
          const zd = r.zeroDivision as ZeroDivision;
          const tag = `${r.average}/${r.zeroDivision}`;
          const average = (r.average ?? 'macro') as Average;
          const opts = { average, zeroDivision: zd, sampleWeight: w, labels, posLabel: c.posLabel };
          const got = precisionRecallFscoreSupport(c.yTrue, c.yPred, opts);
          if (r.average === null) {
            close(got.perClass.precision, r.precision, `${tag} precision`);
            close(got.perClass.recall, r.recall, `${tag} recall`);
            close(got.perClass.fscore, r.f1, `${tag} f1`);
            close(got.perClass.specificity, r.specificity, `${tag} specificity`);
            close(got.perClass.support, r.support, `${tag} support`);
          } else {
            close(got.precision, r.precision, `${tag} precision`);
            close(got.recall, r.recall, `${tag} recall`);
            close(got.fscore, r.f1, `${tag} f1`);
            close(got.specificity, r.specificity, `${tag} specificity`);
            close(fbetaScore(c.yTrue, c.yPred, 2, opts), r.f2, `${tag} f2`);
          }
        }
      });
    });
  }

  for (const c of REF.ranking) {
    it(`ranking: ${c.name}`, () => {
      const w = c.sampleWeight ?? undefined;
      if (c.rocAuc !== undefined) {
        close(rocAucScore(c.yTrue, c.scores, { sampleWeight: w }), c.rocAuc, 'rocAuc');
        close(averagePrecisionScore(c.yTrue, c.scores, { sampleWeight: w }), c.averagePrecision, 'ap');
        close(
          averagePrecisionScore(
            c.yTrue,
            c.scores.map((s: number) => -s),
            { sampleWeight: w, posLabel: 0 },
          ),
          c.averagePrecisionPos0,
          'ap pos 0',
        );
      } else {
        close(rocAucScore(c.yTrue, c.scores, { sampleWeight: w }), c.rocAucMacro, 'auc macro');
        close(rocAucScore(c.yTrue, c.scores, { sampleWeight: w, average: 'weighted' }), c.rocAucWeighted, 'auc weighted');
        close(averagePrecisionScore(c.yTrue, c.scores, { sampleWeight: w }), c.apMacro, 'ap macro');
        close(
          averagePrecisionScore(c.yTrue, c.scores.flat(), { sampleWeight: w, average: 'weighted', labels: [0, 1, 2, 3] }),
          c.apWeighted,
          'ap weighted (flat N×K)',
        );
      }
    });
  }

  it('ROC and precision-recall curves', () => {
    const c = REF.ranking[0];
    const roc = rocCurvePoints(c.yTrue, c.scores);
    close(roc.fpr, REF.curves.fpr, 'fpr');
    close(roc.tpr, REF.curves.tpr, 'tpr');
    const pr = precisionRecallCurve(c.yTrue, c.scores);
    close(pr.precision, REF.curves.precision, 'precision');
    close(pr.recall, REF.curves.recall, 'recall');
  });

  for (const c of REF.segmentation) {
    it(`segmentation: ${c.name}`, () => {
      const r = segmentationMetrics(Uint8Array.from(c.truth), Uint8Array.from(c.pred), c.shape, { numClasses: c.k, emptyPolicy: c.policy });
      close(r.iou, c.iou, 'iou');
      close(r.dice, c.dice, 'dice');
      close(r.pixelAccuracy, c.pixelAccuracy, 'pixel accuracy');
      close(
        r.perClass.map((x) => x.iou),
        c.perClass.map((x: { iou: number }) => x.iou),
        'per-class iou',
      );
      close(
        r.perClass.map((x) => x.dice),
        c.perClass.map((x: { dice: number }) => x.dice),
        'per-class dice',
      );
      close(
        r.perImage.map((x) => x.iou),
        c.perImage.iou,
        'per-image iou',
      );
      close(
        r.perImage.map((x) => x.dice),
        c.perImage.dice,
        'per-image dice',
      );
      close(
        r.perImage.map((x) => x.pixelAccuracy),
        c.perImage.pixelAccuracy,
        'per-image accuracy',
      );
      close(r.meanPerImage.iou, c.meanPerImage.iou, 'mean per-image iou');
      close(r.meanPerImage.dice, c.meanPerImage.dice, 'mean per-image dice');
    });
  }

  it('pooled binary IoU/Dice/accuracy equal sklearn jaccard/f1/accuracy over pixels', () => {
    const c = REF.segmentation[0];
    // the same arrays through the slow path (number[]) and the packed fast path (Uint8Array)
    for (const arr of [(a: number[]) => a, (a: number[]) => Uint8Array.from(a)]) {
      const r = segmentationMetrics(arr(c.truth), arr(c.pred), c.shape);
      close(r.iou, REF.segSklearn.jaccard, 'jaccard');
      close(r.dice, REF.segSklearn.f1, 'f1');
      close(r.pixelAccuracy, REF.segSklearn.accuracy, 'accuracy');
    }
  });
});
