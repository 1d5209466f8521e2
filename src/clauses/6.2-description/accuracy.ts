import type { ModelInspection } from '../../model/types.js';
import type { Bilingual } from '../../results/types.js';
import { pointerGet } from './items.js';

/** One accuracy finding of 6.2: a declared fact compared with the value measured from the model file. */
export interface AccuracyFinding {
  kind: 'accuracy';
  clause: string;
  /** JSON Pointer of the declared value in the description. */
  item: string;
  /** What is compared. */
  check: Bilingual;
  declared: unknown;
  measured: unknown;
  status: 'consistent' | 'inconsistent' | 'not-checked';
  /** A remark: a text in both languages, or a plain string of names only (initializer shapes). */
  note?: Bilingual | string;
}

const DTYPE_ALIASES: Record<string, string> = {
  float: 'float32',
  'tensor(float)': 'float32',
  double: 'float64',
  half: 'float16',
  long: 'int64',
  int: 'int32',
};

/** Normalises an element-type name (`float`, `tensor(float)`, `FLOAT` → `float32`). */
export function normalDtype(t: unknown): string {
  const s = String(t).trim().toLowerCase();
  const m = /^tensor\((.+)\)$/.exec(s);
  const base = m ? m[1]! : s;
  return DTYPE_ALIASES[base] ?? base;
}

/** Shapes agree when ranks agree, numeric dims are equal and symbolic dims face symbolic dims (names may differ). */
export function shapesAgree(declared: unknown, measured: (number | string)[] | null): boolean {
  if (!Array.isArray(declared) || !measured || declared.length !== measured.length) return false;
  return declared.every((d, i) => {
    const m = measured[i]!;
    if (typeof d === 'number' && typeof m === 'number') return d === m;
    if (typeof d === 'string' && typeof m === 'string') return true;
    return typeof d === 'number' && d === -1 && typeof m === 'string';
  });
}

function f(
  clause: string,
  item: string,
  check: Bilingual,
  declared: unknown,
  measured: unknown,
  ok: boolean | null,
  note?: Bilingual | string,
): AccuracyFinding {
  const r: AccuracyFinding = {
    kind: 'accuracy',
    clause,
    item,
    check,
    declared,
    measured,
    status: ok === null ? 'not-checked' : ok ? 'consistent' : 'inconsistent',
  };
  if (note) r.note = note;
  return r;
}

function tensors(doc: unknown, which: 'inputs' | 'outputs', measured: ModelInspection['inputs'], clause: string): AccuracyFinding[] {
  const out: AccuracyFinding[] = [];
  const declared = pointerGet(doc, `/framework/dataRepresentation/${which}`);
  if (!Array.isArray(declared)) return out;
  const kind = which === 'inputs' ? { zh: '输入', en: 'input' } : { zh: '输出', en: 'output' };
  declared.forEach((t: Record<string, unknown>, i) => {
    const base = `/framework/dataRepresentation/${which}/${i}`;
    const m = measured.find((x) => x.name === t.name);
    if (!m) {
      out.push(
        f(
          clause,
          `${base}/name`,
          { zh: `模型存在${kind.zh} "${String(t.name)}"`, en: `model ${kind.en} "${String(t.name)}" exists` },
          t.name,
          measured.map((x) => x.name),
          false,
          {
            zh: `模型的${kind.zh}为 ${measured.map((x) => x.name).join(', ')}`,
            en: `the model's ${which} are ${measured.map((x) => x.name).join(', ')}`,
          },
        ),
      );
      return;
    }
    const dtypeCheck = { zh: `${kind.zh} ${m.name} 的元素类型`, en: `element type of ${kind.en} ${m.name}` };
    out.push(f(clause, `${base}/dtype`, dtypeCheck, t.dtype, m.type, normalDtype(t.dtype) === normalDtype(m.type)));
    out.push(
      f(
        clause,
        `${base}/shape`,
        { zh: `${kind.zh} ${m.name} 的形状`, en: `shape of ${kind.en} ${m.name}` },
        t.shape,
        m.shape,
        shapesAgree(t.shape, m.shape),
        { zh: '字符串维度为符号（动态）维度，与任何符号维度相符', en: 'a string dim is symbolic (dynamic) and matches any symbolic dim' },
      ),
    );
  });
  for (const m of measured)
    if (!declared.some((t: Record<string, unknown>) => t.name === m.name))
      out.push(
        f(
          clause,
          `/framework/dataRepresentation/${which}`,
          { zh: `模型${kind.zh} "${m.name}" 已描述`, en: `model ${kind.en} "${m.name}" is described` },
          null,
          m.name,
          false,
          {
            zh: `模型有${kind.zh} "${m.name}"，描述未列出`,
            en: `the model has ${kind.en} "${m.name}", which the description does not list`,
          },
        ),
      );
  return out;
}

function layers(doc: unknown, info: ModelInspection): AccuracyFinding[] {
  const out: AccuracyFinding[] = [];
  const rows = pointerGet(doc, '/framework/parameters/layers');
  if (!Array.isArray(rows)) return out;
  const byName = new Map(info.parameters.initializers.map((i) => [i.name, i]));
  const covered = new Set<string>();
  let declaredSum = 0;
  rows.forEach((r: Record<string, unknown>, i) => {
    const p = typeof r.parameters === 'number' ? r.parameters : 0;
    declaredSum += p;
    const inits = Array.isArray(r.initializers) ? (r.initializers as string[]) : undefined;
    const item = `/framework/parameters/layers/${i}/parameters`;
    const paramsCheck = { zh: `层 ${String(r.name)} 的参数量`, en: `parameters of layer ${String(r.name)}` };
    if (!inits || inits.length === 0) {
      if (p > 0)
        out.push(
          f('4.2.3', item, paramsCheck, p, null, null, {
            zh: '该层未列出初始化器，其参数量无法追溯到模型文件',
            en: 'no initializers named for this layer, so its count cannot be traced to the model file',
          }),
        );
      return;
    }
    const unknown = inits.filter((n) => !byName.has(n));
    inits.forEach((n) => covered.add(n));
    if (unknown.length) {
      out.push(
        f(
          '4.2.3',
          `/framework/parameters/layers/${i}/initializers`,
          { zh: `层 ${String(r.name)} 的初始化器存在于模型中`, en: `initializers of layer ${String(r.name)} exist in the model` },
          inits,
          unknown.map((n) => `${n}: absent`),
          false,
        ),
      );
      return;
    }
    const measured = inits.reduce((s, n) => s + byName.get(n)!.count, 0);
    const shapes = inits.map((n) => `${n} [${byName.get(n)!.shape.join('×')}]`).join(', ');
    out.push(f('4.2.3', item, paramsCheck, p, measured, p === measured, shapes));
  });
  const total = pointerGet(doc, '/framework/parameters/total');
  if (typeof total === 'number')
    out.push(
      f(
        '4.2.3',
        '/framework/parameters/layers',
        { zh: '逐层参数表之和等于声明的总数', en: 'the layer table adds up to the declared total' },
        total,
        declaredSum,
        total === declaredSum,
        { zh: '声明的逐层参数量之和', en: 'sum of the declared per-layer counts' },
      ),
    );
  if (covered.size > 0) {
    const missing = info.parameters.initializers.filter((x) => !covered.has(x.name) && x.count > 0);
    const n = missing.reduce((s, x) => s + x.count, 0);
    const names = `${missing
      .slice(0, 8)
      .map((x) => `${x.name} (${x.count})`)
      .join(', ')}${missing.length > 8 ? ', …' : ''}`;
    out.push(
      f(
        '4.2.3',
        '/framework/parameters/layers',
        { zh: '模型的每个初始化器都在逐层参数表中', en: 'every initializer of the model is in the layer table' },
        0,
        n,
        missing.length === 0,
        missing.length ? { zh: `未列出：${names}`, en: `not listed: ${names}` } : undefined,
      ),
    );
  }
  return out;
}

/**
 * Compares what a description declares with what the model file holds: file hash, size, IR
 * version and opsets (4.1 / 4.2.1), operator types and in-graph activations (4.2.2), parameter
 * counts in total and per layer (4.2.3), inputs and outputs with element types and shapes (4.2.4),
 * MACs per sample (4.5.3), and the data-volume split sum (4.3.2, internal consistency).
 * Undeclared facts are skipped (completeness reports them).
 * @param doc the parsed description
 * @param info `inspectModel` of the model file (with `inputShapes` for MACs)
 * @returns one finding per comparison
 * @example
 * accuracy(desc, await inspectModel('model.onnx')).filter((a) => a.status === 'inconsistent');
 */
export function accuracy(doc: unknown, info: ModelInspection): AccuracyFinding[] {
  const out: AccuracyFinding[] = [];
  const get = (p: string) => pointerGet(doc, p);
  const sha = get('/modelFile/sha256');
  if (sha !== undefined)
    out.push(
      f(
        '4.1',
        '/modelFile/sha256',
        { zh: '模型文件的 SHA-256', en: 'SHA-256 of the model file' },
        sha,
        info.sha256,
        String(sha).toLowerCase() === info.sha256,
      ),
    );
  const bytes = get('/modelFile/bytes');
  if (bytes !== undefined)
    out.push(
      f(
        '4.1',
        '/modelFile/bytes',
        { zh: '模型文件大小（字节）', en: 'size of the model file (bytes)' },
        bytes,
        info.bytes,
        bytes === info.bytes,
      ),
    );
  const ir = get('/modelFile/irVersion');
  if (ir !== undefined)
    out.push(f('4.2.1', '/modelFile/irVersion', { zh: 'ONNX IR 版本', en: 'ONNX IR version' }, ir, info.irVersion, ir === info.irVersion));
  const opsets = get('/modelFile/opsets');
  if (Array.isArray(opsets)) {
    const dom = (d: unknown) => (d === '' || d === 'ai.onnx' ? 'ai.onnx' : String(d));
    const m = info.opsets.map((o) => `${dom(o.domain)}:${o.version}`).sort();
    const d = opsets.map((o: { domain?: unknown; version?: unknown }) => `${dom(o.domain)}:${String(o.version)}`).sort();
    out.push(
      f('4.2.1', '/modelFile/opsets', { zh: '算子集（域:版本）', en: 'operator sets (domain:version)' }, d, m, d.join(',') === m.join(',')),
    );
  }
  const ops = get('/framework/nodes/operatorTypes');
  if (Array.isArray(ops)) {
    const m = Object.keys(info.opTypesAll).sort();
    const d = [...(ops as string[])].sort();
    const extra = d.filter((x) => !m.includes(x));
    const lacking = m.filter((x) => !d.includes(x));
    out.push(
      f(
        '4.2.2',
        '/framework/nodes/operatorTypes',
        { zh: '计算图及其子图的算子类型', en: 'operator types of the graph and its subgraphs' },
        d,
        m,
        extra.length === 0 && lacking.length === 0,
        extra.length || lacking.length
          ? {
              zh: `已声明但不存在：${extra.join(', ') || '—'}；存在但未声明：${lacking.join(', ') || '—'}`,
              en: `declared but absent: ${extra.join(', ') || '—'}; present but not declared: ${lacking.join(', ') || '—'}`,
            }
          : undefined,
      ),
    );
  }
  const acts = get('/framework/nodes/activations');
  if (Array.isArray(acts))
    acts.forEach((a: { name?: string; onnxOp?: string; where?: string }, i) => {
      if (a.where !== 'graph') return;
      const op = a.onnxOp ?? a.name ?? '';
      out.push(
        f(
          '4.2.2',
          `/framework/nodes/activations/${i}`,
          { zh: `激活函数 ${a.name} 是计算图中的算子`, en: `activation ${a.name} is an operator of the graph` },
          op,
          info.opTypesAll[op] ?? 0,
          (info.opTypesAll[op] ?? 0) > 0,
          { zh: `${info.opTypesAll[op] ?? 0} 个 ${op} 节点`, en: `${info.opTypesAll[op] ?? 0} ${op} node(s)` },
        ),
      );
    });
  const total = get('/framework/parameters/total');
  if (total !== undefined)
    out.push(
      f(
        '4.2.3',
        '/framework/parameters/total',
        { zh: '参数总量（所有初始化器的元素数）', en: 'total parameters (elements of every initializer)' },
        total,
        info.parameters.total,
        total === info.parameters.total,
      ),
    );
  out.push(...layers(doc, info));
  out.push(...tensors(doc, 'inputs', info.inputs, '4.2.4 a) b)'));
  out.push(...tensors(doc, 'outputs', info.outputs, '4.2.4 d)'));
  const macs = get('/applicability/environment/inference/macsPerSample');
  if (typeof macs === 'number') {
    const ok = info.macs === null ? null : Math.abs(info.macs - macs) <= 0.1 * Math.max(info.macs, 1);
    out.push(
      f(
        '4.5.3',
        '/applicability/environment/inference/macsPerSample',
        { zh: '每样本乘加运算次数', en: 'multiply-accumulates per sample' },
        macs,
        info.macs,
        ok,
        info.macs === null
          ? info.macsNote
            ? { zh: '输入形状未知，无法统计 MACs（可用 --input-shape 给出）', en: info.macsNote }
            : { zh: '无法统计 MACs', en: 'MACs could not be counted' }
          : {
              zh: `按 ${JSON.stringify(info.inputShapes)} 统计；相差不超过 10 % 即为一致（统计口径不同）`,
              en: `counted at ${JSON.stringify(info.inputShapes)}; within 10 % is consistent (counting conventions differ)`,
            },
      ),
    );
  }
  const splits = get('/sourceData/volume/splits');
  const vol = get('/sourceData/volume/total');
  if (Array.isArray(splits) && typeof vol === 'number') {
    const sum = splits.reduce((s: number, x: { count?: number }) => s + (x.count ?? 0), 0);
    out.push(
      f(
        '4.3.2',
        '/sourceData/volume/splits',
        { zh: '各划分的样本数之和等于声明的总量', en: 'the split sizes add up to the declared total' },
        vol,
        sum,
        vol === sum,
        { zh: '描述的内部一致性', en: 'internal consistency of the description' },
      ),
    );
  }
  return out;
}
