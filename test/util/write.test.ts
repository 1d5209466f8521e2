import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaError } from '../../src/util/errors.js';
import { collectEnvironment } from '../../src/util/environment.js';
import { writeClauseResult } from '../../src/clauses/clause.js';
import { type ClauseResult } from '../../src/results/types.js';

function sample(): ClauseResult {
  return {
    clause: '6.3.5',
    title: { zh: '输出可重复性', en: 'Output repeatability' },
    verdict: 'inconclusive',
    rationale: 'no claim to judge against',
    claims: [],
    coverage: [],
    findings: [],
    measurements: [{ name: 'maxAbsDiff', value: 0, unit: '1' }],
    tables: [],
    figures: [],
    settings: { seed: 1 },
    modelSha256: 'a'.repeat(64),
    environment: collectEnvironment({ executionProvider: 'cpu' }),
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
  };
}

describe('results/write', () => {
  it('writes a valid ClauseResult to results/<clause>.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-res-'));
    const p = writeClauseResult(dir, sample());
    assert.equal(p, join(dir, 'results', '6.3.5.json'));
    assert.equal(JSON.parse(readFileSync(p, 'utf8')).verdict, 'inconclusive');
  });

  it('rejects an invalid verdict with the JSON path and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptmc-res-'));
    const bad = { ...sample(), verdict: 'ok' } as unknown as ClauseResult;
    assert.throws(
      () => writeClauseResult(dir, bad),
      (e: unknown) => e instanceof SchemaError && e.violations.some((v) => v.path === '/verdict'),
    );
    assert.equal(existsSync(join(dir, 'results', '6.3.5.json')), false);
  });
});
