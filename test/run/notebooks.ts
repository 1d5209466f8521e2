import * as fs from 'node:fs';

/**
 * Tiny TypeScript notebooks for the run tests: a `parameters` cell, then code cells; cells that
 * write a schema-valid ClauseResult; cells that start a child and a detached grandchild.
 */

/** A notebook with a `parameters` cell (casePath, outDir, ep, lang, seed), then `cells`. */
export function notebook(cells: string[]): string {
  const code = (source: string, i: number, tags?: string[]) => ({
    cell_type: 'code',
    execution_count: null,
    id: `c${i}`,
    metadata: tags ? { tags } : {},
    outputs: [],
    source,
  });
  return JSON.stringify(
    {
      cells: [
        code("const casePath = '';\nconst outDir = 'out';\nconst ep = 'cpu';\nconst lang = 'en';\nconst seed = 1;", 0, ['parameters']),
        ...cells.map((c, i) => code(c, i + 1)),
      ],
      metadata: {
        kernelspec: { display_name: 'TypeScript (ptm-conformity)', language: 'typescript', name: 'ptm-typescript' },
        language_info: { name: 'typescript' },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

/** A cell that writes a schema-valid result for `clause` whose measurement is `value`. */
export function writesResult(clause: string, value: string): string {
  return `import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
const spec = JSON.parse(fs.readFileSync(path.join(casePath, 'case.json'), 'utf8'));
const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(casePath, spec.model))).digest('hex');
fs.mkdirSync(path.join(outDir, 'results'), { recursive: true });
const result = {
  clause: '${clause}', title: { zh: '测试', en: 'test' }, verdict: 'pass', rationale: 'demo', coverage: [], findings: [],
  claims: [{ id: 'c1', statement: 'demo claim', expected: '>= 0.5', measured: ${value}, met: true }],
  measurements: [{ name: 'demo', value: ${value}, unit: '1' }], tables: [], figures: [],
  settings: { seed: seed, ep: ep, lang: lang }, modelSha256: sha,
  environment: { os: 'test', cpu: 'test', memory: '1 GiB', node: process.version, onnxruntime: 'n/a', executionProvider: 'cpu',
    requestedProvider: ep },
  startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(),
};
fs.writeFileSync(path.join(outDir, 'results', '${clause}.json'), JSON.stringify(result, null, 2));`;
}

/**
 * A cell that starts a child (same process group, `detached: false`) which starts a grandchild in a
 * session of its own (`detached: true`, so outside the kernel's process group), both sleeping forever
 * with `marker` on their command lines.
 */
export function spawnsDescendants(marker: string): string {
  const grand =
    `require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${marker}-grandchild'], ` +
    `{ detached: true, stdio: 'ignore' }).unref(); setInterval(() => {}, 1000);`;
  return `import { spawn } from 'child_process';
const kid = spawn(process.execPath, ['-e', ${JSON.stringify(grand)}, '${marker}-child'], { detached: false, stdio: 'ignore' });
kid.unref();
await new Promise((r) => setTimeout(r, 1500));`;
}

/** Process ids whose command line holds `marker` (Linux /proc). */
export function processesWithMarker(marker: string): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      if (cmd.includes(marker) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}
