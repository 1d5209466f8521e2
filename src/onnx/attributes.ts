/** Node attributes of an ONNX graph decoded to plain values (numbers, lists, strings, host tensors). */
import { onnx } from 'onnx-proto';
import { num } from './read.js';
import { tensorFromProto, type HostTensor } from './tensor.js';

/** A decoded attribute value. */
export type AttrValue = number | number[] | string | HostTensor | undefined;

/** Decodes one attribute (graphs and sparse tensors are not decoded: `undefined`). */
export function decodeAttr(a: onnx.IAttributeProto, file: string): AttrValue {
  const A = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case A.FLOAT:
      return a.f ?? 0;
    case A.INT:
      return num(a.i);
    case A.STRING:
      return Buffer.from(a.s ?? new Uint8Array()).toString('utf8');
    case A.FLOATS:
      return (a.floats ?? []).map(Number);
    case A.INTS:
      return (a.ints ?? []).map(num);
    case A.TENSOR:
      return a.t ? tensorFromProto(a.t, file) : undefined;
    default:
      return undefined;
  }
}
