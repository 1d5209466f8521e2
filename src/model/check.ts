/**
 * Validation of feeds against a model's declared inputs, done once before the first run
 * (house style 3: validate at the boundary, then run hot loops unchecked).
 */
import { InputError } from '../util/errors.js';
import type { FeedTensor, TensorInfo } from './types.js';

/** Product of the dims (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** `[N,1,64,64]`-style text of a shape. */
export function shapeText(shape: readonly (number | string)[]): string {
  return `[${shape.join(',')}]`;
}

function dataLength(data: unknown): number | undefined {
  if (ArrayBuffer.isView(data)) return (data as unknown as { length: number }).length;
  if (Array.isArray(data)) return data.length;
  return undefined;
}

/**
 * Checks one tensor's dtype and shape against a declared input. Symbolic dims accept any size,
 * but the same symbol must have the same size everywhere (tracked in `symbols`).
 * @param file model file (named in errors)
 * @param info the model's declared input
 * @param type the given element type
 * @param dims the given dims
 * @param symbols sizes bound to symbolic dims so far (updated)
 * @throws InputError naming the input with expected vs given dtype or shape
 */
export function checkTensorAgainst(
  file: string,
  info: TensorInfo,
  type: string,
  dims: readonly number[],
  symbols: Map<string, number> = new Map(),
): void {
  const expected = shapeText(info.shape);
  if (info.type !== type) {
    throw new InputError(`input "${info.name}" has dtype ${type}; the model expects ${info.type}`, {
      file,
      field: info.name,
      remedy: `feed a ${info.type} tensor of shape ${expected}`,
    });
  }
  const bad = (why: string): InputError =>
    new InputError(`input "${info.name}" has shape ${shapeText(dims)}; the model expects ${expected}${why ? ` (${why})` : ''}`, {
      file,
      field: info.name,
      remedy: `feed a tensor of shape ${expected}`,
    });
  if (dims.length !== info.shape.length) throw bad(`rank ${dims.length} instead of ${info.shape.length}`);
  for (let i = 0; i < dims.length; i++) {
    const want = info.shape[i];
    const got = dims[i];
    if (!Number.isInteger(got) || got < 0) throw bad(`dim ${i} is not a non-negative integer`);
    if (typeof want === 'number') {
      if (want !== got) throw bad(`dim ${i} is ${got}, expected ${want}`);
    } else if (want) {
      const bound = symbols.get(want);
      if (bound !== undefined && bound !== got) throw bad(`dim ${i} "${want}" is ${got} here but ${bound} elsewhere`);
      symbols.set(want, got);
    }
  }
}

/**
 * Checks a set of feeds against the model's inputs: every input given, no unknown names,
 * dtypes and shapes as declared, data length equal to the shape's element count.
 * @param file model file (named in errors)
 * @param inputs the model's inputs
 * @param feeds tensors by input name
 * @throws InputError naming the input and what was expected
 * @example
 * checkFeeds('model.onnx', session.inputs, { input: tensor });
 */
export function checkFeeds(file: string, inputs: TensorInfo[], feeds: Record<string, FeedTensor>): void {
  const names = inputs.map((i) => i.name);
  for (const k of Object.keys(feeds)) {
    if (!names.includes(k)) {
      throw new InputError(`"${k}" is not an input of the model`, {
        file,
        field: k,
        remedy: `the model's inputs are: ${names.join(', ')}`,
      });
    }
  }
  const symbols = new Map<string, number>();
  for (const info of inputs) {
    const t = feeds[info.name];
    if (!t) {
      throw new InputError(`input "${info.name}" is missing`, {
        file,
        field: info.name,
        remedy: `feed ${info.type} ${shapeText(info.shape)} as "${info.name}"`,
      });
    }
    checkTensorAgainst(file, info, t.type, t.dims, symbols);
    const len = dataLength(t.data);
    if (len !== undefined && len !== elementCount(t.dims)) {
      throw new InputError(`input "${info.name}" holds ${len} values but its shape ${shapeText(t.dims)} needs ${elementCount(t.dims)}`, {
        file,
        field: info.name,
        remedy: 'make the data length equal to the product of the dims',
      });
    }
  }
}
