import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ClauseResult } from './types.js';
import { assertValid } from './validate.js';

/**
 * Writes `path` atomically: a temp file beside it, then a rename, so a reader never sees half a file.
 * @param path destination
 * @param data file content
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Validates a ClauseResult against `templates/clause-result.schema.json` and writes it to
 * `${outDir}/results/<clause>.json`.
 * @returns the path written
 * @throws SchemaError when the result does not satisfy the schema (nothing is written)
 * @example
 * writeClauseResult('evidence/run1', result); // evidence/run1/results/6.3.6.json
 */
export function writeClauseResult(outDir: string, result: ClauseResult): string {
  const path = join(outDir, 'results', `${result.clause}.json`);
  assertValid(result, 'clause-result.schema.json', path);
  writeFileAtomic(path, JSON.stringify(result, null, 2) + '\n');
  return path;
}
