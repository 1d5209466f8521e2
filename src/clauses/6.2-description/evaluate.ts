import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { confinedPath, requireFile } from '../../case/paths.js';
import { readJsonFile } from '../../case/load.js';
import { validateBilingual } from '../../case/schema-errors.js';
import { collectEnvironment } from '../../util/environment.js';
import { buildClauseResult, startClause } from '../clause.js';
import { sha256File } from '../../model/hash.js';
import { inspectModel } from '../../model/inspect.js';
import type { ClauseResult, CoverageRow, Finding, Measurement, ResultTable, Verdict } from '../../results/types.js';
import { accuracy, type AccuracyFinding } from './accuracy.js';
import { completeness, pointerGet, type CompletenessFinding } from './items.js';

export type { AccuracyFinding } from './accuracy.js';
export type { CompletenessFinding, DescriptionItem, ItemStrength } from './items.js';
export { descriptionItems, completeness, isGiven, pointerGet } from './items.js';
export { accuracy as descriptionAccuracy, normalDtype, shapesAgree } from './accuracy.js';

/** Options of {@link checkDescription}. */
export interface CheckDescriptionOptions {
  /** The model file to compare with; default: the description's `modelFile.path`, relative to the description's folder. */
  modelPath?: string;
  /** Concrete input shapes for MAC counting (default: the declared input shapes with symbolic dims set to 1). */
  inputShapes?: Record<string, number[]>;
}

function fmt(v: unknown): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function declaredShapes(doc: unknown): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const ins = pointerGet(doc, '/framework/dataRepresentation/inputs');
  if (Array.isArray(ins))
    for (const t of ins as { name?: string; shape?: unknown[] }[])
      if (t.name && Array.isArray(t.shape)) out[t.name] = t.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  return out;
}

/**
 * Clause 6.2: checks a pre-trained model description (chapter 4) for completeness and accuracy.
 *
 * Completeness: every item of `templates/description.schema.json` (annotated `x-clause`,
 * `x-strength`) is present or not — a missing shall (应) item fails the clause; a missing should (宜)
 * or where-applicable item is noted. Accuracy: the declared model facts are compared with the model
 * file (see `descriptionAccuracy`); any inconsistency fails the clause and the finding shows the
 * measured value. Without a model file the accuracy part is not checked and the verdict is at best
 * `inconclusive`.
 *
 * @param descriptionPath the description JSON
 * @param opts the model to compare with, input shapes for MACs
 * @returns a ClauseResult for 6.2 whose `findings` name the clause of every item
 * @throws {InputError} a missing or non-JSON description, a model path that escapes the
 *   description's folder, a missing model file; {@link SchemaError} a schema violation
 * @example
 * const r = await checkDescription('examples/ct-body-segmentation/description.json');
 * r.verdict; // 'pass'
 */
export async function checkDescription(descriptionPath: string, opts: CheckDescriptionOptions = {}): Promise<ClauseResult> {
  const run = startClause('6.2', undefined);
  const doc = readJsonFile(descriptionPath);
  validateBilingual(doc, 'description.schema.json', descriptionPath);
  let modelPath = opts.modelPath;
  const declaredModel = pointerGet(doc, '/modelFile/path');
  if (!modelPath && typeof declaredModel === 'string') {
    modelPath = confinedPath(dirname(descriptionPath), declaredModel, descriptionPath, '/modelFile/path');
    requireFile(modelPath, declaredModel, descriptionPath, '/modelFile/path');
  } else if (modelPath) {
    requireFile(modelPath, modelPath, modelPath, '--model');
  }
  const comp: CompletenessFinding[] = completeness(doc, descriptionPath);
  let acc: AccuracyFinding[] = [];
  let modelSha256: string;
  let inputShapes: Record<string, number[]> | undefined;
  if (modelPath) {
    inputShapes = opts.inputShapes ?? declaredShapes(doc);
    let info;
    try {
      info = await inspectModel(modelPath, { inputShapes });
    } catch {
      // declared shapes that do not fit the model are an accuracy finding, not a reason to stop
      inputShapes = undefined;
      info = await inspectModel(modelPath);
    }
    acc = accuracy(doc, info);
    modelSha256 = info.sha256;
  } else {
    const declared = pointerGet(doc, '/modelFile/sha256');
    modelSha256 = typeof declared === 'string' && /^[0-9a-f]{64}$/.test(declared) ? declared : await sha256File(descriptionPath);
  }
  const missing = comp.filter((c) => c.status === 'missing');
  const noted = comp.filter((c) => c.status === 'noted');
  const unknownShall = comp.filter((c) => c.status === 'declared-unknown' && c.strength === 'shall');
  const bad = acc.filter((a) => a.status === 'inconsistent');
  const unchecked = acc.filter((a) => a.status === 'not-checked');
  let verdict: Verdict;
  const reasons: string[] = [];
  const reasonsZh: string[] = [];
  if (missing.length) {
    reasons.push(`required (shall) item(s) missing: ${missing.map((m) => `${m.clause} ${m.item}`).join('; ')}`);
    reasonsZh.push(`缺少"应"项：${missing.map((m) => `${m.clause} ${m.title.zh}`).join('；')}`);
  }
  if (bad.length) {
    reasons.push(
      `declared value(s) inconsistent with the model file: ` +
        `${bad.map((b) => `${b.clause} ${b.check.en} (declared ${fmt(b.declared)}, measured ${fmt(b.measured)})`).join('; ')}`,
    );
    reasonsZh.push(
      `与模型文件不一致：${bad.map((b) => `${b.clause} ${b.check.zh}（声明 ${fmt(b.declared)}，实测 ${fmt(b.measured)}）`).join('；')}`,
    );
  }
  if (unknownShall.length) {
    reasons.push(
      `shall item(s) declared not published: ${unknownShall.map((m) => `${m.clause} ${m.item} (${m.note?.en ?? ''})`).join('; ')}`,
    );
    reasonsZh.push(`声明未公开的"应"项：${unknownShall.map((m) => `${m.clause} ${m.title.zh}`).join('；')}`);
  }
  if (missing.length || bad.length) verdict = 'fail';
  else if (unknownShall.length) verdict = 'inconclusive';
  else if (!modelPath) {
    verdict = 'inconclusive';
    reasons.push('complete, but accuracy was not checked: no model file (give --model or modelFile.path)');
    reasonsZh.push('内容完整，但未提供模型文件，未核对准确性');
  } else {
    verdict = 'pass';
    reasons.push(
      `all ${comp.filter((c) => c.status === 'present').length} items given that apply (shall items ` +
        `complete${noted.length ? `; ${noted.length} recommended/where-applicable item(s) noted` : ''}); ` +
        `${acc.length - unchecked.length} declared fact(s) consistent with the model file` +
        `${unchecked.length ? `; ${unchecked.length} could not be traced` : ''}`,
    );
    reasonsZh.push(
      `"应"项完整${noted.length ? `，${noted.length} 个"宜/如适用"项未提供（已记录）` : ''}；${acc.length - unchecked.length} 项声明与模型文件一致`,
    );
  }
  const measurements: Measurement[] = [
    { name: 'shallMissing', label: { zh: '缺少的"应"项', en: 'shall items missing' }, value: missing.length, unit: '1' },
    {
      name: 'itemsNoted',
      label: { zh: '未提供的"宜/如适用"项', en: 'should / where-applicable items not given' },
      value: noted.length,
      unit: '1',
    },
    {
      name: 'declaredUnknown',
      label: { zh: '声明未公开的项', en: 'items declared not published' },
      value: comp.filter((c) => c.status === 'declared-unknown').length,
      unit: '1',
    },
    {
      name: 'itemsPresent',
      label: { zh: '已提供的项', en: 'items given' },
      value: comp.filter((c) => c.status === 'present').length,
      unit: '1',
    },
    {
      name: 'accuracyConsistent',
      label: { zh: '一致的声明', en: 'consistent declarations' },
      value: acc.filter((a) => a.status === 'consistent').length,
      unit: '1',
    },
    { name: 'accuracyInconsistent', label: { zh: '不一致的声明', en: 'inconsistent declarations' }, value: bad.length, unit: '1' },
  ];
  const tables: ResultTable[] = [
    {
      name: 'completeness',
      title: { zh: '完整性（第 4 章逐项）', en: 'Completeness (chapter 4, item by item)' },
      columns: ['clause', 'item', 'title', 'strength', 'status', 'note'],
      rows: comp.map((c) => [c.clause, c.item, c.title, c.strength, c.status, c.note ?? '']),
    },
    {
      name: 'accuracy',
      title: { zh: '准确性（声明与模型文件对照）', en: 'Accuracy (declared vs. model file)' },
      columns: ['clause', 'check', 'declared', 'measured', 'status', 'note'],
      rows: acc.map((a) => [a.clause, a.check, fmt(a.declared), fmt(a.measured), a.status, a.note ?? '']),
    },
  ];
  return buildClauseResult(run, {
    decision: { verdict, reason: { zh: reasonsZh.join('；'), en: reasons.join('; ') } },
    rationale: () => ({ zh: reasonsZh.join('；'), en: reasons.join('; ') }),
    claims: [],
    measurements,
    tables,
    findings: [...comp.map(completenessFinding), ...acc.map(accuracyFinding)],
    coverage: descriptionCoverage(comp, acc),
    settings: {
      description: descriptionPath,
      model: modelPath ?? null,
      inputShapes: inputShapes ?? null,
      modelFound: modelPath ? existsSync(modelPath) : false,
    },
    modelSha256,
    environment: collectEnvironment({ executionProvider: 'none (static inspection)' }),
  });
}

const STATUS_ZH: Record<string, string> = {
  present: '已提供',
  missing: '缺失',
  noted: '未提供（已记录）',
  'not-applicable': '不适用',
  consistent: '一致',
  inconsistent: '不一致',
  'not-checked': '未能核对',
  'declared-unknown': '声明未公开',
};

/**
 * A completeness check as a finding: `item` is the chapter-4 clause, `pointer` the JSON Pointer of the
 * description; a missing shall item is major, everything else info.
 */
function completenessFinding(c: CompletenessFinding): Finding {
  return {
    id: `completeness:${c.item}`,
    // a shall item the provider declares not published (with a reason) is a finding, not a silent pass
    severity: c.status === 'missing' ? 'major' : c.status === 'declared-unknown' && c.strength === 'shall' ? 'minor' : 'info',
    item: c.clause,
    text: { zh: `${c.title.zh}：${STATUS_ZH[c.status] ?? c.status}`, en: `${c.title.en}: ${c.status}` },
    measured: c.status,
    kind: c.kind,
    clause: c.clause,
    pointer: c.item,
    title: c.title,
    strength: c.strength,
    status: c.status,
    ...(c.note ? { note: c.note } : {}),
  };
}

/** An accuracy check as a finding: an inconsistent declaration is major, one not traced minor, a consistent one info. */
function accuracyFinding(a: AccuracyFinding): Finding {
  return {
    id: `accuracy:${a.item}`,
    severity: a.status === 'inconsistent' ? 'major' : a.status === 'not-checked' ? 'minor' : 'info',
    item: a.clause,
    text: {
      zh: `${a.check.zh}：声明值 ${fmt(a.declared)}，模型文件实测 ${fmt(a.measured)}：${STATUS_ZH[a.status] ?? a.status}`,
      en: `${a.check.en}: declared ${fmt(a.declared)}, measured ${fmt(a.measured)}: ${a.status}`,
    },
    measured: a.measured,
    kind: a.kind,
    clause: a.clause,
    pointer: a.item,
    check: a.check,
    declared: a.declared,
    status: a.status,
    ...(a.note ? { note: a.note } : {}),
  };
}

/**
 * One coverage row per chapter-4 item: met, missing, not-met (a declaration inconsistent), inconclusive (declared not
 * published, with a reason) or not-applicable.
 */
function descriptionCoverage(comp: CompletenessFinding[], acc: AccuracyFinding[]): CoverageRow[] {
  const rows: CoverageRow[] = [];
  for (const c of comp) {
    const strength = c.strength === 'shall-if-applicable' ? 'where-applicable' : c.strength;
    const inconsistent = acc.some((a) => a.clause === c.clause && a.status === 'inconsistent');
    const status =
      c.status === 'present'
        ? inconsistent
          ? 'not-met'
          : 'met'
        : c.status === 'not-applicable'
          ? 'not-applicable'
          : c.status === 'declared-unknown'
            ? 'inconclusive'
            : 'missing';
    rows.push({ item: c.clause, strength, claims: [], status });
  }
  return rows;
}
