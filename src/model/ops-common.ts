/**
 * Shared types and helpers of the static shape inference and MAC counting (ops-compute.ts,
 * ops-shape.ts, infer.ts).
 */
import { PtmcError } from '../util/errors.js';
import type { Node } from '../onnx/read.js';

/** What is statically known about one tensor: its shape and, for small constants, its values. */
export interface Val {
  shape: number[];
  /** Values (row-major) when the tensor is a small constant or computed from constants (shape chains). */
  value?: number[];
}

/** What one node produces and costs. */
export interface OpResult {
  /** Output values in the node's output order (undefined = not inferred). */
  outputs: (Val | undefined)[];
  /** Multiply-accumulates (Conv, ConvTranspose, Gemm, MatMul, the affine part of normalisations). */
  macs: number;
  /** Floating-point operations: 2 × macs plus element-wise and pooling operations. */
  flops: number;
}

/** Context a handler gets besides the node and its inputs. */
export interface OpContext {
  /** Version of the default ("" / ai.onnx) opset the model imports. */
  opset: number;
}

/** Infers one op: output shapes (and constant values) and cost. */
export type OpHandler = (n: Node, ins: (Val | undefined)[], ctx: OpContext) => OpResult;

/** Thrown by a handler when it cannot infer the node: an input shape or constant is unknown. */
export class NotInferable extends PtmcError {}

/** Product of dims (1 for a scalar). */
export function prod(d: readonly number[]): number {
  let p = 1;
  for (const x of d) p *= x;
  return p;
}

/** Shape of input `i`, or NotInferable. */
export function shapeOf(ins: (Val | undefined)[], i: number, what = `input ${i}`): number[] {
  const v = ins[i];
  if (!v) throw new NotInferable(`shape of ${what} unknown`);
  return v.shape;
}

/** Constant values of input `i`, or NotInferable. */
export function valueOf(ins: (Val | undefined)[], i: number, what = `input ${i}`): number[] {
  const v = ins[i]?.value;
  if (!v) throw new NotInferable(`${what} is not a constant ptmc can read`);
  return v;
}

/** True when optional input `i` is present (ONNX marks absent optional inputs with ''). */
export function hasInput(n: Node, i: number): boolean {
  return (n.input ?? [])[i] !== undefined && (n.input ?? [])[i] !== '';
}

/** Numpy multidirectional broadcasting of shapes. */
export function broadcast(...shapes: number[][]): number[] {
  const r = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    let d = 1;
    for (const s of shapes) {
      const x = s[s.length - r + i] ?? 1;
      if (x === 1) continue;
      if (d !== 1 && d !== x) throw new NotInferable(`shapes [${shapes.map((s) => s.join(',')).join('] and [')}] do not broadcast`);
      d = x;
    }
    out.push(d);
  }
  return out;
}

/** Normalises a possibly negative axis against a rank. */
export function axis(a: number, rank: number): number {
  return a < 0 ? a + rank : a;
}

/** A result with no cost. */
export function free(...outputs: (Val | undefined)[]): OpResult {
  return { outputs, macs: 0, flops: 0 };
}
