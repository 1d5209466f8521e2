import type { ErrorObject } from 'ajv';
import { SchemaError } from '../util/errors.js';
import { templateValidator } from '../util/schema.js';

/** One schema violation in both languages. */
export interface BilingualViolation {
  /** JSON path (JSON Pointer) of the offending value, `/` for the document. */
  path: string;
  /** English message. */
  message: string;
  /** Chinese message. */
  zh: string;
}

function param<T>(e: ErrorObject, k: string): T {
  return (e.params as Record<string, T>)[k]!;
}

/**
 * Turns ajv errors into readable violations in English and Chinese, dropping the noise of
 * `anyOf`/`oneOf` branches when a more specific error names the same path.
 * @param errors ajv's `errors`
 * @returns one violation per distinct error
 * @example
 * bilingualViolations(v.errors)[0]; // { path: '/io', message: 'misses required property "output"', zh: '缺少必需属性 "output"' }
 */
export function bilingualViolations(errors: ErrorObject[] | null | undefined): BilingualViolation[] {
  const out: BilingualViolation[] = [];
  const list = errors ?? [];
  for (const e of list) {
    const path = e.instancePath || '/';
    let en: string;
    let zh: string;
    switch (e.keyword) {
      case 'required':
        en = `misses required property "${param<string>(e, 'missingProperty')}"`;
        zh = `缺少必需属性 "${param<string>(e, 'missingProperty')}"`;
        break;
      case 'additionalProperties':
      case 'unevaluatedProperties': {
        const p = param<string>(e, e.keyword === 'additionalProperties' ? 'additionalProperty' : 'unevaluatedProperty');
        en = `has unknown property "${p}"`;
        zh = `含有未知属性 "${p}"`;
        break;
      }
      case 'enum':
        en = `must be one of ${JSON.stringify(param<unknown[]>(e, 'allowedValues'))}`;
        zh = `必须为以下之一：${JSON.stringify(param<unknown[]>(e, 'allowedValues'))}`;
        break;
      case 'const':
        en = `must be ${JSON.stringify(param<unknown>(e, 'allowedValue'))}`;
        zh = `必须为 ${JSON.stringify(param<unknown>(e, 'allowedValue'))}`;
        break;
      case 'type':
        en = `must be of type ${param<string>(e, 'type')}`;
        zh = `类型必须为 ${param<string>(e, 'type')}`;
        break;
      case 'not':
        en = 'must be a path relative to the case directory (no leading "/", drive letter, "\\" or ".." segment)';
        zh = '必须为相对于案例目录的路径（不得以 "/"、盘符开头，不得含 "\\" 或 ".." 段）';
        break;
      case 'pattern':
        en = `must match ${param<string>(e, 'pattern')}`;
        zh = `必须匹配 ${param<string>(e, 'pattern')}`;
        break;
      case 'minItems':
      case 'minLength':
      case 'minProperties':
        en = `must not be shorter than ${param<number>(e, 'limit')}`;
        zh = `长度不得小于 ${param<number>(e, 'limit')}`;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        en = `must be ${param<string>(e, 'comparison')} ${param<number>(e, 'limit')}`;
        zh = `必须 ${param<string>(e, 'comparison')} ${param<number>(e, 'limit')}`;
        break;
      case 'propertyNames':
        en = `has an unknown key "${param<string>(e, 'propertyName')}"`;
        zh = `含有未知键 "${param<string>(e, 'propertyName')}"`;
        break;
      case 'anyOf':
      case 'oneOf':
      case 'if':
        // the specific branch errors at the same or a deeper path say more
        if (list.some((o) => o !== e && o.keyword !== e.keyword && (o.instancePath || '/').startsWith(path))) continue;
        en = e.keyword === 'if' ? (e.message ?? 'is invalid') : 'matches none of the allowed forms';
        zh = e.keyword === 'if' ? '不满足条件约束' : '不符合任何允许的形式';
        break;
      default:
        en = e.message ?? 'is invalid';
        zh = `不满足约束 ${e.keyword}`;
    }
    if (!out.some((v) => v.path === path && v.message === en)) out.push({ path, message: en, zh });
  }
  return out;
}

/**
 * Validates a document against a schema in `templates/` and throws a {@link SchemaError} whose
 * message names the file, every failing JSON path and what is expected, in Chinese and English.
 * @param doc parsed JSON
 * @param schemaName e.g. `case.schema.json`
 * @param file the file the document came from
 * @throws {SchemaError} listing every violation (`violations[i].path` is a JSON Pointer)
 * @example
 * validateBilingual(JSON.parse(text), 'case.schema.json', '/cases/ct/case.json');
 */
export function validateBilingual(doc: unknown, schemaName: string, file: string): void {
  const v = templateValidator(schemaName);
  if (v(doc)) return;
  const vs = bilingualViolations(v.errors);
  const first = vs[0] ?? { path: '/', message: 'is invalid', zh: '无效' };
  const en = vs.map((x) => `  ${x.path}: ${x.message}`).join('\n');
  const zh = vs.map((x) => `  ${x.path}：${x.zh}`).join('\n');
  throw new SchemaError(
    `${file} 不符合 templates/${schemaName}：\n${zh}\n${file} is not valid against templates/${schemaName}:\n${en}`,
    vs.map((x) => ({ path: x.path, message: `${x.message} / ${x.zh}` })),
    {
      file,
      field: first.path,
      remedy:
        `correct ${first.path} (${first.message}); the schema is templates/${schemaName} / 请按 ` +
        `templates/${schemaName} 修正 ${first.path}`,
    },
  );
}
