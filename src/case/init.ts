import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { inspectModel } from '../model/inspect.js';
import { liftConstants } from '../onnx/lift.js';
import { readOnnx } from '../onnx/read.js';
import { join, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';

/** The skeleton files `initCase` writes: target name → template in `templates/`. */
export const CASE_SKELETON: Readonly<Record<string, string>> = {
  'case.json': 'case.template.json',
  'description.json': 'description.template.json',
  'claims.json': 'claims.template.json',
};

/**
 * Creates a case skeleton a provider fills in: `case.json`, `description.json` and `claims.json`
 * copied from `templates/*.template.json` (every `TODO` is a placeholder the 6.2 check counts as
 * missing). The directory is created when absent and must be empty when present.
 * @param dir the new case directory
 * @returns the absolute paths written
 * @throws {InputError} when `dir` exists and is not an empty directory
 * @example
 * initCase('cases/my-model'); // ['…/case.json', '…/description.json', '…/claims.json']
 */
export function initCase(dir: string): string[] {
  const abs = resolve(dir);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory())
      throw new InputError(`${dir} exists and is not a directory / 已存在且不是目录`, { file: dir, remedy: 'choose a new directory name' });
    const entries = readdirSync(abs);
    if (entries.length)
      throw new InputError(`${dir} is not empty (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}) / 目录非空`, {
        file: dir,
        remedy: 'give a new or empty directory; nothing was written',
      });
  }
  mkdirSync(abs, { recursive: true });
  const out: string[] = [];
  for (const [name, tpl] of Object.entries(CASE_SKELETON)) {
    const to = join(abs, name);
    copyFileSync(join(packageRoot(), 'templates', tpl), to);
    out.push(to);
  }
  return out;
}

/** Options of {@link initCaseFromModel}. */
export interface InitFromModelOptions {
  /** Task of the case (default `classification`). */
  task?: 'classification' | 'segmentation' | 'detection' | 'text';
}

/**
 * A case skeleton filled in from an ONNX model: the model copied to `DIR/model.onnx`; case.json's io from
 * the model's inputs and outputs (the data input is the float input of highest rank; other inputs become
 * `io.state` when an output is named like them plus `n`/`N`/`_out`, else `io.constants` placeholders);
 * description.json pre-filled with what the file proves (hash, size, IR version, opsets, operator types
 * subgraphs included, parameter total and one layer row per weighted node, inputs and outputs); claims.json
 * from the template (placeholders per sub-item).
 * @param dir the new case directory (must be new or empty)
 * @param model the `.onnx` file
 * @returns the absolute paths written
 * @throws {InputError} as {@link initCase}, and when the model is not a readable ONNX file
 * @example
 * await initCaseFromModel('cases/vad', 'silero_vad.onnx', { task: 'classification' });
 */
export async function initCaseFromModel(dir: string, model: string, options: InitFromModelOptions = {}): Promise<string[]> {
  const info = await inspectModel(model);
  const out = initCase(dir);
  const abs = resolve(dir);
  copyFileSync(model, join(abs, 'model.onnx'));
  out.push(join(abs, 'model.onnx'));
  const concrete = (s: (number | string)[] | null): number[] => (s ?? []).map((d) => (typeof d === 'number' ? d : 1));
  const stateOut = (name: string) => info.outputs.find((x) => [`${name}n`, `${name}N`, `${name}_out`].includes(x.name));
  const state = info.inputs
    .filter((i) => i.type === 'float32' && stateOut(i.name))
    .map((i) => ({ input: i.name, output: stateOut(i.name)!.name, shape: concrete(i.shape) }));
  const rest = info.inputs.filter((i) => !state.some((s) => s.input === i.name));
  const floats = rest.filter((i) => i.type.startsWith('float'));
  const data = [...floats].sort((a, b) => (b.shape?.length ?? 0) - (a.shape?.length ?? 0))[0] ?? rest[0] ?? info.inputs[0]!;
  const constants: Record<string, unknown> = {};
  for (const i of rest) if (i.name !== data.name) constants[i.name] = { dtype: i.type, shape: concrete(i.shape), value: 0 };
  const output = info.outputs.find((o) => !state.some((s) => s.output === o.name)) ?? info.outputs[0]!;
  const g = readOnnx(model).graph!;
  liftConstants(g);
  const producers = new Map<string, string>();
  for (const n of g.node ?? []) for (const o of n.output ?? []) producers.set(o, n.opType ?? '');
  const last = producers.get(output.name);
  const caseFile = join(abs, 'case.json');
  const spec = JSON.parse(readFileSync(caseFile, 'utf8')) as Record<string, unknown> & { io: Record<string, unknown> };
  spec.task = options.task ?? 'classification';
  spec.io = {
    input: data.name,
    output: output.name,
    inputShape: (data.shape ?? ['N']).map((d, k) => (typeof d === 'number' ? d : k === 0 ? 'N' : d)),
    outputActivation: last === 'Softmax' || last === 'Sigmoid' ? 'none' : spec.task === 'segmentation' ? 'sigmoid' : 'softmax',
    ...(Object.keys(constants).length ? { constants } : {}),
    ...(state.length ? { state } : {}),
  };
  writeFileSync(caseFile, `${JSON.stringify(spec, null, 2)}\n`);
  const inits = new Set((g.initializer ?? []).map((t) => t.name ?? ''));
  const counts = new Map(info.parameters.initializers.filter((i) => !i.graph).map((i) => [i.name, i.count]));
  const layers = (g.node ?? [])
    .map((n, k) => ({ n, k, ws: (n.input ?? []).filter((x) => inits.has(x) && (counts.get(x) ?? 0) > 0) }))
    .filter((r) => r.ws.length > 0)
    .map(({ n, k, ws }) => ({
      module: n.opType ?? '',
      name: n.name || `${n.opType}_${k}`,
      type: n.opType ?? '',
      initializers: ws,
      parameters: ws.reduce((s, x) => s + (counts.get(x) ?? 0), 0),
    }));
  const descFile = join(abs, 'description.json');
  const desc = JSON.parse(readFileSync(descFile, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  desc.modelFile = {
    ...desc.modelFile,
    path: 'model.onnx',
    sha256: info.sha256,
    bytes: info.bytes,
    irVersion: info.irVersion,
    opsets: info.opsets.map((o) => ({ domain: o.domain || 'ai.onnx', version: o.version })),
  };
  desc.framework.nodes.operatorTypes = Object.keys(info.opTypesAll).sort();
  desc.framework.parameters.total = info.parameters.total;
  if (layers.length) desc.framework.parameters.layers = layers;
  const tensor = (t: { name: string; type: string; shape: (number | string)[] | null }) => ({
    name: t.name,
    dtype: t.type,
    shape: t.shape ?? [],
  });
  desc.framework.dataRepresentation.inputs = info.inputs.map(tensor);
  desc.framework.dataRepresentation.outputs = info.outputs.map(tensor);
  writeFileSync(descFile, `${JSON.stringify(desc, null, 2)}\n`);
  return out;
}
