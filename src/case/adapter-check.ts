/**
 * The preflight of a case adapter: loads it (only when allowed), then calls every export once on the first
 * test sample and checks what comes back against the model — the data input's dims from `preprocess`, names,
 * dtypes and dims of `feeds` and `state.init()`, that every model input is fed, and that `postprocess` gives one
 * row per sample. Problems name the export and its documented signature.
 */
import { loadDataset } from '../data/manifest.js';
import { openModel } from '../model/open.js';
import type { FeedTensor, TensorInfo } from '../model/types.js';
import { InputError } from '../util/errors.js';
import { ADAPTER_SIGNATURES, caseSessionBindings, loadAdapter, type AdapterOutput, type CaseAdapter } from './adapter.js';
import { casePreprocess } from './predict.js';
import type { LoadedCase } from './types.js';

/** One adapter problem: the export (field) and the message. */
export interface AdapterProblem {
  field: string;
  message: string;
  fix: string;
}

const fits = (want: readonly (number | string)[], got: readonly number[]) =>
  want.length === got.length && want.every((d, i) => typeof d !== 'number' || d === got[i]);

function checkTensors(
  what: keyof CaseAdapter,
  tensors: Record<string, FeedTensor>,
  inputs: TensorInfo[],
  batch: number,
  out: AdapterProblem[],
): void {
  for (const [name, t] of Object.entries(tensors)) {
    const info = inputs.find((i) => i.name === name);
    const sig = ADAPTER_SIGNATURES[what];
    if (!info) {
      out.push({
        field: `adapter.${what}`,
        message: `${what} returns "${name}", which is not an input of the model`,
        fix: `${sig}; the model's inputs are: ${inputs.map((i) => i.name).join(', ')}`,
      });
      continue;
    }
    const dims = [...(t?.dims ?? [])];
    const want = info.shape.map((d, i) => (i === 0 && typeof d === 'string' && dims.length > 1 ? batch : d));
    if (!t || t.type !== info.type || !fits(want, dims))
      out.push({
        field: `adapter.${what}`,
        message:
          `${what} returns "${name}" as ${t?.type} [${dims.join(', ')}] ` +
          `but the model's input is ${info.type} [${info.shape.join(', ')}]`,
        fix: `return ${sig} with "${name}": { type: '${info.type}', dims: [${want.join(', ')}], data }`,
      });
  }
}

/**
 * Checks a case's adapter against the contract and the model.
 * @returns the problems (empty when the adapter is fine or the case has none)
 */
export async function checkAdapter(c: LoadedCase): Promise<AdapterProblem[]> {
  if (!c.spec.adapter) return [];
  const out: AdapterProblem[] = [];
  let a: CaseAdapter | undefined;
  try {
    a = loadAdapter(c);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return [{ field: e.field ?? '/adapter', message: e.message, fix: e.remedy ?? 'fix the adapter' }];
  }
  if (!a) return [];
  const role = c.spec.datasets.test ? 'test' : undefined;
  if (!role) return out;
  const ds = await loadDataset(c.dir, c.spec.datasets.test!, { task: c.spec.task, labels: c.spec.labels, role });
  const per = ds.shape.slice(1).reduce((p, q) => p * q, 1);
  const x = ds.x.subarray(0, per);
  const session = await openModel(c.modelPath, { ep: 'cpu', threads: 1 });
  try {
    const data = session.inputs.find((i) => i.name === c.spec.io.input)!;
    let mx: AdapterOutput;
    try {
      mx = casePreprocess(c, x, [1, ...ds.shape.slice(1)]);
    } catch (e) {
      return [{ field: 'adapter.preprocess', message: (e as Error).message, fix: `export ${ADAPTER_SIGNATURES.preprocess}` }];
    }
    if (
      !fits(
        data.shape.map((d, i) => (i === 0 ? 1 : d)),
        mx.dims,
      )
    )
      out.push({
        field: 'adapter.preprocess',
        message: `the data input "${data.name}" gets [${mx.dims.join(', ')}] but the model's input is [${data.shape.join(', ')}]`,
        fix: `return ${ADAPTER_SIGNATURES.preprocess} with dims fitting [${data.shape.join(', ')}]`,
      });
    const fed = new Set([data.name, ...Object.keys(c.spec.io.constants ?? {}), ...(c.spec.io.state ?? []).map((s) => s.input)]);
    for (const [what, call] of [
      ['feeds', () => a.feeds?.(mx)],
      ['state', () => a.state?.init()],
    ] as const) {
      let r: Record<string, FeedTensor> | undefined;
      try {
        r = call();
      } catch (e) {
        out.push({
          field: `adapter.${what}`,
          message: `${what} throws: ${(e as Error).message}`,
          fix: `export ${ADAPTER_SIGNATURES[what]}`,
        });
        continue;
      }
      if (r === undefined) continue;
      if (typeof r !== 'object' || r === null) {
        out.push({
          field: `adapter.${what}`,
          message: `${what} returns ${typeof r}, not named tensors`,
          fix: `export ${ADAPTER_SIGNATURES[what]}`,
        });
        continue;
      }
      checkTensors(what, r, session.inputs, 1, out);
      for (const k of Object.keys(r)) fed.add(k);
    }
    const unfed = session.inputs.filter((i) => !fed.has(i.name)).map((i) => i.name);
    if (unfed.length)
      out.push({
        field: a.feeds ? 'adapter.feeds' : 'adapter',
        message:
          `the model's input(s) ${unfed.join(', ')} are fed by nothing ` +
          `(${a.feeds ? 'feeds does not return them' : 'the adapter exports no feeds'})`,
        fix: `export ${ADAPTER_SIGNATURES.feeds}, or declare them in io.constants / io.state`,
      });
    if (out.length) return out;
    session.bind(caseSessionBindings(c));
    if (a.postprocess) {
      const res = await session.predictAll(mx.data, mx.dims, { batchSize: 1, inputName: data.name });
      try {
        const r = a.postprocess(res as Record<string, AdapterOutput>);
        if (!r || !(r.data instanceof Float32Array) || !Array.isArray(r.dims) || r.dims[0] !== 1)
          out.push({
            field: 'adapter.postprocess',
            message: `postprocess returns ${r && Array.isArray(r.dims) ? `dims [${r.dims.join(', ')}]` : typeof r} for one sample`,
            fix: `return ${ADAPTER_SIGNATURES.postprocess} with dims[0] = the batch size (1 here)`,
          });
      } catch (e) {
        out.push({
          field: 'adapter.postprocess',
          message: `postprocess throws: ${(e as Error).message}`,
          fix: `export ${ADAPTER_SIGNATURES.postprocess}`,
        });
      }
    }
  } finally {
    await session.release();
  }
  return out;
}
