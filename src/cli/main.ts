import { PreflightError } from '../case/preflight.js';
import { PtmcError } from '../util/errors.js';
import { COMMANDS } from './commands/index.js';

function version(): string {
  return (require('../../../package.json') as { version: string }).version;
}

function help(): string {
  const cmds = COMMANDS.map((c) => c.load());
  const w = Math.max(...cmds.map((c) => c.name.length));
  return [
    `ptmc ${version()} — conformity evaluation of pre-trained medical AI models`,
    '',
    'usage: ptmc <command> [options]     (ptmc <command> --help for details)',
    '',
    ...cmds.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'exit codes: 0 ok, 1 failure of the work, 2 bad usage or bad input',
  ].join('\n');
}

/** First line: class, message, where and fix; then the other lines of a multi-problem error. */
function errorText(e: PtmcError): string {
  if (e instanceof PreflightError) return e.describe();
  const where = [e.file, e.field].filter(Boolean).join(' at ');
  let s = `${e.name}: ${e.message}${where ? ` (in: ${where})` : ''}${e.remedy ? ` — fix: ${e.remedy}` : ''}`;
  if (e.clause) s += `\n  clause: ${e.clause}`;
  return s;
}

/** "cannot write FILE: reason — fix" for a file-system write failure, else undefined. */
function writeFailure(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  const fixes: Record<string, string> = {
    EACCES: 'permission denied — choose a folder you may write (--out DIR) or fix its permissions',
    EPERM: 'operation not permitted — choose a folder you may write (--out DIR)',
    EROFS: 'read-only file system — choose a folder on a writable file system (--out DIR)',
    ENOSPC: 'no space left on the device — free space or choose another disk (--out DIR)',
    EDQUOT: 'disk quota exceeded — free space or choose another disk (--out DIR)',
    EISDIR: 'it is a folder — give a file name (e.g. -o report.pdf)',
    ENOTDIR: 'a part of the path is a file — give a folder path',
  };
  if (!err || typeof err.code !== 'string' || !fixes[err.code]) return undefined;
  return `cannot write ${err.path ?? '(file)'}: ${err.code} ${fixes[err.code]}`;
}

/**
 * Runs `ptmc` with `argv` (without `node` and the script). The one place where errors become
 * exit codes: {@link PtmcError#exitCode} (2 for input errors), 1 for anything unexpected.
 * @returns the exit code
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(version() + '\n');
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`ptmc: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  const cmd = entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: ${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof PtmcError) {
      process.stderr.write(`ptmc ${name}: ${errorText(e)}\n`);
      if (process.env['PTMC_DEBUG'] === '1') process.stderr.write(`${e.stack}\n`);
      return e.exitCode;
    }
    const w = writeFailure(e);
    if (w) {
      process.stderr.write(`ptmc ${name}: ${w}\n`);
      if (process.env['PTMC_DEBUG'] === '1') process.stderr.write(`${(e as Error).stack}\n`);
      return 1;
    }
    process.stderr.write(`ptmc ${name}: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
