/**
 * `npm run bench:execute`: `ptmc execute` against `jupyter nbconvert --execute` on the same
 * ptm-typescript kernel, on a 20-cell notebook of light cells, alternating for several rounds.
 * Prints both medians, their ratio (target ≤ 0.5) and the kernel start → first result latency of
 * the executor (target ≤ 1.0 s).
 *
 * Options (environment): BENCH_ROUNDS (default 5), BENCH_CELLS (default 20).
 * Needs Debian's `/usr/bin/jupyter` (jupyter-nbconvert) for the comparison; without it only the
 * ptmc figures are printed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { codeCell, markdownCell, newNotebook, writeNotebook } from '../src/notebook/nbformat.js';
import { executeNotebook } from '../src/notebook/executor.js';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'ptmc.js');
const JUPYTER = '/usr/bin/jupyter';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CELLS = Number(process.env.BENCH_CELLS ?? 20);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return ms;
}

/** A notebook of `n` light cells: arithmetic, strings, small arrays, console output. */
function lightNotebook(n: number) {
  const nb = newNotebook();
  nb.cells.push(markdownCell(`# ${n} light cells`));
  for (let i = 0; i < n; i++) {
    const kinds = [
      `const v${i} = ${i} * 2 + 1;\nv${i}`,
      `console.log('cell ${i}', [${i}, ${i + 1}, ${i + 2}].map((x) => x * x).join(','));`,
      `const s${i} = 'row-' + String(${i}).padStart(3, '0');\ns${i}.toUpperCase()`,
      `const a${i} = Array.from({ length: 100 }, (_, k) => k + ${i});\na${i}.reduce((p, q) => p + q, 0)`,
    ];
    nb.cells.push(codeCell(kinds[i % kinds.length]!));
  }
  return nb;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ptmc-bench-'));
  try {
    const prefix = join(dir, 'prefix');
    execFileSync(process.execPath, [BIN, 'kernel', 'install', '--prefix', prefix], { stdio: 'ignore' });
    const env = { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter') };
    process.env.JUPYTER_PATH = env.JUPYTER_PATH;
    const input = join(dir, 'light.ipynb');
    writeNotebook(input, lightNotebook(CELLS));
    const haveJupyter = existsSync(JUPYTER) && spawnSync(JUPYTER, ['nbconvert', '--version'], { env }).status === 0;
    console.log(`bench:execute — ${CELLS} light cells, ${ROUNDS} rounds, kernel ptm-typescript (${env.JUPYTER_PATH})`);
    if (!haveJupyter) console.log(`  ${JUPYTER} nbconvert not found: the nbconvert comparison is skipped`);

    const ptmc: number[] = [];
    const nbconvert: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      ptmc.push(timed(process.execPath, [BIN, 'execute', input, '-o', join(dir, 'ptmc.ipynb'), '--quiet'], env));
      if (haveJupyter) {
        nbconvert.push(
          timed(
            JUPYTER,
            [
              'nbconvert',
              '--to',
              'notebook',
              '--execute',
              '--ExecutePreprocessor.kernel_name=ptm-typescript',
              '--output',
              join(dir, 'nbconvert.ipynb'),
              input,
            ],
            env,
          ),
        );
      }
      console.log(
        `  round ${r + 1}: ptmc ${(ptmc[r]! / 1000).toFixed(2)} s` +
          (haveJupyter ? `, nbconvert ${(nbconvert[r]! / 1000).toFixed(2)} s` : ''),
      );
    }

    // Kernel start → first result, measured inside the executor (library API, same kernel).
    const ready: number[] = [];
    const first: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let gotFirst = false;
      const start = process.hrtime.bigint();
      await executeNotebook({
        input,
        output: join(dir, 'latency.ipynb'),
        progress: (ev) => {
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          if (ev.kind === 'kernel-ready') ready.push(ms);
          if (ev.kind === 'cell-end' && !gotFirst) {
            gotFirst = true;
            first.push(ms);
          }
        },
      });
    }

    const mp = median(ptmc);
    console.log('');
    console.log(`ptmc execute        median ${(mp / 1000).toFixed(3)} s  (${ptmc.map((x) => (x / 1000).toFixed(2)).join(', ')})`);
    if (haveJupyter) {
      const mn = median(nbconvert);
      console.log(`jupyter nbconvert   median ${(mn / 1000).toFixed(3)} s  (${nbconvert.map((x) => (x / 1000).toFixed(2)).join(', ')})`);
      console.log(`ratio ptmc/nbconvert       ${(mp / mn).toFixed(3)}  (target ≤ 0.5)`);
    }
    console.log(`kernel start → ready       median ${(median(ready) / 1000).toFixed(3)} s`);
    console.log(`kernel start → first result median ${(median(first) / 1000).toFixed(3)} s  (target ≤ 1.0 s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
