/**
 * The preflight of an evaluation case (the trust boundary): everything in a case comes from the
 * provider being assessed, so before any notebook runs, every input is checked in one pass and
 * every problem is reported together — the model parses and onnxruntime opens it, `io` agrees
 * with the model, every manifest row's files exist inside the case, decode and have one shape,
 * values are finite, masks hold label values, labels belong to `case.labels`, and the roles the
 * clauses need have enough samples. Nothing is run and nothing is written.
 */
import { modelSampleShape } from './io-shape.js';
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readArrayFile } from '../data/files.js';
import { labelIndex, readManifest, type Manifest } from '../data/manifest.js';
import type { NdArray } from '../data/types.js';
import { inspectModel } from '../model/inspect.js';
import { InputError, PtmcError, SchemaError } from '../util/errors.js';
import { checkAdapter } from './adapter-check.js';
import { checkIoAgainstModel } from './bindings.js';
import { loadCase } from './load.js';
import type { DatasetRole, DatasetSpec, LoadedCase } from './types.js';
import { DATASET_ROLES } from './types.js';

/** One problem the preflight found: where it is and what to do, in both languages. */
export interface PreflightProblem {
  /** The file the problem is in (absolute). */
  file: string;
  /** Row/column or JSON path, e.g. `row 3, column mask` or `/io/input`. */
  field: string;
  message: { zh: string; en: string };
  fix: { zh: string; en: string };
}

/** What the preflight checked and what it cost. */
export interface PreflightReport {
  /** The loaded case (undefined when case.json, the description or the claims could not be loaded). */
  case?: LoadedCase;
  problems: PreflightProblem[];
  /** Samples (manifest rows) checked. */
  samples: number;
  /** Data files decoded. */
  files: number;
  /** Bytes read from data and model files. */
  bytes: number;
  /** Wall time of the preflight in milliseconds. */
  ms: number;
}

/** The case failed its preflight: every problem is listed (exit 2). */
export class PreflightError extends InputError {
  readonly problems: PreflightProblem[];
  constructor(problems: PreflightProblem[]) {
    const p = problems[0]!;
    super(`${p.message.en} / ${p.message.zh}`, { file: p.file, field: p.field, remedy: `${p.fix.en} / ${p.fix.zh}` });
    this.problems = problems;
  }

  /** One line per problem, then the count. */
  override describe(): string {
    const lines = this.problems.map((p) => `${p.file} at ${p.field}: ${p.message.en} / ${p.message.zh} — fix: ${p.fix.en} / ${p.fix.zh}`);
    lines.push(
      `${this.problems.length} problem(s) in the case; nothing was run / 案例中有 ${this.problems.length} 个问题，未运行任何笔记本`,
    );
    return lines.join('\n');
  }
}

/** Minimum samples per role for the clauses that use it. */
export const MIN_SAMPLES: Partial<Record<DatasetRole, number>> = {
  test: 2,
  train: 2,
  validation: 1,
  downstreamTrain: 2,
  downstreamTest: 1,
};

type Add = (file: string, field: string, en: string, zh: string, fixEn: string, fixZh: string) => void;

const squeeze = (s: readonly (number | string)[]) => s.filter((d) => d !== 1);

function sameDims(a: readonly (number | string)[], b: readonly (number | string)[]): boolean {
  const x = squeeze(a);
  const y = squeeze(b);
  return x.length === y.length && x.every((d, i) => typeof d !== 'number' || typeof y[i] !== 'number' || d === y[i]);
}

function inside(p: string, root: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r));
}

async function checkModel(c: LoadedCase, path: string, field: string, main: boolean, add: Add, cost: { bytes: number }): Promise<void> {
  const size = statSync(path).size;
  cost.bytes += size;
  const fixEn = 'export the model again (torch.onnx.export / onnx.save) and replace the file';
  const fixZh = '重新导出模型并替换该文件';
  if (size === 0) return add(c.file, field, `the model file is empty (0 bytes)`, '模型文件为空', fixEn, fixZh);
  let info;
  try {
    info = await inspectModel(path);
  } catch (e) {
    return add(c.file, field, `the model does not parse as ONNX: ${(e as Error).message}`, '模型无法解析为 ONNX', fixEn, fixZh);
  }
  try {
    const s = await ort.InferenceSession.create(readFileSync(path), { executionProviders: ['cpu'] });
    await s.release();
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    return add(c.file, field, `onnxruntime cannot create a session: ${msg}`, 'onnxruntime 无法创建会话', fixEn, fixZh);
  }
  const io = c.spec.io;
  const inp = info.inputs.find((i) => i.name === io.input);
  if (!inp) {
    add(
      c.file,
      '/io/input',
      `the model has no input "${io.input}"${main ? '' : ` (${field})`}; its inputs: ${info.inputs.map((i) => i.name).join(', ')}`,
      '模型没有该输入',
      `set /io/input to one of: ${info.inputs.map((i) => i.name).join(', ')}`,
      '将 /io/input 设为模型的输入名',
    );
  } else if (main) {
    if (inp.type !== 'float32')
      add(
        c.file,
        '/io/input',
        `the model input "${inp.name}" is ${inp.type}, not float32`,
        '模型输入类型不是 float32',
        'export the model with a float32 input',
        '导出 float32 输入的模型',
      );
    const decl = io.inputShape;
    const ms = inp.shape ?? decl;
    const agree = decl.length === ms.length && decl.every((d, i) => typeof d !== 'number' || typeof ms[i] !== 'number' || d === ms[i]);
    if (!agree)
      add(
        c.file,
        '/io/inputShape',
        `declared input shape [${decl.join(', ')}] is not the model's [${ms.join(', ')}]`,
        '声明的输入形状与模型不符',
        `set /io/inputShape to [${ms.map((d) => (typeof d === 'number' ? d : JSON.stringify(d))).join(', ')}]`,
        '按模型的输入形状修改 /io/inputShape',
      );
  }
  if (!info.outputs.some((o) => o.name === io.output))
    add(
      c.file,
      '/io/output',
      `the model has no output "${io.output}"${main ? '' : ` (${field})`}; its outputs: ${info.outputs.map((o) => o.name).join(', ')}`,
      '模型没有该输出',
      `set /io/output to one of: ${info.outputs.map((o) => o.name).join(', ')}`,
      '将 /io/output 设为模型的输出名',
    );
}

function readRow(
  caseReal: string,
  m: Manifest,
  cell: unknown,
  field: string,
  add: Add,
  cost: { bytes: number; files: number },
): NdArray | undefined {
  const file = m.file;
  if (typeof cell !== 'string' || cell.trim() === '') {
    add(
      file,
      field,
      `no file named (${JSON.stringify(cell)})`,
      '未给出文件',
      'give a path relative to the manifest folder',
      '给出相对于清单目录的路径',
    );
    return undefined;
  }
  const rel = cell.trim();
  const p = resolve(dirname(file), rel);
  if (isAbsolute(rel) || rel.split(/[/\\]/).includes('..') || !inside(p, caseReal)) {
    add(
      file,
      field,
      `path "${rel}" leaves the case directory`,
      '路径越出案例目录',
      'name a file inside the case, relative to the manifest',
      '使用案例目录内的相对路径',
    );
    return undefined;
  }
  if (!existsSync(p)) {
    add(file, field, `file not found: ${rel}`, '文件不存在', `add ${rel} or correct the manifest row`, '补充该文件或修正清单');
    return undefined;
  }
  if (lstatSync(p).isSymbolicLink() && !inside(realpathSync(p), caseReal)) {
    add(
      file,
      field,
      `"${rel}" is a symbolic link leading outside the case`,
      '符号链接指向案例之外',
      'copy the file into the case',
      '将文件复制到案例目录中',
    );
    return undefined;
  }
  if (!statSync(p).isFile()) {
    add(file, field, `"${rel}" is not a regular file`, '不是普通文件', 'point the row at a file', '指向一个普通文件');
    return undefined;
  }
  try {
    cost.bytes += statSync(p).size;
    cost.files++;
    return readArrayFile(p);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    add(
      file,
      field,
      `${rel} does not decode: ${msg}`,
      '文件无法解码',
      'write a numeric .npy, an 8/16-bit PNG or a DICOM file',
      '使用数值型 .npy、PNG 或 DICOM',
    );
    return undefined;
  }
}

function checkRole(
  c: LoadedCase,
  role: DatasetRole,
  ds: DatasetSpec,
  add: Add,
  cost: { bytes: number; files: number; samples: number },
): void {
  const caseReal = realpathSync(c.dir);
  const mpath = c.resolve(ds.manifest);
  let m: Manifest;
  try {
    m = readManifest(mpath);
  } catch (e) {
    const err = e as PtmcError;
    add(mpath, err.field ?? '/', err.message, '清单无法读取', err.remedy ?? 'fix the manifest', '修正清单');
    return;
  }
  const min = MIN_SAMPLES[role] ?? 1;
  if (m.rows.length === 0) {
    add(mpath, 'rows', 'the manifest has a header but no rows', '清单只有表头，没有样本', 'list one sample per row', '每行列出一个样本');
    return;
  }
  if (m.rows.length < min)
    add(
      mpath,
      'rows',
      `${m.rows.length} sample(s); the ${role} role needs at least ${min}`,
      `样本不足（至少 ${min} 个）`,
      `add samples to the ${role} set`,
      '增加样本',
    );
  cost.samples += m.rows.length;
  const col = (name: string, key: string) => {
    if (m.columns.includes(name)) return true;
    add(
      mpath,
      `column ${name}`,
      `column "${name}" (${key}) is missing; columns: ${m.columns.join(', ')}`,
      '缺少列',
      `add the column or set /datasets/${role}/${key} in case.json`,
      '增加该列或修改 case.json',
    );
    return false;
  };
  const idCol = ds.idColumn ?? 'id';
  col(idCol, 'idColumn');
  const task = c.spec.task;
  const k = c.spec.labels.length;
  const declared = c.spec.io.inputShape.slice(1);
  if (ds.featureColumns?.length) {
    const fc = ds.featureColumns.filter((f) => col(f, 'featureColumns'));
    m.rows.forEach((r, i) =>
      fc.forEach((f) => {
        const v = r[f];
        if (typeof v !== 'number' || !Number.isFinite(v))
          add(
            mpath,
            `row ${i + 1}, column ${f}`,
            `feature value ${JSON.stringify(v)} is not a finite number`,
            '特征值不是有限数值',
            'fill or drop the row',
            '补全或删除该行',
          );
      }),
    );
    if (!c.spec.adapter && typeof declared[0] === 'number' && declared.length === 1 && declared[0] !== ds.featureColumns.length)
      add(
        c.file,
        `/datasets/${role}/featureColumns`,
        `${ds.featureColumns.length} feature columns but /io/inputShape has ${declared[0]}`,
        '特征列数与输入形状不符',
        'list one column per model input feature',
        '每个模型输入特征对应一列',
      );
  } else {
    const inCol = ds.inputColumn ?? 'input';
    const maskCol = ds.maskColumn ?? 'mask';
    const hasIn = col(inCol, 'inputColumn');
    const hasMask = task === 'segmentation' && (ds.maskColumn ? col(maskCol, 'maskColumn') : m.columns.includes(maskCol));
    let first: number[] | undefined;
    m.rows.forEach((r, i) => {
      if (!hasIn) return;
      const field = `row ${i + 1}, column ${inCol}`;
      const a = readRow(caseReal, m, r[inCol], field, add, cost);
      if (!a) return;
      if (!first) {
        first = a.shape;
        // with an adapter the raw shape may differ from the model's: adapter-check.ts checks preprocess's output
        if (!c.spec.adapter && !sameDims(modelSampleShape(c.spec.io, a.shape), declared))
          add(
            mpath,
            field,
            `input shape [${a.shape.join(', ')}] does not fit /io/inputShape [${c.spec.io.inputShape.join(', ')}]`,
            '输入形状与声明不符',
            'resample the data or correct /io/inputShape',
            '重采样数据或修正 /io/inputShape',
          );
      } else if (a.shape.join(',') !== first.join(','))
        add(
          mpath,
          field,
          `input shape [${a.shape.join(', ')}] differs from row 1's [${first.join(', ')}]`,
          '输入形状与第 1 行不同',
          'resample every input to one shape',
          '将所有输入重采样为同一形状',
        );
      if (role !== 'invalid' && (a.dtype === 'float32' || a.dtype === 'float64')) {
        let bad = 0;
        for (let j = 0; j < a.data.length; j++) if (!Number.isFinite(a.data[j]!)) bad++;
        if (bad)
          add(
            mpath,
            field,
            `${bad} of ${a.data.length} values are NaN or infinite`,
            '存在 NaN 或无穷值',
            'replace non-finite values (or move the sample to the invalid role)',
            '替换非有限值',
          );
      }
      if (hasMask) {
        const mf = `row ${i + 1}, column ${maskCol}`;
        const mk = readRow(caseReal, m, r[maskCol], mf, add, cost);
        if (!mk) return;
        const hw = modelSampleShape(c.spec.io, a.shape).slice(-2);
        const dims = squeeze(mk.shape);
        if (dims.length !== 2 || dims[0] !== hw[0] || dims[1] !== hw[1])
          add(
            mpath,
            mf,
            `mask shape [${mk.shape.join(', ')}] does not match the input's [${hw.join(', ')}]`,
            '掩膜形状与输入不符',
            'masks must be H×W images of the input size',
            '掩膜须与输入同尺寸',
          );
        let only0255 = true;
        let badV: number | undefined;
        for (let j = 0; j < mk.data.length; j++) {
          const v = mk.data[j]!;
          if (v !== 0 && v !== 255) only0255 = false;
          if ((!Number.isInteger(v) || v < 0 || v >= k) && badV === undefined) badV = v;
        }
        if (badV !== undefined && !(k === 2 && only0255))
          add(
            mpath,
            mf,
            `mask value ${badV} is not a label value 0..${k - 1} of case.labels`,
            '掩膜值不是标签值',
            'store class indices (0/1, or 0/255 for a binary mask)',
            '存储类别索引（0/1 或 0/255）',
          );
      }
    });
  }
  if (task === 'classification') {
    const lc = ds.labelColumn ?? 'label';
    const present = ds.labelColumn ? col(lc, 'labelColumn') : m.columns.includes(lc);
    if (present) {
      const seen = new Set<number>();
      m.rows.forEach((r, i) => {
        try {
          seen.add(labelIndex(r[lc], c.spec.labels, mpath, `row ${i + 1}, column ${lc}`));
        } catch (e) {
          const err = e as PtmcError;
          add(
            mpath,
            `row ${i + 1}, column ${lc}`,
            err.message,
            '标签不属于 case.labels',
            `use one of ${c.spec.labels.join(', ')} (or its index)`,
            '使用 case.labels 中的标签',
          );
        }
      });
      if (role === 'test' && seen.size < 2 && m.rows.length >= 2)
        add(
          mpath,
          `column ${lc}`,
          'the test set holds a single class; the metrics need two',
          '测试集只有一个类别',
          'add samples of the other class(es)',
          '增加其他类别的样本',
        );
    } else if (role === 'test') col(lc, 'labelColumn');
  }
  for (const s of ds.subgroups ?? []) col(s, 'subgroups');
}

/**
 * Checks a whole case in one pass (see the module comment) and returns every problem found.
 * Never runs a notebook and writes nothing.
 * @param dir the case directory
 * @param onProgress called with a progress line per data set
 * @returns the report; `problems` empty when the case may be evaluated
 * @example
 * const r = await preflightCase('examples/ct-body-segmentation');
 * r.problems.length; // 0
 */
export async function preflightCase(dir: string, onProgress?: (line: string) => void): Promise<PreflightReport> {
  const t0 = Date.now();
  const problems: PreflightProblem[] = [];
  const add: Add = (file, field, en, zh, fixEn, fixZh) =>
    void problems.push({ file, field, message: { zh, en }, fix: { zh: fixZh, en: fixEn } });
  const cost = { bytes: 0, files: 0, samples: 0 };
  let c: LoadedCase;
  try {
    c = await loadCase(dir, { checkModel: false });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    if (e instanceof SchemaError && e.violations.length)
      for (const v of e.violations)
        add(e.file ?? dir, v.path || '/', v.message, '不符合 JSON Schema', e.remedy ?? 'fix the field', '修正该字段');
    else add(e.file ?? dir, e.field ?? '/', e.message, e.message, e.remedy ?? 'fix the case', '修正案例');
    return { problems, samples: 0, files: 0, bytes: 0, ms: Date.now() - t0 };
  }
  await checkModel(c, c.modelPath, '/model', true, add, cost);
  // io.constants / io.state against the model (loadCase's own check), when the model and io passed the checks above
  if (!problems.some((p) => p.field === '/model' || p.field.startsWith('/io'))) {
    try {
      checkIoAgainstModel(c.spec.io, c.modelPath, c.file, !!c.spec.adapter);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      add(e.file ?? c.file, e.field ?? '/io', e.message, e.message, e.remedy ?? 'fix the io of case.json', '修正 case.json 的 io');
    }
  }
  if (c.spec.adapter && !problems.length)
    for (const p of await checkAdapter(c))
      add(c.resolve(c.spec.adapter), p.field, p.message, '适配器不符合约定', p.fix, '按 README 的适配器约定修正');
  for (const [i, v] of (c.spec.variants ?? []).entries()) await checkModel(c, c.resolve(v.model), `/variants/${i}/model`, false, add, cost);
  if (!c.spec.datasets.test)
    add(
      c.file,
      '/datasets/test',
      'no test data set: every clause evaluates on it',
      '缺少测试集',
      'add /datasets/test with a manifest',
      '增加 /datasets/test',
    );
  for (const role of DATASET_ROLES) {
    const ds = c.spec.datasets[role];
    if (!ds) continue;
    onProgress?.(`preflight: ${role} (${ds.manifest})`);
    checkRole(c, role, ds, add, cost);
  }
  return { case: c, problems, ...cost, ms: Date.now() - t0 };
}

/**
 * The preflight as a gate: resolves to the report when the case is clean.
 * @throws {PreflightError} (exit 2) listing every problem
 */
export async function checkCase(dir: string, onProgress?: (line: string) => void): Promise<PreflightReport> {
  const r = await preflightCase(dir, onProgress);
  if (r.problems.length) throw new PreflightError(r.problems);
  return r;
}
