/**
 * A case's extra model inputs (`io.constants`, `io.state`) as session bindings, and the check at case load
 * that io names what the model has: the data input and output, every constant and state, and that every
 * model input is fed by one of them.
 */
import { readOnnx, valueShape, valueType } from '../onnx/read.js';
import { InputError } from '../util/errors.js';
import type { BoundInputs } from '../model/types.js';
import type { ModelIOSpec } from './types.js';

/**
 * The session bindings of a case's io (constants as tensors, state with its shape).
 * @example
 * session.bind(caseBindings(c.spec.io)); // Silero: sr = int64 16000, h/c carried from hn/cn
 */
export function caseBindings(io: ModelIOSpec): BoundInputs {
  const constants: NonNullable<BoundInputs['constants']> = {};
  for (const [name, k] of Object.entries(io.constants ?? {})) {
    const values = Array.isArray(k.value) ? k.value : [k.value];
    const dims = k.shape ?? (Array.isArray(k.value) ? [values.length] : []);
    const data =
      k.dtype === 'int64'
        ? BigInt64Array.from(values.map((v) => BigInt(Math.trunc(v))))
        : k.dtype === 'int32'
          ? Int32Array.from(values)
          : Float32Array.from(values);
    constants[name] = { type: k.dtype, dims, data };
  }
  const out: BoundInputs = {};
  if (Object.keys(constants).length) out.constants = constants;
  if (io.state?.length) out.state = io.state.map((s) => ({ ...s }));
  return out;
}

/**
 * Checks a case's io against the model file's declared inputs and outputs (names, constant dtypes and
 * ranks, state shapes), before any notebook runs.
 * @param adapter the case has an adapter (its `feeds`/`state` may feed inputs io does not name)
 * @throws InputError naming the case.json field and the model's own names
 */
export function checkIoAgainstModel(io: ModelIOSpec, modelPath: string, file: string, adapter = false): void {
  const g = readOnnx(modelPath).graph!;
  const inits = new Set((g.initializer ?? []).map((t) => t.name ?? ''));
  const inputs = (g.input ?? []).filter((v) => !inits.has(v.name ?? ''));
  const outputs = (g.output ?? []).map((v) => v.name ?? '');
  const inNames = inputs.map((v) => v.name ?? '');
  const err = (field: string, msg: string, remedy: string) => new InputError(msg, { file, field, remedy });
  const needIn = (name: string, field: string) => {
    if (!inNames.includes(name))
      throw err(field, `${field} "${name}" is not an input of ${modelPath}`, `the model's inputs are: ${inNames.join(', ')}`);
  };
  const needOut = (name: string, field: string) => {
    if (!outputs.includes(name))
      throw err(field, `${field} "${name}" is not an output of ${modelPath}`, `the model's outputs are: ${outputs.join(', ')}`);
  };
  needIn(io.input, '/io/input');
  needOut(io.output, '/io/output');
  const fed = new Set([io.input]);
  for (const [name, k] of Object.entries(io.constants ?? {})) {
    needIn(name, `/io/constants/${name}`);
    const v = inputs.find((x) => x.name === name)!;
    const type = valueType(v);
    if (type !== k.dtype)
      throw err(
        `/io/constants/${name}/dtype`,
        `constant "${name}" is ${k.dtype} but the model's input is ${type}`,
        `set "dtype": "${type}"`,
      );
    const shape = valueShape(v);
    const dims = k.shape ?? (Array.isArray(k.value) ? [k.value.length] : []);
    if (shape && shape.length !== dims.length) {
      throw err(
        `/io/constants/${name}/shape`,
        `constant "${name}" has shape [${dims}] but the model's input is [${shape}]`,
        `give a value of rank ${shape.length}`,
      );
    }
    fed.add(name);
  }
  (io.state ?? []).forEach((s, i) => {
    needIn(s.input, `/io/state/${i}/input`);
    needOut(s.output, `/io/state/${i}/output`);
    const shape = valueShape(inputs.find((x) => x.name === s.input)!);
    const fits = !shape || (shape.length === s.shape.length && shape.every((d, j) => typeof d !== 'number' || d === s.shape[j]));
    if (!fits)
      throw err(
        `/io/state/${i}/shape`,
        `state "${s.input}" has shape [${s.shape}] but the model declares [${shape}]`,
        'give numbers for its dims, batch 1',
      );
    fed.add(s.input);
  });
  const unfed = inNames.filter((n) => !fed.has(n));
  // an adapter's feeds/state may feed the rest: the preflight checks that by calling it
  if (unfed.length && !adapter) {
    throw err(
      '/io',
      `the model's input(s) ${unfed.join(', ')} are fed by nothing in case.json`,
      'declare each in io.constants (a fixed value) or io.state (zero-initialised recurrent state fed back from an output)',
    );
  }
}
