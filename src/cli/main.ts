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
      process.stderr.write(`ptmc ${name}: ${e.describe()}\n`);
      return e.exitCode;
    }
    process.stderr.write(`ptmc ${name}: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
