/**
 * The case adapter contract (`case.json` `adapter`): a TypeScript or JavaScript module in the case that
 * turns samples into model inputs and model outputs into the task output, for models that case.json's `io`
 * cannot describe alone. Every clause's inference goes through {@link openCaseModel} and so through the
 * adapter. An adapter is provider code: it is loaded only when the user allows it (`ptmc run --allow-adapter`,
 * or `PTMC_ALLOW_ADAPTER=1` for `ptmc execute` and Jupyter).
 *
 * Exports (all optional, at least one; TypeScript signatures):
 * ```ts
 * type Tensor = { type: 'float32' | 'int64' | 'int32' | 'uint8' | 'float16' | 'bool'; dims: number[];
 *                 data: Float32Array | BigInt64Array | Int32Array | Uint8Array | Uint16Array };
 * // raw samples [N, …] (as loaded) → the model's data input [N, …] (replaces io.preprocess / channelOrder)
 * export function preprocess(x: Float32Array, shape: number[]): { data: Float32Array; dims: number[] };
 * // extra named inputs for one batch of the data input (e.g. a sample rate, a mask, token types)
 * export function feeds(batch: { data: Float32Array; dims: number[] }): Record<string, Tensor>;
 * // the model's outputs for one batch → the tensor the clauses judge (N first; io.outputActivation still applies)
 * export function postprocess(outputs: Record<string, { data: Float32Array; dims: number[] }>): { data: Float32Array; dims: number[] };
 * // recurrent state carried across the consecutive samples of a data set (replaces io.state)
 * export const state: { init(): Record<string, Tensor>; next(outputs: Record<string, Tensor>): Record<string, Tensor> };
 * ```
 */
import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, extname } from 'node:path';
import { InputError } from '../util/errors.js';
import type { BoundInputs, FeedTensor } from '../model/types.js';
import { caseBindings } from './bindings.js';
import type { LoadedCase } from './types.js';

/** A tensor an adapter returns. */
export type AdapterTensor = FeedTensor & { dims: number[] };

/** An output tensor handed to an adapter. */
export interface AdapterOutput {
  data: Float32Array;
  dims: number[];
}

/** The functions a case adapter may export (see the module comment for the contract). */
export interface CaseAdapter {
  preprocess?(x: Float32Array, shape: number[]): AdapterOutput;
  feeds?(batch: AdapterOutput): Record<string, AdapterTensor>;
  postprocess?(outputs: Record<string, AdapterOutput>): AdapterOutput;
  state?: { init(): Record<string, AdapterTensor>; next(outputs: Record<string, AdapterTensor>): Record<string, AdapterTensor> };
}

/** The documented signature of each export, as error messages quote it. */
export const ADAPTER_SIGNATURES: Readonly<Record<keyof CaseAdapter, string>> = {
  preprocess: 'preprocess(x: Float32Array, shape: number[]) → { data: Float32Array, dims: number[] }',
  feeds: 'feeds(batch: { data: Float32Array, dims: number[] }) → Record<inputName, { type, dims, data }>',
  postprocess: 'postprocess(outputs: Record<outputName, { data, dims }>) → { data: Float32Array, dims: number[] }',
  state: 'state: { init() → Record<inputName, { type, dims, data }>, next(outputs) → Record<inputName, { type, dims, data }> }',
};

/** Whether the user allowed provider adapters in this process (`--allow-adapter` sets `PTMC_ALLOW_ADAPTER=1`). */
export function adapterAllowed(): boolean {
  return process.env.PTMC_ALLOW_ADAPTER === '1';
}

const cache = new Map<string, CaseAdapter>();

/**
 * Loads a case's adapter: TypeScript is transpiled with the TypeScript compiler (CommonJS), JavaScript is
 * loaded as is; exports are checked against the contract.
 * @returns the adapter, or undefined when the case has none
 * @throws {InputError} when adapters are not allowed, the file does not load, or an export breaks the contract
 * @example
 * const a = loadAdapter(c); a?.feeds?.({ data, dims: [1, 1536] }); // { sr: { type: 'int64', dims: [], data } }
 */
export function loadAdapter(c: LoadedCase): CaseAdapter | undefined {
  const rel = c.spec.adapter;
  if (!rel) return undefined;
  const file = c.resolve(rel);
  if (!adapterAllowed())
    throw new InputError(
      `the case's adapter ${rel} is provider code and runs only when allowed / 案例适配器是提供方代码，须明确允许后才运行`,
      {
        file: c.file,
        field: '/adapter',
        remedy: 'run ptmc run --allow-adapter (or set PTMC_ALLOW_ADAPTER=1 for ptmc execute / Jupyter) after reviewing the file',
      },
    );
  const hit = cache.get(file);
  if (hit) return hit;
  let mod: Record<string, unknown>;
  try {
    const src = readFileSync(file, 'utf8');
    const ts = /\.[cm]?ts$/.test(extname(file));
    const code = ts ? transpile(src, file) : src;
    const m = new Module(file) as Module & { _compile(code: string, file: string): void; paths: string[] };
    m.filename = file;
    m.paths = (createRequire(file) as unknown as { resolve: { paths(s: string): string[] | null } }).resolve.paths('x') ?? [dirname(file)];
    m._compile(code, file);
    mod = m.exports as Record<string, unknown>;
  } catch (e) {
    throw new InputError(`the adapter ${rel} does not load: ${(e as Error).message} / 适配器无法加载`, {
      file,
      field: '/adapter',
      remedy: 'fix the module (TypeScript or CommonJS JavaScript exporting the adapter functions)',
      cause: e,
    });
  }
  const a = checkAdapterExports(mod, file);
  cache.set(file, a);
  return a;
}

function transpile(src: string, file: string): string {
  const req = createRequire(__filename);
  const ts = req('typescript') as typeof import('typescript');
  return ts.transpileModule(src, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}

/**
 * Checks a module's exports against the adapter contract: known names only, functions where functions are
 * due, at least one export.
 * @throws {InputError} naming the export and its expected signature
 */
export function checkAdapterExports(mod: Record<string, unknown>, file: string): CaseAdapter {
  const names = Object.keys(ADAPTER_SIGNATURES) as (keyof CaseAdapter)[];
  const given = names.filter((n) => mod[n] !== undefined);
  const bad = (name: string, what: string) =>
    new InputError(`adapter export "${name}" ${what} / 适配器导出 "${name}" 不符合约定`, {
      file,
      field: `adapter.${name}`,
      remedy: `export ${ADAPTER_SIGNATURES[name as keyof CaseAdapter] ?? names.map((n) => ADAPTER_SIGNATURES[n]).join('; ')}`,
    });
  if (!given.length)
    throw new InputError(`the adapter exports none of ${names.join(', ')} / 适配器未导出任何约定函数`, {
      file,
      field: 'adapter',
      remedy: `export at least one of: ${names.map((n) => ADAPTER_SIGNATURES[n]).join('; ')}`,
    });
  for (const n of ['preprocess', 'feeds', 'postprocess'] as const)
    if (mod[n] !== undefined && typeof mod[n] !== 'function') throw bad(n, `is a ${typeof mod[n]}, not a function`);
  const st = mod.state as Record<string, unknown> | undefined;
  if (st !== undefined && (typeof st !== 'object' || typeof st.init !== 'function' || typeof st.next !== 'function'))
    throw bad('state', 'is not an object with init() and next(outputs) functions');
  return Object.fromEntries(given.map((n) => [n, mod[n]])) as CaseAdapter;
}

/**
 * The session bindings of a case: `io.constants`/`io.state`, plus the adapter's `feeds` and `state` when the
 * case has an adapter (loaded under {@link loadAdapter}'s rules).
 * @example
 * session.bind(caseSessionBindings(c));
 */
export function caseSessionBindings(c: LoadedCase): BoundInputs {
  const b = caseBindings(c.spec.io);
  const a = loadAdapter(c);
  if (a?.feeds) b.dynamic = a.feeds.bind(a);
  if (a?.state) b.stateHooks = a.state;
  return b;
}

/** Whether the model has inputs besides the sample (io.constants, io.state or an adapter's feeds) that every run must feed. */
export function feedsOtherInputs(c: LoadedCase): boolean {
  return !!c.spec.adapter || Object.keys(c.spec.io.constants ?? {}).length > 0 || (c.spec.io.state?.length ?? 0) > 0;
}

/**
 * Whether the case's model carries recurrent state between samples (`io.state`, or an adapter's `state`): such a
 * model runs one sample per batch, so batch sweeps (6.3.2, 6.3.4) measure batch 1 only.
 */
export function caseIsStateful(c: LoadedCase): boolean {
  return (c.spec.io.state?.length ?? 0) > 0 || !!loadAdapter(c)?.state;
}
