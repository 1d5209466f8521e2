import { InputError } from '../../util/errors.js';
import type { LoadedCase } from '../../case/types.js';
import { Rng } from '../../util/random.js';
import type { Bilingual } from '../../results/types.js';

/** What {@link syntheticInput} feeds the model (the `inputData` setting of timed clauses). */
export const SYNTHETIC_INPUT_DATA: Bilingual = {
  zh: '模型输入空间中按种子生成的标准正态张量',
  en: 'seeded standard-normal tensors in model-input space',
};

/**
 * The model input shape declared by the case (`io.inputShape`) with the batch dimension set to
 * `batch`. Every other dimension must be a number.
 * @throws InputError when a non-batch dimension is symbolic
 * @example
 * declaredShape(c, 4); // [4, 1, 64, 64]
 */
export function declaredShape(c: LoadedCase, batch: number): number[] {
  const dims = c.spec.io.inputShape;
  return dims.map((d, i) => {
    if (i === 0) return batch;
    if (typeof d !== 'number') {
      throw new InputError(`input dimension ${i} is symbolic ("${d}"); timing needs a concrete shape`, {
        file: c.file,
        field: `/io/inputShape/${i}`,
        remedy: 'declare the concrete size of every non-batch dimension',
      });
    }
    return d;
  });
}

/** The batch size the case declares (`io.inputShape[0]` when numeric, else 1). */
export function declaredBatch(c: LoadedCase): number {
  const d = c.spec.io.inputShape[0];
  return typeof d === 'number' && d > 0 ? d : 1;
}

/**
 * Seeded standard-normal input of the given shape in model-input space (timing does not depend on
 * values for the dense models this tool evaluates; the seed is recorded).
 */
export function syntheticInput(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  return x;
}
