import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { SchemaError } from './errors.js';
import { packageRoot } from './package-root.js';

const cache = new Map<string, ValidateFunction>();
let ajv: Ajv2020 | undefined;

/** The shared ajv instance (JSON Schema 2020-12, formats, all errors). */
export function getAjv(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
  }
  return ajv;
}

/**
 * Compiles (once) a schema shipped in `templates/`.
 * @param name file name in `templates/`, e.g. `clause-result.schema.json`
 */
export function templateValidator(name: string): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'templates', name), 'utf8'));
    const a = getAjv();
    v = (schema.$id ? a.getSchema(schema.$id) : undefined) ?? a.compile(schema);
    cache.set(name, v);
  }
  return v!;
}

/** Turns ajv errors into `{ path, message }` rows a person can read. */
export function describeAjvErrors(errors: ErrorObject[] | null | undefined): { path: string; message: string }[] {
  return (errors ?? []).map((e) => {
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties')
      message = `has unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    if (e.keyword === 'required') message = `misses required property "${(e.params as { missingProperty: string }).missingProperty}"`;
    if (e.keyword === 'enum') message = `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    return { path: e.instancePath || '/', message };
  });
}

/**
 * Validates a document against a template schema; throws {@link SchemaError} naming the file and
 * every failing JSON path.
 * @param doc the parsed JSON
 * @param schemaName file name in `templates/`
 * @param file the file the document came from (for the message)
 * @throws SchemaError
 */
export function assertValid(doc: unknown, schemaName: string, file: string): void {
  const v = templateValidator(schemaName);
  if (v(doc)) return;
  const violations = describeAjvErrors(v.errors);
  const first = violations[0];
  throw new SchemaError(
    `${file} is not valid against ${schemaName}: ${violations.map((x) => `${x.path} ${x.message}`).join('; ')}`,
    violations,
    { file, field: first?.path, remedy: `correct ${first?.path ?? 'the document'} (schema: templates/${schemaName})` },
  );
}
