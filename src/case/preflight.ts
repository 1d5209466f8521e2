/**
 * The preflight of an evaluation case (the trust boundary): everything in a case comes from the
 * provider being assessed, so before any notebook runs, every input is checked in one pass and
 * every problem is reported together — the model parses and onnxruntime opens it, `io` agrees
 * with the model, every manifest row's files exist inside the case, decode and have one shape,
 * values are finite, masks hold label values, labels belong to `case.labels`, and the roles the
 * clauses need have enough samples. Nothing is run and nothing is written.
 */
import { readFileSync, statSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { inspectModel } from '../model/inspect.js';
import { InputError, SchemaError } from '../util/errors.js';
import { checkAdapter } from './adapter-check.js';
import { checkIoAgainstModel } from './bindings.js';
import { loadCase } from './load.js';
import type { LoadedCase } from './types.js';
import { DATASET_ROLES } from './types.js';
import { checkRole, type Add } from './preflight-data.js';

export { MIN_SAMPLES } from './preflight-data.js';

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
    else add(e.file ?? dir, e.field ?? '/', e.message, '案例无法加载（原因见该字段）', e.remedy ?? 'fix the case', '修正案例中该字段');
    return { problems, samples: 0, files: 0, bytes: 0, ms: Date.now() - t0 };
  }
  await checkModel(c, c.modelPath, '/model', true, add, cost);
  // io.constants / io.state against the model (loadCase's own check), when the model and io passed the checks above
  if (!problems.some((p) => p.field === '/model' || p.field.startsWith('/io'))) {
    try {
      checkIoAgainstModel(c.spec.io, c.modelPath, c.file, !!c.spec.adapter);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      add(e.file ?? c.file, e.field ?? '/io', e.message, 'io 与模型不符', e.remedy ?? 'fix the io of case.json', '修正 case.json 的 io');
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
