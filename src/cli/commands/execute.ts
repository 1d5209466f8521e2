/**
 * `ptmc execute IN.ipynb -o OUT.ipynb [-p NAME=VALUE]… [--parameters FILE.json|FILE.yaml] [--timeout SEC]
 * [--start-timeout SEC] [--allow-errors] [--cwd DIR] [--kernel NAME]`: papermill-style execution
 * of one notebook. Exit 0 ok; 1 a cell failed, timed out or the kernel died (the notebook is saved);
 * 2 bad input (nothing is written).
 */
import { UsageError } from '../../util/errors.js';
import { executeNotebook } from '../../notebook/executor.js';
import { parseParameterArgs, readParameterFile } from '../../notebook/parameters.js';
import { parseCommandArgs, type Command } from '../command.js';

const USAGE = [
  'ptmc execute IN.ipynb -o OUT.ipynb [-p NAME=VALUE]… [--parameters FILE.json|FILE.yaml] [--timeout SEC]',
  '             [--start-timeout SEC] [--allow-errors] [--cwd DIR] [--kernel NAME] [--quiet]',
  '',
  '  -o, --output FILE        the executed notebook (saved after every cell)',
  '  -p, --parameter N=V      a parameter; V is JSON when it parses as JSON, else a string (repeatable)',
  '  --parameters FILE       parameters from a JSON object (.json) or YAML mapping (.yaml/.yml); -p wins',
  '  --timeout SEC            per-cell time limit; the cell is interrupted and the run fails',
  '  --start-timeout SEC      time the kernel may take to start (default 60)',
  '  --allow-errors           record cell errors and keep going (exit 0)',
  "  --cwd DIR                working folder of the kernel (default: the notebook's folder)",
  "  --kernel NAME            kernel to use (default: the notebook's, else ptm-typescript)",
  '  --quiet                  no progress on stderr',
].join('\n');

function seconds(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive number of seconds, got "${String(v)}"`, { field: flag, remedy: `e.g. ${flag} 600` });
  }
  return n;
}

/** The `execute` command. */
export const executeCommand: Command = {
  name: 'execute',
  summary: 'execute one notebook through the kernel (papermill-style)',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        output: { type: 'string', short: 'o' },
        parameter: { type: 'string', short: 'p', multiple: true },
        parameters: { type: 'string' },
        timeout: { type: 'string' },
        'start-timeout': { type: 'string' },
        'allow-errors': { type: 'boolean' },
        cwd: { type: 'string' },
        kernel: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
      },
      USAGE,
    );
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0 ? 'no input notebook given' : `one input notebook expected, got ${positionals.length}`,
        { remedy: `usage:\n${USAGE}` },
      );
    }
    if (typeof values.output !== 'string' || values.output === '') {
      throw new UsageError('no output notebook given', { field: '-o', remedy: 'add -o OUT.ipynb' });
    }
    const timeoutSec = seconds(values.timeout, '--timeout');
    const startTimeoutSec = seconds(values['start-timeout'], '--start-timeout');
    const fromFile = typeof values.parameters === 'string' ? readParameterFile(values.parameters) : {};
    const fromArgs = parseParameterArgs((values.parameter as string[] | undefined) ?? []);
    const r = await executeNotebook({
      input: positionals[0]!,
      output: values.output,
      parameters: { ...fromFile, ...fromArgs },
      timeoutSec,
      startTimeoutSec,
      allowErrors: values['allow-errors'] === true,
      cwd: values.cwd as string | undefined,
      kernelName: values.kernel as string | undefined,
      progress: values.quiet !== true,
    });
    if (r.ok) return 0;
    const e = r.error!;
    const where = e.cell >= 0 ? `cell ${e.cell}` : 'kernel start';
    process.stderr.write(
      `ptmc execute: failed at ${where}: ${e.ename}: ${e.evalue}\nptmc execute: the notebook as far as it ran ` +
        `is saved in ${values.output}\n`,
    );
    return 1;
  },
};
