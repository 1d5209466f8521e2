import { strict as assert } from 'node:assert';
import { InputError } from '../../src/util/errors.js';
import { boxIou, cocoAveragePrecision, maskIou, type DetectionBox, type GroundTruthBox } from '../../src/metrics/detection.js';
import { spanPrf } from '../../src/metrics/text.js';
import { groupMetrics, perClassTable, perSampleTable } from '../../src/metrics/tables.js';
import { classificationReport } from '../../src/metrics/classification-report.js';
import { accuracyScore } from '../../src/metrics/classification.js';

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

describe('metrics/detection (COCO AP, hand-computed)', () => {
  it('box IoU in [x, y, w, h]', () => {
    near(boxIou([0, 0, 2, 2], [1, 0, 2, 2]), 1 / 3);
    assert.equal(boxIou([0, 0, 1, 1], [2, 2, 1, 1]), 0);
  });
  it('one detection at IoU 0.7: AP50 = 1, AP@[.5:.95] = 0.5 (5 of 10 thresholds)', () => {
    const gt: GroundTruthBox[] = [{ imageId: 1, category: 'lesion', bbox: [0, 0, 10, 10] }];
    const dt: DetectionBox[] = [{ imageId: 1, category: 'lesion', bbox: [0, 0, 10, 7], score: 0.9 }];
    const r = cocoAveragePrecision(gt, dt);
    assert.equal(r.ap50, 1);
    near(r.map, 0.5);
    assert.equal(r.ap75, 0);
  });
  it('TP, FP, TP by score: 101-point interpolated precision (51·1 + 50·2/3)/101', () => {
    const gt: GroundTruthBox[] = [
      { imageId: 'a', category: 1, bbox: [0, 0, 10, 10] },
      { imageId: 'b', category: 1, bbox: [5, 5, 10, 10] },
    ];
    const dt: DetectionBox[] = [
      { imageId: 'a', category: 1, bbox: [0, 0, 10, 10], score: 0.9 },
      { imageId: 'a', category: 1, bbox: [50, 50, 5, 5], score: 0.8 },
      { imageId: 'b', category: 1, bbox: [5, 5, 10, 10], score: 0.7 },
    ];
    const r = cocoAveragePrecision(gt, dt);
    near(r.ap50, (51 + (50 * 2) / 3) / 101);
    near(r.map, r.ap50);
    assert.deepEqual(
      r.perClass.map((c) => [c.category, c.groundTruths, c.detections]),
      [[1, 2, 3]],
    );
  });
  it('a duplicate detection of a matched object is a false positive; classes without truth are left out of mAP', () => {
    const gt: GroundTruthBox[] = [{ imageId: 1, category: 'a', bbox: [0, 0, 4, 4] }];
    const dt: DetectionBox[] = [
      { imageId: 1, category: 'a', bbox: [0, 0, 4, 4], score: 0.5 },
      { imageId: 1, category: 'a', bbox: [0, 0, 4, 4], score: 0.4 },
      { imageId: 1, category: 'b', bbox: [0, 0, 4, 4], score: 0.9 },
    ];
    const r = cocoAveragePrecision(gt, dt);
    assert.equal(r.perClass.find((c) => c.category === 'a')!.ap, 1); // precision 1 up to recall 1
    assert.ok(Number.isNaN(r.perClass.find((c) => c.category === 'b')!.ap));
    assert.equal(r.map, 1);
    const missed = cocoAveragePrecision(gt, [
      { imageId: 1, category: 'a', bbox: [0, 0, 4, 4], score: 0.1 },
      { imageId: 1, category: 'a', bbox: [9, 9, 4, 4], score: 0.9 },
    ]);
    near(missed.ap50, 0.5); // FP then TP: precision 1/2 at recall 1 for all 101 points
  });
  it('instance segmentation: mask IoU decides the matches (iouType segm)', () => {
    near(maskIou(Uint8Array.from([1, 1, 0]), Uint8Array.from([0, 1, 1])), 1 / 3);
    const m = (on: number[]) => Uint8Array.from({ length: 10 }, (_, i) => (on.includes(i) ? 1 : 0));
    const gt: GroundTruthBox[] = [{ imageId: 1, category: 'organ', bbox: [0, 0, 10, 1], mask: m([0, 1, 2, 3, 4]) }];
    // the boxes coincide (box IoU 1) but the masks overlap 3/6 = 0.5: AP50 = 1, AP55+ = 0
    const dt: DetectionBox[] = [{ imageId: 1, category: 'organ', bbox: [0, 0, 10, 1], mask: m([2, 3, 4, 5]), score: 0.8 }];
    const r = cocoAveragePrecision(gt, dt, { iouType: 'segm' });
    assert.equal(r.ap50, 1);
    near(r.map, 0.1);
    assert.equal(cocoAveragePrecision(gt, dt).map, 1);
    assert.throws(() => cocoAveragePrecision(gt, [{ ...dt[0]!, mask: undefined }], { iouType: 'segm' }), InputError);
  });
  it('rejects malformed boxes and scores', () => {
    assert.throws(() => cocoAveragePrecision([{ imageId: 1, category: 1, bbox: [0, 0, -1, 2] }], []), InputError);
    assert.throws(() => cocoAveragePrecision([], [{ imageId: 1, category: 1, bbox: [0, 0, 1, 1], score: NaN }]), InputError);
  });
});

describe('metrics/text (span exact match)', () => {
  it('micro, per type and macro', () => {
    const truth = [
      [
        { start: 0, end: 5, type: 'DRUG' },
        { start: 10, end: 12, type: 'DOSE' },
      ],
      [{ start: 3, end: 8, type: 'DRUG' }],
    ];
    const pred = [
      [
        { start: 0, end: 5, type: 'DRUG' },
        { start: 10, end: 13, type: 'DOSE' },
      ],
      [
        { start: 3, end: 8, type: 'DRUG' },
        { start: 3, end: 8, type: 'DRUG' },
      ],
    ];
    const r = spanPrf(truth, pred);
    near(r.precision, 2 / 4);
    near(r.recall, 2 / 3);
    near(r.f1, (2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3));
    const drug = r.perType.find((t) => t.type === 'DRUG')!;
    assert.deepEqual([drug.matched, drug.predicted, drug.support], [2, 3, 2]); // the duplicate is not matched twice
    near(r.macro.recall, (1 + 0) / 2);
  });
  it('type must match and document counts must agree', () => {
    assert.equal(spanPrf([[{ start: 0, end: 2, type: 'A' }]], [[{ start: 0, end: 2, type: 'B' }]]).f1, 0);
    assert.throws(() => spanPrf([[]], []), InputError);
  });
});

describe('metrics/tables', () => {
  it('perClassTable and groupMetrics as DataFrames with a minimum group size', () => {
    const y = [0, 1, 1, 0, 1, 0, 1];
    const p = [0, 1, 0, 0, 1, 1, 1];
    const df = perClassTable(classificationReport(y, p, { ci: false }), ['neg', 'pos']);
    assert.deepEqual(df.column('label').values, ['neg', 'pos']);
    assert.deepEqual(df.column('support').values, [3, 4]);
    const meta = { site: ['A', 'A', 'B', 'B', 'B', 'C', null], sex: ['F', 'M', 'F', 'F', 'M', 'M', 'F'] };
    const g = groupMetrics(
      meta,
      ['site', ['site', 'sex']],
      (idx) => ({
        accuracy: accuracyScore(
          Array.from(idx, (i) => y[i]!),
          Array.from(idx, (i) => p[i]!),
        ),
      }),
      { minSize: 2 },
    );
    const rows = (g.values as unknown[][]).map((r) => Object.fromEntries(g.columns.map((c, j) => [c, r[j]])));
    const a = rows.find((r) => r.group === 'A')!;
    assert.deepEqual([a.n, a.included, a.accuracy], [2, true, 1]);
    const b = rows.find((r) => r.group === 'B')!;
    near(b.accuracy as number, 2 / 3);
    assert.equal(rows.find((r) => r.group === 'C')!.included, false);
    assert.ok(rows.some((r) => r.group === '(missing)'));
    assert.ok(rows.some((r) => r.grouping === 'site × sex' && r.group === 'B × F' && r.n === 2));
    assert.throws(() => groupMetrics(meta, ['scanner'], () => ({})), InputError);
  });
  it('perSampleTable: id, metadata, truth label, extra columns', () => {
    const ds = { ids: ['a', 'b'], meta: { site: ['X', null] }, y: Int32Array.from([1, 0]), labels: ['neg', 'pos'] };
    const df = perSampleTable(ds, { prediction: ['pos', 'pos'], score: Float32Array.from([0.9, 0.75]) });
    assert.deepEqual(df.columns, ['id', 'site', 'truth', 'prediction', 'score']);
    assert.deepEqual(df.column('truth').values, ['pos', 'neg']);
    assert.deepEqual(df.column('score').values, [Math.fround(0.9), 0.75]);
    assert.throws(() => perSampleTable(ds, { x: [1] }), InputError);
  });
});
