/**
 * Text metrics (A.9–A.11): span-level precision, recall and F1 for entity/span extraction, by
 * exact match of `(start, end, type)` within a document (a predicted span counts once per
 * identical true span: multiset matching). Micro over all spans; per type; macro over types.
 * Reference: CoNLL-2003 shared task evaluation (Tjong Kim Sang & De Meulder, 2003); seqeval's
 * entity-level scores.
 */
import { InputError } from '../util/errors.js';
import { zeroDivide, type ZeroDivision } from './options.js';

/** A labelled span `[start, end)` of a document. */
export interface Span {
  start: number;
  end: number;
  type: string;
}

/** Per-type scores. */
export interface SpanTypeRow {
  type: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of true spans. */
  support: number;
  /** Number of predicted spans. */
  predicted: number;
  /** Exactly matched spans. */
  matched: number;
}

/** Result of {@link spanPrf}. */
export interface SpanReport {
  /** Micro-averaged over all spans. */
  precision: number;
  recall: number;
  f1: number;
  /** Unweighted means over types. */
  macro: { precision: number; recall: number; f1: number };
  perType: SpanTypeRow[];
  warnings: string[];
}

function f1Of(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/**
 * Span-level precision, recall and F1 by exact match.
 * @param truth true spans, one array per document
 * @param pred predicted spans, one array per document (same order)
 * @param opts zeroDivision (default `warn`: 0 with a warning)
 * @returns micro, macro and per-type scores
 * @throws {InputError} different document counts, malformed spans
 * @example
 * spanPrf(
 *   [[{ start: 0, end: 5, type: 'DRUG' }]],
 *   [[{ start: 0, end: 5, type: 'DRUG' }, { start: 9, end: 12, type: 'DOSE' }]],
 * ).precision; // 0.5
 */
export function spanPrf(truth: Span[][], pred: Span[][], opts: { zeroDivision?: ZeroDivision } = {}): SpanReport {
  if (truth.length !== pred.length)
    throw new InputError(`prediction has ${pred.length} documents but the truth has ${truth.length}`, {
      field: 'pred',
      remedy: 'one span list per document, same order',
    });
  const zd = opts.zeroDivision ?? 'warn';
  const warnings: string[] = [];
  const stats = new Map<string, { t: number; p: number; m: number }>();
  const get = (type: string) => stats.get(type) ?? stats.set(type, { t: 0, p: 0, m: 0 }).get(type)!;
  const check = (s: Span, d: number, k: number, what: string) => {
    if (!s || !Number.isInteger(s.start) || !Number.isInteger(s.end) || s.end < s.start || typeof s.type !== 'string')
      throw new InputError(`${what}[${d}][${k}] is not a span {start, end, type} with start ≤ end`, {
        field: `${what}[${d}][${k}]`,
        remedy: 'give integer offsets and a type',
      });
  };
  truth.forEach((doc, d) => {
    const bag = new Map<string, number>();
    doc.forEach((s, k) => {
      check(s, d, k, 'truth');
      get(s.type).t++;
      const key = `${s.start}:${s.end}:${s.type}`;
      bag.set(key, (bag.get(key) ?? 0) + 1);
    });
    pred[d]!.forEach((s, k) => {
      check(s, d, k, 'pred');
      const st = get(s.type);
      st.p++;
      const key = `${s.start}:${s.end}:${s.type}`;
      const left = bag.get(key) ?? 0;
      if (left > 0) {
        st.m++;
        bag.set(key, left - 1);
      }
    });
  });
  let T = 0;
  let P = 0;
  let Mt = 0;
  const perType: SpanTypeRow[] = [...stats.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, s]) => {
      T += s.t;
      P += s.p;
      Mt += s.m;
      const precision = zeroDivide(s.m, s.p, zd);
      const recall = zeroDivide(s.m, s.t, zd);
      if (zd === 'warn' && (s.p === 0 || s.t === 0))
        warnings.push(`type ${type}: ${s.p === 0 ? 'no predicted spans (precision' : 'no true spans (recall'} set to 0)`);
      return { type, precision, recall, f1: f1Of(precision, recall), support: s.t, predicted: s.p, matched: s.m };
    });
  const precision = zeroDivide(Mt, P, zd);
  const recall = zeroDivide(Mt, T, zd);
  const mean = (k: 'precision' | 'recall' | 'f1') => (perType.length ? perType.reduce((a, r) => a + r[k], 0) / perType.length : NaN);
  return {
    precision,
    recall,
    f1: f1Of(precision, recall),
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
    perType,
    warnings,
  };
}
