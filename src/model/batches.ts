/**
 * Concatenation of per-batch outputs along dim 0, used by `ModelSession.predictAll`.
 */
import { ModelError } from '../util/errors.js';
import { shapeText } from './check.js';
import type { OutputTensor } from './types.js';

/**
 * Collects one output over batches. When a batch's dim 0 equals its sample count (the usual
 * case), values are copied straight into one array sized for the whole data set, so peak memory
 * is the final output plus one batch; otherwise the batches are kept and joined at the end.
 */
export class OutputAccumulator {
  private pre?: { data: Float32Array; tail: number[]; per: number; rows: number };
  private parts: OutputTensor[] = [];

  /**
   * @param file model file (named in errors)
   * @param name output name (named in errors)
   * @param total samples in the data set
   */
  constructor(
    private readonly file: string,
    private readonly name: string,
    private readonly total: number,
  ) {}

  /** Adds the output of a batch of `count` samples. */
  add(t: OutputTensor, count: number): void {
    const tail = t.dims.slice(1);
    if (this.parts.length === 0 && !this.pre && t.dims.length > 0 && t.dims[0] === count) {
      const per = tail.reduce((a, b) => a * b, 1);
      this.pre = { data: new Float32Array(this.total * per), tail, per, rows: 0 };
    }
    const p = this.pre;
    if (p && t.dims[0] === count && tail.join(',') === p.tail.join(',') && p.rows + count <= this.total) {
      p.data.set(t.data, p.rows * p.per);
      p.rows += count;
      return;
    }
    if (p) {
      // shape differs from the first batch's: fall back to joining what we have at the end
      this.parts.push({ data: p.data.slice(0, p.rows * p.per), dims: [p.rows, ...p.tail] });
      this.pre = undefined;
    }
    this.parts.push(t);
  }

  /**
   * The output over all batches.
   * @throws ModelError when batches disagree in their trailing dims
   */
  result(): OutputTensor {
    const p = this.pre;
    if (p) {
      const data = p.rows === this.total ? p.data : p.data.subarray(0, p.rows * p.per);
      return { data, dims: [p.rows, ...p.tail] };
    }
    return concatDim0(this.file, this.name, this.parts);
  }
}

/**
 * Concatenates tensors along dim 0 (one part is returned as is).
 * @throws ModelError when the parts disagree in their trailing dims
 * @example
 * concatDim0('m.onnx', 'y', [{ data, dims: [2, 3] }, { data: d2, dims: [1, 3] }]).dims; // [3, 3]
 */
export function concatDim0(file: string, name: string, parts: OutputTensor[]): OutputTensor {
  if (parts.length === 1) return parts[0];
  const tail = parts[0].dims.slice(1);
  let rows = 0;
  let len = 0;
  for (const p of parts) {
    if (p.dims.length === 0 || p.dims.slice(1).join(',') !== tail.join(',')) {
      throw new ModelError(`output "${name}" changes shape between batches (${shapeText(p.dims)} vs [*,${tail}])`, {
        file,
        field: name,
        remedy: 'use runBatches() and combine the batches yourself',
      });
    }
    rows += p.dims[0];
    len += p.data.length;
  }
  const data = new Float32Array(len);
  let off = 0;
  for (const p of parts) {
    data.set(p.data, off);
    off += p.data.length;
  }
  return { data, dims: [rows, ...tail] };
}
