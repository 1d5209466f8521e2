/**
 * Validation of notebooks against the official nbformat 4.5 JSON schema (shipped as
 * `templates/nbformat.v4.5.schema.json`, copied verbatim from nbformat), plus the checks the
 * schema cannot express: cell ids unique.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { SchemaError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { describeAjvErrors } from '../util/schema.js';

/** File name of the shipped schema in `templates/`. */
export const NBFORMAT_SCHEMA = 'nbformat.v4.5.schema.json';

let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'templates', NBFORMAT_SCHEMA), 'utf8'));
    // The official file declares draft-04; it uses no keyword whose meaning changed since, so ajv's
    // default (draft-07) validates it faithfully once the meta-schema reference is set aside.
    delete schema.$schema;
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator;
}

/** One schema violation: a JSON pointer into the notebook and what is wrong there. */
export interface NotebookViolation {
  path: string;
  message: string;
}

/**
 * Validates a notebook against the nbformat 4.5 schema and checks that cell ids are unique.
 * @param nb the notebook (any value)
 * @returns every violation; empty when the notebook is valid
 * @example
 * validateNotebook(readNotebook('x.ipynb')); // []
 */
export function validateNotebook(nb: unknown): NotebookViolation[] {
  const v = getValidator();
  const out = v(nb) ? [] : describeAjvErrors(v.errors);
  const cells = (nb as { cells?: unknown })?.cells;
  if (Array.isArray(cells)) {
    const seen = new Map<string, number>();
    cells.forEach((c, i) => {
      const id = (c as { id?: unknown })?.id;
      if (typeof id !== 'string') return;
      if (seen.has(id)) out.push({ path: `/cells/${i}/id`, message: `duplicates the id of cell ${seen.get(id)} ("${id}")` });
      else seen.set(id, i);
    });
  }
  return out;
}

/**
 * Throws when a notebook is not valid nbformat 4.5.
 * @param nb the notebook
 * @param file the file it is (to be) written to, for the message
 * @throws SchemaError listing every violation
 */
export function assertValidNotebook(nb: unknown, file: string): void {
  const violations = validateNotebook(nb);
  if (violations.length === 0) return;
  const first = violations[0]!;
  throw new SchemaError(
    `${file} is not a valid nbformat 4.5 notebook: ${violations
      .slice(0, 10)
      .map((x) => `${x.path} ${x.message}`)
      .join('; ')}`,
    violations,
    { file, field: first.path, remedy: `correct ${first.path} (schema: templates/${NBFORMAT_SCHEMA})` },
  );
}
