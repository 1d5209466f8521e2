import { standardizedDim } from './io-shape.js';
import { checkIoAgainstModel } from './bindings.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { InputError } from '../util/errors.js';
import { parseJsonStrict } from '../util/json.js';
import { sha256File } from '../model/hash.js';
import { confinedPath, requireFile } from './paths.js';
import { checkClaimCoverage } from './requirements.js';
import { validateBilingual } from './schema-errors.js';
import type { CaseSpec, ClaimsDocument, DatasetRole, LoadedCase } from './types.js';
import { DATASET_ROLES } from './types.js';

/**
 * Reads and parses a JSON file.
 * @param path the file
 * @throws {InputError} when the file is missing, begins with a BOM, is not valid JSON (the message gives the position) or holds a
 *   number that is not finite
 * @example
 * const doc = readJsonFile('/cases/ct/description.json');
 */
export function readJsonFile(path: string): unknown {
  if (!existsSync(path)) throw new InputError(`file not found: ${path} / 文件不存在`, { file: path, remedy: 'check the path' });
  if (!statSync(path).isFile())
    throw new InputError(`not a regular file: ${path} / 不是普通文件`, { file: path, remedy: 'give a JSON file' });
  return parseJsonStrict(readFileSync(path, 'utf8'), path);
}

/** Every path field of a case file, with its JSON path. */
function pathFields(spec: CaseSpec): { rel: string; field: string; mustExist: boolean }[] {
  const out = [
    { rel: spec.model, field: '/model', mustExist: true },
    { rel: spec.description, field: '/description', mustExist: true },
    { rel: spec.claims, field: '/claims', mustExist: true },
  ];
  if (spec.adapter) out.push({ rel: spec.adapter, field: '/adapter', mustExist: true });
  (spec.variants ?? []).forEach((v, i) => out.push({ rel: v.model, field: `/variants/${i}/model`, mustExist: true }));
  for (const role of DATASET_ROLES) {
    const ds = spec.datasets[role];
    if (ds) out.push({ rel: ds.manifest, field: `/datasets/${role}/manifest`, mustExist: true });
  }
  return out;
}

/** Cross-field checks the schema cannot express. */
function crossCheck(spec: CaseSpec, file: string): void {
  const roleOk = (role: DatasetRole | undefined, field: string) => {
    if (role && !spec.datasets[role])
      throw new InputError(
        `${field} names data set role "${role}", which /datasets does not define / ${field} 引用的数据集角色未在 /datasets 中定义`,
        { file, field, remedy: `add /datasets/${role} or name a defined role (${Object.keys(spec.datasets).join(', ')})` },
      );
  };
  for (const k of ['training', 'downstream'] as const) {
    const t = spec[k];
    if (!t) continue;
    roleOk(t.trainRole, `/${k}/trainRole`);
    roleOk(t.validationRole, `/${k}/validationRole`);
  }
  const p = spec.io.preprocess;
  if (p?.kind === 'standardize') {
    if (p.mean.length !== p.std.length)
      throw new InputError(`mean has ${p.mean.length} values but std has ${p.std.length} / mean 与 std 长度不一致`, {
        file,
        field: '/io/preprocess/std',
        remedy: 'give one mean and one std per input feature',
      });
    const last = standardizedDim(spec.io);
    if (typeof last === 'number' && last !== p.mean.length)
      throw new InputError(`standardize has ${p.mean.length} features but /io/inputShape has ${last} there / 标准化特征数与输入形状不符`, {
        file,
        field: '/io/preprocess/mean',
        remedy: 'give one mean and one std per input feature',
      });
  }
  if (spec.task === 'segmentation' && spec.io.outputActivation === 'sigmoid' && spec.labels.length !== 2)
    throw new InputError(
      `a sigmoid segmentation model has 2 labels (background, foreground), not ${spec.labels.length} / sigmoid 分割模型应有 2 个标签`,
      { file, field: '/labels', remedy: 'use ["background", "<structure>"] or outputActivation "softmax"' },
    );
}

/**
 * Loads an evaluation case (clause 6.1): validates `case.json`, the description and the claims
 * against `templates/{case,description,claims}.schema.json`, checks that every path is relative,
 * stays inside the case directory and names an existing file (model, description, claims,
 * adapter, variants, every manifest), and hashes the model. Nothing is run.
 *
 * @param dir the case directory (or its `case.json`)
 * @returns the validated case with absolute paths and the model's SHA-256
 * @throws {InputError} a missing directory or file, a path that is absolute or escapes the case,
 *   invalid JSON, a role named in training that no data set defines
 * @throws {SchemaError} (an InputError) a schema violation; `file`, `field` (JSON Pointer) and a
 *   bilingual message name every violation
 * @param opts `checkModel: false` skips the io-against-model check (the preflight reports it with every other problem)
 * @example
 * const c = await loadCase('examples/ct-body-segmentation');
 * c.spec.task; // 'segmentation'
 * c.modelSha256; // 'ab12…'
 */
export async function loadCase(dir: string, opts: { checkModel?: boolean } = {}): Promise<LoadedCase> {
  let caseDir = resolvePath(dir);
  if (existsSync(caseDir) && statSync(caseDir).isFile()) caseDir = resolvePath(caseDir, '..');
  if (!existsSync(caseDir) || !statSync(caseDir).isDirectory())
    throw new InputError(`case directory not found: ${dir} / 案例目录不存在`, {
      file: dir,
      remedy: 'give the folder that holds case.json (e.g. examples/ct-body-segmentation)',
    });
  const file = join(caseDir, 'case.json');
  if (!existsSync(file))
    throw new InputError(`no case.json in ${caseDir} / 案例目录中没有 case.json`, {
      file,
      remedy: 'create one with `ptmc case init DIR` and fill it in',
    });
  const raw = readJsonFile(file);
  validateBilingual(raw, 'case.schema.json', file);
  const spec = raw as CaseSpec;
  const abs: Record<string, string> = {};
  for (const f of pathFields(spec)) {
    abs[f.field] = confinedPath(caseDir, f.rel, file, f.field);
    if (f.mustExist) requireFile(abs[f.field]!, f.rel, file, f.field);
  }
  crossCheck(spec, file);
  if (spec.seeds && !Number.isSafeInteger(spec.seeds.default))
    throw new InputError(`seeds.default must be an integer, not ${spec.seeds.default} / 种子必须为整数`, {
      file,
      field: '/seeds/default',
      remedy: 'give an integer seed, e.g. 42',
    });
  const descriptionPath = abs['/description']!;
  const claimsPath = abs['/claims']!;
  const description = readJsonFile(descriptionPath);
  validateBilingual(description, 'description.schema.json', descriptionPath);
  const claims = readJsonFile(claimsPath);
  validateBilingual(claims, 'claims.schema.json', claimsPath);
  const claimsDoc = claims as ClaimsDocument;
  const seen = new Set<string>();
  claimsDoc.claims.forEach((c, i) => {
    if (seen.has(c.id))
      throw new InputError(`claim id "${c.id}" is used twice / 声称 id 重复`, {
        file: claimsPath,
        field: `/claims/${i}/id`,
        remedy: 'give every claim its own id',
      });
    seen.add(c.id);
  });
  checkClaimCoverage(claimsDoc, claimsPath);
  const modelPath = abs['/model']!;
  if (opts.checkModel !== false) checkIoAgainstModel(spec.io, modelPath, file, !!spec.adapter);
  const modelSha256 = await sha256File(modelPath);
  return {
    dir: caseDir,
    file,
    spec,
    modelPath,
    modelSha256,
    description: description as Record<string, unknown>,
    claims: claimsDoc,
    descriptionPath,
    claimsPath,
    resolve: (rel: string) => confinedPath(caseDir, rel, file, rel),
  };
}

/**
 * The seed of an evaluation: the one asked for, else the case's `seeds.default`, else 42.
 * @example
 * caseSeed(c); // 7 when case.json says "seeds": { "default": 7 }
 */
export function caseSeed(c: LoadedCase, override?: number): number {
  return override ?? c.spec.seeds?.default ?? 42;
}

/**
 * The confidence level claims are decided at: the case's `decision.level`, else 0.95.
 * @example
 * decisionLevel(c); // 0.9 when case.json says "decision": { "level": 0.9 }
 */
export function decisionLevel(c: LoadedCase | undefined): number {
  return c?.spec.decision?.level ?? 0.95;
}
