/**
 * Tensor decoding shared by model inspection and the trainer: a TensorProto as a host tensor (float
 * types as float32, integer types as numbers).
 */
import { onnx } from 'onnx-proto';
import { ModelError } from '../util/errors.js';
import { num } from './read.js';

/** A small tensor held on the host (shape chains, int64 constants, initializers before upload). */
export interface HostTensor {
  /** `float32` for floating initializers (converted from float64/float16 where needed), `int` for integer ones. */
  dtype: 'float32' | 'int';
  shape: number[];
  data: Float32Array | number[];
}

/** Decodes a TensorProto to a host tensor (float types → float32, integer types → numbers). */
export function tensorFromProto(t: onnx.ITensorProto, file = 'model.onnx'): HostTensor {
  const shape = (t.dims ?? []).map(num);
  const count = shape.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const dt = t.dataType ?? 0;
  const T = onnx.TensorProto.DataType;
  if (dt === T.FLOAT || dt === T.DOUBLE) {
    const out = new Float32Array(count);
    if (view) for (let i = 0; i < count; i++) out[i] = dt === T.FLOAT ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
    else if (dt === T.FLOAT) out.set(t.floatData ?? []);
    else out.set(t.doubleData ?? []);
    return { dtype: 'float32', shape, data: out };
  }
  if (dt === T.INT64 || dt === T.INT32 || dt === T.BOOL || dt === T.INT8 || dt === T.UINT8) {
    const out: number[] = new Array(count);
    for (let i = 0; i < count; i++) {
      if (view) {
        out[i] =
          dt === T.INT64
            ? Number(view.getBigInt64(i * 8, true))
            : dt === T.INT32
              ? view.getInt32(i * 4, true)
              : dt === T.INT8
                ? view.getInt8(i)
                : view.getUint8(i);
      } else out[i] = num(dt === T.INT64 ? t.int64Data?.[i] : t.int32Data?.[i]);
    }
    return { dtype: 'int', shape, data: out };
  }
  throw new ModelError(`tensor '${t.name}' has ONNX data type ${dt}, which the trainer does not read`, {
    file,
    field: `initializer ${t.name}`,
    remedy: 'export the model with float32 weights and int64 shape constants',
  });
}
